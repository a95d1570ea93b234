/**
 * The domain's vocabulary: commerce events in, invitations, responses, alerts.
 * Every input crossing an edge is parsed with these zod schemas (DESIGN.md "Events in" is the contract).
 */
import * as z from './zod.ts';

export const METRICS = ['nps', 'csat', 'ces'] as const;
export type Metric = (typeof METRICS)[number];

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SUPPORTED_LOCALES = ['en', 'pl'] as const;
export type Language = (typeof SUPPORTED_LOCALES)[number];

const isoDateTime = z.iso.datetime({ offset: true });
/** A string of `min` to `max` characters (zod/mini: lengths are checks). */
const chars = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const upTo = (max: number) => z.optional(chars(0, max));
const nonEmpty = z.string().check(z.minLength(1));

export const customerSchema = z.object({
  id: chars(1, 128),
  email: z.optional(z.email().check(z.maxLength(254))),
  phone: z.optional(z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, 'phone must be E.164, e.g. +48600100200'))),
  locale: z.optional(chars(2, 35)), // absent: the stored profile's, else English
  name: upTo(200),
  timezone: upTo(64),
  consent: z.optional(z.object({ email: z.optional(z.boolean()), sms: z.optional(z.boolean()) })),
});
export type Customer = z.infer<typeof customerSchema>;

export const orderSchema = z.object({
  id: chars(1, 128),
  total: z.optional(z.number().check(z.nonnegative())),
  currency: z.optional(z.string().check(z.length(3))),
  store: upTo(64),
  channel: upTo(64),
});

export const ticketSchema = z.object({
  id: chars(1, 128),
  agentId: upTo(128),
  team: upTo(64),
  channel: upTo(64),
  subject: upTo(500),
});

const detailBase = {
  eventId: chars(1, 256),
  occurredAt: isoDateTime,
  customer: customerSchema.check(
    z.refine((c) => c.email !== undefined || c.phone !== undefined, {
      message: 'customer needs an email or a phone',
    }),
  ),
};

export const orderDeliveredSchema = z.object({
  source: chars(1, 256),
  'detail-type': z.literal('order.delivered'),
  detail: z.object({ ...detailBase, order: orderSchema }),
});

export const ticketSolvedSchema = z.object({
  source: chars(1, 256),
  'detail-type': z.literal('ticket.solved'),
  detail: z.object({ ...detailBase, ticket: ticketSchema }),
});

/** A commerce event as EventBridge delivers it and as `POST /events` accepts it. */
export const commerceEventSchema = z.discriminatedUnion('detail-type', [orderDeliveredSchema, ticketSolvedSchema]);
export type CommerceEvent = z.infer<typeof commerceEventSchema>;
export type EventType = CommerceEvent['detail-type'];

/**
 * Events that take back a survey still pending for their order or ticket: a refund, a reopened ticket.
 * They carry no contact data (a refund record often has none); the customer id is optional.
 */
const cancellingDetailBase = {
  eventId: detailBase.eventId,
  occurredAt: detailBase.occurredAt,
  customer: z.optional(z.object({ id: chars(1, 128) })),
};

export const orderRefundedSchema = z.object({
  source: chars(1, 256),
  'detail-type': z.literal('order.refunded'),
  detail: z.object({ ...cancellingDetailBase, order: z.object({ id: orderSchema.shape.id }) }),
});

export const ticketReopenedSchema = z.object({
  source: chars(1, 256),
  'detail-type': z.literal('ticket.reopened'),
  detail: z.object({ ...cancellingDetailBase, ticket: z.object({ id: ticketSchema.shape.id }) }),
});

export const cancellingEventSchema = z.discriminatedUnion('detail-type', [orderRefundedSchema, ticketReopenedSchema]);
export type CancellingEvent = z.infer<typeof cancellingEventSchema>;

