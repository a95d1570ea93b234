/**
 * Raise a detractor alert from a final answer, keep it in step with the answer, and notify the leads.
 *
 * Primary course:
 *  1. Find the alert of this response: its id is `detractor-<invitationId>`, one per response, so a
 *     redelivered stream record finds it and creates nothing new.
 *  2. None yet and the score is a detractor (NPS 0-6, CSAT 1-2, CES 1-3): gather the context (the
 *     customer's name, masked contact and previous scores) and create it, open: the alert list shows
 *     it at once. Its notification waits for a comment (rules.commentWaitSeconds) unless the answer
 *     already has one.
 *  3. An alert exists and this version of the response is newer than the one it reflects: take the new
 *     score and comment. A comment that arrives while the notification waits makes it due now; an edit
 *     to a promoter score closes the alert by itself (closedReason 'edited-to-promoter'), and an edit
 *     back to a detractor score reopens it. Older or repeated versions change nothing. An alert with a
 *     comment carries the comment's topics and sentiment (insights/comment-insights.ts).
 *  0. A customer erased meanwhile (a tombstone, see ports.ts ErasureLedger): nothing is written or sent.
 *  4. Notify now if due (alert-lifecycle.ts notifyIfDue); otherwise the alert sweep sends it when the
 *     wait is over, and never later than one sweep interval after that.
 */
import { commentInsights } from '../insights/comment-insights.ts';
import type { Alert, SurveyResponse } from '../model.ts';
import type { CustomerHistoryReader } from '../ports.ts';
import { isDetractor } from '../scales.ts';
import { classify } from '../scoring.ts';
import { customerContext } from './customer-context.ts';
import { notifyIfDue, updateAlert, wasErased, withDueAt, type AlertRules, type NotifyDeps, type NotifyOutcome } from './alert-lifecycle.ts';

export interface AlertDeps extends NotifyDeps {
  customers: CustomerHistoryReader;
}

// In its own module so that track-health.ts (alertsApi, alertSweep) can use it without the comment classifier.
export { customerContext, PREVIOUS_SCORES_SHOWN } from './customer-context.ts';

export type AlertChange = 'raised' | 'updated' | 'auto-closed' | 'reopened' | 'unchanged';

export type AlertOutcome = { status: 'not-a-detractor' } | { status: 'erased' } | { status: AlertChange; alertId: string; notification: NotifyOutcome };

export function detractorAlertId(invitationId: string): string {
  return `detractor-${invitationId}`;
}

export function newDetractorAlert(
  r: SurveyResponse,
  context: Pick<Alert, 'customerName' | 'maskedContact' | 'previousScores'>,
  now: Date,
  rules: AlertRules,
): Alert {
  const createdAt = now.toISOString();
  return withDueAt(
    {
      id: detractorAlertId(r.invitationId),
      kind: 'detractor',
      customerId: r.customerId,
      survey: r.surveyId,
      metric: r.metric,
      score: r.score,
      ...(r.comment ? { comment: r.comment, ...commentInsights(r) } : {}),
      segments: r.segments,
      subjectRef: r.subjectRef,
      status: 'open',
      createdAt,
      revision: 1,
      responseVersion: r.version,
      ...context,
      // With the comment already in there is nothing to wait for.
      notifyAfter: r.comment ? createdAt : new Date(now.getTime() + rules.commentWaitSeconds * 1000).toISOString(),
    },
    rules,
  );
}

/** The alert after a newer version of its response (pure); undefined when this version is not newer. */
export function followResponse(alert: Alert, r: SurveyResponse, now: Date): { alert: Alert; change: Exclude<AlertChange, 'raised' | 'unchanged'> } | undefined {
  if (alert.responseVersion !== undefined && r.version <= alert.responseVersion) return undefined;
  const at = now.toISOString();
  let next: Alert = {
    ...alert,
    score: r.score,
    responseVersion: r.version,
    updatedAt: at,
    ...(r.comment ? { comment: r.comment, ...commentInsights(r) } : {}),
  };
  let change: 'updated' | 'auto-closed' | 'reopened' = 'updated';
  const category = classify(r.metric, r.score);
  if (category === 'promoter' && alert.status !== 'resolved') {
    next = { ...next, status: 'resolved', closedReason: 'edited-to-promoter', resolvedAt: at, notifyClaimAt: undefined };
    change = 'auto-closed';
  } else if (category === 'detractor' && alert.closedReason === 'edited-to-promoter') {
    next = { ...next, status: alert.owner ? 'acked' : 'open', closedReason: undefined, resolvedAt: undefined };
    change = 'reopened';
  }
  if (r.comment && r.comment !== alert.comment && !alert.notifiedAt && next.status === 'open') next.notifyAfter = at;
  return { alert: next, change };
}

export async function raiseDetractorAlert(change: { old?: SurveyResponse; new: SurveyResponse }, deps: AlertDeps): Promise<AlertOutcome> {
  const r = change.new;
  if (await wasErased(r.customerId, deps)) return { status: 'erased' }; // a record replayed after the erasure
  const id = detractorAlertId(r.invitationId);
  let alert = await deps.alerts.getAlert(id);
  let status: AlertChange | undefined;
  if (!alert) {
    if (r.status !== 'final' || !isDetractor(r.metric, r.score)) return { status: 'not-a-detractor' };
    const fresh = newDetractorAlert(r, await customerContext(r.customerId, r.invitationId, deps.customers), deps.now(), deps.rules);
    if (await deps.alerts.createAlert(fresh)) {
      alert = fresh;
      status = 'raised';
    } else {
      alert = (await deps.alerts.getAlert(id))!; // a concurrent delivery created it: follow it like any other
    }
  }
  if (!status) {
    let followed: AlertChange = 'unchanged';
    const saved = await updateAlert(
      deps.alerts,
      alert,
      (current) => {
        const next = followResponse(current, r, deps.now());
        followed = next?.change ?? 'unchanged';
        return next?.alert;
      },
      deps.rules,
    );
    if (saved) alert = saved;
    status = followed;
  }
  return { status, alertId: id, notification: await notifyIfDue(alert, deps) };
}
