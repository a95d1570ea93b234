import { describe, expect, it } from 'vitest';
import { CHURN_RISK_MODEL, configureChurnRisk, type EventFact, type HealthFact, type HealthEventType } from '../../surveys/churn-risk.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import { DEFAULT_ALERT_RULES } from '../../surveys/use-cases/alert-lifecycle.ts';
import { answerFact, readHealth, trackHealth, type HealthDeps } from '../../surveys/use-cases/track-health.ts';
import { InMemoryAlertStore, InMemoryCustomers, InMemoryHealthStore, InMemoryPublisher } from '../support/in-memory-alerts.ts';

const T0 = new Date('2026-11-23T12:00:00.000Z');
const DAY = 24 * 3600_000;

function setup(model = CHURN_RISK_MODEL) {
  const alerts = new InMemoryAlertStore();
  const publisher = new InMemoryPublisher();
  const health = new InMemoryHealthStore();
  const customers = new InMemoryCustomers();
  customers.profiles.set('c-1', { customerId: 'c-1', email: 'ala@example.com', name: 'Ala', locale: 'pl', version: 1 });
  const clock = { now: T0 };
  const deps: HealthDeps = {
    alerts,
    publisher,
    health,
    customers,
    model,
    now: () => clock.now,
    rules: DEFAULT_ALERT_RULES,
    language: 'en',
    dashboardUrl: 'https://x.example/dashboard',
  };
  const later = (days: number) => (clock.now = new Date(clock.now.getTime() + days * DAY));
  return { alerts, publisher, health, customers, deps, clock, later };
}

let n = 0;
function answer(score: number, at: Date, overrides: Partial<SurveyResponse> = {}): HealthFact {
  n++;
  const response: SurveyResponse = {
    invitationId: `inv-${n}`,
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    customerId: 'c-1',
    score,
    segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: 'web' },
    locale: 'pl',
    subjectRef: `o-${n}`,
    status: 'final',
    version: 1,
    answeredAt: at.toISOString(),
    updatedAt: at.toISOString(),
    ...overrides,
  };
  return { kind: 'answer', answer: answerFact(response) };
}
const event = (type: HealthEventType, at: Date, ref = `ref-${++n}`): HealthFact => ({
  kind: 'event',
  event: { type, ref, at: at.toISOString() },
});

