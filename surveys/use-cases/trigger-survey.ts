/**
 * Trigger a survey from a commerce event.
 *
 * Primary course:
 *  1. Find the survey the event leads to in the catalogue (and its companions, e.g. CES with CSAT).
 *  2. Merge the event's customer data into the stored profile; look up the suppression list for the
 *     profile's address and number, and whether the order or ticket was cancelled already.
 *  3. Decide eligibility (cancelled subject, channel, consent, suppression, merge, 24 h cap, fatigue,
 *     sampling, quiet hours) — pure, with a reason.
 *  4. Record, in one transaction: the event's dedupe marker, the invitation (scheduled, or skipped
 *     with its reason) and its companions, one SUBJECT item per order or ticket (so that a refund or
 *     a reopen finds the survey again), and the profile. The same event twice, even concurrently,
 *     records once.
 *  Alternative course (erased): the customer id, address or number was erased (a tombstone of the
 *  ErasureLedger, docs/architecture.md): a late, replayed or redriven event surveys nobody and writes
 *  nothing, not even its dedupe marker or a profile.
 *  Alternative course (merge): a survey of the same kind is still pending for the customer — the
 *  event's order joins it instead (marker + SUBJECT item + the order on the invitation), only if it is
 *  still scheduled; otherwise decide again without merging.
 */
import { randomBytes } from 'node:crypto';
import { companionsOf, surveyFor, type EventFacts, type SurveyDefinition } from '../catalogue.ts';
import { decideCompanion, decideEligibility, type Decision, type EligibilityPolicy } from '../eligibility.ts';
import { languageOf, subjectOf, type CommerceEvent, type Invitation, type Segments } from '../model.ts';
import {
  ConcurrentUpdateError,
  DuplicateEventError,
  MergeTargetGoneError,
  type CancellationStore,
  type CustomerProfile,
  type ErasureLedger,
  type SubjectKey,
  type SuppressionStore,
  type TriggerStore,
} from '../ports.ts';

export type TriggerOutcome =
  | { status: 'scheduled'; invitationId: string; sendAt: string; channel: string; companions?: string[] }
  | { status: 'skipped'; invitationId: string; reason: string }
  | { status: 'merged'; invitationId: string; reason: string }
  | { status: 'duplicate' }
  | { status: 'erased'; reason: string }
  | { status: 'no-survey'; reason: string };

export interface TriggerDeps {
  store: TriggerStore;
  /** The suppression list, per address and number: a profile alone does not know an unsubscribed address. */
  suppressions: Pick<SuppressionStore, 'suppressionsFor'>;
  /** Refunds and reopens that arrived before this event (events are not ordered). */
  cancellations: Pick<CancellationStore, 'subjectCancelledAt'>;
  /** Erasure tombstones: an erased customer is never surveyed again from a late event (functions/shared/deps.ts wires it). */
  erasure?: Pick<ErasureLedger, 'isErased'>;
  now: () => Date;
  catalogue?: SurveyDefinition[];
  policy?: EligibilityPolicy;
  /** Multiplies every survey delay: 1 on AWS, tiny locally so a person can watch the flow. */
  delayScale?: number;
}

/** Writes tried per event when the customer's profile changed under us (each one on fresh data). */
export const RACE_ATTEMPTS = 4;

export function newInvitationId(): string {
  return randomBytes(16).toString('base64url'); // 128 random bits: not guessable, not enumerable
}

/** The dedupe key of an event: its source and its id (two systems may use the same ids). */
export function eventKey(event: { source: string; detail: { eventId: string } }): string {
  return `${event.source}#${event.detail.eventId}`;
}

export function subjectKey(subject: { type: 'order' | 'ticket'; id: string }): SubjectKey {
  return `${subject.type}#${subject.id}`;
}

function factsOf(event: CommerceEvent): EventFacts {
  return event['detail-type'] === 'order.delivered' ? { store: event.detail.order.store } : { team: event.detail.ticket.team };
}

function segmentsOf(event: CommerceEvent, survey: SurveyDefinition, channel: string, profileLocale: string): Segments {
  const locale = languageOf(profileLocale);
  if (event['detail-type'] === 'order.delivered') {
    const { store } = event.detail.order;
    return { survey: survey.id, channel, locale, ...(store ? { store } : {}) };
  }
  const { agentId, team } = event.detail.ticket;
  return { survey: survey.id, channel, locale, ...(agentId ? { agent: agentId } : {}), ...(team ? { team } : {}) };
}

function mergeProfile(existing: CustomerProfile | undefined, event: CommerceEvent): CustomerProfile {
  const c = event.detail.customer;
  return {
    ...existing,
    customerId: c.id,
    email: c.email ?? existing?.email,
    phone: c.phone ?? existing?.phone,
    name: c.name ?? existing?.name,
    locale: c.locale ?? existing?.locale ?? 'en',
    timezone: c.timezone ?? existing?.timezone,
    consent: { ...existing?.consent, ...c.consent },
    version: existing?.version ?? 0,
  };
}

