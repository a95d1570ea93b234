/**
 * Key builders for every item kind of the single table, and the constants they are made of. Every pk,
 * sk and index key written or queried anywhere is built here; the kinds are listed in ./ITEMS.md.
 */
import { createHash, createHmac } from 'node:crypto';
import type { PageKey } from '#surveys/aggregation.ts';

/**
 * Index names and their key attributes (the table definition is built from these). GSI1 is deployed as
 * `GSI1-include`: its projection changed from ALL to INCLUDE, which DynamoDB does only under a new name
 * (definition.ts RETIRED_GSI1); the code and the docs keep calling it GSI1, after its key attributes.
 */
export const GSI1 = { name: 'GSI1-include', pk: 'gsi1pk', sk: 'gsi1sk' } as const;
export const GSI2 = { name: 'GSI2', pk: 'gsi2pk', sk: 'gsi2sk' } as const;

/** Partition key prefixes. */
export const PK = {
  customer: 'CUST#',
  event: 'EVENT#',
  invitation: 'INV#',
  alert: 'ALERT#',
  aggregate: 'AGG#',
  topics: 'TOPIC#',
  quarantine: 'QUARANTINE#',
  quarantineRef: 'QREF#',
  suppression: 'SUPPRESS#',
  subject: 'SUBJECT#',
  shortLink: 'SHORT#',
  smsThread: 'SMSTO#',
  inboundSms: 'SMSIN#',
  email: 'EMAIL#',
  importedRow: 'IMPORT#',
  orderRef: 'ORDERREF#',
  erased: 'ERASED#',
  audit: 'AUDIT#',
} as const;

/** Sort keys of the kinds that have a fixed one (and the prefixes of those that do not). */
export const SK = {
  profile: 'PROFILE',
  health: 'HEALTH',
  event: 'EVENT',
  invitation: 'INVITATION',
  response: 'RESPONSE',
  linkActivity: 'OPENS',
  alert: 'ALERT',
  suppression: 'SUPPRESSION',
  subjectCancelled: 'CANCELLED',
  shortLink: 'SHORTLINK',
  smsThread: 'LATEST',
  inboundSms: 'SMSIN',
  importedRow: 'ROW',
  importLedger: 'LEDGER',
  orderRef: 'ORDERREF',
  /** Prefix of an order's snapshot in its customer's partition: `ORDER#<source>#<order id>`. */
  orderPrefix: 'ORDER#',
  erased: 'TOMBSTONE',
  /** Prefixes: `DAY#<day>#p<page>` (score pages), `W#<window>` (rate limit); EMAIL# and INV# are the PK ones. */
  dayPrefix: 'DAY#',
} as const;

/** The `entity` attribute every item carries (stream filters and FilterExpressions read it). */
export const ENTITY = { event: 'event', invitation: 'invitation', response: 'response', alert: 'alert' } as const;

export const DUE_SHARDS = 4; // spreads the due index over a few partitions; the sweep queries each
/** Spreads a day's responses over a few index partitions (GSI1), so 1,000 answers a second stay well under one partition's limit. */
export const RESPONSE_DAY_SHARDS = 8;

/** Upper bound of index sort keys `<iso>#<id>` at or before `iso` (range queries on due queues). */
export const upTo = (iso: string) => `${iso}#~`;

const shardOf = (id: string, shards: number) => createHash('sha1').update(id).digest()[0]! % shards;
const customerPk = (customerId: string) => `${PK.customer}${customerId}`;
const invitationPk = (invitationId: string) => `${PK.invitation}${invitationId}`;