/** Everything the bus, `POST /events` and the webhooks accept: survey triggers and cancelling events. */
export const incomingEventSchema = z.discriminatedUnion('detail-type', [orderDeliveredSchema, ticketSolvedSchema, orderRefundedSchema, ticketReopenedSchema]);
export type IncomingEvent = z.infer<typeof incomingEventSchema>;
export type IncomingEventType = IncomingEvent['detail-type'];

export function isCancellingEvent(event: IncomingEvent): event is CancellingEvent {
  return event['detail-type'] === 'order.refunded' || event['detail-type'] === 'ticket.reopened';
}

/** What a survey is about, as one key: `order#o-9`, `ticket#t-42`. */
export function subjectOf(event: IncomingEvent): { type: 'order' | 'ticket'; id: string } {
  return 'order' in event.detail ? { type: 'order', id: event.detail.order.id } : { type: 'ticket', id: event.detail.ticket.id };
}

/** Where a response is counted: every dimension a support lead can slice scores by. */
export const SEGMENT_DIMENSIONS = ['all', 'survey', 'channel', 'agent', 'team', 'store', 'locale', 'evidence'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];
/** The invitation's segments; `evidence` is the response's own (SurveyResponse.evidence). */
export type Segments = Partial<Record<Exclude<SegmentDimension, 'all' | 'evidence'>, string>>;

export type InvitationStatus = 'scheduled' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'skipped';

/** One survey to one customer, created by a trigger, sent by the due sweep, answered through its link. */
export interface Invitation {
  id: string;
  surveyId: string;
  metric: Metric;
  channel: Channel;
  customerId: string;
  locale: Language;
  eventId: string;
  eventType: EventType;
  subjectRef: string; // order or ticket id the survey is about
  segments: Segments;
  status: InvitationStatus;
  createdAt: string;
  sendAt: string;
  sentAt?: string;
  expiresAt?: string;
  failureReason?: string;
  attempts?: number;
  /** Orders of the same customer delivered while this survey was pending: one survey asks about them all. */
  mergedSubjectRefs?: string[];
  /** Set on a survey asked together with another one of the same event (CES with CSAT). */
  companionOf?: string;
  /** SHA-256 of the address or number it was sent to: unsubscribe suppresses exactly that one. */
  contactHash?: string;
  /** When the optional reminder is due (only while unanswered), and when it went out. */
  reminderAt?: string;
  remindedAt?: string;
  cancelledAt?: string;
  /** Funnel marks (surveys/funnel/marks.ts): SES delivery, a person's first open, unsubscribe, complaint; a permanent bounce. */
  deliveredAt?: string;
  openedAt?: string;
  unsubscribedAt?: string;
  complainedAt?: string;
  bouncedAt?: string;
}

export type ResponseStatus = 'final';

