import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE, type SurveyDefinition } from '../../surveys/catalogue.ts';
import {
  DEFAULT_POLICY,
  decideCompanion,
  decideEligibility,
  localHour,
  samplingDraw,
  type Decision,
  type EligibilityPolicy,
} from '../../surveys/eligibility.ts';
import type { Channel } from '../../surveys/model.ts';
import type { CustomerProfile } from '../../surveys/ports.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------

function surveyFactory(channels: Channel[], overrides: Partial<SurveyDefinition> = {}): SurveyDefinition {
  return {
    id: `test-${channels.join('-') || 'none'}`,
    eventType: 'ticket.solved',
    metric: 'csat',
    channels,
    delaySeconds: 0,
    linkValidDays: 14,
    ...overrides,
  };
}

function profileFactory(overrides: Partial<CustomerProfile> = {}): CustomerProfile {
  return { customerId: 'c-1', locale: 'pl-PL', version: 1, ...overrides };
}

/** A reachable customer who said yes to both channels. */
const reachable = (overrides: Partial<CustomerProfile> = {}) =>
  profileFactory({ email: 'ala@example.com', phone: '+48600100200', consent: { email: true, sms: true }, ...overrides });

function decide(input: {
  survey: SurveyDefinition;
  profile: CustomerProfile;
  now: string | Date;
  delaySeconds?: number;
  policy?: EligibilityPolicy;
}): Decision {
  return decideEligibility({
    survey: input.survey,
    profile: input.profile,
    now: typeof input.now === 'string' ? new Date(input.now) : input.now,
    delaySeconds: input.delaySeconds ?? 0,
    ...(input.policy ? { policy: input.policy } : {}),
  });
}

/** Wall-clock "HH:mm" of an instant in a zone, computed independently of the code under test. */
function wallClock(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(iso));
}

function eligibleOrFail(decision: Decision): Extract<Decision, { eligible: true }> {
  if (!decision.eligible) throw new Error(`expected an eligible decision, got ${decision.reason}: ${decision.detail}`);
  return decision;
}

const NOW = '2026-11-20T12:00:00.000Z'; // 13:00 in Warsaw: outside quiet hours everywhere we test
const emailThenSms = surveyFactory(['email', 'sms']);
const smsThenEmail = surveyFactory(['sms', 'email']);
const emailOnly = surveyFactory(['email']);

// ---------------------------------------------------------------------------------------------
// Channel: contact, consent, suppression, order of preference
// ---------------------------------------------------------------------------------------------

