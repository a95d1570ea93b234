/**
 * What the domain needs from the outside world. Adapters in functions/adapters/ implement these with
 * DynamoDB, SES and SNS; tests implement them in memory or against DynamoDB Local.
 */
import type { Alert, AlertStatus, Channel, Invitation, Metric, SegmentDimension, SurveyResponse } from './model.ts';
import type { Histogram } from './scoring.ts';
import type { CustomerHealth } from './churn-risk.ts';
import type { TeamView } from './alert-teams.ts';

export interface CustomerProfile {
  customerId: string;
  email?: string;
  phone?: string;
  name?: string;
  locale: string;
  timezone?: string;
  consent?: { email?: boolean; sms?: boolean };
  /** When the customer was last asked, across channels: the fatigue rule reads it. */
  lastSurveyedAt?: string;
  suppressed?: { email?: string; sms?: string }; // reason per channel (unsubscribed, bounced, complained, stop)
  /**
   * The survey scheduled and not yet sent: later orders merge into it; a cancellation gives back `previousSurveyedAt`.
   * `eventKey` and `channel`: the event that scheduled it, so that its redelivery finishes it (surveys/trigger-marks.ts).
   */
  pendingInvitation?: { id: string; surveyId: string; sendAt: string; previousSurveyedAt?: string; eventKey?: string; channel?: Channel };
  /** The trigger's skip or merge decision for the last event it judged (a scheduled one is `pendingInvitation`): trigger-marks.ts. */
  lastEvent?: TriggerMark;
  /** When a redelivery last claimed the profile to finish the pending survey (else `lastSurveyedAt` is when it was claimed). */
  claimedAt?: string;
  version: number;
}

/**
 * What the trigger decided for an event, kept on the profile: the profile is written first, so a redelivery
 * after a crash finds the decision and finishes it (same invitation, same send time) instead of judging again.
 */
export interface TriggerMark {
  key: string;
  outcome: 'scheduled' | 'skipped' | 'merged';
  /** The invitation written (scheduled, skipped) or joined (merged). */
  invitationId: string;
  /** When it was decided: the invitation's createdAt. */
  at: string;
  channel: Channel;
  /** Scheduled only (the others are recorded at `at`). */
  sendAt?: string;
  /** The skip or merge reason, as the invitation and the outcome carry it. */
  detail?: string;
}

export interface TriggerRecord {
  /** Dedupe key of the commerce event: the same key twice records nothing the second time. */
  eventKey: string;
  invitation: Invitation;
  profile: CustomerProfile;
  /** Surveys asked together with `invitation` (CES with CSAT), written with it (ids derived from its id: trigger-marks.ts). */
  companions?: Invitation[];
  /** Instead of a new invitation: the event's order joins this pending one (only if it is still scheduled). */
  mergeInto?: string;
  /** What the survey is about (`order#o-9`): one SUBJECT item per scheduled invitation points back at it. */
  subject: SubjectKey;
  /** The address the profile had before this event, when the event brought another: erasure must still find its lookup. */
  replacedEmail?: string;
}

/**
 * The pending survey a merge wanted to join was sent or cancelled meanwhile: decide again without merging.
 * `missing`: there is no such invitation at all (its trigger died between the profile and the invitation).
 */
export class MergeTargetGoneError extends Error {
  constructor(
    readonly invitationId: string,
    readonly missing = false,
  ) {
    super(`invitation ${invitationId} is ${missing ? 'missing' : 'no longer scheduled'}`);
    this.name = 'MergeTargetGoneError';
  }
}

/** `order#o-9`: the key of what a survey is about, used to find it again when the order is refunded. */
export type SubjectKey = `${'order' | 'ticket'}#${string}`;

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained' | 'stop';

/** The suppression list: per address or number (hashed), because unsubscribe and erasure are per address. */
export interface SuppressionStore {
  /** The reason each of these contacts is suppressed, if it is. */
  suppressionsFor(contacts: { email?: string; phone?: string }): Promise<Partial<Record<Channel, string>>>;
  /** Idempotent: suppressing twice keeps the first reason and time. `contactHash` when only the hash is known. */
  suppress(entry: { channel: Channel; contact?: string; contactHash?: string; reason: SuppressionReason; at: string; source: string }): Promise<void>;
}

