/**
 * Send the invitations whose time has come (the due sweep: every minute on AWS, a timer locally).
 *
 * Primary course, per due invitation:
 *  1. Claim it (scheduled -> sending) so that a concurrent sweep cannot send it too.
 *  2. Read the customer's contact from the profile and check the suppression list again (the customer
 *     may have unsubscribed, bounced or sent STOP since it was scheduled): suppressed -> cancelled.
 *  3. Render the e-mail (one signed link per score, List-Unsubscribe) or the SMS (a short link and
 *     "reply with a number"; the number must be valid E.164) in the customer's language.
 *  4. Send; mark it sent with the link's expiry, the hash of the contact it went to and, when the
 *     survey has one, the time of its reminder.
 * Once the provider accepted the message it is never put back for another send: recording it is retried
 * in place, and a sweep that dies before recording it leaves it to the claim's lease (at least once).
 * Failures: throttling (SES/SNS rate limits) puts it back with an exponential backoff with jitter and
 * ends this sweep (the provider asked us to slow down; the next sweep goes on); another transient
 * failure is retried with backoff; a permanent one, or too many attempts, marks it failed with the
 * reason. Each attempt's reason is kept on the invitation: nothing is retried or lost silently.
 *
 * Alternative course (reminder): an unanswered survey whose reminder is due is sent once more, with
 * the reminder prefix; a survey answered meanwhile is only taken off the due index.
 *
 * One sweep sends one channel (`deps.channel`: send-email.ts or send-sms.ts): each channel has a function
 * of its own (sendDue for e-mail, sendDueSms for SMS), so the e-mail sender carries no SNS client and no
 * phone metadata, and the SMS sender no SES client (docs/architecture.md "Bundles"). Both read the same
 * due index, each only its channel's invitations, and claim them the same conditional way: one claim
 * per invitation, whichever sweep sees it.
 */
import { randomInt } from 'node:crypto';
import { surveyById, type SurveyDefinition } from '../catalogue.ts';
import { DEFAULT_POLICY, outOfQuietHours } from '../eligibility.ts';
import type { Channel, Invitation } from '../model.ts';
import { SendError, type CustomerProfile, type InvitationStore, type LinkSigner, type SuppressionStore } from '../ports.ts';
import { fill, textsFor } from '../texts/index.ts';

/** What a channel's send gets besides the invitation: its links, the brand, and the reminder prefix when it is one. */
export interface SendContext {
  links: ReturnType<typeof surveyLinks>;
  brand: string;
  /** When the survey's links expire (an SMS short link and reply thread live as long). */
  expiresAt: string;
  /** The text as it goes out: with the reminder prefix when this send is the reminder. */
  remind: (text: string) => string;
}

/** One channel's part of a send (send-email.ts, send-sms.ts); claims, suppression, retries and reminders are the sweep's. */
export interface ChannelSender {
  channel: Channel;
  /** Where it goes: the profile's address or number; a permanent SendError when there is none (or it cannot be used). */
  contactOf(profile: CustomerProfile | undefined): string;
  /** Suppression list lookup key of a contact of this channel. */
  suppressionKey(to: string): { email?: string; phone?: string };
  /** Renders the invitation in the customer's language and sends it to `to`. */
  send(to: string, invitation: Invitation, profile: CustomerProfile, context: SendContext): Promise<void>;
}

export interface SendDeps {
  store: InvitationStore;
  contacts: Pick<SuppressionStore, 'suppressionsFor'>;
  /** The channel this sweep sends: its invitations are the only ones it lists and claims. */
  channel: ChannelSender;
  links: LinkSigner;
  now: () => Date;
  publicBaseUrl: string;
  brand: string;
  /** The brand of a store (surveys settings `stores`); absent: `brand` for all. */
  brandFor?: (store: string | undefined) => string;
  catalogue?: SurveyDefinition[];
  /** Attempts before a transiently failing invitation is marked failed (default 5). */
  maxAttempts?: number;
  /** Attempts while throttled (default 30: about a day at the 1-hour backoff cap, SES's daily quota window). */
  maxThrottledAttempts?: number;
  batchLimit?: number;
  /** 0..1, for the backoff's jitter; tests pin it. */
  random?: () => number;
}

export interface SendSummary {
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
  reminded: number;
  /** The provider throttled us: the sweep stopped early, the rest waits for the next one. */
  throttled: boolean;
  /** Sent invitations per channel (the operations dashboard's "surveys sent"). */
  sentByChannel: { email: number; sms: number };
  /** Send time of the oldest invitation found due (not a reminder) in this sweep: how late sending runs. */
  oldestDueAt?: string;
}