describe('choosing the channel', () => {
  describe.each([
    {
      name: 'an e-mail address without any consent flag (a transactional survey) is enough for e-mail',
      survey: emailThenSms,
      profile: profileFactory({ email: 'ala@example.com' }),
      channel: 'email',
    },
    {
      name: 'explicit e-mail consent gives e-mail',
      survey: emailThenSms,
      profile: profileFactory({ email: 'ala@example.com', consent: { email: true } }),
      channel: 'email',
    },
    {
      name: 'an e-mail refused with consent.email=false moves on to SMS when SMS is consented',
      survey: emailThenSms,
      profile: profileFactory({ email: 'ala@example.com', phone: '+48600100200', consent: { email: false, sms: true } }),
      channel: 'sms',
    },
    {
      name: 'no e-mail address moves on to SMS when SMS is consented',
      survey: emailThenSms,
      profile: profileFactory({ phone: '+48600100200', consent: { sms: true } }),
      channel: 'sms',
    },
    {
      name: 'a suppressed e-mail moves on to SMS',
      survey: emailThenSms,
      profile: reachable({ suppressed: { email: 'bounced' } }),
      channel: 'sms',
    },
    {
      name: 'SMS first is used when consented',
      survey: smsThenEmail,
      profile: reachable(),
      channel: 'sms',
    },
    {
      name: 'SMS first without a phone falls back to e-mail',
      survey: smsThenEmail,
      profile: profileFactory({ email: 'ala@example.com', consent: { sms: true } }),
      channel: 'email',
    },
    {
      name: 'SMS first with a phone but no SMS consent flag falls back to e-mail',
      survey: smsThenEmail,
      profile: profileFactory({ email: 'ala@example.com', phone: '+48600100200' }),
      channel: 'email',
    },
    {
      name: 'SMS first with a suppressed phone (STOP) falls back to e-mail',
      survey: smsThenEmail,
      profile: reachable({ suppressed: { sms: 'stop' } }),
      channel: 'email',
    },
  ] as const)('when $name', ({ survey, profile, channel }) => {
    it(`Should pick ${channel}`, () => {
      // Prepare
      const input = { survey, profile, now: NOW };

      // Act
      const decision = decide(input);

      // Assess
      expect(decision).toMatchObject({ eligible: true, channel });
    });
  });

  describe.each([
    {
      name: 'the customer has neither e-mail nor phone',
      survey: emailThenSms,
      profile: profileFactory(),
      reason: 'no-contact',
      detail: 'e-mail',
    },
    {
      name: 'the only phone has no SMS consent flag (SMS needs an explicit yes)',
      survey: surveyFactory(['sms']),
      profile: profileFactory({ phone: '+48600100200' }),
      reason: 'no-consent',
      detail: 'sms',
    },
    {
      name: 'the only phone has SMS consent refused',
      survey: surveyFactory(['sms']),
      profile: profileFactory({ phone: '+48600100200', consent: { sms: false } }),
      reason: 'no-consent',
      detail: 'sms',
    },
    {
      name: 'e-mail is refused and the survey is e-mail only, even with SMS consent',
      survey: emailOnly,
      profile: reachable({ consent: { email: false, sms: true } }),
      reason: 'no-consent',
      detail: 'email',
    },
    {
      name: 'the only e-mail is suppressed after a complaint',
      survey: emailOnly,
      profile: reachable({ suppressed: { email: 'complained' } }),
      reason: 'suppressed',
      detail: 'complained',
    },
    {
      name: 'the only phone is suppressed after STOP',
      survey: surveyFactory(['sms']),
      profile: reachable({ suppressed: { sms: 'stop' } }),
      reason: 'suppressed',
      detail: 'stop',
    },
    {
      name: 'every channel is blocked: the first channel in preference names the reason',
      survey: emailThenSms,
      profile: profileFactory({ email: 'ala@example.com', phone: '+48600100200', consent: { email: false }, suppressed: { sms: 'stop' } }),
      reason: 'no-consent',
      detail: 'email',
    },
    {
      name: 'the survey lists no channel at all',
      survey: surveyFactory([]),
      profile: reachable(),
      reason: 'no-contact',
      detail: 'no channel',
    },
  ] as const)('when $name', ({ survey, profile, reason, detail }) => {
    it(`Should skip with reason ${reason} and a detail a person can act on`, () => {
      // Prepare
      const input = { survey, profile, now: NOW };

      // Act
      const decision = decide(input);

      // Assess
      expect(decision).toMatchObject({ eligible: false, reason });
      expect(decision.eligible ? '' : decision.detail).toContain(detail);
    });
  });

  it('Should skip a customer suppressed on e-mail for the default post-purchase survey although SMS is possible', () => {
    // Prepare
    const survey = DEFAULT_CATALOGUE.find((s) => s.eventType === 'order.delivered')!;
    const profile = reachable({ suppressed: { email: 'unsubscribed' } });

    // Act
    const decision = decide({ survey, profile, now: NOW });

    // Assess
    expect(survey.channels).toEqual(['email']);
    expect(decision).toMatchObject({ eligible: false, reason: 'suppressed' });
  });
});

// ---------------------------------------------------------------------------------------------
// Fatigue and the 24-hour hard cap
// ---------------------------------------------------------------------------------------------

