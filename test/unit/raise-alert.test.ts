import { describe, expect, it } from 'vitest';
import { METRICS, type Alert, type AlertStatus, type Metric, type Segments, type SurveyResponse } from '../../surveys/model.ts';
import type { AlertPublisher, AlertStore } from '../../surveys/ports.ts';
import { SCALES, scoresOf } from '../../surveys/scales.ts';
import { detractorAlertId, raiseDetractorAlert, type AlertDeps } from '../../surveys/use-cases/raise-alert.ts';

// ---------------------------------------------------------------------------------------------
// In-memory AlertStore (create only if absent, as the adapter's conditional put) and publisher
// ---------------------------------------------------------------------------------------------

class InMemoryAlertStore implements AlertStore {
  readonly alerts = new Map<string, Alert>();
  /** Runs before createAlert is checked: lets a test commit a concurrent creator first. */
  beforeCreate?: (alert: Alert) => void;

  async createAlert(alert: Alert): Promise<boolean> {
    this.beforeCreate?.(alert);
    if (this.alerts.has(alert.id)) return false;
    this.alerts.set(alert.id, structuredClone(alert));
    return true;
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const found = this.alerts.get(id);
    return found && structuredClone(found);
  }

  async markNotified(id: string, at: string): Promise<void> {
    const found = this.alerts.get(id);
    if (found) this.alerts.set(id, { ...found, notifiedAt: at });
  }

  async listAlerts(status?: AlertStatus, limit = 100): Promise<Alert[]> {
    return [...this.alerts.values()].filter((a) => !status || a.status === status).slice(0, limit);
  }
}

type Published = Parameters<AlertPublisher['publish']>[0];

class InMemoryPublisher implements AlertPublisher {
  readonly published: Published[] = [];
  attempts = 0;
  /** How many of the next publishes fail (SNS throttled, network down). */
  failures = 0;

  async publish(message: Published): Promise<void> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('SNS is unavailable');
    }
    this.published.push(structuredClone(message));
  }
}

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------

const ORDER_SEGMENTS: Segments = { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: 'web' };
const TICKET_SEGMENTS: Segments = { survey: 'csat-post-ticket', channel: 'sms', locale: 'en', agent: 'agent-7', team: 'billing' };

function responseFactory(overrides: Partial<SurveyResponse> = {}): SurveyResponse {
  return {
    invitationId: 'inv-abc',
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    customerId: 'c-1',
    score: 3,
    segments: ORDER_SEGMENTS,
    locale: 'pl',
    subjectRef: 'o-9',
    status: 'final',
    version: 1,
    answeredAt: '2026-11-23T12:10:00.000Z',
    updatedAt: '2026-11-23T12:10:00.000Z',
    ...overrides,
  };
}

const ticketResponse = (overrides: Partial<SurveyResponse> = {}) =>
  responseFactory({ invitationId: 'inv-t42', surveyId: 'csat-post-ticket', metric: 'csat', score: 1, segments: TICKET_SEGMENTS, locale: 'en', subjectRef: 't-42', ...overrides });

function setup() {
  const alerts = new InMemoryAlertStore();
  const publisher = new InMemoryPublisher();
  const clock = { now: new Date('2026-11-23T12:10:05.000Z') };
  const deps: AlertDeps = { alerts, publisher, now: () => clock.now, dashboardUrl: 'https://ankieta.example.com/dashboard' };
  return { alerts, publisher, clock, deps };
}

const SEVERITY_RANK = { normal: 0, high: 1 } as const;

// ---------------------------------------------------------------------------------------------