export const keys = {
  profile: (customerId: string) => ({ pk: customerPk(customerId), sk: SK.profile }),
  event: (eventKey: string) => ({ pk: `${PK.event}${eventKey}`, sk: SK.event }),
  invitation: (id: string) => ({ pk: invitationPk(id), sk: SK.invitation }),
  response: (invitationId: string) => ({ pk: invitationPk(invitationId), sk: SK.response }),
  alert: (id: string) => ({ pk: `${PK.alert}${id}`, sk: SK.alert }),
  /** A page of daily score histograms (surveys/aggregation.ts PAGES): a day's pages sort together. */
  bucket: (k: PageKey) => ({ pk: bucketPk(k.metric, k.dimension), sk: `${SK.dayPrefix}${k.day}#p${k.page}` }),
  /** A page of daily comment-topic cells (surveys/insights/pages.ts), laid out like the score pages. */
  topicBucket: (k: PageKey) => ({ pk: `${PK.topics}${k.metric}#${k.dimension}`, sk: `${SK.dayPrefix}${k.day}#p${k.page}` }),
  quarantine: (at: string, id: string) => ({ pk: `${PK.quarantine}${at.slice(0, 10)}`, sk: `${at}#${id}` }),
  /** An audit entry, in its UTC day's partition, in time order (`GET /api/audit` reads days newest first). */
  audit: (at: string, id: string) => ({ pk: `${PK.audit}${at.slice(0, 10)}`, sk: `${at}#${id}` }),
  auditDay: (day: string) => `${PK.audit}${day}`,
  /** Who a quarantined payload names (`cust#`, `email#` or `sms#` and a hash) → the quarantine item: erasure finds it. */
  quarantineRef: (ref: string, at: string, id: string) => ({ pk: `${PK.quarantineRef}${ref}`, sk: `${at}#${id}` }),
  quarantineRefPartition: (ref: string) => `${PK.quarantineRef}${ref}`,
  /** Suppression list entry: only a hash of the normalized address or phone number is ever stored. */
  suppression: (channel: 'email' | 'sms', contact: string) => suppressionByHash(channel, contactHash(contact)),
  /** The same entry when only the hash is known (an invitation keeps the hash of where it was sent). */
  suppressionByHash,
  /** What a survey is about (`order#o-9`) → the invitation: a refund or a reopen finds the pending survey. */
  subject: (subjectKey: string, invitationId: string) => ({ pk: subjectPk(subjectKey), sk: invitationPk(invitationId) }),
  subjectPartition: (subjectKey: string) => subjectPk(subjectKey),
  /** The subject was cancelled (refund, reopen): a trigger of an earlier event arriving late is skipped. */
  subjectCancelled: (subjectKey: string) => ({ pk: subjectPk(subjectKey), sk: SK.subjectCancelled }),
  /** SMS short link `/s/<code>` → invitation. */
  shortLink: (code: string) => ({ pk: `${PK.shortLink}${code}`, sk: SK.shortLink }),
  /** The survey last sent by SMS to a number (hashed): the one a reply answers. */
  smsThread: (phone: string) => ({ pk: `${PK.smsThread}${contactHash(phone)}`, sk: SK.smsThread }),
  /** An inbound SMS that could not be used as an answer or comment, kept with its reason. */
  inboundSms: (inboundMessageId: string) => ({ pk: `${PK.inboundSms}${inboundMessageId}`, sk: SK.inboundSms }),
  /** Link opens of an invitation (scanner-burst judgement); lives and is erased with the invitation. */
  linkActivity: (invitationId: string) => ({ pk: invitationPk(invitationId), sk: SK.linkActivity }),
  /** A fixed-window request counter of the respond function; the subject (address, invitation) is hashed. */
  /**
   * Hashed e-mail → customer (erasure by e-mail). Its mirror under the customer (`customerEmail`) is no longer
   * written — the profile is the mirror now (its address, and the `emailHashes` of those it had) — but tables
   * from before hold some: erasure reads them.
   */
  emailLookup: (email: string, customerId: string) => ({ pk: `${PK.email}${contactHash(email)}`, sk: customerPk(customerId) }),
  emailLookupPartition: (email: string) => `${PK.email}${contactHash(email)}`,
  customerEmail: (customerId: string, email: string) => ({ pk: customerPk(customerId), sk: `${PK.email}${contactHash(email)}` }),
  dueShard: (invitationId: string) => dueShardPk(shardOf(invitationId, DUE_SHARDS)),
  dueShardByNumber: (shard: number) => dueShardPk(shard),
  customerHistory: (customerId: string) => customerPk(customerId),
  /** The customer's own partition (profile, health, e-mail mirrors): erased whole. */
  customerPartition: (customerId: string) => customerPk(customerId),
  /** GSI1 key of a day's responses, shard by shard (the export queries each). `answeredAt` is an ISO timestamp. */
  responsesByDay: (answeredAt: string, shard: number) => `RESPONSES#${new Date(answeredAt).toISOString().slice(0, 10)}#${shard}`,
  responseDayShard: (invitationId: string) => shardOf(invitationId, RESPONSE_DAY_SHARDS),
  alertsByStatus: (status: string) => `ALERTS#${status}`,
  /** Ledger of an imported history row (scripts/import-history.ts): its id is a hash, it holds nothing personal. */
  importedRow: (rowId: string) => ({ pk: `${PK.importedRow}${rowId}`, sk: SK.importedRow }),
  /** Ledger of the imported rows of one metric and day: the row ids' hashes counted into that day's pages (nothing personal). */
  importLedger: (metric: string, day: string) => ({ pk: `${PK.importedRow}${metric}#${day}`, sk: SK.importLedger }),
  /** Order → customer id (nothing personal): Shopify's delivery events name only the order. */
  orderRef: (source: string, orderId: string) => ({ pk: `${PK.orderRef}${source}#${orderId}`, sk: SK.orderRef }),
  /** The order's customer and order as the shop sent them, in the customer's partition (erased with it). */
  orderSnapshot: (customerId: string, source: string, orderId: string) => ({ pk: customerPk(customerId), sk: `${SK.orderPrefix}${source}#${orderId}` }),
  /** GSI2 key of alerts the alert sweep must act on (notify after the comment wait, remind): sparse, by dueAt. */
  alertsDue: () => 'ALERTS-DUE',
  /** A customer's health profile (churn risk); under the customer's key, so it goes with the customer. */
  health: (customerId: string) => ({ pk: customerPk(customerId), sk: SK.health }),
  /** GSI2 key of health profiles whose risk may rise by time alone (a frequent buyer going quiet), by recheckAt. */
  healthRechecks: () => 'HEALTH-RECHECK',
  /** GSI2 key of link-activity items holding a dwell answer, by confirmAt: the due sweep confirms them. */
  heldAnswers: () => 'HELD-ANSWERS',
  /** GSI2 key of the inbound SMS kept from a number (hashed): erasure finds them by the customer's phone. */
  inboundSmsFrom: (phone: string) => inboundSmsFromPk(contactHash(phone)),
  inboundSmsFromHash: (hash: string) => inboundSmsFromPk(hash),
  /** Tombstone of an erased customer: the keyed hash of the id only, so it names nobody (stream consumers check it). */
  erasedCustomer: (customerId: string) => ({ pk: `${PK.erased}cust#${subjectHash(customerId)}`, sk: SK.erased }),
  /** Tombstone of an erased customer's e-mail address or phone number (hashed like every contact). */
  erasedContact: (channel: 'email' | 'sms', contact: string) => ({ pk: `${PK.erased}${channel}#${contactHash(contact)}`, sk: SK.erased }),
};

