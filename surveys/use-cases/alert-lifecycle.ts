/**
 * An alert's life: open → acked (an owner takes it) → resolved (a note and a root cause), with the
 * notifications on the way: the first one (after the wait for a comment, for detractors) and reminders
 * while nobody acknowledges it.
 *
 * Primary course (notify):
 *  1. Claim the notification: write a claim conditionally on the alert's revision. A concurrent
 *     notifier (the stream consumer and the sweep at the same moment) loses the write and stops.
 *  2. Publish to the leads' topic.
 *  3. Record it (notifiedAt, or one more reminder) and release the claim, retrying the write if it
 *     races with a lead's acknowledgment. A failed publish releases the claim and throws (retried).
 *     A failure to record after a publish leaves the claim: nobody publishes again until the claim's
 *     lease ends, then the sweep does — a rare duplicate rather than a lost alert (SNS to e-mail has
 *     no deduplication, so exactly-once is not on offer; at-least-once with a narrow window is).
 *
 * Primary course (acknowledge, resolve): read the alert, apply the transition (pure), write it
 * conditionally on the revision read; on a lost race read again and decide again.
 */
import type { Alert, AlertStatus, Language, RootCause } from '../model.ts';
import { ConcurrentUpdateError, type AlertPublisher, type AlertStore, type ErasureLedger } from '../ports.ts';
import { alertMessage } from '../templates/alert.ts';

export interface AlertRules {
  /** A detractor alert waits this long for the customer's comment before it is sent without one. */
  commentWaitSeconds: number;
  /** An open alert nobody acknowledged this long after its last notification is sent again. */
  ackDeadlineSeconds: number;
  /** Reminders at most, per alert. */
  maxReminders: number;
  /** A notification claim older than this was abandoned (its worker crashed): longer than a function timeout. */
  claimLeaseSeconds: number;
}

/**
 * Defaults (README "Alerts"): the comment page follows the click, and most people who comment do so
 * within a minute or two, so 3 minutes catches the comment without delaying the lead much; the sweep
 * runs every minute, so the notification leaves at most 4 minutes after the answer. A lead should
 * react within a working morning: 4 hours, then twice more.
 */
export const DEFAULT_ALERT_RULES: AlertRules = {
  commentWaitSeconds: 180,
  ackDeadlineSeconds: 4 * 3600,
  maxReminders: 2,
  claimLeaseSeconds: 120,
};

export interface NotifyDeps {
  alerts: AlertStore;
  publisher: AlertPublisher;
  now: () => Date;
  rules: AlertRules;
  /** The lead's language (ALERT_LANGUAGE). */
  language: Language;
  dashboardUrl: string;
  /** Tombstones of erased customers: nothing about one is written or sent. The composition root always sets it. */
  erasure?: ErasureLedger;
}

const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
const isPast = (iso: string | undefined, now: Date) => iso !== undefined && Date.parse(iso) <= now.getTime();

/** When the sweep must next act on an alert, or undefined when nothing is pending. */
export function nextDueAt(alert: Alert, rules: AlertRules): string | undefined {
  if (alert.status !== 'open') return undefined;
  if (alert.notifyClaimAt) return plus(alert.notifyClaimAt, rules.claimLeaseSeconds);
  if (!alert.notifiedAt) return alert.notifyAfter ?? alert.createdAt;
  if ((alert.reminders ?? 0) >= rules.maxReminders) return undefined;
  return plus(alert.lastRemindedAt ?? alert.notifiedAt, rules.ackDeadlineSeconds);
}

/** The alert with `dueAt` recomputed: call before every save, so the sweep's index stays right. */
export function withDueAt(alert: Alert, rules: AlertRules): Alert {
  const dueAt = nextDueAt(alert, rules);
  const { dueAt: _old, ...rest } = alert;
  return dueAt ? { ...rest, dueAt } : rest;
}

