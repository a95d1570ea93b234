import { describe, expect, it } from 'vitest';
import type { Alert } from '../../surveys/model.ts';
import {
  DEFAULT_ALERT_RULES,
  acknowledgeAlert,
  alertStatistics,
  nextDueAt,
  resolveAlert,
  sweepAlerts,
  type NotifyDeps,
} from '../../surveys/use-cases/alert-lifecycle.ts';
import { InMemoryAlertStore, InMemoryPublisher } from '../support/in-memory-alerts.ts';

const T0 = '2026-11-23T12:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const rules = DEFAULT_ALERT_RULES;

function alertFactory(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'detractor-inv-1',
    kind: 'detractor',
    customerId: 'c-1',
    survey: 'csat-post-ticket',
    metric: 'csat',
    score: 1,
    segments: { team: 'billing' },
    subjectRef: 't-1',
    status: 'open',
    createdAt: T0,
    revision: 1,
    notifyAfter: at(rules.commentWaitSeconds),
    dueAt: at(rules.commentWaitSeconds),
    ...overrides,
  };
}

function setup(...alerts: Alert[]) {
  const store = new InMemoryAlertStore();
  for (const a of alerts) store.alerts.set(a.id, structuredClone(a));
  const publisher = new InMemoryPublisher();
  const clock = { now: new Date(T0) };
  const deps: NotifyDeps = { alerts: store, publisher, now: () => clock.now, rules, language: 'en', dashboardUrl: 'https://x.example/dashboard' };
  const lifecycle = { alerts: store, now: () => clock.now, rules };
  const goTo = (seconds: number) => (clock.now = new Date(at(seconds)));
  return { store, publisher, deps, lifecycle, goTo };
}

describe('when the sweep must act next', () => {
  it.each([
    ['an alert waiting for a comment', alertFactory(), at(rules.commentWaitSeconds)],
    ['an alert with a claim in progress', alertFactory({ notifyClaimAt: at(10) }), at(10 + rules.claimLeaseSeconds)],
    ['a notified alert', alertFactory({ notifiedAt: at(200) }), at(200 + rules.ackDeadlineSeconds)],
    ['an alert reminded once', alertFactory({ notifiedAt: at(200), reminders: 1, lastRemindedAt: at(20_000) }), at(20_000 + rules.ackDeadlineSeconds)],
    ['an alert reminded as often as allowed', alertFactory({ notifiedAt: at(200), reminders: rules.maxReminders }), undefined],
    ['an acknowledged alert', alertFactory({ status: 'acked', owner: 'ola' }), undefined],
    ['a resolved alert', alertFactory({ status: 'resolved' }), undefined],
  ])('%s', (_name, alert, expected) => {
    // Act / Assess
    expect(nextDueAt(alert, rules)).toBe(expected);
  });
});

describe('acknowledge', () => {
  it('Should take an open alert with its owner, stop its notifications and keep the first acknowledgment time on a hand-over', async () => {
    // Prepare
    const { store, publisher, deps, lifecycle, goTo } = setup(alertFactory());
    goTo(60);

    // Act
    const first = await acknowledgeAlert('detractor-inv-1', { owner: 'ola@shop.example' }, lifecycle);
    goTo(120);
    const handedOver = await acknowledgeAlert('detractor-inv-1', { owner: 'jan@shop.example' }, lifecycle);
    goTo(rules.commentWaitSeconds + rules.ackDeadlineSeconds * 3);
    await sweepAlerts(deps);

    // Assess
    expect(first).toMatchObject({ status: 'ok', alert: { status: 'acked', owner: 'ola@shop.example', ackedAt: at(60) } });
    expect(handedOver).toMatchObject({ status: 'ok', alert: { status: 'acked', owner: 'jan@shop.example', ackedAt: at(60) } });
    expect(store.alerts.get('detractor-inv-1')!.dueAt).toBeUndefined();
    expect(publisher.attempts).toBe(0);
  });

  it('Should refuse to acknowledge a resolved alert, and say so', async () => {
    // Prepare
    const { lifecycle } = setup(alertFactory({ status: 'resolved', resolvedAt: T0 }));

    // Act
    const outcome = await acknowledgeAlert('detractor-inv-1', { owner: 'ola' }, lifecycle);

    // Assess
    expect(outcome).toMatchObject({ status: 'conflict', reason: 'the alert is already resolved' });
  });

  it('Should answer not-found for an unknown alert', async () => {
    // Prepare
    const { lifecycle } = setup();

    // Act / Assess
    expect(await acknowledgeAlert('nope', { owner: 'ola' }, lifecycle)).toEqual({ status: 'not-found' });
  });

  it('Should win a race with a notifier by reading again and applying the acknowledgment to the fresh alert', async () => {
    // Prepare
    const { store, lifecycle } = setup(alertFactory());
    store.beforeSave = () => {
      const stored = store.alerts.get('detractor-inv-1')!;
      store.alerts.set(stored.id, { ...stored, revision: 2, notifiedAt: at(5) });
      store.beforeSave = undefined;
    };

    // Act
    const outcome = await acknowledgeAlert('detractor-inv-1', { owner: 'ola' }, lifecycle);

    // Assess
    expect(outcome).toMatchObject({ status: 'ok', alert: { status: 'acked', owner: 'ola', notifiedAt: at(5), revision: 3 } });
  });
});

