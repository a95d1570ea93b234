/**
 * The trigger's marks on the customer profile, and what a later delivery reads from them. Pure.
 *
 * The trigger writes without a transaction (docs/cost.md "Write units item by item"): first the profile,
 * conditional on its version — the claim on the customer, which refuses the slower of two events racing
 * for one customer, as the transaction did — then the invitation, then the event's dedupe marker. The
 * profile names the event it was written for (`lastEvent`, and `pendingInvitation.eventKey` for a
 * scheduled survey). A delivery that finds no marker but finds its event named on the profile is a
 * retry after a crash: it finishes that decision (same invitation id, same send time) instead of judging
 * again, which would see its own fatigue mark and skip, or merge the survey into itself.
 */
import { createHash } from 'node:crypto';
import type { CustomerProfile, TriggerMark } from './ports.ts';

/**
 * Longer than any trigger can run (a Lambda stops at 15 minutes): a pending survey still missing this
 * long after it was last claimed (scheduled: `lastSurveyedAt`; a redelivery finishing it: `claimedAt`)
 * was never written — its trigger died between the profile and the invitation and was not delivered
 * again — and may be given back.
 */
export const PHANTOM_GRACE_MS = 15 * 60_000;

/**
 * The decision the profile records for this event, if a delivery of it got as far as the profile: a
 * scheduled survey is the pending one (which stays while later events are judged), a skip or a merge is
 * `lastEvent`. Kept small on purpose: the profile is kept for the whole retention, and under 1 KB a write is 1 WCU.
 */
export function markFor(profile: CustomerProfile | undefined, eventKey: string): TriggerMark | undefined {
  if (profile?.lastEvent?.key === eventKey) return profile.lastEvent;
  const pending = profile?.pendingInvitation;
  if (pending?.eventKey === eventKey && pending.channel && profile?.lastSurveyedAt) {
    return { key: eventKey, outcome: 'scheduled', invitationId: pending.id, at: profile.lastSurveyedAt, channel: pending.channel, sendAt: pending.sendAt };
  }
  return undefined;
}

/**
 * A companion's id (CES with CSAT) from its primary's: a retry that finishes the primary writes the same
 * companion. As unguessable as the primary's random id (a hash of it), 128 bits like it.
 */
export function companionId(primaryId: string, surveyId: string): string {
  return createHash('sha256').update(`${primaryId}#${surveyId}`).digest().subarray(0, 16).toString('base64url');
}

/** The profile's pending survey `invitationId` was never written (see PHANTOM_GRACE_MS): it may be given back. */
export function isPhantomPending(profile: CustomerProfile, invitationId: string, now: Date): boolean {
  if (profile.pendingInvitation?.id !== invitationId || !profile.pendingInvitation.eventKey || !profile.lastSurveyedAt) return false;
  const claimed = Math.max(Date.parse(profile.lastSurveyedAt), profile.claimedAt ? Date.parse(profile.claimedAt) : 0);
  return now.getTime() - claimed > PHANTOM_GRACE_MS;
}

/** The profile without its pending survey, the fatigue budget given back (the customer was never asked). */
export function withoutPending(profile: CustomerProfile): CustomerProfile {
  const { pendingInvitation, lastSurveyedAt: _asked, ...rest } = profile;
  const previous = pendingInvitation?.previousSurveyedAt;
  return { ...rest, ...(previous ? { lastSurveyedAt: previous } : {}) };
}