/** What a notification of this alert would be now: the first one, a reminder, or none. */
export function pendingNotification(alert: Alert, now: Date, rules: AlertRules): { kind: 'first' } | { kind: 'reminder'; number: number } | undefined {
  if (alert.status !== 'open') return undefined;
  if (alert.notifyClaimAt && !isPast(plus(alert.notifyClaimAt, rules.claimLeaseSeconds), now)) return undefined; // someone is on it
  if (!alert.notifiedAt) return isPast(alert.notifyAfter ?? alert.createdAt, now) ? { kind: 'first' } : undefined;
  const reminders = alert.reminders ?? 0;
  if (reminders >= rules.maxReminders) return undefined;
  return isPast(plus(alert.lastRemindedAt ?? alert.notifiedAt, rules.ackDeadlineSeconds), now) ? { kind: 'reminder', number: reminders + 1 } : undefined;
}

/** Saves `change(current)` conditionally, re-reading and re-applying on a lost race. Returns the saved alert. */
export async function updateAlert(
  alerts: AlertStore,
  current: Alert,
  change: (alert: Alert) => Alert | undefined,
  rules: AlertRules,
  attempts = 4,
): Promise<Alert | undefined> {
  let base = current;
  for (let attempt = 1; ; attempt++) {
    const changed = change(base);
    if (!changed) return undefined;
    const next = withDueAt({ ...changed, revision: (base.revision ?? 0) + 1 }, rules);
    try {
      await alerts.saveAlert(next, base.revision ?? 0);
      return next;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= attempts) throw error;
      const fresh = await alerts.getAlert(current.id);
      if (!fresh) throw error;
      base = fresh;
    }
  }
}

export type NotifyOutcome = 'notified' | 'reminded' | 'not-due' | 'taken' | 'erased';

/** True when the customer was erased: the caller writes and sends nothing about them (ports.ts ErasureLedger). */
export async function wasErased(customerId: string, deps: Pick<NotifyDeps, 'erasure'>): Promise<boolean> {
  return (await deps.erasure?.isErased({ customerId })) ?? false;
}

/** Notifies the leads if a notification of this alert is due now (see the primary course above). */
export async function notifyIfDue(alert: Alert, deps: NotifyDeps): Promise<NotifyOutcome> {
  const due = pendingNotification(alert, deps.now(), deps.rules);
  if (!due) return 'not-due';
  // Written by a consumer that raced the erasure: it goes, unsent.
  if (await wasErased(alert.customerId, deps)) {
    await deps.alerts.deleteAlert(alert.id);
    return 'erased';
  }
  const claimAt = deps.now().toISOString();
  let claimed: Alert;
  try {
    claimed = withDueAt({ ...alert, notifyClaimAt: claimAt, revision: (alert.revision ?? 0) + 1 }, deps.rules);
    await deps.alerts.saveAlert(claimed, alert.revision ?? 0);
  } catch (error) {
    if (error instanceof ConcurrentUpdateError) return 'taken'; // changed meanwhile: whoever changed it decides
    throw error;
  }

  const message = alertMessage(claimed, {
    dashboardUrl: deps.dashboardUrl,
    language: deps.language,
    ...(due.kind === 'reminder' ? { reminder: due.number } : {}),
  });
  try {
    await deps.publisher.publish(message);
  } catch (error) {
    await updateAlert(deps.alerts, claimed, (a) => (a.notifyClaimAt === claimAt ? { ...a, notifyClaimAt: undefined } : undefined), deps.rules).catch(
      () => undefined,
    );
    throw error;
  }

  const at = deps.now().toISOString();
  await updateAlert(
    deps.alerts,
    claimed,
    (a) => ({
      ...a,
      notifyClaimAt: undefined,
      ...(due.kind === 'first' ? { notifiedAt: at } : { reminders: due.number, lastRemindedAt: at }),
    }),
    deps.rules,
  );
  return due.kind === 'first' ? 'notified' : 'reminded';
}

// ---------------------------------------------------------------------------------------------
// Acknowledge and resolve
// ---------------------------------------------------------------------------------------------

export type LifecycleOutcome = { status: 'ok'; alert: Alert } | { status: 'not-found' } | { status: 'conflict'; reason: string; alert: Alert };

export interface LifecycleDeps {
  alerts: AlertStore;
  now: () => Date;
  rules: AlertRules;
}