describe('customer health from answers and events', () => {
  it('Should raise one churn-risk alert, with its reasons and context, when the risk crosses the threshold, and notify at once', async () => {
    // Prepare
    const { alerts, publisher, health, deps } = setup();
    await trackHealth('c-1', event('order.refunded', T0), deps);

    // Act: a detractor who writes that they are leaving: 20 + 30 + 35 = 85
    const outcome = await trackHealth(
      'c-1',
      answer(2, T0, { comment: 'Rezygnuję, nigdy więcej!', segments: { survey: 'nps-post-purchase', team: 'returns', store: 'web' } }),
      deps,
    );

    // Assess
    expect(outcome).toMatchObject({ status: 'tracked', risk: 85, band: 'critical', alert: { notification: 'notified' } });
    const [alert] = await alerts.listAlerts();
    expect(alert).toMatchObject({
      id: outcome.alert!.id,
      kind: 'churn-risk',
      customerId: 'c-1',
      riskScore: 85,
      riskBand: 'critical',
      segments: { team: 'returns', store: 'web' },
      customerName: 'Ala',
      maskedContact: 'a***@example.com',
      status: 'open',
    });
    expect(alert!.reasons).toEqual([
      `Comment mentions leaving: "rezygnuj" (${T0.toISOString().slice(0, 10)}) (+35)`,
      `Low NPS score: 2 (${T0.toISOString().slice(0, 10)}) (+30)`,
      `Refund (${T0.toISOString().slice(0, 10)}) (+20)`,
    ]);
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]!.attributes).toEqual({ kind: 'churn-risk', team: 'returns', store: 'web', severity: 'high' });
    const stored = (await health.getHealth('c-1'))!;
    expect(stored.lastAlert).toMatchObject({ id: alert!.id, notified: true, score: 85 });
    expect(stored.history.map((h) => h.score)).toEqual([20, 85]);
    expect(JSON.stringify(stored)).not.toContain('nigdy więcej!'); // no comment text in the profile
  });

  it('Should raise nothing below the threshold', async () => {
    // Prepare
    const { alerts, deps } = setup();

    // Act
    const outcome = await trackHealth('c-1', answer(2, T0), deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'tracked', risk: 30, band: 'elevated' });
    expect(outcome.alert).toBeUndefined();
    expect(alerts.alerts.size).toBe(0);
  });

  it('Should change nothing and publish nothing more when the same fact is delivered again', async () => {
    // Prepare
    const { alerts, publisher, health, deps } = setup();
    const fact = answer(1, T0, { comment: 'never again' });
    await trackHealth('c-1', fact, deps);
    const version = (await health.getHealth('c-1'))!.version;

    // Act
    const again = await trackHealth('c-1', fact, deps);

    // Assess
    expect(again.status).toBe('duplicate');
    expect((await health.getHealth('c-1'))!.version).toBe(version);
    expect(alerts.alerts.size).toBe(1);
    expect(publisher.published).toHaveLength(1);
  });

  it('Should raise at most one alert per period while the band stays, and another when the risk rises a band', async () => {
    // Prepare
    const { alerts, deps, later } = setup();
    await trackHealth('c-1', answer(1, T0, { comment: 'never again' }), deps); // 65, high: alert 1

    // Act
    later(2);
    const sameBand = await trackHealth('c-1', event('ticket.solved', new Date(T0.getTime() + 2 * DAY)), deps);
    later(1);
    const risen = await trackHealth('c-1', event('order.refunded', new Date(T0.getTime() + 3 * DAY)), deps); // + 20: critical

    // Assess
    expect(sameBand.alert).toBeUndefined();
    expect(risen).toMatchObject({ band: 'critical', alert: { notification: 'notified' } });
    expect(alerts.alerts.size).toBe(2);
  });

  it('Should create and notify the decided alert when the record is delivered again after a failed publish', async () => {
    // Prepare
    const { alerts, publisher, health, deps } = setup();
    const fact = answer(0, T0, { comment: 'cancel my account' });
    publisher.failures = 1;
    await expect(trackHealth('c-1', fact, deps)).rejects.toThrow('SNS is unavailable');
    const decided = (await health.getHealth('c-1'))!.lastAlert;

    // Act
    const retry = await trackHealth('c-1', fact, deps);

    // Assess
    expect(decided).toMatchObject({ notified: false });
    expect(retry).toMatchObject({ status: 'duplicate', alert: { id: decided!.id, notification: 'notified' } });
    expect(publisher.published).toHaveLength(1);
    expect(alerts.alerts.size).toBe(1);
    expect((await health.getHealth('c-1'))!.lastAlert!.notified).toBe(true);
  });

  it('Should keep both facts when two of one customer race for the profile', async () => {
    // Prepare
    const { health, deps } = setup();
    const rival: EventFact = { type: 'ticket.reopened', ref: 't-9', at: T0.toISOString() };
    health.beforePut = (next) => {
      health.beforePut = undefined;
      void health.putHealth({ ...next, answers: [], events: [rival] }, 0);
    };

    // Act
    await trackHealth('c-1', answer(8, T0), deps);

    // Assess
    const stored = (await health.getHealth('c-1'))!;
    expect(stored.events).toHaveLength(1);
    expect(stored.answers).toHaveLength(1);
    expect(stored.version).toBe(2);
  });

  it('Should raise an alert when time alone moves a frequent buyer over the threshold (the sweep rechecks)', async () => {
    // Prepare: a monthly buyer (orders 100, 70 and 40 days ago) who wrote they are leaving: 35 < 45
    const { alerts, health, deps, later } = setup(configureChurnRisk({ alertThreshold: 45 }));
    for (const ago of [100, 70, 40]) await trackHealth('c-1', event('order.delivered', new Date(T0.getTime() - ago * DAY)), deps);
    const first = await trackHealth('c-1', answer(8, T0, { comment: 'I will never order here again, never again' }), deps);
    const recheckAt = (await health.getHealth('c-1'))!.recheckAt!;

    // Act: 20 days later they count as gone quiet: 28 (decayed) + 20 = 48
    later(19);
    const tooEarly = await health.listHealthRechecks(deps.now().toISOString(), 10);
    later(1);
    const due = await health.listHealthRechecks(deps.now().toISOString(), 10);
    const rechecked = await trackHealth('c-1', undefined, deps);

    // Assess
    expect(first.alert).toBeUndefined();
    expect(recheckAt).toBe(new Date(T0.getTime() + 20 * DAY).toISOString());
    expect(tooEarly).toEqual([]);
    expect(due).toEqual(['c-1']);
    expect(rechecked).toMatchObject({ status: 'rechecked', risk: 48, alert: { notification: 'notified' } });
    expect([...alerts.alerts.values()][0]!.reasons).toContainEqual('No order for 60 days; usually one every 30 days (+20)');
    expect((await health.getHealth('c-1'))!.recheckAt).toBeUndefined();
  });

  it('Should show the risk now, its reasons in words, and the history, through readHealth', async () => {
    // Prepare
    const { deps, later } = setup();
    await trackHealth('c-1', event('order.refunded', T0), deps);
    later(30);

    // Act
    const view = await readHealth('c-1', deps);

    // Assess
    expect(view).toMatchObject({
      customerId: 'c-1',
      risk: { score: 10, band: 'low', threshold: 50, reasons: [{ signal: 'refund', points: 10, text: `Refund (${T0.toISOString().slice(0, 10)}) (+10)` }] },
      history: [{ at: T0.toISOString(), score: 20, band: 'low' }],
      events: [{ type: 'order.refunded', at: T0.toISOString() }],
    });
    expect(await readHealth('nobody', deps)).toBeUndefined();
  });
});
