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
 */
import { randomInt } from 'node:crypto';
import { surveyById, type SurveyDefinition } from '../catalogue.ts';
import { DEFAULT_POLICY, outOfQuietHours } from '../eligibility.ts';
import type { Invitation } from '../model.ts';
import { isValidMobile } from '../phone/index.ts';
import {
  SendError,
  type CustomerProfile,
  type EmailSender,
  type InvitationStore,
  type LinkSigner,
  type SmsLinkStore,
  type SmsSender,
  type SuppressionStore,
} from '../ports.ts';
import { renderSurveyEmail } from '../templates/email.ts';
import { renderSurveySms } from '../templates/sms.ts';
import { fill, textsFor } from '../texts/index.ts';

export interface SendDeps {
  store: InvitationStore;
  contacts: Pick<SuppressionStore, 'suppressionsFor'> & Pick<SmsLinkStore, 'putShortLink' | 'rememberSmsThread'>;
  email: EmailSender;
  sms: SmsSender;
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
  const expiresAt = linkExpiry(invitation, survey, deps);
  const links = surveyLinks(deps.publicBaseUrl, deps.links.sign(invitation.id));
  const t = textsFor(invitation.locale);
  const brand = deps.brandFor?.(invitation.segments.store) ?? deps.brand;
  const remind = (text: string) => (reminder ? fill(t.reminder, { message: text }) : text);

  if (invitation.channel === 'email') {
    const to = profile?.email;
    if (!to) throw new SendError('the customer has no e-mail address any more', true);
    await assertNotSuppressed('email', profile, { email: to }, deps);
    const mail = renderSurveyEmail({
      metric: invitation.metric,
      language: invitation.locale,
      brand,
      customerName: profile.name,
      ratingUrl: links.rating,
      unsubscribeUrl: links.unsubscribe,
    });
    await deps.email.send({
      to,
      ...mail,
      subject: remind(mail.subject),
      // RFC 8058 one-click unsubscribe: mail clients POST to the URL; a GET only shows a confirmation.
      headers: { 'List-Unsubscribe': `<${links.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      tags: { invitation: invitation.id },
    });
    return to;
  }

  const to = profile?.phone;
  if (!to) throw new SendError('the customer has no phone number any more', true);
  if (!isValidMobile(to)) throw new SendError('the phone number is not a valid E.164 number', true);
  await assertNotSuppressed('sms', profile, { phone: to }, deps);
  const code = newShortCode();
  await deps.contacts.putShortLink(code, invitation.id, expiresAt);
  // Before sending: a quick reply must find the survey it answers.
  await deps.contacts.rememberSmsThread(to, invitation.id, expiresAt);
  const body = renderSurveySms({ metric: invitation.metric, language: invitation.locale, brand, link: `${deps.publicBaseUrl}/s/${code}` });
  await deps.sms.send({ to, body: remind(body) });
  return to;
}

async function assertNotSuppressed(
  channel: 'email' | 'sms',
  profile: CustomerProfile,
  contact: { email?: string; phone?: string },
  deps: SendDeps,
): Promise<void> {
  const listed = (await deps.contacts.suppressionsFor(contact))[channel] ?? profile.suppressed?.[channel];
  if (listed) throw new Suppressed(`${channel} suppressed: ${listed}`);
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
  const summary: SendSummary = { sent: 0, retried: 0, failed: 0, cancelled: 0, reminded: 0, throttled: false, sentByChannel: { email: 0, sms: 0 } };
  const due = await deps.store.listDue(deps.now().toISOString(), deps.batchLimit ?? 100);
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
