import { describe, expect, it } from 'vitest';
import { METRICS, type Metric, type Segments, type SurveyResponse } from '../../surveys/model.ts';
import { SCALES, scoresOf } from '../../surveys/scales.ts';
import { DEFAULT_ALERT_RULES, sweepAlerts } from '../../surveys/use-cases/alert-lifecycle.ts';
import { detractorAlertId, raiseDetractorAlert, type AlertDeps } from '../../surveys/use-cases/raise-alert.ts';
import { InMemoryAlertStore, InMemoryCustomers, InMemoryPublisher } from '../support/in-memory-alerts.ts';

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------

const ORDER_SEGMENTS: Segments = { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: 'web' };
const TICKET_SEGMENTS: Segments = { survey: 'csat-post-ticket', channel: 'sms', locale: 'en', agent: 'agent-7', team: 'billing' };
const WAIT_MS = DEFAULT_ALERT_RULES.commentWaitSeconds * 1000;

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
  responseFactory({
    invitationId: 'inv-t42',
    surveyId: 'csat-post-ticket',
    metric: 'csat',
    score: 1,
    segments: TICKET_SEGMENTS,
    locale: 'en',
    subjectRef: 't-42',
    ...overrides,
  });

function setup() {
  const alerts = new InMemoryAlertStore();
  const publisher = new InMemoryPublisher();
  const customers = new InMemoryCustomers();
  const clock = { now: new Date('2026-11-23T12:10:05.000Z') };
  const deps: AlertDeps = {
    alerts,
    publisher,
    customers,
    now: () => clock.now,
    rules: DEFAULT_ALERT_RULES,
    language: 'en',
    dashboardUrl: 'https://ankieta.example.com/dashboard',
  };
  const later = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { alerts, publisher, customers, clock, deps, later };
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
      response: () =>
        responseFactory({
          invitationId: 'inv-ces',
          surveyId: 'ces-post-ticket',
          metric: 'ces',
          score: 2,
          segments: { survey: 'ces-post-ticket', locale: 'en' },
        }),
      routing: { kind: 'detractor', survey: 'ces-post-ticket' },
    },
  ])('for $name', ({ response, routing }) => {
    it('Should create one open alert at once and hold the notification for the comment wait', async () => {
      // Prepare
      const { alerts, publisher, clock, deps } = setup();
      const r = response();

      // Act
      const outcome = await raiseDetractorAlert({ new: r }, deps);

      // Assess
      const notifyAfter = new Date(clock.now.getTime() + WAIT_MS).toISOString();
      expect(outcome).toEqual({ status: 'raised', alertId: detractorAlertId(r.invitationId), notification: 'not-due' });
      expect(await alerts.listAlerts('open')).toEqual([
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
          revision: 1,
          responseVersion: 1,
          notifyAfter,
          dueAt: notifyAfter,
        },
      ]);
      expect(publisher.attempts).toBe(0);
    });

    it('Should publish it once with routing attributes when the wait is over, and never again', async () => {
      // Prepare
      const { publisher, deps, later } = setup();
      await raiseDetractorAlert({ new: response() }, deps);

      // Act
      later(WAIT_MS - 1000);
      const early = await sweepAlerts(deps);
      later(1000);
      const onTime = await sweepAlerts(deps);
      later(60_000);
      const after = await sweepAlerts(deps);

      // Assess
      expect(early.notified).toBe(0);
      expect(onTime.notified).toBe(1);
      expect(after.notified + after.reminded).toBe(0);
      expect(publisher.published).toHaveLength(1);
      const { severity, ...attributes } = publisher.published[0]!.attributes;
      expect(attributes).toEqual(routing);
      expect(['normal', 'high']).toContain(severity);
    });
  });

  it('Should publish at once, comment included, when the answer already carries a comment', async () => {
    // Prepare
    const { alerts, publisher, deps } = setup();
    const r = ticketResponse({ score: 2, comment: 'Nobody called me back' });

    // Act
    const outcome = await raiseDetractorAlert({ new: r }, deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'raised', notification: 'notified' });
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]!.body).toContain('Nobody called me back');
    expect(alerts.alerts.get(detractorAlertId(r.invitationId))).toMatchObject({ comment: 'Nobody called me back', notifiedAt: deps.now().toISOString() });
  });

  it('Should update the alert and publish at once when the comment arrives during the wait', async () => {
    // Prepare
    const { alerts, publisher, deps, later } = setup();
    const v1 = responseFactory({ score: 2 });
    await raiseDetractorAlert({ new: v1 }, deps);
    later(40_000);

    // Act
    const outcome = await raiseDetractorAlert({ old: v1, new: { ...v1, comment: 'Paczka przyszła zniszczona', version: 2 } }, deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'updated', notification: 'notified' });
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]!.body).toContain('Paczka przyszła zniszczona');
    const alert = alerts.alerts.get(detractorAlertId(v1.invitationId))!;
    expect(alert).toMatchObject({ comment: 'Paczka przyszła zniszczona', responseVersion: 2, notifiedAt: deps.now().toISOString() });
  });

  it('Should update the alert record, and not publish again, when the comment arrives after the notification', async () => {
    // Prepare
    const { alerts, publisher, deps, later } = setup();
    const v1 = responseFactory({ score: 2 });
    await raiseDetractorAlert({ new: v1 }, deps);
    later(WAIT_MS);
    await sweepAlerts(deps);
    later(60_000);

    // Act
    const outcome = await raiseDetractorAlert({ old: v1, new: { ...v1, comment: 'Too late, but here it is', version: 2 } }, deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'updated', notification: 'not-due' });
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]!.body).toContain('(no comment)');
    expect(alerts.alerts.get(detractorAlertId(v1.invitationId))!.comment).toBe('Too late, but here it is');
  });

  it('Should tell the lead who, how to reach them (masked), what, about what, who served them, what they said before, and where to act', async () => {
    // Prepare
    const { customers, publisher, deps } = setup();
    customers.profiles.set('c-1', { customerId: 'c-1', email: 'ala@example.com', phone: '+48600100200', name: 'Ala Nowak', locale: 'pl', version: 3 });
    customers.responses.push(
      responseFactory({ invitationId: 'inv-old-1', score: 9, answeredAt: '2026-08-01T10:00:00.000Z' }),
      ticketResponse({ invitationId: 'inv-old-2', score: 4, answeredAt: '2026-10-01T10:00:00.000Z' }),
    );
    const r = ticketResponse({ score: 2, comment: 'Nobody called me back' });
    customers.responses.push(r); // its own answer is in the history too: not a "previous" score

    // Act
    await raiseDetractorAlert({ new: r }, deps);

    // Assess
    const { body, subject } = publisher.published[0]!;
    expect(subject).toBe('[ankieta] Detractor: Ala Nowak rated CSAT 2/5 (csat-post-ticket)');
    expect(body).toContain('Customer: Ala Nowak (c-1)');
    expect(body).toContain('Contact: a***@example.com');
    expect(body).not.toContain('ala@example.com');
    expect(body).toContain('Score: 2 out of 5');
    expect(body).toContain('Comment:\n> Nobody called me back');
    expect(body).toContain('About: t-42');
    expect(body).toContain('Agent: agent-7');
    expect(body).toContain('Team: billing');
    expect(body).toContain('Previous scores: CSAT 4 (2026-10-01), NPS 9 (2026-08-01)');
    expect(body).toContain(`https://ankieta.example.com/dashboard#alert=${encodeURIComponent(detractorAlertId(r.invitationId))}`);
  });

  it("Should write to the lead in the lead's language (Polish), with an ASCII subject", async () => {
    // Prepare
    const { customers, publisher, deps } = setup();
    customers.profiles.set('c-1', { customerId: 'c-1', phone: '+48600100200', name: 'Łucja', locale: 'pl', version: 1 });
    const r = responseFactory({ score: 1, comment: 'Źle' });

    // Act
    await raiseDetractorAlert({ new: r }, { ...deps, language: 'pl' });

    // Assess
    const { body, subject } = publisher.published[0]!;
    expect(subject).toBe('[ankieta] Niska ocena: Lucja ocenil(a) NPS na 1/10 (nps-post-purchase)');
    expect(body).toContain('Klient wystawił niską ocenę');
    expect(body).toContain('Kontakt: +48 *** *** 200');
    expect(body).toContain('Ocena: 1 z 10');
    expect(body).toContain('Sklep: web');
  });

  describe.each(METRICS)('severity on the %s scale', (metric: Metric) => {
    it('Should be high for the worst score and never fall as the score gets worse', async () => {
      // Prepare
      const detractorScores = scoresOf(metric).filter((s) => s <= SCALES[metric].detractorMax);
      const severities: Array<keyof typeof SEVERITY_RANK> = [];

      // Act
      for (const score of detractorScores) {
        const { publisher, deps } = setup();
        await raiseDetractorAlert({ new: responseFactory({ metric, score, comment: 'x' }) }, deps);
        severities.push(publisher.published[0]!.attributes.severity as keyof typeof SEVERITY_RANK);
      }

      // Assess
      expect(severities[0]).toBe('high');
      const ranks = severities.map((s) => SEVERITY_RANK[s]);
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    });
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
    it(detractor ? 'Should raise an alert and publish it after the wait' : 'Should do nothing: no alert, no message', async () => {
      // Prepare
      const { alerts, publisher, deps, later } = setup();
      const r = responseFactory({ metric, score, surveyId: `${metric}-survey` });

      // Act
      const outcome = await raiseDetractorAlert({ new: r }, deps);
      later(WAIT_MS);
      await sweepAlerts(deps);

      // Assess
      expect(outcome.status).toBe(detractor ? 'raised' : 'not-a-detractor');
      expect(alerts.alerts.size).toBe(detractor ? 1 : 0);
      expect(publisher.published).toHaveLength(detractor ? 1 : 0);
    });
  });
});