describe('resolve', () => {
  it('Should close an acknowledged alert with a note and a root cause', async () => {
    // Prepare
    const { lifecycle, goTo } = setup(alertFactory({ status: 'acked', owner: 'ola', ackedAt: at(60), notifiedAt: at(30) }));
    goTo(3600);

    // Act
    const outcome = await resolveAlert('detractor-inv-1', { note: 'Called the customer, sent a new parcel', rootCause: 'delivery' }, lifecycle);

    // Assess
    expect(outcome).toMatchObject({
      status: 'ok',
      alert: {
        status: 'resolved',
        resolvedAt: at(3600),
        ackedAt: at(60),
        resolution: { note: 'Called the customer, sent a new parcel', rootCause: 'delivery', by: 'ola' },
      },
    });
  });

  it('Should resolve an open alert in one step when an owner is given, acknowledging it at the same moment', async () => {
    // Prepare
    const { lifecycle, goTo } = setup(alertFactory());
    goTo(600);

    // Act
    const outcome = await resolveAlert('detractor-inv-1', { note: 'Refunded', rootCause: 'billing', owner: 'jan' }, lifecycle);

    // Assess
    expect(outcome).toMatchObject({ status: 'ok', alert: { status: 'resolved', owner: 'jan', ackedAt: at(600), resolvedAt: at(600) } });
  });

  it.each([
    ['an open alert without an owner', alertFactory(), /no owner/],
    ['a resolved alert', alertFactory({ status: 'resolved', owner: 'ola' }), /already resolved/],
  ])('Should refuse %s', async (_name, alert, reason) => {
    // Prepare
    const { store, lifecycle } = setup(alert);

    // Act
    const outcome = await resolveAlert('detractor-inv-1', { note: 'x', rootCause: 'other' }, lifecycle);

    // Assess
    expect(outcome.status).toBe('conflict');
    expect(outcome.status === 'conflict' && outcome.reason).toMatch(reason);
    expect(store.saves).toBe(0);
  });
});

describe('reminders', () => {
  it('Should remind about an unacknowledged alert after each deadline, louder, at most maxReminders times', async () => {
    // Prepare
    const { publisher, deps, goTo } = setup(alertFactory());
    const deadline = rules.ackDeadlineSeconds;
    const first = rules.commentWaitSeconds;

    // Act
    goTo(first);
    const notified = await sweepAlerts(deps);
    goTo(first + deadline - 1);
    const early = await sweepAlerts(deps);
    const runs = [];
    for (let i = 1; i <= rules.maxReminders + 1; i++) {
      goTo(first + i * deadline);
      runs.push(await sweepAlerts(deps));
    }

    // Assess
    expect(notified.notified).toBe(1);
    expect(early.reminded).toBe(0);
    expect(runs.map((r) => r.reminded)).toEqual([...Array(rules.maxReminders).fill(1), 0]);
    expect(publisher.published).toHaveLength(1 + rules.maxReminders);
    const reminder = publisher.published[1]!;
    expect(reminder.subject).toMatch(/^\[ankieta\] Reminder 1: Detractor/);
    expect(reminder.body).toMatch(/^Nobody has acknowledged this alert yet\./);
    expect(reminder.attributes).toMatchObject({ kind: 'detractor', team: 'billing', severity: 'high', reminder: '1' });
  });

  it('Should not remind about an alert acknowledged after its notification', async () => {
    // Prepare
    const { publisher, deps, lifecycle, goTo } = setup(alertFactory());
    goTo(rules.commentWaitSeconds);
    await sweepAlerts(deps);
    await acknowledgeAlert('detractor-inv-1', { owner: 'ola' }, lifecycle);

    // Act
    goTo(rules.commentWaitSeconds + rules.ackDeadlineSeconds * 2);
    const sweep = await sweepAlerts(deps);

    // Assess
    expect(sweep).toMatchObject({ due: 0, reminded: 0 });
    expect(publisher.published).toHaveLength(1);
  });

  it('Should keep going when one alert fails, and report it', async () => {
    // Prepare
    const { publisher, deps, goTo } = setup(alertFactory(), alertFactory({ id: 'detractor-inv-2' }));
    publisher.failures = 1;
    const failed: string[] = [];
    goTo(rules.commentWaitSeconds);

    // Act
    const sweep = await sweepAlerts({ ...deps, onError: (id) => failed.push(id) });

    // Assess
    expect(sweep).toMatchObject({ due: 2, notified: 1, failed: 1 });
    expect(failed).toHaveLength(1);
  });
});