describe('fatigue window and hard cap', () => {
  const now = new Date(NOW);
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  describe.each([
    { name: 'never surveyed', last: undefined, expected: 'eligible' },
    { name: 'surveyed one hour ago', last: ago(HOUR), expected: 'hard-cap' },
    { name: 'surveyed 1 ms less than 24 h ago', last: ago(DAY - 1), expected: 'hard-cap' },
    { name: 'surveyed exactly 24 h ago', last: ago(DAY), expected: 'fatigue' },
    { name: 'surveyed 10 days ago', last: ago(10 * DAY), expected: 'fatigue' },
    { name: 'surveyed 1 ms less than 30 days ago', last: ago(30 * DAY - 1), expected: 'fatigue' },
    { name: 'surveyed exactly 30 days ago', last: ago(30 * DAY), expected: 'eligible' },
    { name: 'surveyed 31 days ago', last: ago(31 * DAY), expected: 'eligible' },
    { name: 'surveyed "in the future" by one hour (clock skew)', last: ago(-HOUR), expected: 'hard-cap' },
  ] as const)('when $name', ({ last, expected }) => {
    it(`Should decide ${expected}`, () => {
      // Prepare
      const profile = reachable(last ? { lastSurveyedAt: last } : {});

      // Act
      const decision = decide({ survey: emailOnly, profile, now });

      // Assess
      if (expected === 'eligible') expect(decision.eligible).toBe(true);
      else expect(decision).toMatchObject({ eligible: false, reason: expected });
    });
  });

  it('Should apply the fatigue window across channels: an e-mail survey blocks a later SMS survey', () => {
    // Prepare
    const profile = reachable({ lastSurveyedAt: ago(5 * DAY) });

    // Act
    const decision = decide({ survey: surveyFactory(['sms']), profile, now });

    // Assess
    expect(decision).toMatchObject({ eligible: false, reason: 'fatigue' });
  });

  it('Should say how long ago and which window in the fatigue detail', () => {
    // Prepare
    const profile = reachable({ lastSurveyedAt: ago(12 * DAY + 3 * HOUR) });

    // Act
    const decision = decide({ survey: emailOnly, profile, now });

    // Assess
    expect(decision.eligible).toBe(false);
    expect(decision.eligible ? '' : decision.detail).toMatch(/12 days.*30 days/);
  });

  it('Should say how many hours ago in the hard-cap detail', () => {
    // Prepare
    const profile = reachable({ lastSurveyedAt: ago(5 * HOUR) });

    // Act
    const decision = decide({ survey: emailOnly, profile, now });

    // Assess
    expect(decision.eligible).toBe(false);
    expect(decision.eligible ? '' : decision.detail).toMatch(/5 h.*24 h/);
  });

  it('Should still enforce the 24 h hard cap when a policy switches the fatigue window off', () => {
    // Prepare
    const policy: EligibilityPolicy = { ...DEFAULT_POLICY, fatigueDays: 0 };
    const recent = reachable({ lastSurveyedAt: ago(23 * HOUR) });
    const older = reachable({ lastSurveyedAt: ago(25 * HOUR) });

    // Act
    const blocked = decide({ survey: emailOnly, profile: recent, now, policy });
    const allowed = decide({ survey: emailOnly, profile: older, now, policy });

    // Assess
    expect(blocked).toMatchObject({ eligible: false, reason: 'hard-cap' });
    expect(allowed.eligible).toBe(true);
  });

  it('Should follow a custom fatigue window', () => {
    // Prepare
    const policy: EligibilityPolicy = { ...DEFAULT_POLICY, fatigueDays: 7 };
    const profile = reachable({ lastSurveyedAt: ago(8 * DAY) });

    // Act
    const decision = decide({ survey: emailOnly, profile, now, policy });

    // Assess
    expect(decision.eligible).toBe(true);
  });

  it('Should report a channel block before fatigue: a customer without contact is "no-contact", not "fatigue"', () => {
    // Prepare
    const profile = profileFactory({ lastSurveyedAt: ago(HOUR) });

    // Act
    const decision = decide({ survey: emailThenSms, profile, now });

    // Assess
    expect(decision).toMatchObject({ eligible: false, reason: 'no-contact' });
  });
});

// ---------------------------------------------------------------------------------------------
// Send time and quiet hours
// ---------------------------------------------------------------------------------------------

