import { describe, expect, it } from 'vitest';
import type { CustomerProfile, TriggerMark } from '../../surveys/ports.ts';
import { companionId, isPhantomPending, markFor, PHANTOM_GRACE_MS, withoutPending } from '../../surveys/trigger-marks.ts';

const AT = '2026-11-20T12:00:00.000Z';

function profileFactory(overrides: Partial<CustomerProfile> = {}): CustomerProfile {
  return { customerId: 'c-1', locale: 'en', version: 3, ...overrides };
}

const SEND_AT = '2026-11-23T12:00:00.000Z';
const scheduledMark: TriggerMark = {
  key: 'shop#e-1',
  outcome: 'scheduled',
  invitationId: 'inv-1',
  at: AT,
  channel: 'email',
  sendAt: SEND_AT,
};

describe('the decision a profile records for an event', () => {
  it('Should give back the recorded decision when the profile was last written for this event', () => {
    const profile = profileFactory({ lastEvent: { ...scheduledMark, outcome: 'skipped', detail: 'fatigue: asked 3 days ago' } });
    expect(markFor(profile, 'shop#e-1')).toEqual({ ...scheduledMark, outcome: 'skipped', detail: 'fatigue: asked 3 days ago' });
  });

  it.each([
    ['as it was written', undefined],
    [
      'when a later event was skipped meanwhile (its lastEvent)',
      { key: 'shop#e-2', outcome: 'skipped', invitationId: 'inv-2', at: AT, channel: 'email' } as const,
    ],
  ])('Should rebuild a scheduled decision from the pending survey that names the event, %s', (_name, lastEvent) => {
    // Prepare: e-1 scheduled inv-1
    const profile = profileFactory({
      lastSurveyedAt: AT,
      pendingInvitation: { id: 'inv-1', surveyId: 'nps-post-purchase', sendAt: SEND_AT, eventKey: 'shop#e-1', channel: 'email' },
      ...(lastEvent ? { lastEvent } : {}),
    });

    // Act
    const mark = markFor(profile, 'shop#e-1');

    // Assess: same id, same send time, created when it was first decided
    expect(mark).toEqual(scheduledMark);
  });

  it.each([
    ['no profile', undefined],
    ['a profile written for another event', profileFactory({ lastEvent: { ...scheduledMark, key: 'shop#e-0' } })],
    [
      'a pending survey of another event',
      profileFactory({ lastSurveyedAt: AT, pendingInvitation: { id: 'inv-0', surveyId: 's', sendAt: AT, eventKey: 'shop#e-0', channel: 'sms' } }),
    ],
    [
      'a pending survey written before events were named on it',
      profileFactory({ lastSurveyedAt: AT, pendingInvitation: { id: 'inv-0', surveyId: 's', sendAt: AT } }),
    ],
  ])('Should find no decision (judge the event) with %s', (_name, profile) => {
    expect(markFor(profile, 'shop#e-1')).toBeUndefined();
  });
});

describe("a companion's id", () => {
  it('Should be the same for the same primary and survey, and 128 bits', () => {
    expect(companionId('primary-1', 'ces-post-ticket')).toBe(companionId('primary-1', 'ces-post-ticket'));
    expect(Buffer.from(companionId('primary-1', 'ces-post-ticket'), 'base64url')).toHaveLength(16);
  });

  it('Should differ between primaries and between surveys', () => {
    const ids = new Set([companionId('primary-1', 'ces'), companionId('primary-2', 'ces'), companionId('primary-1', 'other')]);
    expect(ids.size).toBe(3);
  });
});

describe('a pending survey that was never written', () => {
  /** Scheduled `msAgo` before AT (its trigger's claim), the invitation missing. */
  const scheduledAgo = (msAgo: number, overrides: Partial<CustomerProfile> = {}) =>
    profileFactory({
      lastSurveyedAt: new Date(Date.parse(AT) - msAgo).toISOString(),
      pendingInvitation: { id: 'inv-1', surveyId: 's', sendAt: AT, previousSurveyedAt: '2026-09-01T00:00:00.000Z', eventKey: 'shop#e-1', channel: 'email' },
      ...overrides,
    });

  it.each([
    ['within the grace (its trigger may still be writing it)', PHANTOM_GRACE_MS - 1000, false],
    ['after the grace (its trigger is dead)', PHANTOM_GRACE_MS + 1000, true],
  ])('Should be given back only %s', (_name, msAgo, expected) => {
    expect(isPhantomPending(scheduledAgo(msAgo), 'inv-1', new Date(AT))).toBe(expected);
  });

  it('Should not be given back while a redelivery that claimed it lately may still be writing it', () => {
    const reclaimed = scheduledAgo(PHANTOM_GRACE_MS * 4, { claimedAt: new Date(Date.parse(AT) - 60_000).toISOString() });
    expect(isPhantomPending(reclaimed, 'inv-1', new Date(AT))).toBe(false);
  });

  it('Should not be given back when the profile pends another survey, or one written before events were named on it', () => {
    expect(isPhantomPending(scheduledAgo(PHANTOM_GRACE_MS * 2), 'inv-9', new Date(AT))).toBe(false);
    const legacy = scheduledAgo(PHANTOM_GRACE_MS * 2, { pendingInvitation: { id: 'inv-1', surveyId: 's', sendAt: AT } });
    expect(isPhantomPending(legacy, 'inv-1', new Date(AT))).toBe(false);
  });

  it('Should give the previous "last surveyed" back, or none', () => {
    expect(withoutPending(scheduledAgo(0))).toMatchObject({ lastSurveyedAt: '2026-09-01T00:00:00.000Z' });
    expect(withoutPending(scheduledAgo(0))).not.toHaveProperty('pendingInvitation');
    const first = withoutPending({ ...scheduledAgo(0), pendingInvitation: { id: 'inv-1', surveyId: 's', sendAt: AT } });
    expect(first).not.toHaveProperty('lastSurveyedAt');
  });
});