/** open → acked with an owner; acknowledging again hands it to another owner. A resolved alert stays resolved. */
export function acknowledged(alert: Alert, owner: string, now: Date): Alert | { conflict: string } {
  if (alert.status === 'resolved') return { conflict: 'the alert is already resolved' };
  return { ...alert, status: 'acked', owner, ackedAt: alert.ackedAt ?? now.toISOString(), updatedAt: now.toISOString(), notifyClaimAt: undefined };
}

/** open or acked → resolved with a note and a root cause; resolving an open alert acknowledges it at the same time. */
export function resolved(alert: Alert, input: { note: string; rootCause: RootCause; owner?: string }, now: Date): Alert | { conflict: string } {
  if (alert.status === 'resolved') return { conflict: 'the alert is already resolved' };
  const owner = input.owner ?? alert.owner;
  if (!owner) return { conflict: 'the alert has no owner: acknowledge it first or give an owner' };
  const at = now.toISOString();
  return {
    ...alert,
    status: 'resolved',
    owner,
    ackedAt: alert.ackedAt ?? at,
    resolvedAt: at,
    resolution: { note: input.note, rootCause: input.rootCause, by: owner },
    updatedAt: at,
    notifyClaimAt: undefined,
  };
}

async function transition(id: string, apply: (alert: Alert) => Alert | { conflict: string }, deps: LifecycleDeps): Promise<LifecycleOutcome> {
  const current = await deps.alerts.getAlert(id);
  if (!current) return { status: 'not-found' };
  let conflict: { reason: string; alert: Alert } | undefined;
  const saved = await updateAlert(
    deps.alerts,
    current,
    (alert) => {
      const next = apply(alert);
      if ('conflict' in next) {
        conflict = { reason: next.conflict, alert };
        return undefined;
      }
      return next;
    },
    deps.rules,
  );
  if (conflict) return { status: 'conflict', ...conflict };
  return { status: 'ok', alert: saved! };
}

export function acknowledgeAlert(id: string, input: { owner: string }, deps: LifecycleDeps): Promise<LifecycleOutcome> {
  return transition(id, (alert) => acknowledged(alert, input.owner, deps.now()), deps);
}

export function resolveAlert(id: string, input: { note: string; rootCause: RootCause; owner?: string }, deps: LifecycleDeps): Promise<LifecycleOutcome> {
  return transition(id, (alert) => resolved(alert, input, deps.now()), deps);
}

// ---------------------------------------------------------------------------------------------
// The sweep
// ---------------------------------------------------------------------------------------------

export interface SweepSummary {
  due: number;
  notified: number;
  reminded: number;
  failed: number;
}

/**
 * Alert sweep (every minute on AWS, every second locally): sends the alerts whose comment wait is over
 * and reminds about those nobody acknowledged. One failure does not stop the others; they come back
 * on the next run because their dueAt has not moved.
 */
export async function sweepAlerts(deps: NotifyDeps & { onError?: (alertId: string, error: unknown) => void }, limit = 100): Promise<SweepSummary> {
  const due = await deps.alerts.listDueAlerts(deps.now().toISOString(), limit);
  const summary: SweepSummary = { due: due.length, notified: 0, reminded: 0, failed: 0 };
  for (const alert of due) {
    try {
      const outcome = await notifyIfDue(alert, deps);
      if (outcome === 'notified') summary.notified++;
      else if (outcome === 'reminded') summary.reminded++;
      else if (outcome === 'not-due' && alert.dueAt && !nextDueAt(alert, deps.rules)) {
        // Indexed as due with nothing pending (e.g. written by an older version): take it off the index.
        await updateAlert(deps.alerts, alert, (a) => a, deps.rules).catch(() => undefined);
      }
    } catch (error) {
      summary.failed++;
      deps.onError?.(alert.id, error);
    }
  }
  return summary;
}

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

export interface DurationStats {
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  meanMinutes: number | null;
}

