/**
 * Should this customer be asked now, on which channel, and when? Pure: every decision carries the
 * reason that made it, and the trigger stores that reason with the invitation.
 *
 * Rules, in order (the first that blocks names the reason):
 *  0. stale-event — the event happened longer ago than the survey's maximum age (default: its link
 *     validity): a replay, a backfill or a webhook queue drained after an outage asks nobody.
 *  1. subject-cancelled — the order was refunded or the ticket reopened at or after this event.
 *  2. channel — the first channel of the survey with a contact (a phone must be a valid E.164 mobile
 *     number: libphonenumber-js's mobile metadata, since a landline cannot receive the SMS),
 *     consent (e-mail unless refused: a transactional survey; SMS only with an explicit yes) and no
 *     suppression (on the profile or, per address, on the hashed suppression list). When none is
 *     usable, the reason is that of the first channel with a contact (else "no-contact").
 *  3. merged — a survey of the same kind is still pending for this customer: this order joins it.
 *  4. hard-cap — never two surveys within 24 hours, whatever the survey's window.
 *  5. fatigue — at most one survey per `fatigueDays` across channels (the survey's own window, or 30).
 *  6. not-sampled — the survey asks only `sampleRate` of customers; the draw is a hash of customer and
 *     event, so a retry of the same event decides the same.
 *  7. send time — the survey's delay after the event happened (not after it was received), never
 *     before now; an SMS due in quiet hours (21:00-09:00 in the customer's
 *     time zone) is deferred to the morning, never dropped.
 */
import { createHash } from 'node:crypto';
import type { Channel } from './model.ts';
import { isValidMobile } from './phone/index.ts';
import type { CustomerProfile } from './ports.ts';
import type { SurveyDefinition } from './catalogue.ts';

export interface EligibilityPolicy {
  fatigueDays: number;
  hardCapHours: number;
  quietHours: { startHour: number; endHour: number }; // local time, [start, end) wraps midnight; equal hours: none
  /** E-mails only inside these windows of the customer's local week (deferred to the next); empty or absent: any time. */
  emailWindows?: SendWindow[];
}

/** A weekly window in local time: days 0 = Sunday … 6 = Saturday, minutes since midnight [from, to). */
export interface SendWindow {
  days: number[];
  fromMinute: number;
  toMinute: number;
}

export const DEFAULT_POLICY: EligibilityPolicy = {
  fatigueDays: 30,
  hardCapHours: 24,
  quietHours: { startHour: 21, endHour: 9 },
};

export type SkipReason =
  | 'stale-event'
  | 'subject-cancelled'
  | 'no-contact'
  | 'invalid-contact'
  | 'no-consent'
  | 'suppressed'
  | 'merged'
  | 'hard-cap'
  | 'fatigue'
  | 'not-sampled';

export type Decision =
  | { eligible: true; channel: Channel; sendAt: string; reason: string }
  | { eligible: false; reason: Exclude<SkipReason, 'merged'>; detail: string }
  /** Not a new survey: the event's order joins the customer's pending one. */
  | { eligible: false; reason: 'merged'; detail: string; mergeInto: string };

export interface EligibilityInput {
  survey: SurveyDefinition;
  profile: CustomerProfile;
  now: Date;
  delaySeconds: number;
  policy?: EligibilityPolicy;
  /** Suppression-list entries found for the profile's address and number (unsubscribe and erasure are per address). */
  suppressed?: Partial<Record<Channel, string>>;
  /** Customer and event: the same event always falls on the same side of the sampling rate. */
  samplingKey?: string;
  /** When a cancelling event (refund, reopen) for this order or ticket happened, and which. */
  subjectCancelled?: { at: string; eventType: string };
  /** When the event happened: a cancellation at or after it wins; the delay counts from it. */
  occurredAt?: string;
  /** Older events are skipped (`stale-event`); default: the survey's `maxEventAgeDays`, else its link validity. */
  maxAgeSeconds?: number;
  /** False once the pending survey turned out to be gone (sent or cancelled meanwhile). Default true. */
  allowMerge?: boolean;
}

const HOUR = 3600_000;

