/**
 * Trigger a survey from a commerce event.
 *
 * Primary course:
 *  1. Find the survey the event leads to in the catalogue (and its companions, e.g. CES with CSAT).
 *  2. Merge the event's customer data into the stored profile; look up the suppression list for the
 *     profile's address and number, and whether the order or ticket was cancelled already.
 *  3. Decide eligibility (cancelled subject, channel, consent, suppression, merge, 24 h cap, fatigue,
 *     sampling, quiet hours) — pure, with a reason.
 *  4. Record (TriggerStore.recordTrigger, no transaction): one SUBJECT item per order or ticket (so
 *     that a refund or a reopen finds the survey again), the profile with this decision on it (the
 *     claim: its version refuses a concurrent writer), the invitation (scheduled, or skipped with its
 *     reason) and its companions, then the event's dedupe marker. The same event twice, even
 *     concurrently, records once.
 *  Alternative course (resume): the marker is missing but the profile names this event — a delivery
 *  died after the profile write. The recorded decision is finished as it was (trigger-marks.ts).
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
  type TriggerMark,
  type TriggerStore,
} from '../ports.ts';
import { companionId, isPhantomPending, markFor, withoutPending } from '../trigger-marks.ts';

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
  ids: { id: string; createdAt: Date },
  fallbackChannel = survey.channels[0]!,
): Invitation {
  const channel = decision.eligible ? decision.channel : fallbackChannel;
  return {
    id: ids.id,
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
    createdAt: ids.createdAt.toISOString(),
    sendAt: decision.eligible ? decision.sendAt : ids.createdAt.toISOString(),
    ...(decision.eligible ? {} : { failureReason: `${decision.reason}: ${decision.detail}` }),
    ...(survey.companionOf ? { companionOf: survey.companionOf } : {}),
  };
}

/** What one attempt writes (TriggerRecord without its keys) and what it answers. */
interface Plan {
  invitation: Invitation;
  companions: Invitation[];
  mergeInto?: string;
  profile: CustomerProfile;
  outcome: TriggerOutcome;
}

interface PlanInput {
  event: CommerceEvent;
  survey: SurveyDefinition;
  facts: EventFacts;
  profile: CustomerProfile;
  key: string;
  now: Date;
  samplingKey: string;
  deps: TriggerDeps;
}

/** The plan of a decision: the invitation (new, or the merge target), its companions, the profile with its marks. */
function planOf(input: PlanInput, decision: Decision, ids: { id: string; createdAt: Date }, skipDetail?: string): Plan {
  const { event, survey, profile, key } = input;
  const invitation = invitationFor(event, survey, profile, decision, ids);
  if (skipDetail) invitation.failureReason = skipDetail;
  const companions = decision.eligible
    ? companionsOf(survey, input.deps.catalogue, input.facts).map((companion) =>
        invitationFor(
          event,
          companion,
          profile,
          decideCompanion({ companion, primary: decision, samplingKey: input.samplingKey, customerId: profile.customerId }),
          { id: companionId(ids.id, companion.id), createdAt: ids.createdAt },
          decision.channel,
        ),
      )
    : [];
  const mergeInto = !decision.eligible && decision.reason === 'merged' ? decision.mergeInto : undefined;
  // A skip or a merge is named by lastEvent; a scheduled survey by its pendingInvitation (trigger-marks.ts markFor).
  const mark: TriggerMark = {
    key,
    outcome: mergeInto ? 'merged' : 'skipped',
    invitationId: mergeInto ?? invitation.id,
    at: invitation.createdAt,
    channel: invitation.channel,
    ...(invitation.failureReason ? { detail: invitation.failureReason } : {}),
  };
  const nextProfile: CustomerProfile = decision.eligible
    ? {
        ...profile,
        // A new claim: dated by lastSurveyedAt, no earlier redelivery's claimedAt or skip mark left over.
        lastEvent: undefined,
        claimedAt: undefined,
        lastSurveyedAt: invitation.createdAt,
        pendingInvitation: {
          id: invitation.id,
          surveyId: survey.id,
          sendAt: invitation.sendAt,
          ...(profile.lastSurveyedAt ? { previousSurveyedAt: profile.lastSurveyedAt } : {}),
          eventKey: key,
          channel: decision.channel,
        },
      }
    : { ...profile, lastEvent: mark };
  const outcome: TriggerOutcome = mergeInto
    ? { status: 'merged', invitationId: mergeInto, reason: `merged: ${decision.eligible ? '' : decision.detail}` }
    : !decision.eligible
      ? { status: 'skipped', invitationId: invitation.id, reason: invitation.failureReason! }
      : scheduledOutcome(invitation, companions);
  return {
    invitation: mergeInto ? { ...invitation, id: mergeInto } : invitation,
    companions,
    ...(mergeInto ? { mergeInto } : {}),
    profile: nextProfile,
    outcome,
  };
}

