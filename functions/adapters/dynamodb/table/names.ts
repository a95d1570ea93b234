/**
 * The fixed sort keys and entity names of the single table (./ITEMS.md), apart from ./keys.ts: the
 * stream filters (./filters.ts) are built from them and are imported by functions/manifest.ts, which the
 * configuration imports; keys.ts reads the configuration, so the filters must not import keys.ts.
 */

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
  orderRef: 'ORDERREF',
  /** Prefix of an order's snapshot in its customer's partition: `ORDER#<source>#<order id>`. */
  orderPrefix: 'ORDER#',
  erased: 'TOMBSTONE',
  /** Prefixes: `DAY#<day>#p<page>` (score pages), `W#<window>` (rate limit); EMAIL# and INV# are the PK ones. */
  dayPrefix: 'DAY#',
  windowPrefix: 'W#',
} as const;

/** The `entity` attribute every item carries (stream filters and FilterExpressions read it). */
export const ENTITY = { event: 'event', invitation: 'invitation', response: 'response', alert: 'alert' } as const;