describe('statistics', () => {
  const hours = (h: number) => at(h * 3600);
  const alerts = {
    open: [
      alertFactory({ id: 'a1', segments: { team: 'billing' }, notifiedAt: hours(0), createdAt: hours(0) }),
      alertFactory({ id: 'a2', segments: {}, notifiedAt: hours(9), createdAt: hours(9) }),
    ],
    acked: [alertFactory({ id: 'a3', status: 'acked', segments: { team: 'billing' }, createdAt: hours(1), ackedAt: hours(2) })],
    resolved: [
      alertFactory({
        id: 'a4',
        status: 'resolved',
        createdAt: hours(0),
        ackedAt: hours(1),
        resolvedAt: hours(5),
        resolution: { note: 'n', rootCause: 'delivery', by: 'o' },
      }),
      alertFactory({
        id: 'a5',
        status: 'resolved',
        createdAt: hours(0),
        ackedAt: hours(3),
        resolvedAt: hours(4),
        resolution: { note: 'n', rootCause: 'delivery', by: 'o' },
      }),
      alertFactory({
        id: 'a6',
        kind: 'churn-risk',
        status: 'resolved',
        createdAt: hours(2),
        ackedAt: hours(2.5),
        resolvedAt: hours(8),
        resolution: { note: 'n', rootCause: 'price', by: 'o' },
      }),
      alertFactory({ id: 'a7', status: 'resolved', createdAt: hours(3), resolvedAt: hours(3.1), closedReason: 'edited-to-promoter' }),
      alertFactory({
        id: 'old',
        status: 'resolved',
        createdAt: '2026-01-01T00:00:00.000Z',
        ackedAt: hours(1),
        resolvedAt: hours(1),
        resolution: { note: 'n', rootCause: 'other', by: 'o' },
      }),
    ],
  };

  it('Should count open and acknowledged alerts per team, and the overdue ones', () => {
    // Act
    const stats = alertStatistics(alerts, { from: hours(-24), to: hours(10) }, new Date(hours(10)), rules);

    // Assess
    expect(stats.open).toEqual({ total: 2, overdue: 1, byTeam: { billing: 1, unassigned: 1 } });
    expect(stats.acked).toEqual({ total: 1, byTeam: { billing: 1 } });
  });

  it('Should measure time to acknowledge and to resolve over the window, without the alerts the system closed', () => {
    // Act
    const stats = alertStatistics(alerts, { from: hours(-24), to: hours(10) }, new Date(hours(10)), rules);

    // Assess
    expect(stats.raised).toEqual({ total: 7, detractor: 6, churnRisk: 1 });
    expect(stats.resolved).toBe(3);
    expect(stats.autoClosed).toBe(1);
    // acknowledged: a3 60 min, a4 60, a5 180, a6 30 → median 60, p90 180
    expect(stats.timeToAcknowledge).toEqual({ count: 4, medianMinutes: 60, p90Minutes: 180, meanMinutes: 82.5 });
    // resolved: a4 300 min, a5 240, a6 360
    expect(stats.timeToResolve).toEqual({ count: 3, medianMinutes: 300, p90Minutes: 360, meanMinutes: 300 });
    expect(stats.rootCauses).toEqual({ delivery: 2, price: 1 });
  });

  it('Should report no durations rather than zeros when nothing was acknowledged', () => {
    // Act
    const stats = alertStatistics({ open: [], acked: [], resolved: [] }, { from: hours(0), to: hours(1) }, new Date(hours(1)), rules);

    // Assess
    expect(stats.timeToAcknowledge).toEqual({ count: 0, medianMinutes: null, p90Minutes: null, meanMinutes: null });
  });
});
