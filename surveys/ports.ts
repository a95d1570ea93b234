/**
 * What the domain needs from the outside world. Adapters in functions/adapters/ implement these with
 * DynamoDB, SES and SNS; tests implement them in memory or against DynamoDB Local.
 */
import type { Alert, AlertStatus, Channel, Invitation, Metric, SegmentDimension, SurveyResponse } from './model.ts';
import type { Histogram } from './scoring.ts';

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
  version: number;
}

export interface TriggerRecord {
  /** Dedupe key of the commerce event: the same key twice records nothing the second time. */
  eventKey: string;
  invitation: Invitation;
  profile: CustomerProfile;
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
  /** Atomically: event dedupe marker, the invitation, the profile (conditional on its version). */
  recordTrigger(record: TriggerRecord): Promise<void>;
}

export interface InvitationStore {
  listDue(now: string, limit: number): Promise<Invitation[]>;
  /** scheduled -> sending, only if still scheduled (two sweeps never send one invitation twice). */
  claim(invitationId: string, now: string): Promise<Invitation | undefined>;
  markSent(invitationId: string, sentAt: string, expiresAt: string): Promise<void>;
  /** Back to scheduled at `retryAt` (transient failure) or failed for good with a reason. */
  markRetry(invitationId: string, retryAt: string, reason: string): Promise<void>;
  markFailed(invitationId: string, reason: string): Promise<void>;
  getProfile(customerId: string): Promise<CustomerProfile | undefined>;
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
  /** Deletes the customer's personal data; idempotent (a second call finds nothing and counts zeros). */
  eraseCustomer(customerId: string): Promise<ErasureCounts>;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export interface EmailSender {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface SmsSender {
  send(sms: { to: string; body: string }): Promise<{ messageId: string }>;
}

/** A send failure the sender classified: transient ones are retried later, permanent ones recorded. */
export class SendError extends Error {
  constructor(message: string, readonly permanent: boolean) {
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
  markNotified(id: string, at: string): Promise<void>;
  listAlerts(status?: AlertStatus, limit?: number): Promise<Alert[]>;
}

export interface AlertPublisher {
  publish(message: { subject: string; body: string; attributes: Record<string, string> }): Promise<void>;
}

export type { Channel };
