/**
 * Take back a pending survey when its order is refunded or its ticket reopened: nobody should be asked
 * how they liked an order they returned, or how we solved a ticket that is open again.
 *
 * Primary course:
 *  1. Find the surveys about the order or ticket (the SUBJECT items the trigger wrote).
 *  2. For each one of this customer still scheduled: when it also asks about other orders (merged),
 *     take only this order off it; otherwise cancel it and give the customer their fatigue budget back
 *     (they were never asked).
 *  3. Remember that the subject was cancelled: a trigger for an earlier event that arrives late is skipped.
 *  4. Record the event — the EVENT item carries eventType, customerId and subjectRef for the stream's
 *     readers (churn risk). Steps 1-3 are idempotent and run first, so a retry after a crash between
 *     them still finishes the work; a second delivery of the same event is reported as a duplicate.
 * A survey already sent cannot be taken back: it is reported as `tooLate`.
 */
import { subjectOf, type CancellingEvent } from '../model.ts';
import { ConcurrentUpdateError, type CancellationStore } from '../ports.ts';
import { eventKey, subjectKey } from './trigger-survey.ts';

export type CancelOutcome = {
  status: 'cancelled' | 'nothing-pending' | 'duplicate';
  cancelled: string[];
  /** Pending surveys about several orders that only lost this one. */
  narrowed: string[];
  tooLate: string[];
};

export interface CancelDeps {
  store: CancellationStore;
  now: () => Date;
}

export async function cancelSurvey(event: CancellingEvent, deps: CancelDeps): Promise<CancelOutcome> {
  const subject = subjectOf(event);
  const key = subjectKey(subject);
  const reason = `${event['detail-type']} (${event.detail.eventId})`;
  const at = deps.now().toISOString();
  const outcome: CancelOutcome = { status: 'nothing-pending', cancelled: [], narrowed: [], tooLate: [] };

  const customerId = event.detail.customer?.id;
  const invitations = (await deps.store.invitationsAbout(key)).filter((i) => !customerId || i.customerId === customerId);
  for (const invitation of invitations) {
    // Cancelled by an earlier delivery of this event that died before giving the budget back: finish that.
    if (invitation.status === 'cancelled' && !invitation.companionOf) await releaseFatigue(invitation.customerId, invitation.id, deps.store);
    if (invitation.status !== 'scheduled') {
      if (invitation.status === 'sent' || invitation.status === 'sending') outcome.tooLate.push(invitation.id);
      continue;
    }
    const others = [invitation.subjectRef, ...(invitation.mergedSubjectRefs ?? [])].filter((ref) => ref !== subject.id);
    if (others.length > 0) {
      if (await deps.store.dropSubject(invitation.id, subject.id)) outcome.narrowed.push(invitation.id);
      continue;
    }
    if (await deps.store.cancelInvitation(invitation.id, `cancelled: ${reason}`, at)) {
      outcome.cancelled.push(invitation.id);
      if (!invitation.companionOf) await releaseFatigue(invitation.customerId, invitation.id, deps.store);
    }
  }
  await deps.store.markSubjectCancelled(key, event.detail.occurredAt, event['detail-type']);

  const status = outcome.cancelled.length + outcome.narrowed.length > 0 ? 'cancelled' : 'nothing-pending';
  const fresh = await deps.store.recordEvent({
    eventKey: eventKey(event),
    eventType: event['detail-type'],
    customerId: customerId ?? invitations[0]?.customerId,
    subjectRef: subject.id,
    at,
    outcome: status,
  });
  return { ...outcome, status: fresh ? status : 'duplicate' };
}

/** The cancelled survey no longer counts as asking: the profile gets its previous "last surveyed" back. */
async function releaseFatigue(customerId: string, invitationId: string, store: CancellationStore): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const profile = await store.getProfile(customerId);
    if (profile?.pendingInvitation?.id !== invitationId) return; // a newer survey is pending: keep its budget
    try {
      await store.releasePending(profile);
      return;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
    }
  }
}