export interface AlertStatistics {
  from: string;
  to: string;
  /** Alerts raised in the window, by kind. */
  raised: { total: number; detractor: number; churnRisk: number };
  /** Alerts open now (nobody took them), per team; alerts without a team count under "unassigned". */
  open: { total: number; overdue: number; byTeam: Record<string, number> };
  /** Alerts acknowledged and not resolved yet, per team. */
  acked: { total: number; byTeam: Record<string, number> };
  /** Of the alerts raised in the window: resolved by a lead, and closed by the system (answer changed). */
  resolved: number;
  autoClosed: number;
  /** From raised to acknowledged / resolved, over alerts raised in the window (auto-closed ones excluded). */
  timeToAcknowledge: DurationStats;
  timeToResolve: DurationStats;
  rootCauses: Partial<Record<RootCause, number>>;
}

const teamOf = (alert: Alert) => alert.segments.team ?? 'unassigned';

function durations(pairs: Array<[string, string | undefined]>): DurationStats {
  const minutes = pairs
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([from, to]) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 60_000))
    .sort((a, b) => a - b);
  if (minutes.length === 0) return { count: 0, medianMinutes: null, p90Minutes: null, meanMinutes: null };
  const quantile = (q: number) => minutes[Math.min(minutes.length - 1, Math.ceil(q * minutes.length) - 1)]!;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    count: minutes.length,
    medianMinutes: round(quantile(0.5)),
    p90Minutes: round(quantile(0.9)),
    meanMinutes: round(minutes.reduce((s, m) => s + m, 0) / minutes.length),
  };
}

/**
 * Statistics of the alerts: `open` and `acked` as they are now (all of them), the rest over alerts
 * raised in [from, to]. Pure: the caller reads the alerts.
 */
export function alertStatistics(
  input: { open: Alert[]; acked: Alert[]; resolved: Alert[] },
  window: { from: string; to: string },
  now: Date,
  rules: AlertRules,
): AlertStatistics {
  const inWindow = (a: Alert) => a.createdAt >= window.from && a.createdAt <= `${window.to}~`;
  const raised = [...input.open, ...input.acked, ...input.resolved].filter(inWindow);
  const count = (alerts: Alert[]) => {
    const byTeam: Record<string, number> = {};
    for (const a of alerts) byTeam[teamOf(a)] = (byTeam[teamOf(a)] ?? 0) + 1;
    return byTeam;
  };
  const byLead = raised.filter((a) => !a.closedReason);
  const resolvedByLead = byLead.filter((a) => a.status === 'resolved');
  const rootCauses: Partial<Record<RootCause, number>> = {};
  for (const a of resolvedByLead) if (a.resolution) rootCauses[a.resolution.rootCause] = (rootCauses[a.resolution.rootCause] ?? 0) + 1;
  const overdue = input.open.filter((a) => a.notifiedAt && Date.parse(a.notifiedAt) + rules.ackDeadlineSeconds * 1000 <= now.getTime()).length;
  return {
    from: window.from,
    to: window.to,
    raised: {
      total: raised.length,
      detractor: raised.filter((a) => a.kind === 'detractor').length,
      churnRisk: raised.filter((a) => a.kind === 'churn-risk').length,
    },
    open: { total: input.open.length, overdue, byTeam: count(input.open) },
    acked: { total: input.acked.length, byTeam: count(input.acked) },
    resolved: resolvedByLead.length,
    autoClosed: raised.filter((a) => a.closedReason).length,
    timeToAcknowledge: durations(byLead.map((a) => [a.createdAt, a.ackedAt])),
    timeToResolve: durations(resolvedByLead.map((a) => [a.createdAt, a.resolvedAt])),
    rootCauses,
  };
}

/** Reads what alertStatistics needs: every open and acked alert, and the resolved ones raised in the window. */
export async function readAlertStatistics(window: { from: string; to: string }, deps: LifecycleDeps): Promise<AlertStatistics> {
  const everything = { from: '0000', to: '9999' };
  const read = (status: AlertStatus, w: { from: string; to: string }) => deps.alerts.listAlertsCreatedBetween(status, w.from, w.to);
  const [open, acked, resolved] = await Promise.all([read('open', everything), read('acked', everything), read('resolved', window)]);
  return alertStatistics({ open, acked, resolved }, window, deps.now(), deps.rules);
}