describe('send time', () => {
  it('Should schedule after the given delay and say so in the reason', () => {
    // Prepare
    const delaySeconds = 3 * 24 * 3600;

    // Act
    const decision = eligibleOrFail(decide({ survey: emailOnly, profile: reachable(), now: NOW, delaySeconds }));

    // Assess
    expect(Date.parse(decision.sendAt) - Date.parse(NOW)).toBe(delaySeconds * 1000);
    expect(decision.reason).toContain(`${delaySeconds} s`);
  });

  describe.each([
    { name: 'Europe/Warsaw at 22:30 local in winter (UTC+1)', timezone: 'Europe/Warsaw', at: '2026-11-20T21:30:00.000Z', expected: '2026-11-21T08:00:00.000Z' },
    { name: 'Europe/Warsaw at 22:30 local in summer (UTC+2)', timezone: 'Europe/Warsaw', at: '2026-07-10T20:30:00.000Z', expected: '2026-07-11T07:00:00.000Z' },
    { name: 'Europe/Warsaw at 03:15 local', timezone: 'Europe/Warsaw', at: '2026-11-21T02:15:00.000Z', expected: '2026-11-21T08:00:00.000Z' },
    {
      name: 'Europe/Warsaw at exactly 21:00 local (the quiet hours have begun)',
      timezone: 'Europe/Warsaw',
      at: '2026-11-20T20:00:00.000Z',
      expected: '2026-11-21T08:00:00.000Z',
    },
    { name: 'America/New_York at 23:00 local', timezone: 'America/New_York', at: '2026-11-21T04:00:00.000Z', expected: '2026-11-21T14:00:00.000Z' },
    { name: 'no time zone (UTC) at 22:30', timezone: undefined, at: '2026-11-20T22:30:00.000Z', expected: '2026-11-21T09:00:00.000Z' },
    {
      name: 'an invalid time zone, read as UTC, at 22:30 UTC',
      timezone: 'Mars/Olympus_Mons',
      at: '2026-11-20T22:30:00.000Z',
      expected: '2026-11-21T09:00:00.000Z',
    },
  ])('an SMS due in $name', ({ timezone, at, expected }) => {
    it('Should be deferred to 09:00 local the next morning, not dropped', () => {
      // Prepare
      const profile = reachable(timezone ? { timezone } : {});

      // Act
      const decision = eligibleOrFail(decide({ survey: smsThenEmail, profile, now: at }));

      // Assess
      expect(decision.channel).toBe('sms');
      expect(decision.sendAt).toBe(expected);
      expect(wallClock(decision.sendAt, timezone && timezone !== 'Mars/Olympus_Mons' ? timezone : 'UTC')).toBe('09:00');
      expect(decision.reason).toContain('quiet hours');
    });
  });

  describe.each([
    { name: 'Europe/Warsaw at 13:00 local', timezone: 'Europe/Warsaw', at: '2026-11-20T12:00:00.000Z' },
    { name: 'Europe/Warsaw at exactly 09:00 local (the quiet hours have ended)', timezone: 'Europe/Warsaw', at: '2026-11-21T08:00:00.000Z' },
    { name: 'Europe/Warsaw at 20:59 local', timezone: 'Europe/Warsaw', at: '2026-11-20T19:59:00.000Z' },
    // 20:30 UTC is 21:30 in Warsaw: quiet there, but an invalid zone is read as UTC, where it is not.
    { name: 'an invalid time zone at 20:30 UTC', timezone: 'Not/A_Zone', at: '2026-11-20T20:30:00.000Z' },
  ])('an SMS due in $name', ({ timezone, at }) => {
    it('Should be sent at the planned time', () => {
      // Prepare
      const profile = reachable({ timezone });

      // Act
      const decision = eligibleOrFail(decide({ survey: smsThenEmail, profile, now: at }));

      // Assess
      expect(decision.channel).toBe('sms');
      expect(decision.sendAt).toBe(new Date(at).toISOString());
      expect(decision.reason).not.toContain('quiet hours');
    });
  });

  it('Should judge quiet hours at the send time, after the delay, not at the trigger time', () => {
    // Prepare: triggered at 13:00 in Warsaw, due ten hours later at 23:00
    const profile = reachable({ timezone: 'Europe/Warsaw' });

    // Act
    const decision = eligibleOrFail(decide({ survey: smsThenEmail, profile, now: '2026-11-20T12:00:00.000Z', delaySeconds: 10 * 3600 }));

    // Assess
    expect(decision.sendAt).toBe('2026-11-21T08:00:00.000Z');
  });

  it('Should read the same instant in the customer zone: 20:30 UTC is quiet in Warsaw (21:30) but not in London (20:30)', () => {
    // Prepare
    const at = '2026-11-20T20:30:00.000Z';

    // Act
    const warsaw = eligibleOrFail(decide({ survey: smsThenEmail, profile: reachable({ timezone: 'Europe/Warsaw' }), now: at }));
    const london = eligibleOrFail(decide({ survey: smsThenEmail, profile: reachable({ timezone: 'Europe/London' }), now: at }));

    // Assess
    expect(warsaw.sendAt).toBe('2026-11-21T08:00:00.000Z');
    expect(london.sendAt).toBe(at);
  });

  describe.each([
    { name: '22:30 in Warsaw', timezone: 'Europe/Warsaw', at: '2026-11-20T21:30:00.000Z' },
    { name: '03:00 in Warsaw', timezone: 'Europe/Warsaw', at: '2026-11-21T02:00:00.000Z' },
    { name: '23:59 UTC', timezone: undefined, at: '2026-11-20T23:59:00.000Z' },
  ])('an e-mail due at $name', ({ timezone, at }) => {
    it('Should never be deferred', () => {
      // Prepare
      const profile = reachable(timezone ? { timezone } : {});

      // Act
      const decision = eligibleOrFail(decide({ survey: emailThenSms, profile, now: at, delaySeconds: 60 }));

      // Assess
      expect(decision.channel).toBe('email');
      expect(decision.sendAt).toBe(new Date(Date.parse(at) + 60_000).toISOString());
      expect(decision.reason).not.toContain('quiet hours');
    });
  });

  it('Should never drop or hold back an SMS more than the quiet hours, for any instant and zone', () => {
    // Prepare
    const zones = [
      'Europe/Warsaw',
      'Europe/London',
      'America/New_York',
      'America/Los_Angeles',
      'Asia/Tokyo',
      'Australia/Sydney',
      'Pacific/Auckland',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'UTC',
    ];
    const { startHour, endHour } = DEFAULT_POLICY.quietHours;
    const quietSpanHours = (24 - startHour + endHour) % 24;

    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 7 * 24 * 3600 }),
        (nowMs, timezone, delaySeconds) => {
          // Act
          const decision = decide({ survey: surveyFactory(['sms']), profile: reachable({ timezone }), now: new Date(nowMs), delaySeconds });

          // Assess
          if (!decision.eligible) return false;
          const planned = nowMs + delaySeconds * 1000;
          const waited = Date.parse(decision.sendAt) - planned;
          const hour = Number(wallClock(decision.sendAt, timezone).slice(0, 2));
          const quiet = hour >= startHour || hour < endHour;
          return waited >= 0 && waited <= (quietSpanHours + 1) * HOUR && !quiet;
        },
      ),
    );
  });
});