/** What made an answer a person's (surveys/human-evidence.ts): the page's script after an interaction or a dwell, the form's button, an SMS reply, an imported history. */
export const EVIDENCE_KINDS = ['dwell', 'interaction', 'button', 'sms', 'import'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
/** Evidence that needs no hold and that a dwell never overrides; the dashboard can show scores from these alone. */
export const STRONG_EVIDENCE: readonly EvidenceKind[] = ['interaction', 'button', 'sms', 'import'];

/** A customer's answer. `version` grows with each edit so the aggregator sees old -> new. */
export interface SurveyResponse {
  invitationId: string;
  surveyId: string;
  metric: Metric;
  customerId: string;
  score: number;
  comment?: string;
  segments: Segments;
  locale: Language;
  subjectRef: string;
  status: ResponseStatus;
  version: number;
  answeredAt: string; // first final answer; the day it is counted on
  updatedAt: string;
  /** The strongest evidence seen for this answer; absent on responses stored before it was kept. */
  evidence?: EvidenceKind;
  /** Topics and sentiment of the comment (surveys/insights/), written by the classifying stream consumer. */
  insights?: z.infer<typeof storedInsightsSchema>;
  /** When its survey was sent: the funnel counts the answer in the cohort of its send (surveys/funnel/steps.ts). */
  sentAt?: string;
  /**
   * This or an earlier version scored a detractor (record-response.ts keeps it once set): only such a
   * response can have a detractor alert, so the alert consumer's stream filter passes only these.
   */
  everDetractor?: true;
}

export type AlertKind = 'detractor' | 'churn-risk';
export const ALERT_STATUSES = ['open', 'acked', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Why a case happened, chosen by the lead who resolves it (statistics group by it). */
export const ROOT_CAUSES = ['product', 'delivery', 'support', 'billing', 'price', 'website', 'communication', 'other'] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

/** A score the customer gave before the one an alert is about (context for the lead). */
export interface PreviousScore {
  survey: string;
  metric: Metric;
  score: number;
  at: string;
}

/** An alert to the support leads: open → acked (owner) → resolved (note, root cause). */
export interface Alert {
  id: string;
  kind: AlertKind;
  customerId: string;
  survey?: string;
  metric?: Metric;
  score?: number;
  comment?: string;
  reasons?: string[];
  segments: Segments;
  subjectRef?: string;
  status: AlertStatus;
  createdAt: string;
  notifiedAt?: string;
  /** Optimistic concurrency: every change is written conditionally on the revision it read. */
  revision?: number;
  updatedAt?: string;
  /** Context: who the customer is (the contact masked, e.g. a***@example.com) and what they said before. */
  customerName?: string;
  maskedContact?: string;
  previousScores?: PreviousScore[];
  /** Detractor alerts: the response version the alert reflects (a later comment or edit updates it). */
  responseVersion?: number;
  /** Churn-risk alerts: the 0-100 risk and its band when raised. */
  riskScore?: number;
  riskBand?: string;
  /** Notification: not before notifyAfter (the wait for a comment); a claim guards the publish. */
  notifyAfter?: string;
  notifyClaimAt?: string;
  reminders?: number;
  lastRemindedAt?: string;
  /** Next time the alert sweep must act on it (notify, remind); absent when nothing is pending. */
  dueAt?: string;
  owner?: string;
  ackedAt?: string;
  resolvedAt?: string;
  resolution?: { note: string; rootCause: RootCause; by: string };
  /** Detractor alerts with a comment: its topics (taxonomy ids) and sentiment (surveys/insights/). */
  topics?: string[];
  sentiment?: 'negative' | 'neutral' | 'positive';
  /** Set when the system closed the alert itself, e.g. the customer edited the answer to a promoter score. */
  closedReason?: 'edited-to-promoter';
  /** The follow-up opened in the helpdesk for it (issue 14: a Zendesk ticket, or a private note on the rated ticket). */
  followUp?: { system: 'zendesk'; ticketId: number; kind: 'ticket' | 'note'; url?: string };
}

/** Picks the language of texts from a BCP 47 locale such as "pl-PL"; English is the fallback. */
export function languageOf(locale: string | undefined): Language {
  const primary = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(primary ?? '') ? (primary as Language) : 'en';
}

/** The classification of a response's comment as stored on it (version: the response version classified). */
export const storedInsightsSchema = z.object({
  topics: z.array(chars(1, 40)).check(z.maxLength(50)),
  sentiment: z.enum(['negative', 'neutral', 'positive']),
  sentimentScore: z.number().check(z.gte(-1), z.lte(1)),
  version: z.int().check(z.positive()),
});

/** A stored response as the stream carries it; validated before the aggregator or alerts trust it. */
export const responseRecordSchema = z.object({
  invitationId: nonEmpty,
  surveyId: nonEmpty,
  metric: z.enum(METRICS),
  customerId: nonEmpty,
  score: z.int(),
  comment: z.optional(z.string()),
  segments: z.record(z.string(), z.string()),
  locale: z.enum(SUPPORTED_LOCALES),
  subjectRef: z.string(),
  status: z.literal('final'),
  version: z.int().check(z.positive()),
  answeredAt: isoDateTime,
  updatedAt: isoDateTime,
  evidence: z.optional(z.enum(EVIDENCE_KINDS)),
  insights: z.optional(storedInsightsSchema),
  everDetractor: z.optional(z.literal(true)),
});
