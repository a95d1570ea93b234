/** How long items live before their TTL removes them (personal data retention; aggregates stay). */

export const DAY_SECONDS = 24 * 3600;

/** Raw invitations, responses, alerts and kept replies expire after this many days unless configured (RESPONSE_RETENTION_DAYS, passed in by the composition root). */
export const DEFAULT_RETENTION_DAYS = 400;

/** Event dedupe markers and subject cancellations: long enough for any redelivery or late event. */
export const EVENT_MARKER_DAYS = 90;

/**
 * Erasure tombstones: the longest way a record about an erased customer can come back. Stream records
 * live 24 h, a failed one waits in its DLQ up to 14 days (SQS retention), and input quarantined when
 * replayed can be replayed for QUARANTINE_DAYS more: 14 + 14 days, and a margin.
 */
export const ERASURE_TOMBSTONE_DAYS = 30;

/** Quarantined input (and its replay window): the DLQs' 14 days, no longer. */
export const QUARANTINE_DAYS = 14;

/** Inbound SMS that answered nothing (free text, perhaps an address or a name): kept for a person to review this long. */
export const KEPT_INBOUND_SMS_DAYS = 30;
