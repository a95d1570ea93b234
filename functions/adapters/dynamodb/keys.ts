/** Key builders for the single table (layout documented in infra/table/definition.ts). */
import { createHash } from 'node:crypto';
import type { PageKey } from '#surveys/aggregation.ts';

export const DUE_SHARDS = 4; // spreads the due index over a few partitions; the sweep queries each
/** Spreads a day's responses over a few index partitions (GSI1), so 1,000 answers a second stay well under one partition's limit. */
export const RESPONSE_DAY_SHARDS = 8;

export const keys = {
  profile: (customerId: string) => ({ pk: `CUST#${customerId}`, sk: 'PROFILE' }),
  event: (eventKey: string) => ({ pk: `EVENT#${eventKey}`, sk: 'EVENT' }),
  invitation: (id: string) => ({ pk: `INV#${id}`, sk: 'INVITATION' }),
  response: (invitationId: string) => ({ pk: `INV#${invitationId}`, sk: 'RESPONSE' }),
  alert: (id: string) => ({ pk: `ALERT#${id}`, sk: 'ALERT' }),
  /** A page of daily score histograms (surveys/aggregation.ts PAGES): a day's pages sort together. */
  bucket: (k: PageKey) => ({ pk: `AGG#${k.metric}#${k.dimension}`, sk: `DAY#${k.day}#p${k.page}` }),
  quarantine: (at: string, id: string) => ({ pk: `QUARANTINE#${at.slice(0, 10)}`, sk: `${at}#${id}` }),
  /** Suppression list entry: only a hash of the normalized address or phone number is ever stored. */
  suppression: (channel: 'email' | 'sms', contact: string) => suppressionByHash(channel, contactHash(contact)),
  /** The same entry when only the hash is known (an invitation keeps the hash of where it was sent). */
  suppressionByHash,
  /** What a survey is about (`order#o-9`) → the invitation: a refund or a reopen finds the pending survey. */
  subject: (subjectKey: string, invitationId: string) => ({ pk: `SUBJECT#${subjectKey}`, sk: `INV#${invitationId}` }),
  /** The subject was cancelled (refund, reopen): a trigger of an earlier event arriving late is skipped. */
  subjectCancelled: (subjectKey: string) => ({ pk: `SUBJECT#${subjectKey}`, sk: 'CANCELLED' }),
  /** SMS short link `/s/<code>` → invitation. */
  shortLink: (code: string) => ({ pk: `SHORT#${code}`, sk: 'SHORTLINK' }),
  /** The survey last sent by SMS to a number (hashed): the one a reply answers. */
  smsThread: (phone: string) => ({ pk: `SMSTO#${contactHash(phone)}`, sk: 'LATEST' }),
  /** An inbound SMS that could not be used as an answer or comment, kept with its reason. */
  inboundSms: (inboundMessageId: string) => ({ pk: `SMSIN#${inboundMessageId}`, sk: 'SMSIN' }),
  /** Link opens of an invitation (scanner-burst judgement); lives and is erased with the invitation. */
  linkActivity: (invitationId: string) => ({ pk: `INV#${invitationId}`, sk: 'OPENS' }),
  /** A fixed-window request counter of the respond function; the subject (address, invitation) is hashed. */
  rateLimit: (scope: string, subject: string, windowStart: number) => ({ pk: `RATE#${scope}#${contactHash(subject).slice(0, 32)}`, sk: `W#${windowStart}` }),
  /** Hashed e-mail → customer (erasure by e-mail), and its mirror under the customer so erasure finds every address used. */
  emailLookup: (email: string, customerId: string) => ({ pk: `EMAIL#${contactHash(email)}`, sk: `CUST#${customerId}` }),
  customerEmail: (customerId: string, email: string) => ({ pk: `CUST#${customerId}`, sk: `EMAIL#${contactHash(email)}` }),
  dueShard: (invitationId: string) => `DUE#${createHash('sha1').update(invitationId).digest()[0]! % DUE_SHARDS}`,
  customerHistory: (customerId: string) => `CUST#${customerId}`,
  /** GSI1 key of a day's responses, shard by shard (the export queries each). `answeredAt` is an ISO timestamp. */
  responsesByDay: (answeredAt: string, shard: number) => `RESPONSES#${new Date(answeredAt).toISOString().slice(0, 10)}#${shard}`,
  responseDayShard: (invitationId: string) => createHash('sha1').update(invitationId).digest()[0]! % RESPONSE_DAY_SHARDS,
  alertsByStatus: (status: string) => `ALERTS#${status}`,
  /** Ledger of an imported history row (scripts/import-history.ts): its id is a hash, it holds nothing personal. */
  importedRow: (rowId: string) => ({ pk: `IMPORT#${rowId}`, sk: 'ROW' }),
  /** GSI2 key of alerts the alert sweep must act on (notify after the comment wait, remind): sparse, by dueAt. */
  alertsDue: () => 'ALERTS-DUE',
  /** A customer's health profile (churn risk); under the customer's key, so it goes with the customer. */
  health: (customerId: string) => ({ pk: `CUST#${customerId}`, sk: 'HEALTH' }),
  /** GSI2 key of health profiles whose risk may rise by time alone (a frequent buyer going quiet), by recheckAt. */
  healthRechecks: () => 'HEALTH-RECHECK',
  /** GSI2 key of link-activity items holding a dwell answer, by confirmAt: the due sweep confirms them. */
  heldAnswers: () => 'HELD-ANSWERS',
};

function suppressionByHash(channel: 'email' | 'sms', hash: string) {
  return { pk: `SUPPRESS#${channel}#${hash}`, sk: 'SUPPRESSION' };
}

export const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** SHA-256 of a lower-cased, trimmed e-mail address or E.164 phone number (hex). */
export function contactHash(contact: string): string {
  return createHash('sha256').update(contact.trim().toLowerCase()).digest('hex');
}