describe('localHour', () => {
  it.each([
    { timezone: 'Europe/Warsaw', at: '2026-11-20T21:30:00.000Z', hour: 22 },
    { timezone: 'Asia/Tokyo', at: '2026-11-20T21:30:00.000Z', hour: 6 },
    { timezone: undefined, at: '2026-11-20T21:30:00.000Z', hour: 21 },
    { timezone: 'Invalid/Zone', at: '2026-11-20T21:30:00.000Z', hour: 21 },
    { timezone: 'Europe/Warsaw', at: '2026-11-20T23:30:00.000Z', hour: 0 },
  ])('Should read $at as hour $hour in $timezone', ({ timezone, at, hour }) => {
    // Prepare
    const instant = new Date(at);

    // Act
    const result = localHour(instant, timezone);

    // Assess
    expect(result).toBe(hour);
  });
});

// ---------------------------------------------------------------------------------------------
// The rules added for production: E.164, the suppression list, merging, cancelled subjects,
// per-survey fatigue, sampling, companions — and how they play together
// ---------------------------------------------------------------------------------------------

describe('the phone number for SMS', () => {
  it.each([
    { phone: '+48600100200', channel: 'sms' },
    { phone: '+14155552671', channel: 'sms' },
    { phone: '+4860010020', channel: 'email' }, // one digit short for a Polish mobile
    { phone: '+48221234567', channel: 'email' }, // a Warsaw landline: it cannot receive the SMS
    { phone: '+999123456789', channel: 'email' }, // no such country code
  ])('Should use SMS for $phone only when it is a valid E.164 number ($channel)', ({ phone, channel }) => {
    // Prepare
    const profile = reachable({ phone });

    // Act
    const decision = decide({ survey: smsThenEmail, profile, now: NOW });

    // Assess
    expect(decision).toMatchObject({ eligible: true, channel });
  });

  it('Should name an invalid number as the reason when SMS is the only channel', () => {
    // Act
    const decision = decide({ survey: surveyFactory(['sms']), profile: reachable({ phone: '+4860010020' }), now: NOW });

    // Assess
    expect(decision).toMatchObject({ eligible: false, reason: 'invalid-contact' });
  });
});