describe('edits within the edit window', () => {
  it('Should close the alert by itself, with that reason, when the detractor edits the answer into a promoter, and never notify', async () => {
    // Prepare
    const { alerts, publisher, deps, later } = setup();
    const v1 = responseFactory({ score: 2 });
    await raiseDetractorAlert({ new: v1 }, deps);
    later(30_000);

    // Act
    const outcome = await raiseDetractorAlert({ old: v1, new: { ...v1, score: 9, version: 2 } }, deps);
    later(WAIT_MS);
    await sweepAlerts(deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'auto-closed', notification: 'not-due' });
    const alert = alerts.alerts.get(detractorAlertId(v1.invitationId))!;
    expect(alert).toMatchObject({ status: 'resolved', closedReason: 'edited-to-promoter', score: 9, resolvedAt: expect.any(String) });
    expect(alert.dueAt).toBeUndefined();
    expect(publisher.attempts).toBe(0);
  });

  it('Should keep the alert open with the new score when the edit is to a passive score', async () => {
    // Prepare
    const { alerts, deps } = setup();
    const v1 = responseFactory({ score: 2 });
    await raiseDetractorAlert({ new: v1 }, deps);

    // Act
    const outcome = await raiseDetractorAlert({ old: v1, new: { ...v1, score: 7, version: 2 } }, deps);

    // Assess
    expect(outcome.status).toBe('updated');
    expect(alerts.alerts.get(detractorAlertId(v1.invitationId))).toMatchObject({ status: 'open', score: 7 });
  });

  it('Should reopen an alert closed by an edit when the customer edits back to a detractor score', async () => {
    // Prepare
    const { alerts, deps } = setup();
    const v1 = responseFactory({ score: 2 });
    await raiseDetractorAlert({ new: v1 }, deps);
    await raiseDetractorAlert({ old: v1, new: { ...v1, score: 10, version: 2 } }, deps);

    // Act
    const outcome = await raiseDetractorAlert({ new: { ...v1, score: 1, version: 3 } }, deps);

    // Assess
    expect(outcome.status).toBe('reopened');
    const alert = alerts.alerts.get(detractorAlertId(v1.invitationId))!;
    expect(alert).toMatchObject({ status: 'open', score: 1 });
    expect(alert.closedReason).toBeUndefined();
    expect(alert.dueAt).toBeDefined();
  });

  it('Should raise no alert when a promoter edits into a promoter, and one when they edit into a detractor', async () => {
    // Prepare
    const { alerts, deps } = setup();
    const v1 = responseFactory({ score: 9 });

    // Act
    const first = await raiseDetractorAlert({ new: v1 }, deps);
    const second = await raiseDetractorAlert({ old: v1, new: { ...v1, score: 4, version: 2 } }, deps);

    // Assess
    expect(first.status).toBe('not-a-detractor');
    expect(second.status).toBe('raised');
    expect(alerts.alerts.size).toBe(1);
  });
});

