/** How long items live before their TTL removes them (personal data retention; aggregates stay). */

export const DAY_SECONDS = 24 * 3600;

/** Raw invitations, responses, alerts and kept replies expire after this many days unless configured (RESPONSE_RETENTION_DAYS, passed in by the composition root). */
export const DEFAULT_RETENTION_DAYS = 400;

/**
 * Event dedupe markers: as long as an event can come back, as erasure tombstones (below): retries end within
 * hours (EventBridge and Lambda 6, Shopify's webhooks 4), a failed one waits in a DLQ or the quarantine
 * up to 14 days and, replayed and quarantined again, 14 more. One per event, so every day kept is paid per
 * survey (docs/cost.md "Storage by need").
 */
export const EVENT_MARKER_DAYS = 30;

/** Subject cancellations (a refund, a reopened ticket): long enough for a late event about the same order or ticket. */
export const SUBJECT_CANCELLED_DAYS = 90;

/**
 * An invitation not yet sent (and one cancelled, skipped or failed) is kept this long after its send
 * time: a sweep sends within minutes of it, a stale survey is skipped long before (surveys/eligibility.ts),
 * and the funnel counted every step in its pages (docs/cost.md "Storage by need").
 */
export const UNSENT_INVITATION_DAYS = 90;

/**
 * Subject → invitation pointers: only a scheduled survey can be cancelled, and one still unsent this
 * long after its send time is stale. Shorter than any sent invitation's life, so erasure (which finds
 * the pointers through the invitations) never leaves one behind.
 */
export const SUBJECT_POINTER_DAYS = 30;

/**
 * A sent invitation is kept this long after its link expires, answered or not: the unsubscribe link in
 * the message keeps working (at least 30 days after the send, as CAN-SPAM asks, and more), late bounces
 * and complaints find it. Its response carries everything later readers need and lives the retention.
 */
export const INVITATION_AFTER_LINK_DAYS = 60;

/** When an invitation expires: `days` after `iso`, never later than `retentionDays` after `from`. */
export function invitationExpiry(iso: string, days: number, from: string, retentionDays: number): number {
  const at = Math.floor(Date.parse(iso) / 1000) + days * DAY_SECONDS;
  return Math.min(at, Math.floor(Date.parse(from) / 1000) + retentionDays * DAY_SECONDS);
}

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
