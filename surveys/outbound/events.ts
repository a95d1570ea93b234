/**
 * The events ankieta sends out, built from what changed in the table (a DynamoDB stream record's old
 * and new image): `{ type, timestamp, data }` with a deterministic id, so that a replayed record makes
 * the same event and a delivery is idempotent per (endpoint, event id).
 *
 *  - response.created / response.updated: a final answer, then each newer version (edit, comment).
 *  - alert.created: when the alert is first sent to the leads (after the wait for a comment, so it
 *    carries the comment); alert.acknowledged / alert.resolved on those transitions.
 *  - contact.unsubscribed: an unsubscribe or an SMS STOP (bounces and complaints are not a choice of the customer).
 */
import type { Alert, Language, Metric, Segments, SurveyResponse } from '../model.ts';
import { classify } from '../scoring.ts';
import { maskedContact } from '../templates/alert.ts';
import type { OutboundEventType } from './endpoints.ts';

export interface CustomerRef {
  id: string;
  name?: string;
  maskedContact?: string;
  /** Only for trusted endpoints. */
  email?: string;
  phone?: string;
}

export interface ResponseEventData {
  invitationId: string;
  survey: string;
  metric: Metric;
  score: number;
  category: 'promoter' | 'passive' | 'detractor';
  comment?: string;
  version: number;
  answeredAt: string;
  locale: Language;
  segments: Segments;
  subjectRef: string;
  customer: CustomerRef;
}

export interface AlertEventData {
  alertId: string;
  kind: Alert['kind'];
  status: Alert['status'];
  survey?: string;
  metric?: Metric;
  score?: number;
  comment?: string;
  reasons?: string[];
  riskScore?: number;
  riskBand?: string;
  segments: Segments;
  subjectRef?: string;
  previousScores?: Alert['previousScores'];
  owner?: string;
  resolution?: Alert['resolution'];
  followUp?: Alert['followUp'];
  createdAt: string;
  customer: CustomerRef;
  /** The alert on the dashboard. */
  url: string;
}

export interface UnsubscribedEventData {
  channel: 'email' | 'sms';
  reason: 'unsubscribed' | 'stop';
  at: string;
}

export type OutboundEvent =
  | { id: string; type: 'response.created' | 'response.updated'; timestamp: string; data: ResponseEventData }
  | { id: string; type: 'alert.created' | 'alert.acknowledged' | 'alert.resolved'; timestamp: string; data: AlertEventData }
  | { id: string; type: 'contact.unsubscribed'; timestamp: string; data: UnsubscribedEventData };

/** The body a webhook receives: `{ type, timestamp, data }` (DESIGN.md); the id travels in `webhook-id`. */
export function eventBody(event: OutboundEvent): { type: OutboundEventType; timestamp: string; data: OutboundEvent['data'] } {
  return { type: event.type, timestamp: event.timestamp, data: event.data };
}

/** Standard Webhooks ids are `msg_…`; ours are deterministic so that a replay is the same message. */
const eventId = (...parts: Array<string | number>) => `msg_${parts.join('_').replace(/[^A-Za-z0-9_.-]/g, '-')}`;

export function responseEvent(change: { old?: SurveyResponse; new: SurveyResponse }, customer: CustomerRef): OutboundEvent | undefined {
  const r = change.new;
  if (r.status !== 'final') return undefined;
  if (change.old && change.old.status === 'final' && change.old.version >= r.version) return undefined; // nothing newer
  const type = change.old?.status === 'final' ? 'response.updated' : 'response.created';
  return {
    id: eventId('resp', r.invitationId, `v${r.version}`),
    type,
    timestamp: r.updatedAt,
    data: {
      invitationId: r.invitationId,
      survey: r.surveyId,
      metric: r.metric,
      score: r.score,
      category: classify(r.metric, r.score),
      ...(r.comment ? { comment: r.comment } : {}),
      version: r.version,
      answeredAt: r.answeredAt,
      locale: r.locale,
      segments: r.segments,
      subjectRef: r.subjectRef,
      customer,
    },
  };
}

/** The alert events one change of an alert makes (usually none or one). */
export function alertEvents(change: { old?: Alert; new: Alert }, customer: CustomerRef, alertUrl: string): OutboundEvent[] {
  const { old, new: a } = change;
  const data: AlertEventData = {
    alertId: a.id,
    kind: a.kind,
    status: a.status,
    ...(a.survey ? { survey: a.survey } : {}),
    ...(a.metric ? { metric: a.metric } : {}),
    ...(a.score !== undefined ? { score: a.score } : {}),
    ...(a.comment ? { comment: a.comment } : {}),
    ...(a.reasons ? { reasons: a.reasons } : {}),
    ...(a.riskScore !== undefined ? { riskScore: a.riskScore, riskBand: a.riskBand } : {}),
    segments: a.segments,
    ...(a.subjectRef ? { subjectRef: a.subjectRef } : {}),
    ...(a.previousScores ? { previousScores: a.previousScores } : {}),
    ...(a.owner ? { owner: a.owner } : {}),
    ...(a.resolution ? { resolution: a.resolution } : {}),
    ...(a.followUp ? { followUp: a.followUp } : {}),
    createdAt: a.createdAt,
    customer,
    url: alertUrl,
  };
  const events: OutboundEvent[] = [];
  if (a.notifiedAt && !old?.notifiedAt) events.push({ id: eventId('alert', a.id, 'created'), type: 'alert.created', timestamp: a.notifiedAt, data });
  if (a.ackedAt && !old?.ackedAt) events.push({ id: eventId('alert', a.id, 'acknowledged'), type: 'alert.acknowledged', timestamp: a.ackedAt, data });
  // Resolved by a lead (a closing by the system, edited-to-promoter, is not a lead's act); again after a reopening.
  if (a.status === 'resolved' && old?.status !== 'resolved' && a.resolvedAt && !a.closedReason) {
    events.push({ id: eventId('alert', a.id, 'resolved', a.revision ?? 0), type: 'alert.resolved', timestamp: a.resolvedAt, data });
  }
  return events;
}

export function unsubscribedEvent(entry: { channel: 'email' | 'sms'; reason: string; at: string; contactHash: string }): OutboundEvent | undefined {
  if (entry.reason !== 'unsubscribed' && entry.reason !== 'stop') return undefined;
  return {
    id: eventId('unsub', entry.channel, entry.contactHash.slice(0, 24), Date.parse(entry.at)),
    type: 'contact.unsubscribed',
    timestamp: entry.at,
    data: { channel: entry.channel, reason: entry.reason, at: entry.at },
  };
}

/** The customer as an endpoint may see them: masked unless trusted. */
export function customerRef(customerId: string, profile: { name?: string; email?: string; phone?: string } | undefined, trusted: boolean): CustomerRef {
  const masked = profile ? maskedContact(profile) : undefined;
  return {
    id: customerId,
    ...(profile?.name ? { name: profile.name } : {}),
    ...(masked ? { maskedContact: masked } : {}),
    ...(trusted && profile?.email ? { email: profile.email } : {}),
    ...(trusted && profile?.phone ? { phone: profile.phone } : {}),
  };
}
