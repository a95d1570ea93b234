/**
 * Should this customer be asked now, on which channel, and when? Pure: every decision carries the
 * reason that made it, and the trigger stores that reason with the invitation.
 *
 * Rules, in order: a channel with contact + consent + no suppression; fatigue (at most one survey per
 * `fatigueDays` across channels, and never two within 24 hours); quiet hours defer an SMS to the
 * morning in the customer's time zone (never drop it).
 */
import type { Channel } from './model.ts';
import type { CustomerProfile } from './ports.ts';
import type { SurveyDefinition } from './catalogue.ts';

export interface EligibilityPolicy {
  fatigueDays: number;
  hardCapHours: number;
  quietHours: { startHour: number; endHour: number }; // local time, [start, end) wraps midnight
}

export const DEFAULT_POLICY: EligibilityPolicy = {
  fatigueDays: 30,
  hardCapHours: 24,
  quietHours: { startHour: 21, endHour: 9 },
};

export type Decision =
  | { eligible: true; channel: Channel; sendAt: string; reason: string }
  | { eligible: false; reason: SkipReason; detail: string };

export type SkipReason = 'no-contact' | 'no-consent' | 'suppressed' | 'fatigue' | 'hard-cap';

const HOUR = 3600_000;

function channelBlock(channel: Channel, profile: CustomerProfile): { reason: SkipReason; detail: string } | undefined {
  const contact = channel === 'email' ? profile.email : profile.phone;
  if (!contact) return { reason: 'no-contact', detail: `no ${channel === 'email' ? 'e-mail address' : 'phone number'}` };
  // Consent: a transactional e-mail survey is allowed unless refused; SMS needs an explicit yes.
  const consent = profile.consent?.[channel];
  if (channel === 'email' ? consent === false : consent !== true) return { reason: 'no-consent', detail: `no consent for ${channel}` };
  const suppressed = profile.suppressed?.[channel];
  if (suppressed) return { reason: 'suppressed', detail: `${channel} suppressed: ${suppressed}` };
  return undefined;
}

export function decideEligibility(input: {
  survey: SurveyDefinition;
  profile: CustomerProfile;
  now: Date;
  delaySeconds: number;
  policy?: EligibilityPolicy;
}): Decision {
  const policy = input.policy ?? DEFAULT_POLICY;
  const { survey, profile, now } = input;

  let channel: Channel | undefined;
  let firstBlock: { reason: SkipReason; detail: string } | undefined;
  for (const candidate of survey.channels) {
    const block = channelBlock(candidate, profile);
    if (!block) {
      channel = candidate;
      break;
    }
    firstBlock ??= block;
  }
  if (!channel) return { eligible: false, ...(firstBlock ?? { reason: 'no-contact', detail: 'survey has no channel' }) };

  if (profile.lastSurveyedAt) {
    const since = now.getTime() - Date.parse(profile.lastSurveyedAt);
    if (since < policy.hardCapHours * HOUR) {
      return { eligible: false, reason: 'hard-cap', detail: `asked ${Math.round(since / HOUR)} h ago (cap ${policy.hardCapHours} h)` };
    }
    if (since < policy.fatigueDays * 24 * HOUR) {
      return { eligible: false, reason: 'fatigue', detail: `asked ${Math.floor(since / (24 * HOUR))} days ago (window ${policy.fatigueDays} days)` };
    }
  }

  let sendAt = new Date(now.getTime() + input.delaySeconds * 1000);
  let reason = `${channel} after ${input.delaySeconds} s`;
  if (channel === 'sms') {
    const deferred = outOfQuietHours(sendAt, profile.timezone, policy.quietHours);
    if (deferred.getTime() !== sendAt.getTime()) reason += ', deferred out of quiet hours';
    sendAt = deferred;
  }
  return { eligible: true, channel, sendAt: sendAt.toISOString(), reason };
}

/** The hour (0-23) at `at` in `timeZone` (UTC when unknown or invalid). */
export function localHour(at: Date, timeZone: string | undefined): number {
  try {
    const hour = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: timeZone ?? 'UTC' }).format(at);
    return Number(hour);
  } catch {
    return at.getUTCHours();
  }
}

/** Moves `at` forward, hour by hour, until it is outside the quiet hours of the customer's zone. */
export function outOfQuietHours(at: Date, timeZone: string | undefined, quiet: { startHour: number; endHour: number }): Date {
  const isQuiet = (h: number) => (quiet.startHour > quiet.endHour ? h >= quiet.startHour || h < quiet.endHour : h >= quiet.startHour && h < quiet.endHour);
  let t = at;
  for (let i = 0; i < 24 && isQuiet(localHour(t, timeZone)); i++) {
    t = new Date(Math.floor(t.getTime() / HOUR) * HOUR + HOUR); // the next full hour
  }
  return t;
}
