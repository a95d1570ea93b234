import { describe, expect, it } from 'vitest';
import type { CustomerProfile, TriggerMark } from '../../surveys/ports.ts';
import { companionId, isPhantomPending, markFor, PHANTOM_GRACE_MS, withoutPending } from '../../surveys/trigger-marks.ts';

const AT = '2026-11-20T12:00:00.000Z';

function profileFactory(overrides: Partial<CustomerProfile> = {}): CustomerProfile {
  return { customerId: 'c-1', locale: 'en', version: 3, ...overrides };
}

const scheduledMark: TriggerMark = {
  key: 'shop#e-1',
  outcome: 'scheduled',
  invitationId: 'inv-1',
  at: AT,
  channel: 'email',
  sendAt: '2026-11-23T12:00:00.000Z',
};

describe('the decision a profile records for an event', () => {
  it('Should give back the recorded decision when the profile was last written for this event', () => {
    const profile = profileFactory({ lastEvent: { ...scheduledMark, outcome: 'skipped', detail: 'fatigue: asked 3 days ago' } });
    expect(markFor(profile, 'shop#e-1')).toEqual({ ...scheduledMark, outcome: 'skipped', detail: 'fatigue: asked 3 days ago' });
  });

  it('Should rebuild the scheduled decision from the pending survey when a later event was judged meanwhile', () => {
    // Prepare: e-1 scheduled inv-1, then e-2 was skipped by the hard cap (and overwrote lastEvent)
    const profile = profileFactory({
      lastSurveyedAt: AT,
      pendingInvitation: { id: 'inv-1', surveyId: 'nps-post-purchase', sendAt: scheduledMark.sendAt, eventKey: 'shop#e-1', channel: 'email' },
      lastEvent: { ...scheduledMark, key: 'shop#e-2', outcome: 'skipped', invitationId: 'inv-2' },
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
  const claimed = (msAgo: number) =>
    profileFactory({
      claimedAt: new Date(Date.parse(AT) - msAgo).toISOString(),
      pendingInvitation: { id: 'inv-1', surveyId: 's', sendAt: AT, previousSurveyedAt: '2026-09-01T00:00:00.000Z' },
      lastSurveyedAt: '2026-11-20T11:00:00.000Z',
    });

  it.each([
    ['within the grace (its trigger may still be writing it)', PHANTOM_GRACE_MS - 1000, false],
    ['after the grace (its trigger is dead)', PHANTOM_GRACE_MS + 1000, true],
  ])('Should be given back only %s', (_name, msAgo, expected) => {
    expect(isPhantomPending(claimed(msAgo), 'inv-1', new Date(AT))).toBe(expected);
  });

  it('Should not be given back when the profile pends another survey, or was written before claims were dated', () => {
    expect(isPhantomPending(claimed(PHANTOM_GRACE_MS * 2), 'inv-9', new Date(AT))).toBe(false);
    expect(isPhantomPending({ ...claimed(0), claimedAt: undefined }, 'inv-1', new Date(AT))).toBe(false);
  });

  it('Should give the previous "last surveyed" back, or none', () => {
    expect(withoutPending(claimed(0))).toMatchObject({ lastSurveyedAt: '2026-09-01T00:00:00.000Z' });
    expect(withoutPending(claimed(0))).not.toHaveProperty('pendingInvitation');
    const first = withoutPending({ ...claimed(0), pendingInvitation: { id: 'inv-1', surveyId: 's', sendAt: AT } });
    expect(first).not.toHaveProperty('lastSurveyedAt');
  });
});