/** What a cancelling event needs: find the surveys about a subject, take them back, record the event. */
export interface CancellationStore {
  invitationsAbout(subject: SubjectKey): Promise<Invitation[]>;
  /** scheduled -> cancelled; false when it was no longer scheduled (sent already, or cancelled). */
  cancelInvitation(invitationId: string, reason: string, at: string): Promise<boolean>;
  /** Takes one merged order off a pending survey that is about others too; false when not scheduled. */
  dropSubject(invitationId: string, subjectRef: string): Promise<boolean>;
  /** The subject was cancelled at `at`: a trigger for it that happened earlier is skipped (events arrive out of order). */
  markSubjectCancelled(subject: SubjectKey, at: string, eventType: string): Promise<void>;
  subjectCancelledAt(subject: SubjectKey): Promise<{ at: string; eventType: string } | undefined>;
  /** The EVENT dedupe item of a cancelling event; false when it was recorded before. */
  recordEvent(marker: { eventKey: string; eventType: string; customerId?: string; subjectRef: string; at: string; outcome: string }): Promise<boolean>;
  getProfile(customerId: string): Promise<CustomerProfile | undefined>;
  /** Gives back the fatigue budget of the profile's cancelled pending survey (its previousSurveyedAt); conditional on the version. */
  releasePending(profile: CustomerProfile): Promise<void>;
}

/** SES told us a sent survey never arrived (a permanent bounce): the invitation records it. */
export interface DeliveryFeedbackStore {
  /** sent -> failed with the reason; false when the invitation is unknown or not in `sent`. */
  markUndeliverable(invitationId: string, reason: string, at: string): Promise<boolean>;
}

/** SMS plumbing: short links to the survey page, and which survey a reply from a number answers. */
export interface SmsLinkStore {
  putShortLink(code: string, invitationId: string, expiresAt: string): Promise<void>;
  resolveShortLink(code: string): Promise<string | undefined>;
  rememberSmsThread(phone: string, invitationId: string, expiresAt: string): Promise<void>;
  latestSmsInvitation(phone: string): Promise<string | undefined>;
  /** A reply that is neither an answer nor a STOP, kept with the reason it could not be used. */
  keepInboundSms(reply: { invitationId?: string; inboundMessageId: string; from?: string; body: string; reason: string; at: string }): Promise<void>;
}

export class DuplicateEventError extends Error {
  constructor(readonly eventKey: string) {
    super(`event ${eventKey} was already processed`);
    this.name = 'DuplicateEventError';
  }
}

/** Thrown when a conditional write lost a race; the use case decides whether to retry. */
export class ConcurrentUpdateError extends Error {
  constructor(what: string) {
    super(`${what} was changed concurrently`);
    this.name = 'ConcurrentUpdateError';
  }
}

export interface TriggerStore {
  getProfile(customerId: string): Promise<CustomerProfile | undefined>;
  /**
   * DuplicateEventError if the event's marker exists. Then, in this order: the SUBJECT item(s) and e-mail
   * lookups; the profile, conditional on its version (ConcurrentUpdateError) — the claim on the customer;
   * the invitation (and companions), each written once whatever the retries; or with `mergeInto`, the
   * order added to that invitation once, if still scheduled (MergeTargetGoneError); last the event's
   * marker (DuplicateEventError if a concurrent delivery wrote it first). Every step is idempotent, so a
   * retry of the same record finishes what a crashed one began.
   */
  recordTrigger(record: TriggerRecord): Promise<void>;
}

export interface InvitationStore {
  /** Due invitations of one channel (each channel has a sweep of its own), oldest first. */
  listDue(now: string, limit: number, channel: Channel): Promise<Invitation[]>;
  /**
   * scheduled -> sending, only if still scheduled (two sweeps never send one invitation at once), or
   * sending under an expired claim (a sweep died holding it: it is taken over, at least once).
   */
  claim(invitationId: string, now: string): Promise<Invitation | undefined>;
  /**
   * `details.sentTo`: the address or number it went to — the store keeps only its hash, so that
   * unsubscribe suppresses exactly that one; `details.reminderAt`: when the optional reminder is due.
   */
  markSent(invitationId: string, sentAt: string, expiresAt: string, details?: { sentTo?: string; reminderAt?: string }): Promise<void>;
  /** Back to scheduled at `retryAt` (transient failure) or failed for good with a reason. */
  markRetry(invitationId: string, retryAt: string, reason: string): Promise<void>;
  markFailed(invitationId: string, reason: string): Promise<void>;
  getProfile(customerId: string): Promise<CustomerProfile | undefined>;
  /** sending -> cancelled with a reason (suppressed since it was scheduled): not a failure, nothing to retry. */
  markCancelled(invitationId: string, reason: string, at: string): Promise<void>;
  /** sent -> reminder claimed, once; undefined when it is not due or was claimed by another sweep. */
  claimReminder(invitationId: string, now: string): Promise<Invitation | undefined>;
  hasResponse(invitationId: string): Promise<boolean>;
}