describe('the suppression list (per address, not per profile)', () => {
  it.each([
    { name: 'e-mail on the list after a bounce', suppressed: { email: 'bounced' }, survey: emailThenSms, expected: { eligible: true, channel: 'sms' } },
    {
      name: 'e-mail on the list after unsubscribe, e-mail only',
      suppressed: { email: 'unsubscribed' },
      survey: emailOnly,
      expected: { eligible: false, reason: 'suppressed' },
    },
    { name: 'phone on the list after STOP', suppressed: { sms: 'stop' }, survey: smsThenEmail, expected: { eligible: true, channel: 'email' } },
    { name: 'both on the list', suppressed: { email: 'complained', sms: 'stop' }, survey: emailThenSms, expected: { eligible: false, reason: 'suppressed' } },
  ] as const)('Should decide $expected for $name', ({ suppressed, survey, expected }) => {
    // Act
    const decision = decideEligibility({ survey, profile: reachable(), now: new Date(NOW), delaySeconds: 0, suppressed });

    // Assess
    expect(decision).toMatchObject(expected);
  });

  it('Should say which list entry blocked, with its reason', () => {
    // Act
    const decision = decideEligibility({ survey: emailOnly, profile: reachable(), now: new Date(NOW), delaySeconds: 0, suppressed: { email: 'complained' } });

    // Assess
    expect(decision.eligible ? '' : decision.detail).toBe('email suppressed: complained');
  });
});

describe('orders inside the window merge into the pending survey', () => {
  const now = new Date(NOW);
  const pending = (overrides: Partial<NonNullable<CustomerProfile['pendingInvitation']>> = {}) => ({
    id: 'inv-pending',
    surveyId: emailOnly.id,
    sendAt: new Date(now.getTime() + 2 * DAY).toISOString(),
    ...overrides,
  });

  it.each([
    {
      name: 'a pending survey of the same kind',
      pendingInvitation: pending(),
      allowMerge: true,
      expected: { eligible: false, reason: 'merged', mergeInto: 'inv-pending' },
    },
    {
      name: 'a pending survey of another kind',
      pendingInvitation: pending({ surveyId: 'other' }),
      allowMerge: true,
      expected: { eligible: false, reason: 'hard-cap' },
    },
    {
      name: 'a survey due already (being sent)',
      pendingInvitation: pending({ sendAt: new Date(now.getTime() - 1000).toISOString() }),
      allowMerge: true,
      expected: { eligible: false, reason: 'hard-cap' },
    },
    { name: 'a pending survey that turned out to be gone', pendingInvitation: pending(), allowMerge: false, expected: { eligible: false, reason: 'hard-cap' } },
  ])('Should decide $expected.reason with $name', ({ pendingInvitation, allowMerge, expected }) => {
    // Prepare: the pending survey was scheduled an hour ago
    const profile = reachable({ lastSurveyedAt: new Date(now.getTime() - HOUR).toISOString(), pendingInvitation });

    // Act
    const decision = decideEligibility({ survey: emailOnly, profile, now, delaySeconds: 3 * 24 * 3600, allowMerge });

    // Assess
    expect(decision).toMatchObject(expected);
  });

  it('Should not merge for a customer who cannot be reached any more: the channel is decided first', () => {
    // Prepare
    const profile = reachable({ pendingInvitation: pending(), suppressed: { email: 'unsubscribed' } });

    // Act
    const decision = decide({ survey: emailOnly, profile, now });

    // Assess
    expect(decision).toMatchObject({ eligible: false, reason: 'suppressed' });
  });
});