function scheduledOutcome(invitation: Invitation, companions: Invitation[]): TriggerOutcome {
  const scheduledCompanions = companions.filter((c) => c.status === 'scheduled').map((c) => c.id);
  return {
    status: 'scheduled',
    invitationId: invitation.id,
    sendAt: invitation.sendAt,
    channel: invitation.channel,
    ...(scheduledCompanions.length ? { companions: scheduledCompanions } : {}),
  };
}

/**
 * A retry of an event whose decision the profile already records: the same decision again, without
 * judging (the profile carries this event's own fatigue mark). One exception: an order refunded or a
 * ticket reopened since is not surveyed — the survey is recorded as skipped and the budget given back.
 */
function resumePlan(input: PlanInput, mark: TriggerMark, subjectCancelled: { at: string; eventType: string } | undefined): Plan {
  const ids = { id: mark.invitationId, createdAt: new Date(mark.at) };
  const { occurredAt } = input.event.detail;
  const cancelled = mark.outcome === 'scheduled' && subjectCancelled && (!occurredAt || Date.parse(subjectCancelled.at) >= Date.parse(occurredAt));
  if (cancelled) {
    const detail = `${subjectCancelled.eventType} at ${subjectCancelled.at}`;
    const mine = input.profile.pendingInvitation?.id === mark.invitationId;
    return planOf({ ...input, profile: mine ? withoutPending(input.profile) : input.profile }, { eligible: false, reason: 'subject-cancelled', detail }, ids);
  }
  const decision: Decision =
    mark.outcome === 'scheduled'
      ? { eligible: true, channel: mark.channel, sendAt: mark.sendAt ?? mark.at, reason: 'resumed' }
      : mark.outcome === 'merged'
        ? { eligible: false, reason: 'merged', detail: mark.detail?.replace(/^merged: /, '') ?? '', mergeInto: mark.invitationId }
        : { eligible: false, reason: 'not-sampled', detail: '' }; // the reason is the recorded one (skipDetail)
  const plan = planOf(input, decision, ids, mark.outcome === 'skipped' ? mark.detail : undefined);
  // The profile already carries the decision: rewritten as it is, as the claim (its version refuses a concurrent writer).
  return { ...plan, profile: { ...input.profile, claimedAt: input.now.toISOString() } };
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
  let resumable = true;
  let phantom: string | undefined;
  // Lost races (two events of one customer at once, a merge target sent meanwhile) are decided again with fresh data.
  for (let attempt = 0; ; attempt++) {
    const now = deps.now();
    const stored = await deps.store.getProfile(event.detail.customer.id);
    let profile = mergeProfile(stored, event);
    const replacedEmail = stored?.email !== undefined && stored.email !== profile.email ? stored.email : undefined;
    if (phantom && profile.pendingInvitation?.id === phantom) profile = withoutPending(profile);
    const input: PlanInput = { event, survey, facts, profile, key, now, samplingKey, deps };
    const mark = resumable ? markFor(profile, key) : undefined;
    let plan: Plan;
    if (mark) plan = resumePlan(input, mark, subjectCancelled);
    else {
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
      plan = planOf(input, decision, { id: newInvitationId(), createdAt: now });
    }
    try {
      await deps.store.recordTrigger({
        eventKey: key,
        subject,
        invitation: plan.invitation,
        profile: plan.profile,
        ...(plan.companions.length ? { companions: plan.companions } : {}),
        ...(plan.mergeInto ? { mergeInto: plan.mergeInto } : {}),
        ...(replacedEmail ? { replacedEmail } : {}),
      });
    } catch (error) {
      if (error instanceof DuplicateEventError) return { status: 'duplicate' };
      if (error instanceof MergeTargetGoneError && attempt < RACE_ATTEMPTS - 1) {
        // A pending survey that was never written (its trigger died after the profile): give its budget back.
        if (error.missing && isPhantomPending(profile, error.invitationId, now)) phantom = error.invitationId;
        allowMerge = false;
        resumable = false;
        continue;
      }
      // A burst of one customer's events (a shop fulfilling several orders at once) races on the profile: read again.
      if (error instanceof ConcurrentUpdateError && attempt < RACE_ATTEMPTS - 1) continue;
      throw error;
    }
    return plan.outcome;
  }
}