export interface ResponseStore {
  getInvitation(invitationId: string): Promise<Invitation | undefined>;
  getResponse(invitationId: string): Promise<SurveyResponse | undefined>;
  /** Writes `next` if the stored version is `expectedVersion` (0 = no response yet). */
  putResponse(next: SurveyResponse, expectedVersion: number): Promise<void>;
}

/** Link opens of an invitation (no response, no personal data): the scanner-burst judgement reads them. */
export interface LinkActivityStore {
  /** Notes that a link (of `score`, when it has a valid one) was opened at `at`; the note expires at `keepUntil`. */
  noteOpen(invitationId: string, score: number | undefined, at: Date, keepUntil: Date): Promise<void>;
  getActivity(invitationId: string): Promise<import('./human-evidence.ts').LinkActivity>;
}

/** A dwell answer waiting out its hold (surveys/human-evidence.ts): no personal data, kept with the link opens. */
export interface HeldAnswer {
  score: number;
  /** When the page that reported it was opened (epoch ms). */
  openedAt: number;
  heldAt: number;
  /** When it may count, if no other link was opened meanwhile (epoch ms). */
  confirmAt: number;
}

/** Dwell answers on hold, and the queue the due sweep confirms them from. */
export interface HeldAnswerStore {
  hold(invitationId: string, held: HeldAnswer): Promise<void>;
  getHeld(invitationId: string): Promise<HeldAnswer | undefined>;
  /** Removes the held answer if it is still the one held at `heldAt`. */
  release(invitationId: string, heldAt: number): Promise<void>;
  /** Invitations whose held answer is due by `now`, oldest first. */
  listDue(now: Date, limit: number): Promise<string[]>;
}

/** What was removed for one customer (GDPR erasure); counts only. */
export interface ErasureCounts {
  profiles: number;
  invitations: number;
  responses: number;
  alerts: number;
  /** Event dedupe markers kept (so a redelivered event stays a duplicate) without the customer id. */
  eventMarkersAnonymized: number;
  /** Anything else stored under the customer or their invitations (link opens, e-mail lookups…). */
  otherItems: number;
}

export interface ErasureStore {
  /** Customer ids that have used this e-mail address (through hashed lookup entries). */
  customerIdsByEmail(email: string): Promise<string[]>;
  /** The e-mail address and phone number on the customer's profile (their tombstones are left before erasing). */
  contactsOf(customerId: string): Promise<ErasedSubject>;
  /** Deletes the customer's personal data; idempotent (a second call finds nothing and counts zeros). */
  eraseCustomer(customerId: string): Promise<ErasureCounts>;
}

/** Whom an erasure was about: a customer id, and the contacts it used (only keyed hashes of them are kept). */
export interface ErasedSubject {
  customerId?: string;
  email?: string;
  phone?: string;
}

/**
 * Tombstones of erasure (docs/architecture.md "Erasure that stays erased"). Stream records, retries,
 * redriven DLQ messages and replayed quarantine items may reach a consumer after the customer was erased:
 * EVERY consumer that writes or sends something about a customer asks `isErased` first and drops the
 * record when it answers true. A tombstone holds a keyed hash and a time, and lives as long as the
 * longest replay window (ERASURE_TOMBSTONE_DAYS).
 */
export interface ErasureLedger {
  /** Leaves a tombstone per customer id and per contact given; idempotent. */
  recordErasure(subject: ErasedSubject, at: string): Promise<void>;
  /** True when the customer, or any contact given, was erased (within the tombstones' life). */
  isErased(subject: ErasedSubject): Promise<boolean>;
}