/** The summaries of several sweeps (one per channel) as one: counts added, the oldest due time of all. */
export function addSummaries(summaries: SendSummary[]): SendSummary {
  const total = emptySummary();
  for (const s of summaries) {
    for (const key of ['sent', 'retried', 'failed', 'cancelled', 'reminded'] as const) total[key] += s[key];
    total.throttled ||= s.throttled;
    for (const channel of ['email', 'sms'] as const) total.sentByChannel[channel] += s.sentByChannel[channel];
    if (s.oldestDueAt && (!total.oldestDueAt || s.oldestDueAt < total.oldestDueAt)) total.oldestDueAt = s.oldestDueAt;
  }
  return total;
}

const emptySummary = (): SendSummary => ({ sent: 0, retried: 0, failed: 0, cancelled: 0, reminded: 0, throttled: false, sentByChannel: { email: 0, sms: 0 } });

export const SEND_RULES = {
  /** First retry after this long; doubles each attempt, capped at an hour. */
  backoffBaseMs: 60_000,
  backoffCapMs: 3600_000,
  /** ± share of random spread, so that throttled invitations do not all come back in the same second. */
  jitter: 0.2,
  /** Tries at recording a send that went out (the table may be throttled for a moment). */
  recordAttempts: 3,
};

export function surveyLinks(baseUrl: string, token: string) {
  return {
    rating: (score: number) => `${baseUrl}/r/${token}?s=${score}`,
    survey: `${baseUrl}/r/${token}`,
    unsubscribe: `${baseUrl}/u/${token}`,
  };
}

const SHORT_CODE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Length of SMS short-link codes: 10 base-62 characters, about 59.5 random bits. */
export const SHORT_CODE_LENGTH = 10;

/** A random short-link code. Unguessable enough behind the API's throttle (50 requests/s: 10^8 years to find one by chance). */
export function newShortCode(): string {
  let code = '';
  for (let i = 0; i < SHORT_CODE_LENGTH; i++) code += SHORT_CODE_ALPHABET[randomInt(SHORT_CODE_ALPHABET.length)];
  return code;
}

export const SHORT_CODE_PATTERN = new RegExp(`^[0-9A-Za-z]{${SHORT_CODE_LENGTH}}$`);

export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(SEND_RULES.backoffBaseMs * 2 ** Math.max(0, attempts - 1), SEND_RULES.backoffCapMs);
  return Math.round(base * (1 + SEND_RULES.jitter * (2 * random() - 1)));
}

class Suppressed extends Error {}

async function deliver(
  invitation: Invitation,
  profile: CustomerProfile | undefined,
  survey: SurveyDefinition,
  deps: SendDeps,
  reminder: boolean,
): Promise<string> {
  const channel = deps.channel;
  const to = channel.contactOf(profile); // throws when there is no profile either
  // The customer may have unsubscribed, bounced or sent STOP since it was scheduled.
  const listed = (await deps.contacts.suppressionsFor(channel.suppressionKey(to)))[channel.channel] ?? profile?.suppressed?.[channel.channel];
  if (listed) throw new Suppressed(`${channel.channel} suppressed: ${listed}`);
  const t = textsFor(invitation.locale);
  await channel.send(to, invitation, profile as CustomerProfile, {
    links: surveyLinks(deps.publicBaseUrl, deps.links.sign(invitation.id)),
    brand: deps.brandFor?.(invitation.segments.store) ?? deps.brand,
    expiresAt: linkExpiry(invitation, survey, deps),
    remind: (text) => (reminder ? fill(t.reminder, { message: text }) : text),
  });
  return to;
}

