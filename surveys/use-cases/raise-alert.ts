/**
 * Raise a detractor alert when a final answer is a detractor score (NPS 0-6, CSAT 1-2, CES 1-3).
 *
 * Primary course:
 *  1. Decide: a detractor now, and not already a detractor in the previous version (an edit from 3
 *     to 2 is the same unhappy customer, not a second alert).
 *  2. Create the alert with a deterministic id (one per response), so redelivery creates nothing new.
 *  3. Publish it to the support leads with routing attributes; mark it notified. A failed publish
 *     throws, the stream record is retried, and step 2 finds the alert not yet notified.
 */
import type { Alert, SurveyResponse } from '../model.ts';
import type { AlertPublisher, AlertStore } from '../ports.ts';
import { isDetractor } from '../scales.ts';
import { alertMessage } from '../templates/alert.ts';

export interface AlertDeps {
  alerts: AlertStore;
  publisher: AlertPublisher;
  now: () => Date;
  dashboardUrl: string;
}

export type AlertOutcome = { status: 'raised' | 'renotified' | 'already-notified' | 'not-a-detractor'; alertId?: string };

export function detractorAlertId(invitationId: string): string {
  return `detractor-${invitationId}`;
}

export async function raiseDetractorAlert(
  change: { old?: SurveyResponse; new: SurveyResponse },
  deps: AlertDeps,
): Promise<AlertOutcome> {
  const r = change.new;
  if (r.status !== 'final' || !isDetractor(r.metric, r.score)) return { status: 'not-a-detractor' };
  const id = detractorAlertId(r.invitationId);

  let alert = await deps.alerts.getAlert(id);
  let status: AlertOutcome['status'] = 'renotified';
  if (!alert) {
    alert = {
      id,
      kind: 'detractor',
      customerId: r.customerId,
      survey: r.surveyId,
      metric: r.metric,
      score: r.score,
      ...(r.comment ? { comment: r.comment } : {}),
      segments: r.segments,
      subjectRef: r.subjectRef,
      status: 'open',
      createdAt: deps.now().toISOString(),
    } satisfies Alert;
    if (!(await deps.alerts.createAlert(alert))) alert = (await deps.alerts.getAlert(id))!;
    else status = 'raised';
  }
  if (alert.notifiedAt) return { status: 'already-notified', alertId: id };
  await deps.publisher.publish(alertMessage(alert, deps.dashboardUrl));
  await deps.alerts.markNotified(id, deps.now().toISOString());
  return { status, alertId: id };
}