describe('a cancelled order or ticket', () => {
  it.each([
    {
      name: 'refunded after the delivery event',
      cancelledAt: '2026-11-20T11:00:00.000Z',
      occurredAt: '2026-11-20T10:00:00.000Z',
      expected: 'subject-cancelled',
    },
    { name: 'refunded at the same instant', cancelledAt: '2026-11-20T10:00:00.000Z', occurredAt: '2026-11-20T10:00:00.000Z', expected: 'subject-cancelled' },
    { name: 'reopened before it was solved again', cancelledAt: '2026-11-20T09:00:00.000Z', occurredAt: '2026-11-20T10:00:00.000Z', expected: 'eligible' },
  ])('Should decide $expected when $name', ({ cancelledAt, occurredAt, expected }) => {
    // Act
    const decision = decideEligibility({
      survey: emailOnly,
      profile: reachable(),
      now: new Date(NOW),
      delaySeconds: 0,
      subjectCancelled: { at: cancelledAt, eventType: 'order.refunded' },
      occurredAt,
    });

    // Assess
    if (expected === 'eligible') expect(decision.eligible).toBe(true);
    else expect(decision).toMatchObject({ eligible: false, reason: expected, detail: expect.stringContaining('order.refunded') });
  });
});

describe('the fatigue window of a survey', () => {
  const now = new Date(NOW);
  it.each([
    { fatigueDays: undefined, daysAgo: 20, expected: 'fatigue' },
    { fatigueDays: 7, daysAgo: 8, expected: 'eligible' },
    { fatigueDays: 7, daysAgo: 6, expected: 'fatigue' },
    { fatigueDays: 90, daysAgo: 60, expected: 'fatigue' },
    { fatigueDays: 0, daysAgo: 0.5, expected: 'hard-cap' }, // the 24 h cap holds whatever the window
  ])('Should decide $expected for a $fatigueDays-day window, last asked $daysAgo days ago', ({ fatigueDays, daysAgo, expected }) => {
    // Prepare
    const survey = surveyFactory(['email'], fatigueDays === undefined ? {} : { fatigueDays });
    const profile = reachable({ lastSurveyedAt: new Date(now.getTime() - daysAgo * DAY).toISOString() });

    // Act
    const decision = decide({ survey, profile, now });

    // Assess
    if (expected === 'eligible') expect(decision.eligible).toBe(true);
    else expect(decision).toMatchObject({ eligible: false, reason: expected });
  });
});

describe('sampling', () => {
  const decideSampled = (sampleRate: number, samplingKey: string) =>
    decideEligibility({ survey: surveyFactory(['email'], { sampleRate }), profile: reachable(), now: new Date(NOW), delaySeconds: 0, samplingKey });

  it('Should decide the same for the same customer and event every time (a retry changes nothing)', () => {
    // Act
    const decisions = Array.from({ length: 5 }, () => decideSampled(0.5, 'c-1#shop#evt-1').eligible);

    // Assess
    expect(new Set(decisions).size).toBe(1);
  });

  it.each([0.1, 0.25, 0.5, 0.9])('Should ask about %s of customers', (rate) => {
    // Act
    const asked = Array.from({ length: 4000 }, (_, i) => decideSampled(rate, `c-${i}#shop#evt-${i}`)).filter((d) => d.eligible).length;

    // Assess: within 4 standard deviations of the binomial mean
    const sd = Math.sqrt(4000 * rate * (1 - rate));
    expect(Math.abs(asked - 4000 * rate)).toBeLessThan(4 * sd);
  });

  it.each([
    { rate: 0, expected: false },
    { rate: 1, expected: true },
  ])('Should ask nobody at rate 0 and everybody at rate 1 ($rate)', ({ rate, expected }) => {
    // Act
    const all = Array.from({ length: 50 }, (_, i) => decideSampled(rate, `k-${i}`).eligible);

    // Assess
    expect(all.every((e) => e === expected)).toBe(true);
  });

  it('Should name the sample in the reason both ways', () => {
    // Act
    const results = Array.from({ length: 40 }, (_, i) => decideSampled(0.5, `k-${i}`));

    // Assess
    expect(results.find((d) => !d.eligible)).toMatchObject({ reason: 'not-sampled', detail: 'outside the 50 % sample' });
    expect(results.find((d) => d.eligible)).toMatchObject({ reason: expect.stringContaining('in the 50 % sample') });
  });

  it('Should draw uniformly: samplingDraw is in [0, 1)', () => {
    fc.assert(fc.property(fc.string(), (key) => samplingDraw(key) >= 0 && samplingDraw(key) < 1));
  });
});

