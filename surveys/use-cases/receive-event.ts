/**
 * One way in for every commerce event, whatever carried it (the bus, `POST /events`, a webhook):
 * survey triggers go to triggerSurvey, refunds and reopens to cancelSurvey.
 */
import { isCancellingEvent, type IncomingEvent } from '../model.ts';
import type { CancellationStore } from '../ports.ts';
import { cancelSurvey, type CancelOutcome } from './cancel-survey.ts';
import { triggerSurvey, type TriggerDeps, type TriggerOutcome } from './trigger-survey.ts';

export interface ReceiveDeps extends TriggerDeps {
  cancellations: CancellationStore;
}

export type ReceiveOutcome = TriggerOutcome | CancelOutcome;

export function receiveEvent(event: IncomingEvent, deps: ReceiveDeps): Promise<ReceiveOutcome> {
  return isCancellingEvent(event) ? cancelSurvey(event, { store: deps.cancellations, now: deps.now }) : triggerSurvey(event, deps);
}

/** The fields `POST /events` and the webhooks answer with, per event (README "Contracts"). */
export function describeOutcome(outcome: ReceiveOutcome): { outcome: string; invitationId?: string; sendAt?: string; reason?: string } {
  if ('cancelled' in outcome) {
    const parts = [`${outcome.cancelled.length} pending survey(s) cancelled`];
    if (outcome.narrowed.length) parts.push(`${outcome.narrowed.length} merged survey(s) no longer about it`);
    if (outcome.tooLate.length) parts.push(`${outcome.tooLate.length} already sent`);
    return { outcome: outcome.status, reason: parts.join('; ') };
  }
  return {
    outcome: outcome.status,
    ...('invitationId' in outcome ? { invitationId: outcome.invitationId } : {}),
    ...('sendAt' in outcome ? { sendAt: outcome.sendAt } : {}),
    ...('reason' in outcome ? { reason: outcome.reason } : {}),
  };
}