/** Index attributes of each kind that is indexed, ready to spread into an item. */
export const indexKeys = {
  /** GSI1, while an invitation waits to be sent (or reminded, or its claim's lease runs). */
  due: (invitationId: string, at: string) => ({ gsi1pk: keys.dueShard(invitationId), gsi1sk: `${at}#${invitationId}` }),
  /** GSI2: a customer's history, invitations and responses in time order. */
  invitationHistory: (customerId: string, createdAt: string, invitationId: string) => ({
    gsi2pk: keys.customerHistory(customerId),
    gsi2sk: `${createdAt}#${invitationPk(invitationId)}`,
  }),
  responseHistory: (customerId: string, answeredAt: string, invitationId: string) => ({
    gsi2pk: keys.customerHistory(customerId),
    gsi2sk: `${answeredAt}#RESP#${invitationId}`,
  }),
  /** GSI1: responses by day, sharded so a busy day is not one hot index partition (the CSV export reads them). */
  responsesByDay: (answeredAt: string, invitationId: string) => ({
    gsi1pk: keys.responsesByDay(answeredAt, keys.responseDayShard(invitationId)),
    gsi1sk: `${answeredAt}#${invitationId}`,
  }),
  /** GSI1: alerts by status, newest first. */
  alertsByStatus: (status: string, createdAt: string, alertId: string) => ({ gsi1pk: keys.alertsByStatus(status), gsi1sk: `${createdAt}#${alertId}` }),
  /** GSI2 (sparse): alerts the sweep must act on, by dueAt. */
  alertsDue: (dueAt: string, alertId: string) => ({ gsi2pk: keys.alertsDue(), gsi2sk: `${dueAt}#${alertId}` }),
  /** GSI2: inbound SMS kept from a number, by time (erasure by the customer's phone). */
  inboundSmsFrom: (phone: string, at: string, inboundMessageId: string) => ({ gsi2pk: keys.inboundSmsFrom(phone), gsi2sk: `${at}#${inboundMessageId}` }),
  /** GSI2 (sparse): health profiles to look at again, by recheckAt. */
  healthRecheck: (recheckAt: string, customerId: string) => ({ gsi2pk: keys.healthRechecks(), gsi2sk: `${recheckAt}#${customerId}` }),
};

