/**
 * A customer replied to an SMS survey (AWS End User Messaging SMS publishes the reply to an SNS topic;
 * locally it is posted to /local/sms-inbound with the same JSON).
 *
 * Primary course:
 *  1. Read the reply: a STOP-like word, a number (optionally followed by words), or anything else.
 *  2. STOP-like (Polish or English) — the number goes on the suppression list: no survey by SMS again.
 *  3. Find the survey last sent by SMS to this number; none -> the reply is kept with that reason.
 *  4. A number in the survey's range becomes the answer, through the same use case as a click (an SMS
 *     reply comes from a person's phone: it counts like the page's button); words after it, or a reply
 *     without a number, become the comment.
 *  5. Anything that cannot be used (out of range, no answer yet for a comment, link expired) is kept
 *     with its reason. Never a crash: odd input is kept, not thrown.
 */
import * as z from '../zod.ts';
import { mobileE164 } from '../phone/index.ts';
import type { LinkSigner, ResponseStore, SmsLinkStore, SuppressionStore } from '../ports.ts';
import { isValidScore } from '../scales.ts';
import { answerSurvey, commentOnSurvey } from './record-response.ts';

/** The JSON AWS End User Messaging SMS publishes for an inbound message (two-way SMS). */
export const inboundSmsSchema = z.object({
  originationNumber: z.string().check(z.minLength(1), z.maxLength(32)),
  destinationNumber: z.optional(z.string().check(z.maxLength(32))),
  messageKeyword: z.optional(z.string().check(z.maxLength(64))),
  messageBody: z.string().check(z.maxLength(2000)),
  inboundMessageId: z.string().check(z.minLength(1), z.maxLength(128)),
  previousPublishedMessageId: z.optional(z.string().check(z.maxLength(128))),
});
export type InboundSms = z.infer<typeof inboundSmsSchema>;

/**
 * Opt-out words, compared on the whole message after upper-casing, removing diacritics and
 * punctuation. English: the carrier and AWS keywords. Polish: NIE ("no" as a whole reply: Polish
 * marketing SMS use it for opt-out), REZYGNUJĘ/REZYGNUJE, REZYGNACJA, WYPISZ (MNIE), KONIEC, STOP SMS.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'STOP',
  'STOP ALL',
  'STOPALL',
  'UNSUBSCRIBE',
  'UNSUB',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'OPT OUT',
  'REVOKE',
  'STOP SMS',
  'NIE',
  'REZYGNUJE',
  'REZYGNACJA',
  'WYPISZ',
  'WYPISZ MNIE',
  'KONIEC',
  'NIE WYSYLAJ',
]);

/** The user agent the answer is recorded with: an SMS reply is a person on their phone, not a link scanner. */
export const SMS_REPLY_AGENT = 'ankieta SMS reply (AWS End User Messaging SMS)';

export type ReplyMeaning = { kind: 'stop' } | { kind: 'score'; score: number; comment?: string } | { kind: 'comment'; text: string };

function normalizeWords(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** What a reply means, before knowing which survey it answers. Pure. */
export function readReply(body: string, keyword?: string): ReplyMeaning {
  const text = body.trim();
  if (STOP_WORDS.has(normalizeWords(text)) || (keyword && STOP_WORDS.has(normalizeWords(keyword)))) return { kind: 'stop' };
  // "5", "10/10", "4 - quick and kind", "3. slow", "9!" — a leading whole number, then an optional comment.
  const m = /^(\d{1,3})(?:\s*\/\s*\d{1,3})?(?![\d.,]\d)\s*[-–—.,:;!)]*\s*([\s\S]*)$/u.exec(text);
  if (m) {
    const comment = m[2]!.trim();
    return { kind: 'score', score: Number(m[1]), ...(comment ? { comment } : {}) };
  }
  return { kind: 'comment', text };
}

export type SmsReplyOutcome =
  | { status: 'suppressed' }
  | { status: 'answered'; invitationId: string; score: number; commented: boolean }
  | { status: 'commented'; invitationId: string }
  | { status: 'kept'; invitationId?: string; reason: string };

export interface SmsReplyDeps {
  contacts: Pick<SmsLinkStore, 'latestSmsInvitation' | 'keepInboundSms'> & Pick<SuppressionStore, 'suppress'>;
  responses: ResponseStore;
  links: LinkSigner;
  now: () => Date;
}

/** The number as E.164 (AWS sends it so; a local test might not), or undefined when it is no phone number. */
export function normalizePhone(raw: string): string | undefined {
  return mobileE164(raw.trim());
}

export async function handleSmsReply(sms: InboundSms, deps: SmsReplyDeps): Promise<SmsReplyOutcome> {
  const at = deps.now().toISOString();
  const keep = async (reason: string, invitationId?: string): Promise<SmsReplyOutcome> => {
    await deps.contacts.keepInboundSms({
      ...(invitationId ? { invitationId } : {}),
      inboundMessageId: sms.inboundMessageId,
      // Who sent it, so that erasure finds it (the store keeps only a keyed hash of the number).
      from: normalizePhone(sms.originationNumber) ?? sms.originationNumber,
      body: sms.messageBody,
      reason,
      at,
    });
    return { status: 'kept', ...(invitationId ? { invitationId } : {}), reason };
  };

  const phone = normalizePhone(sms.originationNumber);
  if (!phone) return keep('the sender is not a valid phone number');
  const meaning = readReply(sms.messageBody, sms.messageKeyword);
  if (meaning.kind === 'stop') {
    await deps.contacts.suppress({ channel: 'sms', contact: phone, reason: 'stop', at, source: `sms-inbound:${sms.inboundMessageId}` });
    return { status: 'suppressed' };
  }

  const invitationId = await deps.contacts.latestSmsInvitation(phone);
  if (!invitationId) return keep('no SMS survey was sent to this number');
  const token = deps.links.sign(invitationId);
  const responseDeps = { store: deps.responses, links: deps.links, now: deps.now };

  if (meaning.kind === 'score') {
    const invitation = await deps.responses.getInvitation(invitationId);
    if (invitation && !isValidScore(invitation.metric, meaning.score)) return keep(`${meaning.score} is outside the ${invitation.metric} scale`, invitationId);
    const answered = await answerSurvey({ token, score: meaning.score, evidence: { kind: 'sms', userAgent: SMS_REPLY_AGENT } }, responseDeps);
    if (answered.status !== 'recorded' && answered.status !== 'updated' && answered.status !== 'unchanged') {
      return keep(`the answer was not recorded: ${answered.status}`, invitationId);
    }
    let commented = false;
    if (meaning.comment) {
      const c = await commentOnSurvey({ token, comment: meaning.comment }, responseDeps);
      if (c.status !== 'saved') return keep(`answered ${meaning.score}; the comment was not saved: ${c.status}`, invitationId);
      commented = true;
    }
    return { status: 'answered', invitationId, score: meaning.score, commented };
  }

  const c = await commentOnSurvey({ token, comment: meaning.text }, responseDeps);
  if (c.status !== 'saved') return keep(c.status === 'no-answer-yet' ? 'a comment before any answer' : `the comment was not saved: ${c.status}`, invitationId);
  return { status: 'commented', invitationId };
}
