/**
 * Emit outbound events from changes in the table (the DynamoDB stream, off the answer's path: an
 * answer never waits for Slack).
 *
 * Primary course:
 *  1. Turn each change (a final response, an alert, an unsubscribe) into its events (events.ts): none,
 *     one, or a few, each with a deterministic id.
 *  2. Find the endpoints that want each event (routing.ts): active, subscribed to its type, and whose
 *     filter (team, store, survey, alert kind) matches.
 *  3. Give each endpoint its version of the event: the customer's contact masked, or whole when the
 *     endpoint is trusted; then queue one job per (endpoint, event) and note the delivery as pending.
 *     Queue first, note second: a crash in between queues the job again on the replay, and the
 *     delivery's claim (deliver.ts) makes the second copy a no-op.
 */
import type { Alert, SurveyResponse } from '../model.ts';
import type { CustomerHistoryReader, CustomerProfile } from '../ports.ts';
import { alertLink } from '../templates/alert.ts';
import { alertEvents, customerRef, type OutboundEvent, responseEvent, unsubscribedEvent } from './events.ts';
import type { DeliveryJob, DeliveryQueue, DeliveryStore, EndpointStore } from './ports.ts';
import { endpointsFor } from './routing.ts';

export type OutboundChange =
  | { kind: 'response'; old?: SurveyResponse; new: SurveyResponse }
  | { kind: 'alert'; old?: Alert; new: Alert }
  | { kind: 'suppression'; entry: { channel: 'email' | 'sms'; reason: string; at: string; contactHash: string } };

export interface EmitDeps {
  endpoints: Pick<EndpointStore, 'listEndpoints'>;
  deliveries: Pick<DeliveryStore, 'notePending'>;
  queue: DeliveryQueue;
  customers: Pick<CustomerHistoryReader, 'getProfile'>;
  dashboardUrl: string;
  now: () => Date;
}

export interface EmitSummary {
  events: number;
  jobs: number;
}

function customerOf(change: OutboundChange): string | undefined {
  return change.kind === 'suppression' ? undefined : change.new.customerId;
}

/** The events of one change, with the customer as `trusted` decides. */
function eventsOf(change: OutboundChange, profile: CustomerProfile | undefined, trusted: boolean, dashboardUrl: string): OutboundEvent[] {
  if (change.kind === 'suppression') {
    const e = unsubscribedEvent(change.entry);
    return e ? [e] : [];
  }
  const customer = customerRef(change.new.customerId, profile, trusted);
  if (change.kind === 'response') {
    const e = responseEvent(change, customer);
    return e ? [e] : [];
  }
  return alertEvents(change, customer, alertLink(dashboardUrl, change.new.id));
}

export async function emitOutbound(changes: OutboundChange[], deps: EmitDeps): Promise<EmitSummary> {
  const summary: EmitSummary = { events: 0, jobs: 0 };
  const endpoints = await deps.endpoints.listEndpoints();
  if (!endpoints.some((e) => e.status === 'active')) return summary;
  const jobs: DeliveryJob[] = [];
  for (const change of changes) {
    // Which endpoints want these events (routing does not depend on the contact, so the masked version decides).
    const probe = eventsOf(change, undefined, false, deps.dashboardUrl);
    summary.events += probe.length;
    const routed = probe.map((event) => ({ event, to: endpointsFor(event, endpoints) })).filter((r) => r.to.length);
    if (!routed.length) continue;
    const customerId = customerOf(change);
    const profile = customerId ? await deps.customers.getProfile(customerId) : undefined;
    const masked = eventsOf(change, profile, false, deps.dashboardUrl);
    const whole = routed.some((r) => r.to.some((e) => e.trusted)) ? eventsOf(change, profile, true, deps.dashboardUrl) : masked;
    for (const { event, to } of routed) {
      for (const endpoint of to) {
        const version = (endpoint.trusted ? whole : masked).find((e) => e.id === event.id)!;
        jobs.push({ endpointId: endpoint.id, event: version });
      }
    }
  }
  if (!jobs.length) return summary;
  await deps.queue.enqueue(jobs);
  const at = deps.now().toISOString();
  await Promise.all(jobs.map((j) => deps.deliveries.notePending({ endpointId: j.endpointId, eventId: j.event.id, type: j.event.type, at })));
  summary.jobs = jobs.length;
  return summary;
}