describe('a detractor answer', () => {
  describe.each([
    {
      name: 'an NPS 3 after an order in the web store',
      response: () => responseFactory({ score: 3 }),
      routing: { kind: 'detractor', survey: 'nps-post-purchase', store: 'web' },
    },
    {
      name: 'a CSAT 1 after a ticket of the billing team',
      response: () => ticketResponse({ score: 1 }),
      routing: { kind: 'detractor', survey: 'csat-post-ticket', team: 'billing' },
    },
    {
      name: 'a CES 2 without store or team',
      response: () => responseFactory({ invitationId: 'inv-ces', surveyId: 'ces-post-ticket', metric: 'ces', score: 2, segments: { survey: 'ces-post-ticket', locale: 'en' } }),
      routing: { kind: 'detractor', survey: 'ces-post-ticket' },
    },
  ])('for $name', ({ response, routing }) => {
    it('Should create one open alert and publish it once with routing attributes', async () => {
      // Prepare
      const { alerts, publisher, clock, deps } = setup();
      const r = response();

      // Act
      const outcome = await raiseDetractorAlert({ new: r }, deps);

      // Assess
      expect(outcome).toEqual({ status: 'raised', alertId: detractorAlertId(r.invitationId) });
      expect([...alerts.alerts.values()]).toEqual([
        {
          id: detractorAlertId(r.invitationId),
          kind: 'detractor',
          customerId: r.customerId,
          survey: r.surveyId,
          metric: r.metric,
          score: r.score,
          segments: r.segments,
          subjectRef: r.subjectRef,
          status: 'open',
          createdAt: clock.now.toISOString(),
          notifiedAt: clock.now.toISOString(),
        },
      ]);
      expect(publisher.published).toHaveLength(1);
      const { severity, ...attributes } = publisher.published[0]!.attributes;
      expect(attributes).toEqual(routing);
      expect(['normal', 'high']).toContain(severity);
    });
  });

  it('Should tell the support lead what happened and where to act, in the message', async () => {
    // Prepare
    const { publisher, deps } = setup();
    const r = ticketResponse({ score: 2, comment: 'Nobody called me back' });

    // Act
    await raiseDetractorAlert({ new: r }, deps);

    // Assess
    const { body } = publisher.published[0]!;
    expect(body).toContain('Nobody called me back');
    expect(body).toContain(r.customerId);
    expect(body).toContain('t-42');
    expect(body).toContain(`https://ankieta.example.com/dashboard#alert=${encodeURIComponent(detractorAlertId(r.invitationId))}`);
  });

  it('Should keep the comment on the alert when the answer has one', async () => {
    // Prepare
    const { alerts, deps } = setup();
    const r = responseFactory({ score: 0, comment: 'Broken on arrival' });

    // Act
    await raiseDetractorAlert({ new: r }, deps);

    // Assess
    expect(alerts.alerts.get(detractorAlertId(r.invitationId))!.comment).toBe('Broken on arrival');
  });

  describe.each(METRICS)('severity on the %s scale', (metric: Metric) => {
    it('Should be high for the worst score and never fall as the score gets worse', async () => {
      // Prepare
      const detractorScores = scoresOf(metric).filter((s) => s <= SCALES[metric].detractorMax);
      const severities: Array<keyof typeof SEVERITY_RANK> = [];

      // Act
      for (const score of detractorScores) {
        const { publisher, deps } = setup();
        await raiseDetractorAlert({ new: responseFactory({ metric, score }) }, deps);
        severities.push(publisher.published[0]!.attributes.severity as keyof typeof SEVERITY_RANK);
      }

      // Assess
      expect(severities[0]).toBe('high');
      const ranks = severities.map((s) => SEVERITY_RANK[s]);
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    });
  });

  it('Should not rank a mild NPS detractor (6) as high as the worst (0)', async () => {
    // Prepare
    const mild = setup();
    const worst = setup();

    // Act
    await raiseDetractorAlert({ new: responseFactory({ score: 6 }) }, mild.deps);
    await raiseDetractorAlert({ new: responseFactory({ score: 0 }) }, worst.deps);

    // Assess
    expect(mild.publisher.published[0]!.attributes.severity).toBe('normal');
    expect(worst.publisher.published[0]!.attributes.severity).toBe('high');
  });
});

describe('who is a detractor', () => {
  describe.each([
    { metric: 'nps', score: 0, detractor: true },
    { metric: 'nps', score: 6, detractor: true },
    { metric: 'nps', score: 7, detractor: false },
    { metric: 'nps', score: 10, detractor: false },
    { metric: 'csat', score: 1, detractor: true },
    { metric: 'csat', score: 2, detractor: true },
    { metric: 'csat', score: 3, detractor: false },
    { metric: 'csat', score: 5, detractor: false },
    { metric: 'ces', score: 1, detractor: true },
    { metric: 'ces', score: 3, detractor: true },
    { metric: 'ces', score: 4, detractor: false },
    { metric: 'ces', score: 7, detractor: false },
  ] as const)('$metric $score', ({ metric, score, detractor }) => {
    it(detractor ? 'Should raise and publish an alert' : 'Should do nothing: no alert, no message', async () => {
      // Prepare
      const { alerts, publisher, deps } = setup();
      const r = responseFactory({ metric, score, surveyId: `${metric}-survey` });

      // Act
      const outcome = await raiseDetractorAlert({ new: r }, deps);

      // Assess
      expect(outcome.status).toBe(detractor ? 'raised' : 'not-a-detractor');
      expect(alerts.alerts.size).toBe(detractor ? 1 : 0);
      expect(publisher.published).toHaveLength(detractor ? 1 : 0);
    });
  });

  it('Should do nothing when a detractor edits the answer into a promoter', async () => {
    // Prepare
    const { alerts, publisher, deps } = setup();
    const old = responseFactory({ score: 2 });

    // Act
    const outcome = await raiseDetractorAlert({ old, new: { ...old, score: 9, version: 2 } }, deps);

    // Assess
    expect(outcome.status).toBe('not-a-detractor');
    expect(alerts.alerts.size).toBe(0);
    expect(publisher.attempts).toBe(0);
  });
});