/** The first and last sort key of a score page range, days inclusive. */
export const bucketDays = (fromDay: string, toDay: string) => ({ from: `${SK.dayPrefix}${fromDay}#`, to: `${SK.dayPrefix}${toDay}#\uffff` });

function bucketPk(metric: string, dimension: string) {
  return `${PK.aggregate}${metric}#${dimension}`;
}

function subjectPk(subjectKey: string) {
  return `${PK.subject}${subjectKey}`;
}

function inboundSmsFromPk(hash: string) {
  return `SMSFROM#${hash}`;
}

function dueShardPk(shard: number) {
  return `DUE#${shard}`;
}

function suppressionByHash(channel: 'email' | 'sms', hash: string) {
  return { pk: `${PK.suppression}${channel}#${hash}`, sk: SK.suppression };
}

/** The invitation id of an `INV#<id>` partition key. */
export const invitationIdOf = (pk: string) => pk.slice(PK.invitation.length);
/** The customer id of an item in a customer's partition (`CUST#<customerId>`). */
export const customerIdOf = (pk: string) => pk.slice(PK.customer.length);

export const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * HMAC-SHA-256 (keyed: a copy of the table alone does not give the numbers back by enumeration) of a
 * lower-cased, trimmed e-mail address or E.164 phone number, hex.
 */
export function contactHash(contact: string): string {
  return subjectHash(normalizedContact(contact));
}

/** The plain SHA-256 that keys held before the keyed hash: lookups try it too and rewrite what they find (migration). */
export function legacyContactHash(contact: string): string {
  return createHash('sha256').update(normalizedContact(contact)).digest('hex');
}

const normalizedContact = (contact: string) => contact.trim().toLowerCase();

let loadedKey: string | undefined;

/**
 * Installs the key of the contact hashes. This module never reads the configuration itself (env() from here
 * would close an import cycle through the manifest's stream filters): it is handed in before anything is
 * hashed, by the composition root (the contactHashKey() middleware, from env(): the value locally, the
 * secret on AWS), the local runtime at start, and the scripts (scripts/contact-hash-key.ts).
 */
export function useContactHashKey(key: string): void {
  loadedKey = key;
}

function contactHashKey(): string {
  if (!loadedKey) {
    throw new Error('contact hash key not loaded: set CONTACT_HASH_KEY (local) or CONTACT_HASH_KEY_ARN (AWS), loaded by the contactHashKey() middleware');
  }
  return loadedKey;
}

/** The refs under which a quarantined payload or a customer is found (keys.quarantineRef). */
export const quarantineRefs = {
  customer: (customerId: string) => `cust#${subjectHash(customerId)}`,
  email: (email: string) => `email#${contactHash(email)}`,
  emailHash: (hash: string) => `email#${hash}`,
  smsHash: (hash: string) => `sms#${hash}`,
  sms: (phone: string) => `sms#${contactHash(phone)}`,
};

/** The keyed hash (HMAC-SHA-256) of an identifier as it is (customer ids are case-sensitive), hex. */
export function subjectHash(value: string): string {
  return createHmac('sha256', contactHashKey()).update(value).digest('hex');
}
