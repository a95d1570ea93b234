/**
 * What a mapped webhook (or Shopify's EventBridge delivery) leads to, beyond a plain event.
 *
 * Primary course:
 *  1. A mapped event: remember the order's customer when the mapping says so (orders/create,
 *     orders/fulfilled), then receive the event like any other (receiveEvent).
 *  Alternative courses:
 *  - test notification: skipped with reason `test-notification`; nothing stored, nobody asked.
 *  - delivered (Shopify fulfilment event): the order's pending surveys move to delivered + delay (never
 *    earlier than they were); when the order has no survey yet, the remembered customer is surveyed as
 *    for `order.delivered`; when the customer was never seen, the delivery is quarantined saying which
 *    topic to subscribe (replayable once it is).
 *  - needs contact (Zendesk event subscription): the requester's e-mail or phone comes from the stored
 *    profile; without one the delivery is quarantined saying why.
 *  - ignored: acknowledged with its reason (the customer may still be remembered).
 */
import { surveyById } from '../catalogue.ts';
import { describeIssues } from '../issues.ts';
import type { WebhookMapping } from '../webhooks/mapping.ts';
import { asEvent, type OrderSnapshot } from '../webhooks/mapping.ts';
import { describeOutcome, type ReceiveDeps, receiveEvent } from './receive-event.ts';
import { subjectKey } from './trigger-survey.ts';

/** Orders' customers, remembered for the delivery events that name only the order; and moving a pending send. */
export interface OrderMemory {
  rememberOrder(snapshot: OrderSnapshot, expiresAt: string): Promise<void>;
  recallOrder(source: string, orderId: string): Promise<OrderSnapshot | undefined>;
  /** scheduled → the new send time; false when it is no longer scheduled. */
  reschedule(invitationId: string, sendAt: string): Promise<boolean>;
}

export interface WebhookDeps extends ReceiveDeps {
  orders: OrderMemory;
}

/** How long an order's customer is remembered: longer than any carrier takes to deliver. */
export const ORDER_MEMORY_DAYS = 90;

export type WebhookOutcome =
  | { status: 'accepted'; eventId: string; detailType: string; outcome: string; invitationId?: string; sendAt?: string; reason?: string }
  | { status: 'ignored'; reason: string }
  /** Signed but unusable: the caller keeps it in quarantine with these errors. */
  | { status: 'quarantine'; errors: string[] };

export async function receiveWebhook(mapping: Exclude<WebhookMapping, { kind: 'invalid' }>, deps: WebhookDeps): Promise<WebhookOutcome> {
  const remember = 'remember' in mapping ? mapping.remember : undefined;
  if (remember) {
    const expiresAt = new Date(deps.now().getTime() + ORDER_MEMORY_DAYS * 86_400_000).toISOString();
    await deps.orders.rememberOrder(remember, expiresAt);
  }
  switch (mapping.kind) {
    case 'ignored':
      return { status: 'ignored', reason: mapping.reason };
    case 'skipped':
      return {
        status: 'accepted',
        eventId: mapping.eventId,
        detailType: 'order.delivered',
        outcome: 'skipped',
        reason: `${mapping.reason}: ${mapping.detail}`,
      };
    case 'event': {
      const outcome = await receiveEvent(mapping.event, deps);
      return { status: 'accepted', eventId: mapping.event.detail.eventId, detailType: mapping.event['detail-type'], ...describeOutcome(outcome) };
    }
    case 'needs-contact':
      return withStoredContact(mapping.candidate, deps);
    case 'delivered':
      return delivered(mapping, deps);
  }
}

async function withStoredContact(candidate: Extract<WebhookMapping, { kind: 'needs-contact' }>['candidate'], deps: WebhookDeps): Promise<WebhookOutcome> {
  const id = candidate.detail.customer.id;
  const profile = await deps.store.getProfile(id);
  if (!profile?.email && !profile?.phone) {
    return {
      status: 'quarantine',
      errors: [
        `customer ${id}: the event names the requester by id only and ankieta knows no e-mail or phone for them; ` +
          'send ticket.solved from a trigger with the requester placeholders (docs/webhooks.md), then replay this item',
      ],
    };
  }
  const customer = { id, ...(profile.email ? { email: profile.email } : {}), ...(profile.phone ? { phone: profile.phone } : {}) };
  const mapped = asEvent({ ...candidate, detail: { ...candidate.detail, customer } });
  if (mapped.kind !== 'event') return { status: 'quarantine', errors: mapped.kind === 'invalid' ? describeIssues(mapped.error) : [] };
  return receiveWebhook(mapped, deps);
}

async function delivered(d: Extract<WebhookMapping, { kind: 'delivered' }>, deps: WebhookDeps): Promise<WebhookOutcome> {
  const answer = { eventId: d.eventId, detailType: 'order.delivered' };
  const invitations = await deps.cancellations.invitationsAbout(subjectKey({ type: 'order', id: d.orderId }));
  if (invitations.length > 0) {
    const now = deps.now().getTime();
    const moved: string[] = [];
    let sendAt: string | undefined;
    for (const invitation of invitations.filter((i) => i.status === 'scheduled')) {
      const survey = surveyById(invitation.surveyId, deps.catalogue);
      if (!survey) continue;
      const target = new Date(Math.max(now, Date.parse(d.occurredAt) + survey.delaySeconds * (deps.delayScale ?? 1) * 1000)).toISOString();
      if (target <= invitation.sendAt) continue; // never earlier than the fallback already planned
      if (await deps.orders.reschedule(invitation.id, target)) {
        moved.push(invitation.id);
        sendAt ??= target;
      }
    }
    if (moved.length) return { status: 'accepted', ...answer, outcome: 'rescheduled', invitationId: moved[0], sendAt, reason: `delivered at ${d.occurredAt}` };
    return { status: 'accepted', ...answer, outcome: 'nothing-pending', reason: `the survey about order ${d.orderId} is no longer waiting (sent or decided)` };
  }
  const snapshot = await deps.orders.recallOrder(d.source, d.orderId);
  if (!snapshot) {
    return {
      status: 'quarantine',
      errors: [
        `order ${d.orderId}: a delivery event names only the order, and no orders/create or orders/fulfilled delivery told ankieta its customer; ` +
          'subscribe orders/create (or orders/fulfilled), then replay this item',
      ],
    };
  }
  const mapped = asEvent({
    source: d.source,
    'detail-type': 'order.delivered',
    detail: { eventId: d.eventId, occurredAt: d.occurredAt, customer: snapshot.customer, order: snapshot.order },
  });
  if (mapped.kind !== 'event') return { status: 'quarantine', errors: mapped.kind === 'invalid' ? describeIssues(mapped.error) : [] };
  return receiveWebhook(mapped, deps);
}
