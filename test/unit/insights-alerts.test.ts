import { describe, expect, it } from 'vitest';
import type { Alert, SurveyResponse } from '../../surveys/model.ts';
import { alertMessage } from '../../surveys/templates/alert.ts';
import { DEFAULT_ALERT_RULES } from '../../surveys/use-cases/alert-lifecycle.ts';
import { detractorAlertId, raiseDetractorAlert, type AlertDeps } from '../../surveys/use-cases/raise-alert.ts';
import { InMemoryAlertStore, InMemoryCustomers, InMemoryPublisher } from '../support/in-memory-alerts.ts';

function response(overrides: Partial<SurveyResponse> = {}): SurveyResponse {
  return {
    invitationId: 'inv-topics',
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    customerId: 'c-1',
    score: 2,
    segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: 'web' },
    locale: 'pl',
    subjectRef: 'o-9',
    status: 'final',
    version: 1,
    answeredAt: '2026-11-23T12:10:00.000Z',
    updatedAt: '2026-11-23T12:10:00.000Z',
    ...overrides,
  };
}

function deps(): AlertDeps & { alerts: InMemoryAlertStore } {
  return {
    alerts: new InMemoryAlertStore(),
    publisher: new InMemoryPublisher(),
    customers: new InMemoryCustomers(),
    now: () => new Date('2026-11-23T12:10:05.000Z'),
    rules: DEFAULT_ALERT_RULES,
    language: 'en',
    dashboardUrl: 'https://ankieta.example.com/dashboard',
  };
}

describe('alerts with comment topics', () => {
  it('Should raise a detractor alert that carries the topics and sentiment of its comment', async () => {
    // Prepare
    const d = deps();

    // Act
    await raiseDetractorAlert({ new: response({ comment: 'Paczka przyszła zgnieciona, kurier rzucił ją pod drzwi. Nie polecam.' }) }, d);

    // Assess
    const alert = await d.alerts.getAlert(detractorAlertId('inv-topics'));
    expect(alert).toMatchObject({ topics: ['delivery', 'packaging'], sentiment: 'negative' });
  });

  it('Should take the topics of a comment that arrives after the score', async () => {
    // Prepare
    const d = deps();
    const first = response();
    await raiseDetractorAlert({ new: first }, d);

    // Act
    await raiseDetractorAlert({ old: first, new: response({ version: 2, comment: 'Zwrot pieniędzy trwa miesiąc, tragedia' }) }, d);

    // Assess
    const alert = await d.alerts.getAlert(detractorAlertId('inv-topics'));
    expect(alert?.topics).toEqual(['returns']);
    expect(alert?.sentiment).toBe('negative');
  });

  it('Should prefer the classification stored on the response for this version', async () => {
    // Prepare
    const d = deps();

    // Act
    await raiseDetractorAlert(
      { new: response({ comment: 'whatever', insights: { topics: ['price'], sentiment: 'neutral', sentimentScore: 0, version: 1 } }) },
      d,
    );

    // Assess
    expect(await d.alerts.getAlert(detractorAlertId('inv-topics'))).toMatchObject({ topics: ['price'], sentiment: 'neutral' });
  });

  it.each([
    ['en', 'Topics: Delivery, Packaging', 'Sentiment: negative'],
    ['pl', 'Tematy: Dostawa, Opakowanie', 'Wydźwięk: negatywny'],
  ] as const)('Should name the topics and the sentiment in the %s alert text', (language, topics, sentiment) => {
    // Prepare
    const alert: Alert = {
      id: 'detractor-x',
      kind: 'detractor',
      customerId: 'c-1',
      survey: 'nps-post-purchase',
      metric: 'nps',
      score: 2,
      comment: 'Paczka zgnieciona',
      topics: ['delivery', 'packaging'],
      sentiment: 'negative',
      segments: {},
      status: 'open',
      createdAt: '2026-11-23T12:10:05.000Z',
    };

    // Act
    const message = alertMessage(alert, { dashboardUrl: 'https://ankieta.example.com/dashboard', language });

    // Assess
    expect(message.body).toContain(topics);
    expect(message.body).toContain(sentiment);
  });
});