function channelBlock(
  channel: Channel,
  profile: CustomerProfile,
  suppressedList: Partial<Record<Channel, string>> | undefined,
): { reason: Exclude<SkipReason, 'merged'>; detail: string } | undefined {
  const contact = channel === 'email' ? profile.email : profile.phone;
  if (!contact) return { reason: 'no-contact', detail: `no ${channel === 'email' ? 'e-mail address' : 'phone number'}` };
  if (channel === 'sms' && !isValidMobile(contact)) return { reason: 'invalid-contact', detail: 'the phone number is not a valid E.164 number for SMS' };
  const consent = profile.consent?.[channel];
  if (channel === 'email' ? consent === false : consent !== true) return { reason: 'no-consent', detail: `no consent for ${channel}` };
  const suppressed = suppressedList?.[channel] ?? profile.suppressed?.[channel];
  if (suppressed) return { reason: 'suppressed', detail: `${channel} suppressed: ${suppressed}` };
  return undefined;
}

/** How old an event may be and still trigger this survey: its own `maxEventAgeDays`, else its link validity. */
export function maxEventAgeSeconds(survey: SurveyDefinition): number {
  return (survey.maxEventAgeDays ?? survey.linkValidDays) * 24 * 3600;
}

/** A number in [0, 1) drawn from the key: uniform, and the same for the same key. */
export function samplingDraw(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/** The channel the survey can use for this customer, or why none. */
export function chooseChannel(
  survey: SurveyDefinition,
  profile: CustomerProfile,
  suppressed?: Partial<Record<Channel, string>>,
): { channel: Channel } | { reason: Exclude<SkipReason, 'merged'>; detail: string } {
  const blocks: Array<{ reason: Exclude<SkipReason, 'merged'>; detail: string }> = [];
  for (const candidate of survey.channels) {
    const block = channelBlock(candidate, profile, suppressed);
    if (!block) return { channel: candidate };
    blocks.push(block);
  }
  // The reason of the first channel the customer could be reached on says more than a missing contact elsewhere.
  return blocks.find((b) => b.reason !== 'no-contact') ?? blocks[0] ?? { reason: 'no-contact', detail: 'survey has no channel' };
}

export function decideEligibility(input: EligibilityInput): Decision {
  const policy = input.policy ?? DEFAULT_POLICY;
  const { survey, profile, now } = input;
  const occurred = input.occurredAt ? Date.parse(input.occurredAt) : Number.NaN;

  const maxAge = input.maxAgeSeconds ?? maxEventAgeSeconds(survey);
  if (Number.isFinite(occurred) && now.getTime() - occurred > maxAge * 1000) {
    const days = Math.floor((now.getTime() - occurred) / (24 * HOUR));
    return {
      eligible: false,
      reason: 'stale-event',
      detail: `happened ${days} days ago, ${input.occurredAt} (maximum age ${Math.round(maxAge / 86400)} days)`,
    };
  }

  if (input.subjectCancelled && (!input.occurredAt || Date.parse(input.subjectCancelled.at) >= Date.parse(input.occurredAt))) {
    return { eligible: false, reason: 'subject-cancelled', detail: `${input.subjectCancelled.eventType} at ${input.subjectCancelled.at}` };
  }

  const chosen = chooseChannel(survey, profile, input.suppressed);
  if (!('channel' in chosen)) return { eligible: false, ...chosen };
  const { channel } = chosen;

  const pending = profile.pendingInvitation;
  if (input.allowMerge !== false && pending && pending.surveyId === survey.id && Date.parse(pending.sendAt) > now.getTime()) {
    return { eligible: false, reason: 'merged', detail: `joins the survey pending until ${pending.sendAt}`, mergeInto: pending.id };
  }

  if (profile.lastSurveyedAt) {
    const since = now.getTime() - Date.parse(profile.lastSurveyedAt);
    const fatigueDays = survey.fatigueDays ?? policy.fatigueDays;
    if (since < policy.hardCapHours * HOUR) {
      return { eligible: false, reason: 'hard-cap', detail: `asked ${Math.round(since / HOUR)} h ago (cap ${policy.hardCapHours} h)` };
    }
    if (since < fatigueDays * 24 * HOUR) {
      return { eligible: false, reason: 'fatigue', detail: `asked ${Math.floor(since / (24 * HOUR))} days ago (window ${fatigueDays} days)` };
    }
  }

  const rate = survey.sampleRate ?? 1;
  if (rate < 1) {
    const draw = samplingDraw(`${survey.id}#${input.samplingKey ?? profile.customerId}`);
    if (draw >= rate) return { eligible: false, reason: 'not-sampled', detail: `outside the ${Math.round(rate * 100)} % sample` };
  }

  // The delay counts from when it happened (a webhook queue drained late does not push the survey later), never before now.
  const from = Number.isFinite(occurred) && occurred < now.getTime() ? occurred : now.getTime();
  let sendAt = new Date(Math.max(now.getTime(), from + input.delaySeconds * 1000));
  let reason = `${channel} after ${input.delaySeconds} s`;
  if (rate < 1) reason += `, in the ${Math.round(rate * 100)} % sample`;
  if (channel === 'sms') {
    const deferred = outOfQuietHours(sendAt, profile.timezone, policy.quietHours);
    if (deferred.getTime() !== sendAt.getTime()) reason += ', deferred out of quiet hours';
    sendAt = deferred;
  }
  if (channel === 'email' && policy.emailWindows?.length) {
    const deferred = intoSendWindow(sendAt, profile.timezone, policy.emailWindows);
    if (deferred.getTime() !== sendAt.getTime()) reason += ', deferred into an e-mail send window';
    sendAt = deferred;
  }
  return { eligible: true, channel, sendAt: sendAt.toISOString(), reason };
}

/**
 * A companion survey (CES with CSAT) rides on its primary's decision: same channel and send time, and
 * no fatigue of its own (the pair is one ask). It needs that channel in its own list, and its own sample.
 */
export function decideCompanion(input: {
  companion: SurveyDefinition;
  primary: Extract<Decision, { eligible: true }>;
  samplingKey?: string;
  customerId: string;
}): Decision {
  const { companion, primary } = input;
  if (!companion.channels.includes(primary.channel)) {
    return { eligible: false, reason: 'no-contact', detail: `${companion.id} is not asked by ${primary.channel}` };
  }
  const rate = companion.sampleRate ?? 1;
  if (rate < 1 && samplingDraw(`${companion.id}#${input.samplingKey ?? input.customerId}`) >= rate) {
    return { eligible: false, reason: 'not-sampled', detail: `outside the ${Math.round(rate * 100)} % sample` };
  }
  return { eligible: true, channel: primary.channel, sendAt: primary.sendAt, reason: `with ${companion.companionOf} by ${primary.channel}` };
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

const WEEKDAY_NUMBER: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Weekday (0 = Sunday) and minutes since midnight at `at` in `timeZone` (UTC when unknown). */
export function localWeekMinute(at: Date, timeZone: string | undefined): { day: number; minute: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
      timeZone: timeZone ?? 'UTC',
    }).formatToParts(at);
  } catch {
    return localWeekMinute(at, 'UTC');
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  return { day: WEEKDAY_NUMBER[get('weekday')] ?? 0, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** `at` if it is inside a window, else the start of the next one (to the minute, within a week), in the customer's zone. */
export function intoSendWindow(at: Date, timeZone: string | undefined, windows: SendWindow[]): Date {
  const inside = (t: Date) => {
    const { day, minute } = localWeekMinute(t, timeZone);
    return windows.some((w) => w.days.includes(day) && minute >= w.fromMinute && minute < w.toMinute);
  };
  if (inside(at)) return at;
  // Quarter hours first (cheap over a week), then back minute by minute to the window's first minute.
  const QUARTER = 15 * 60_000;
  let t = new Date(Math.ceil(at.getTime() / QUARTER) * QUARTER);
  for (let i = 0; i < 8 * 96 && !inside(t); i++) t = new Date(t.getTime() + QUARTER);
  if (!inside(t)) return at; // no window in a week (cannot happen with a valid window): send as planned
  for (let i = 0; i < 15 && t.getTime() - 60_000 >= at.getTime() && inside(new Date(t.getTime() - 60_000)); i++) t = new Date(t.getTime() - 60_000);
  return t;
}