function linkExpiry(invitation: Invitation, survey: SurveyDefinition, deps: SendDeps): string {
  return invitation.expiresAt ?? new Date(deps.now().getTime() + survey.linkValidDays * 24 * 3600_000).toISOString();
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** An SMS, first or retried or reminding, never goes out in the customer's quiet hours: it waits for the morning. */
function notInQuietHours(at: Date, invitation: Invitation, profile: CustomerProfile | undefined): Date {
  return invitation.channel === 'sms' ? outOfQuietHours(at, profile?.timezone, DEFAULT_POLICY.quietHours) : at;
}

async function sendInvitation(invitation: Invitation, deps: SendDeps, summary: SendSummary): Promise<void> {
  const survey = surveyById(invitation.surveyId, deps.catalogue);
  let profile: CustomerProfile | undefined;
  let sentTo: string;
  try {
    if (!survey) throw new SendError(`survey ${invitation.surveyId} is not in the catalogue`, true);
    profile = await deps.store.getProfile(invitation.customerId);
    sentTo = await deliver(invitation, profile, survey, deps, false);
  } catch (error) {
    await recordFailure(invitation, profile, error, deps, summary);
    return;
  }
  // Delivered: from here on nothing may put it back for another send.
  const sentAt = deps.now();
  const expiresAt = new Date(sentAt.getTime() + survey.linkValidDays * 24 * 3600_000).toISOString();
  const reminderAt = survey.reminderAfterHours
    ? notInQuietHours(new Date(sentAt.getTime() + survey.reminderAfterHours * 3600_000), invitation, profile).toISOString()
    : undefined;
  await recordSent(() => deps.store.markSent(invitation.id, sentAt.toISOString(), expiresAt, { sentTo, ...(reminderAt ? { reminderAt } : {}) }));
  summary.sent++;
  summary.sentByChannel[invitation.channel]++;
}

/**
 * Records a send, retrying a failing table a few times in place. Should it still fail, the error ends
 * the sweep and the claim's lease brings the invitation back later: a second mail is possible then,
 * a lost one is not.
 */
async function recordSent(write: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= SEND_RULES.recordAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 4 ** attempt)); // 200 ms, 800 ms
    }
  }
}

async function recordFailure(
  invitation: Invitation,
  profile: CustomerProfile | undefined,
  error: unknown,
  deps: SendDeps,
  summary: SendSummary,
): Promise<void> {
  if (error instanceof Suppressed) {
    await deps.store.markCancelled(invitation.id, error.message, deps.now().toISOString());
    summary.cancelled++;
    return;
  }
  const attempts = (invitation.attempts ?? 0) + 1;
  const throttled = error instanceof SendError && error.throttled;
  const permanent = error instanceof SendError && error.permanent;
  const limit = throttled ? (deps.maxThrottledAttempts ?? 30) : (deps.maxAttempts ?? 5);
  const reason = `attempt ${attempts}: ${throttled ? 'throttled, ' : ''}${describe(error)}`;
  if (permanent || attempts >= limit) {
    await deps.store.markFailed(invitation.id, reason);
    summary.failed++;
  } else {
    const retryAt = notInQuietHours(new Date(deps.now().getTime() + backoffMs(attempts, deps.random)), invitation, profile).toISOString();
    await deps.store.markRetry(invitation.id, retryAt, reason);
    summary.retried++;
    if (throttled) summary.throttled = true;
  }
}

async function sendReminder(candidate: Invitation, deps: SendDeps, summary: SendSummary): Promise<void> {
  const invitation = await deps.store.claimReminder(candidate.id, deps.now().toISOString());
  if (!invitation || (await deps.store.hasResponse(invitation.id))) return; // another sweep has it, or it was answered
  const survey = surveyById(invitation.surveyId, deps.catalogue);
  if (!survey || (invitation.expiresAt && Date.parse(invitation.expiresAt) <= deps.now().getTime())) return;
  try {
    await deliver(invitation, await deps.store.getProfile(invitation.customerId), survey, deps, true);
    summary.reminded++;
  } catch (error) {
    // A reminder is a courtesy: it is tried once; a throttle still ends the sweep.
    if (error instanceof SendError && error.throttled) summary.throttled = true;
  }
}

export async function sendDueInvitations(deps: SendDeps): Promise<SendSummary> {
  const summary = emptySummary();
  const due = await deps.store.listDue(deps.now().toISOString(), deps.batchLimit ?? 100, deps.channel.channel);
  for (const candidate of due) {
    if (candidate.status !== 'sent' && (!summary.oldestDueAt || candidate.sendAt < summary.oldestDueAt)) summary.oldestDueAt = candidate.sendAt;
    if (summary.throttled) break; // the provider asked us to slow down: the rest stays due for the next sweep
    if (candidate.status === 'sent') {
      await sendReminder(candidate, deps, summary);
      continue;
    }
    const invitation = await deps.store.claim(candidate.id, deps.now().toISOString());
    if (!invitation) continue; // another sweep has it
    await sendInvitation(invitation, deps, summary);
  }
  return summary;
}