export interface OutgoingEmail {
  to: string;
  /** The store's sender (surveys settings `stores.<store>.sender`) and display name (its brand); absent: the sender's default. */
  from?: { address: string; name?: string };
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags?: OutgoingEmailTags;
}

export interface OutgoingEmailTags {
  /** Carried into SES bounce and complaint events, so the feedback finds its invitation. */
  invitation?: string;
}

export interface EmailSender {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface SmsSender {
  send(sms: { to: string; body: string }): Promise<{ messageId: string }>;
}

/** A send failure the sender classified: transient ones are retried later, permanent ones recorded. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The provider is rate-limiting us (SES/SNS throttling): retry later, and send nothing more this sweep. */
    readonly throttled = false,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

export interface LinkSigner {
  sign(invitationId: string): string;
  /** The invitation id a token stands for, or undefined when the token is forged or malformed. */
  verify(token: string): string | undefined;
}

export interface BucketKey {
  metric: Metric;
  dimension: SegmentDimension;
  value: string;
  day: string; // yyyy-mm-dd (UTC)
}

export interface DailyBucket extends BucketKey {
  histogram: Histogram;
}

export interface ScoreReader {
  /** Daily buckets of one metric and dimension for days in [fromDay, toDay]. */
  readBuckets(metric: Metric, dimension: SegmentDimension, fromDay: string, toDay: string): Promise<DailyBucket[]>;
}

export interface AlertStore {
  /** Creates the alert unless one with its id exists; returns false when it already existed. */
  createAlert(alert: Alert): Promise<boolean>;
  getAlert(id: string): Promise<Alert | undefined>;
  /** Newest first; with a team view, only the alerts it shows (surveys/alert-teams.ts), still up to `limit`. */
  listAlerts(status?: AlertStatus, limit?: number, view?: TeamView): Promise<Alert[]>;
  /** Replaces the alert if its stored revision is `expectedRevision` (0: none yet), else ConcurrentUpdateError. */
  saveAlert(next: Alert, expectedRevision: number): Promise<void>;
  /** Alerts whose `dueAt` has come (the alert sweep's work), oldest first. */
  listDueAlerts(now: string, limit: number): Promise<Alert[]>;
  /** Deletes the alert (its customer was erased after it was written); idempotent. */
  deleteAlert(id: string): Promise<void>;
  /** Every alert of a status created in [from, to] (statistics). */
  listAlertsCreatedBetween(status: AlertStatus, from: string, to: string): Promise<Alert[]>;
}

/** What an alert tells a lead about the customer: who they are and what they answered before. */
export interface CustomerHistoryReader {
  getProfile(customerId: string): Promise<CustomerProfile | undefined>;
  /** The customer's latest responses, newest first. */
  listCustomerResponses(customerId: string, limit: number): Promise<SurveyResponse[]>;
}

/** Customer health profiles (surveys/churn-risk.ts), one per customer. */
export interface HealthStore {
  getHealth(customerId: string): Promise<CustomerHealth | undefined>;
  /** Writes `next` if the stored version is `expectedVersion` (0: none yet), else ConcurrentUpdateError. */
  putHealth(next: CustomerHealth, expectedVersion: number): Promise<void>;
  /** Customers whose risk may have risen by time alone (`recheckAt` has come). */
  listHealthRechecks(now: string, limit: number): Promise<string[]>;
}

export interface AlertPublisher {
  publish(message: { subject: string; body: string; attributes: Record<string, string> }): Promise<void>;
}

export type { Channel };

/** What the audit log records: who did what to which target, when; never a payload or personal data. */
export const AUDIT_ACTIONS = ['export', 'erasure', 'ack', 'resolve', 'quarantine-payload', 'quarantine-replay'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  at: string;
  action: AuditAction;
  actor: { kind: 'person' | 'machine'; id: string; name: string };
  /** The alert id, the export's path, a keyed hash of an erased customer id, a quarantine item id. */
  target?: string;
  /** A short, non-personal detail: the outcome, a count, a root cause. */
  detail?: string;
}

/** The audit log of exports, erasures, acks, resolves and quarantine replays (docs/security.md). */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Entries of the last `days` UTC days ending `today`, newest first, at most `limit`. */
  list(query: { today: string; days: number; limit: number }): Promise<AuditEntry[]>;
}
