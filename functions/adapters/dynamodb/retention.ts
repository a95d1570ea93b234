/** How long items live before their TTL removes them (personal data retention; aggregates stay). */

export const DAY_SECONDS = 24 * 3600;

/** Raw invitations, responses, alerts and kept replies expire after this many days unless configured (RESPONSE_RETENTION_DAYS, passed in by the composition root). */
export const DEFAULT_RETENTION_DAYS = 400;

/** Event dedupe markers and subject cancellations: long enough for any redelivery or late event. */
export const EVENT_MARKER_DAYS = 90;