describe('a companion survey (CES with CSAT)', () => {
  const primary = { eligible: true as const, channel: 'email' as const, sendAt: '2026-11-21T12:00:00.000Z', reason: 'email after 86400 s' };
  const ces = surveyFactory(['email'], { id: 'ces', metric: 'ces', companionOf: 'csat' });

  it.each([
    { name: 'by e-mail', primary, companion: ces, expected: { eligible: true, channel: 'email', sendAt: primary.sendAt } },
    {
      name: 'when the primary goes by SMS (one reply number, one question)',
      primary: { ...primary, channel: 'sms' as const },
      companion: ces,
      expected: { eligible: false, reason: 'no-contact' },
    },
    { name: 'outside its own sample', primary, companion: { ...ces, sampleRate: 0 }, expected: { eligible: false, reason: 'not-sampled' } },
  ])('Should ride on its primary $name', ({ primary: p, companion, expected }) => {
    // Act
    const decision = decideCompanion({ companion, primary: p, customerId: 'c-1' });

    // Assess
    expect(decision).toMatchObject(expected);
  });
});

describe('the rules together: the first that blocks names the reason', () => {
  const now = new Date(NOW);
  const recent = new Date(now.getTime() - HOUR).toISOString();
  const lastMonth = new Date(now.getTime() - 10 * DAY).toISOString();
  const cancelled = { at: '2026-11-20T11:00:00.000Z', eventType: 'ticket.reopened' };
  const pendingSameKind = { id: 'inv-p', surveyId: 'test-email-sms', sendAt: new Date(now.getTime() + DAY).toISOString() };

  it.each([
    {
      name: 'cancelled + suppressed + hard cap',
      input: { subjectCancelled: cancelled, suppressed: { email: 'bounced', sms: 'stop' } as const, last: recent },
      reason: 'subject-cancelled',
    },
    { name: 'suppressed + hard cap', input: { suppressed: { email: 'bounced', sms: 'stop' } as const, last: recent }, reason: 'suppressed' },
    { name: 'no SMS consent + e-mail refused + fatigue', input: { consent: { email: false, sms: false }, last: lastMonth }, reason: 'no-consent' },
    { name: 'pending survey + hard cap (merge wins: nobody is asked twice)', input: { last: recent, pendingInvitation: pendingSameKind }, reason: 'merged' },
    { name: 'hard cap + fatigue + not sampled', input: { last: recent, sampleRate: 0 }, reason: 'hard-cap' },
    { name: 'fatigue + not sampled', input: { last: lastMonth, sampleRate: 0 }, reason: 'fatigue' },
    { name: 'not sampled alone', input: { sampleRate: 0 }, reason: 'not-sampled' },
  ])('$name → $reason', ({ input, reason }) => {
    // Prepare
    const survey = surveyFactory(['email', 'sms'], 'sampleRate' in input ? { sampleRate: input.sampleRate } : {});
    const profile = reachable({
      ...('last' in input ? { lastSurveyedAt: input.last } : {}),
      ...('consent' in input ? { consent: input.consent } : {}),
      ...('pendingInvitation' in input ? { pendingInvitation: input.pendingInvitation } : {}),
    });

    // Act
    const decision = decideEligibility({
      survey,
      profile,
      now,
      delaySeconds: 0,
      occurredAt: '2026-11-20T10:00:00.000Z',
      ...('suppressed' in input ? { suppressed: input.suppressed } : {}),
      ...('subjectCancelled' in input ? { subjectCancelled: input.subjectCancelled } : {}),
    });

    // Assess
    expect(decision).toMatchObject({ eligible: false, reason });
  });
});