describe('redelivery and retries', () => {
  it('Should change nothing and publish nothing more when the same change is delivered again', async () => {
    // Prepare
    const { alerts, publisher, deps } = setup();
    const change = { new: responseFactory({ score: 1, comment: 'bad' }) };
    await raiseDetractorAlert(change, deps);
    const saves = alerts.saves;

    // Act
    const again = await raiseDetractorAlert(change, deps);
    const thrice = await raiseDetractorAlert(change, deps);

    // Assess
    expect(again).toEqual({ status: 'unchanged', alertId: detractorAlertId(change.new.invitationId), notification: 'not-due' });
    expect(thrice.status).toBe('unchanged');
    expect(alerts.alerts.size).toBe(1);
    expect(alerts.saves).toBe(saves);
    expect(publisher.published).toHaveLength(1);
  });

  it('Should ignore an older version delivered after a newer one', async () => {
    // Prepare
    const { alerts, deps } = setup();
    const v1 = responseFactory({ score: 3 });
    const v2 = { ...v1, score: 1, version: 2 };
    await raiseDetractorAlert({ new: v1 }, deps);
    await raiseDetractorAlert({ old: v1, new: v2 }, deps);

    // Act
    const stale = await raiseDetractorAlert({ new: v1 }, deps);

    // Assess
    expect(stale.status).toBe('unchanged');
    expect(alerts.alerts.get(detractorAlertId(v1.invitationId))!.score).toBe(1);
  });

  it('Should give separate alerts to separate responses of one customer', async () => {
    // Prepare
    const { alerts, deps } = setup();

    // Act
    await raiseDetractorAlert({ new: responseFactory({ invitationId: 'inv-1' }) }, deps);
    await raiseDetractorAlert({ new: responseFactory({ invitationId: 'inv-2' }) }, deps);

    // Assess
    expect([...alerts.alerts.keys()].sort()).toEqual([detractorAlertId('inv-1'), detractorAlertId('inv-2')]);
  });

  it('Should throw when publishing fails, leaving the alert due and unclaimed, and publish exactly once on the retry', async () => {
    // Prepare
    const { alerts, publisher, deps, later } = setup();
    const change = { new: responseFactory({ score: 0, comment: 'awful' }) };
    const id = detractorAlertId(change.new.invitationId);
    publisher.failures = 1;

    // Act
    await expect(raiseDetractorAlert(change, deps)).rejects.toThrow('SNS is unavailable');
    const afterFailure = structuredClone(alerts.alerts.get(id));
    later(2_000);
    const retry = await raiseDetractorAlert(change, deps);
    const redelivery = await raiseDetractorAlert(change, deps);

    // Assess
    expect(afterFailure).toMatchObject({ status: 'open' });
    expect(afterFailure!.notifiedAt).toBeUndefined();
    expect(afterFailure!.notifyClaimAt).toBeUndefined();
    expect(retry).toMatchObject({ notification: 'notified' });
    expect(redelivery).toMatchObject({ notification: 'not-due' });
    expect(publisher.attempts).toBe(2);
    expect(publisher.published).toHaveLength(1);
  });

  it('Should not publish twice when recording the notification fails after the publish: the claim holds until its lease ends', async () => {
    // Prepare
    const { alerts, publisher, deps, later } = setup();
    const change = { new: responseFactory({ score: 0, comment: 'awful' }) };
    let failRecording = true;
    alerts.beforeSave = (next) => {
      if (failRecording && next.notifiedAt) throw new Error('DynamoDB is unavailable');
    };

    // Act
    await expect(raiseDetractorAlert(change, deps)).rejects.toThrow('DynamoDB is unavailable');
    failRecording = false;
    later(1_000);
    const redelivery = await raiseDetractorAlert(change, deps);
    const sweepWithinLease = await sweepAlerts(deps);

    // Assess
    expect(redelivery).toMatchObject({ notification: 'not-due' });
    expect(sweepWithinLease.notified).toBe(0);
    expect(publisher.published).toHaveLength(1);
  });

  it('Should send a notification whose publisher crashed before recording it once the claim lease is over (at least once)', async () => {
    // Prepare
    const { alerts, publisher, deps, later } = setup();
    const change = { new: responseFactory({ score: 0, comment: 'awful' }) };
    alerts.beforeSave = (next) => {
      if (next.notifiedAt && publisher.published.length === 1 && !next.notifyClaimAt) throw new Error('crash');
    };
    await expect(raiseDetractorAlert(change, deps)).rejects.toThrow('crash');
    alerts.beforeSave = undefined;

    // Act
    later(DEFAULT_ALERT_RULES.claimLeaseSeconds * 1000);
    const sweep = await sweepAlerts(deps);

    // Assess
    expect(sweep.notified).toBe(1);
    expect(publisher.published).toHaveLength(2);
    expect(alerts.alerts.get(detractorAlertId(change.new.invitationId))!.notifiedAt).toBeDefined();
  });

  it('Should publish nothing when a concurrent notifier claimed the alert first (stream consumer and sweep at once)', async () => {
    // Prepare
    const { alerts, publisher, deps, later } = setup();
    const r = responseFactory({ score: 1 });
    await raiseDetractorAlert({ new: r }, deps);
    later(WAIT_MS);
    const id = detractorAlertId(r.invitationId);
    alerts.beforeSave = (next) => {
      if (next.notifyClaimAt) {
        const stored = alerts.alerts.get(id)!;
        alerts.alerts.set(id, { ...stored, revision: (stored.revision ?? 0) + 1, notifyClaimAt: deps.now().toISOString() });
        alerts.beforeSave = undefined;
      }
    };

    // Act
    const sweep = await sweepAlerts(deps);

    // Assess
    expect(sweep.notified).toBe(0);
    expect(publisher.attempts).toBe(0);
  });

  it('Should follow an alert a concurrent delivery created first instead of creating another', async () => {
    // Prepare
    const { alerts, deps } = setup();
    const r = responseFactory({ score: 1 });
    alerts.beforeCreate = (alert) => {
      alerts.alerts.set(alert.id, { ...alert });
      alerts.beforeCreate = undefined;
    };

    // Act
    const outcome = await raiseDetractorAlert({ new: r }, deps);

    // Assess
    expect(outcome.status).toBe('unchanged');
    expect(alerts.alerts.size).toBe(1);
  });
});
