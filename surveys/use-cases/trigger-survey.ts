/**
 * Trigger a survey from a commerce event.
 *
 * Primary course:
 *  1. Find the survey the event type leads to in the catalogue.
 *  2. Merge the event's customer data into the stored profile.
 *  3. Decide eligibility (consent, suppression, fatigue, quiet hours) — pure, with a reason.
 *  4. Record, in one transaction: the event's dedupe marker, the invitation (scheduled, or skipped
 *     with its reason), and the profile. The same event twice, even concurrently, records once.
 */
import { randomBytes } from 'node:crypto';
import { surveyFor, type SurveyDefinition } from '../catalogue.ts';
import { decideEligibility, type EligibilityPolicy } from '../eligibility.ts';
import { languageOf, type CommerceEvent, type Invitation, type Segments } from '../model.ts';
import { ConcurrentUpdateError, DuplicateEventError, type CustomerProfile, type TriggerStore } from '../ports.ts';

export type TriggerOutcome =
  | { status: 'scheduled'; invitationId: string; sendAt: string; channel: string }
  | { status: 'skipped'; invitationId: string; reason: string }
  | { status: 'duplicate' }
  | { status: 'no-survey'; reason: string };

export interface TriggerDeps {
  store: TriggerStore;
  now: () => Date;
  catalogue?: SurveyDefinition[];
  policy?: EligibilityPolicy;
  /** Multiplies every survey delay: 1 on AWS, tiny locally so a person can watch the flow. */
  delayScale?: number;
}

export function newInvitationId(): string {
  return randomBytes(16).toString('base64url'); // 128 random bits: not guessable, not enumerable
}

export function eventKey(event: CommerceEvent): string {
  return `${event.source}#${event.detail.eventId}`;
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

export async function triggerSurvey(event: CommerceEvent, deps: TriggerDeps): Promise<TriggerOutcome> {
  const survey = surveyFor(event['detail-type'], deps.catalogue);
  if (!survey) return { status: 'no-survey', reason: `no survey is configured for ${event['detail-type']}` };

  // A lost race on the profile (two events of one customer at once) is retried once with fresh data.
  for (let attempt = 0; ; attempt++) {
    const now = deps.now();
    const profile = mergeProfile(await deps.store.getProfile(event.detail.customer.id), event);
    const decision = decideEligibility({ survey, profile, now, delaySeconds: survey.delaySeconds * (deps.delayScale ?? 1), policy: deps.policy });
    const channel = decision.eligible ? decision.channel : survey.channels[0]!;
    const invitation: Invitation = {
      id: newInvitationId(),
      surveyId: survey.id,
      metric: survey.metric,
      channel,
      customerId: profile.customerId,
      locale: languageOf(profile.locale),
      eventId: event.detail.eventId,
      eventType: event['detail-type'],
      subjectRef: event['detail-type'] === 'order.delivered' ? event.detail.order.id : event.detail.ticket.id,
      segments: segmentsOf(event, survey, channel, profile.locale),
      status: decision.eligible ? 'scheduled' : 'skipped',
      createdAt: now.toISOString(),
      sendAt: decision.eligible ? decision.sendAt : now.toISOString(),
      ...(decision.eligible ? {} : { failureReason: `${decision.reason}: ${decision.detail}` }),
    };
    const nextProfile = decision.eligible ? { ...profile, lastSurveyedAt: now.toISOString() } : profile;
    try {
      await deps.store.recordTrigger({ eventKey: eventKey(event), invitation, profile: nextProfile });
    } catch (error) {
      if (error instanceof DuplicateEventError) return { status: 'duplicate' };
      if (error instanceof ConcurrentUpdateError && attempt === 0) continue;
      throw error;
    }
    return decision.eligible
      ? { status: 'scheduled', invitationId: invitation.id, sendAt: invitation.sendAt, channel }
      : { status: 'skipped', invitationId: invitation.id, reason: invitation.failureReason! };
  }
}