function invitationFor(
  event: CommerceEvent,
  survey: SurveyDefinition,
  profile: CustomerProfile,
  decision: Decision,
  now: Date,
  fallbackChannel = survey.channels[0]!,
): Invitation {
  const channel = decision.eligible ? decision.channel : fallbackChannel;
  return {
    id: newInvitationId(),
    surveyId: survey.id,
    metric: survey.metric,
    channel,
    customerId: profile.customerId,
    locale: languageOf(profile.locale),
    eventId: event.detail.eventId,
    eventType: event['detail-type'],
    subjectRef: subjectOf(event).id,
    segments: segmentsOf(event, survey, channel, profile.locale),
    status: decision.eligible ? 'scheduled' : 'skipped',
    createdAt: now.toISOString(),
    sendAt: decision.eligible ? decision.sendAt : now.toISOString(),
    ...(decision.eligible ? {} : { failureReason: `${decision.reason}: ${decision.detail}` }),
    ...(survey.companionOf ? { companionOf: survey.companionOf } : {}),
  };
}

export async function triggerSurvey(event: CommerceEvent, deps: TriggerDeps): Promise<TriggerOutcome> {
  const facts = factsOf(event);
  const survey = surveyFor(event['detail-type'], deps.catalogue, facts);
  if (!survey) return { status: 'no-survey', reason: `no survey is configured for ${event['detail-type']}` };
  const { id: customerId, email, phone } = event.detail.customer;
  if (await deps.erasure?.isErased({ customerId, email, phone })) return { status: 'erased', reason: 'erased: the customer asked to be forgotten' };
  const subject = subjectKey(subjectOf(event));
  const subjectCancelled = await deps.cancellations.subjectCancelledAt(subject);
  const key = eventKey(event);
  const samplingKey = `${event.detail.customer.id}#${key}`;
  const delay = (s: SurveyDefinition) => s.delaySeconds * (deps.delayScale ?? 1);

  let allowMerge = true;
  // Lost races (two events of one customer at once, a merge target sent meanwhile) are decided again with fresh data.
  for (let attempt = 0; ; attempt++) {
    const now = deps.now();
    const profile = mergeProfile(await deps.store.getProfile(event.detail.customer.id), event);
    const suppressed = await deps.suppressions.suppressionsFor({ email: profile.email, phone: profile.phone });
    const decision = decideEligibility({
      survey,
      profile,
      now,
      delaySeconds: delay(survey),
      policy: deps.policy,
      suppressed,
      samplingKey,
      subjectCancelled,
      occurredAt: event.detail.occurredAt,
      allowMerge,
    });
    const invitation = invitationFor(event, survey, profile, decision, now);
    const companions = decision.eligible
      ? companionsOf(survey, deps.catalogue, facts).map((companion) =>
          invitationFor(
            event,
            companion,
            profile,
            decideCompanion({ companion, primary: decision, samplingKey, customerId: profile.customerId }),
            now,
            decision.channel,
          ),
        )
      : [];
    const mergeInto = !decision.eligible && decision.reason === 'merged' ? decision.mergeInto : undefined;
    const nextProfile: CustomerProfile = decision.eligible
      ? {
          ...profile,
          lastSurveyedAt: now.toISOString(),
          pendingInvitation: {
            id: invitation.id,
            surveyId: survey.id,
            sendAt: invitation.sendAt,
            ...(profile.lastSurveyedAt ? { previousSurveyedAt: profile.lastSurveyedAt } : {}),
          },
        }
      : profile;
    try {
      await deps.store.recordTrigger({
        eventKey: key,
        subject,
        invitation: mergeInto ? { ...invitation, id: mergeInto } : invitation,
        profile: nextProfile,
        ...(companions.length ? { companions } : {}),
        ...(mergeInto ? { mergeInto } : {}),
      });
    } catch (error) {
      if (error instanceof DuplicateEventError) return { status: 'duplicate' };
      if (error instanceof MergeTargetGoneError && attempt < RACE_ATTEMPTS - 1) {
        allowMerge = false;
        continue;
      }
      // A burst of one customer's events (a shop fulfilling several orders at once) races on the profile: read again.
      if (error instanceof ConcurrentUpdateError && attempt < RACE_ATTEMPTS - 1) continue;
      throw error;
    }
    if (mergeInto) return { status: 'merged', invitationId: mergeInto, reason: `merged: ${decision.eligible ? '' : decision.detail}` };
    if (!decision.eligible) return { status: 'skipped', invitationId: invitation.id, reason: invitation.failureReason! };
    const scheduledCompanions = companions.filter((c) => c.status === 'scheduled').map((c) => c.id);
    return {
      status: 'scheduled',
      invitationId: invitation.id,
      sendAt: invitation.sendAt,
      channel: decision.channel,
      ...(scheduledCompanions.length ? { companions: scheduledCompanions } : {}),
    };
  }
}