describe('redelivery and retries', () => {
  it('Should publish nothing more when the same change is delivered again', async () => {
    // Prepare
    const { alerts, publisher, deps } = setup();
    const change = { new: responseFactory({ score: 1 }) };
    await raiseDetractorAlert(change, deps);

    // Act
    const again = await raiseDetractorAlert(change, deps);
    const thrice = await raiseDetractorAlert(change, deps);

    // Assess
    expect(again).toEqual({ status: 'already-notified', alertId: detractorAlertId(change.new.invitationId) });
    expect(thrice.status).toBe('already-notified');
    expect(alerts.alerts.size).toBe(1);
    expect(publisher.published).toHaveLength(1);
  });

  it('Should not raise a second alert when a detractor edits to another detractor score or adds a comment', async () => {
    // Prepare
    const { alerts, publisher, deps } = setup();
    const v1 = responseFactory({ score: 3 });
    const v2 = { ...v1, score: 2, version: 2 };
    const v3 = { ...v2, comment: 'still angry', version: 3 };
    await raiseDetractorAlert({ new: v1 }, deps);

    // Act
    const edited = await raiseDetractorAlert({ old: v1, new: v2 }, deps);
    const commented = await raiseDetractorAlert({ old: v2, new: v3 }, deps);

    // Assess
    expect(edited.status).toBe('already-notified');
    expect(commented.status).toBe('already-notified');
    expect(alerts.alerts.size).toBe(1);
    expect(publisher.published).toHaveLength(1);
  });

  it('Should give separate alerts to separate responses of one customer', async () => {
    // Prepare
    const { alerts, publisher, deps } = setup();

    // Act
    await raiseDetractorAlert({ new: responseFactory({ invitationId: 'inv-1' }) }, deps);
    await raiseDetractorAlert({ new: responseFactory({ invitationId: 'inv-2' }) }, deps);

    // Assess
    expect([...alerts.alerts.keys()].sort()).toEqual([detractorAlertId('inv-1'), detractorAlertId('inv-2')]);
    expect(publisher.published).toHaveLength(2);
  });

  it('Should throw when publishing fails, leaving the alert not notified, and publish exactly once on the retry', async () => {
    // Prepare
    const { alerts, publisher, clock, deps } = setup();
    const change = { new: responseFactory({ score: 0 }) };
    const id = detractorAlertId(change.new.invitationId);
    publisher.failures = 1;

    // Act
    const firstTry = raiseDetractorAlert(change, deps);
    await expect(firstTry).rejects.toThrow('SNS is unavailable');
    const afterFailure = structuredClone(alerts.alerts.get(id));
    clock.now = new Date(clock.now.getTime() + 2_000);
    const retry = await raiseDetractorAlert(change, deps);
    const redelivery = await raiseDetractorAlert(change, deps);

    // Assess
    expect(afterFailure).toBeDefined();
    expect(afterFailure!.notifiedAt).toBeUndefined();
    expect(retry).toEqual({ status: 'renotified', alertId: id });
    expect(redelivery.status).toBe('already-notified');
    expect(publisher.attempts).toBe(2);
    expect(publisher.published).toHaveLength(1);
    expect(alerts.alerts.size).toBe(1);
    expect(alerts.alerts.get(id)!.notifiedAt).toBe(clock.now.toISOString());
  });

  it('Should publish nothing when a concurrent delivery created and notified the alert first', async () => {
    // Prepare
    const { alerts, publisher, deps } = setup();
    alerts.beforeCreate = (alert) => {
      alerts.alerts.set(alert.id, { ...alert, notifiedAt: '2026-11-23T12:10:04.000Z' });
    };

    // Act
    const outcome = await raiseDetractorAlert({ new: responseFactory({ score: 1 }) }, deps);

    // Assess
    expect(outcome.status).toBe('already-notified');
    expect(publisher.attempts).toBe(0);
  });
});
