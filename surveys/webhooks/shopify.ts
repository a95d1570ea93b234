/**
 * Shopify webhooks → the commerce event contract. Pure: the topic and the parsed body in, an event out.
 *
 * Topics (header `X-Shopify-Topic`, or `detail.metadata` on Shopify's EventBridge delivery):
 *  - `orders/fulfilled` → `order.delivered`, with the fulfilment time as the event time. Shopify has no
 *    "delivered" order topic: this is the fallback (fulfilled + the survey's delay) for orders whose
 *    carrier never reports a delivery.
 *  - `fulfillment_events/create` with status `delivered`, `fulfillments/update` with shipment status
 *    `delivered` → the true delivered moment: the pending survey moves to delivered + delay. These
 *    payloads name only the order, so the order's customer is remembered from `orders/fulfilled` or
 *    `orders/create`.
 *  - `orders/create` → nothing to survey yet; its customer is remembered.
 *  - `refunds/create` → `order.refunded`: cancels the order's pending survey.
 *  - anything else → ignored, naming the topic (acknowledged, so Shopify does not retry it).
 * Everything that decides comes from the signed body, never from an unsigned header (a replayed body
 * with another X-Shopify-Event-Id must still be a duplicate): the dedupe key is the topic, the order's
 * id and its `updated_at` (the fulfilment event's or refund's own id for those), the store segment the
 * shop domain of the body's `order_status_url`. Shopify has no signed timestamp, so old events are
 * caught by the survey's maximum event age instead (`stale-event`).
 * A "Send test notification" body (`"test": true`, a sample customer) never surveys anyone.
 * Consent: a survey e-mail is transactional (allowed unless refused); SMS only when the customer's
 * `sms_marketing_consent.state` is "subscribed".
 */
import * as z from '../zod.ts';
import { adminError, asEvent, e164, idText, localeTag, optionalText, type OrderSnapshot, type WebhookMapping } from './mapping.ts';

export interface ShopifyDelivery {
  topic: string | undefined;
  /** The parsed body (parseShopifyJson keeps 64-bit ids exact); undefined when it was not JSON. */
  payload: unknown;
  /** The raw body, to tell an XML delivery from a broken one. */
  rawBody?: string;
}

const isoWithOffset = z.string().check(z.trim(), z.minLength(1));

/**
 * Every object's `id` from its `admin_graphql_api_id` (`gid://shopify/Order/820982911946154508`) when it
 * has one: on EventBridge's path Lambda has parsed the body with JSON.parse, which rounds 64-bit ids.
 * An id still rounded after this (no GraphQL id) is refused by the id schema, never used wrong.
 */
function preferGraphqlIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(preferGraphqlIds);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, preferGraphqlIds(v)]));
  const gid = typeof out.admin_graphql_api_id === 'string' ? /^gid:\/\/shopify\/\w+\/(\d+)$/.exec(out.admin_graphql_api_id)?.[1] : undefined;
  if (gid) out.id = gid;
  return out;
}

const customerSchema = z.object({
  id: idText,

  email: optionalText(254),
  phone: optionalText(32),
  first_name: optionalText(200),
  locale: optionalText(35),
  sms_marketing_consent: z.nullish(z.object({ state: z.string() })),
});

const orderSchema = z.object({
  id: idText,

  email: optionalText(254),
  phone: optionalText(32),
  customer: z.nullish(customerSchema),
  customer_locale: optionalText(35),
  total_price: z.optional(z.pipe(z.union([z.string(), z.number()]), z.transform(Number))),
  currency: optionalText(3),
  source_name: optionalText(64),
  order_status_url: optionalText(2048),
  test: z.nullish(z.boolean()),
  updated_at: isoWithOffset,
  fulfillments: z.nullish(z.array(z.object({ created_at: optionalText(40), status: optionalText(40) }))),
});

const refundSchema = z.object({
  id: idText,
  order_id: idText,
  created_at: isoWithOffset,
});

/** `fulfillment_events/create`: one carrier status of one fulfilment. */
const fulfillmentEventSchema = z.object({
  id: idText,
  order_id: idText,
  status: z.string(),
  happened_at: optionalText(40),
  created_at: isoWithOffset,
});

/** `fulfillments/update`: the fulfilment, with the carrier's latest `shipment_status`. */
const fulfillmentSchema = z.object({
  id: idText,
  order_id: idText,
  shipment_status: z.nullish(z.string()),
  updated_at: isoWithOffset,
});

export const SHOPIFY_TOPICS = {
  created: 'orders/create',
  fulfilled: 'orders/fulfilled',
  refund: 'refunds/create',
  fulfillmentEvent: 'fulfillment_events/create',
  fulfillmentUpdate: 'fulfillments/update',
} as const;

/** Events of all shops share one source: Shopify's ids are unique across shops. */
export const SHOPIFY_SOURCE = 'shopify';

/**
 * JSON.parse, keeping integers beyond 2^53 exact: Shopify ids are 64-bit numbers in the JSON
 * ("id": 820982911946154508), which JSON.parse would round, so two orders could share an id. Such
 * integers become strings; everything inside JSON strings is left as it is. Undefined when not JSON.
 */
export function parseShopifyJson(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      out += text.slice(start, ++i);
    } else if ((c === '-' || (c >= '0' && c <= '9')) && /[:,[\s]$/.test(out.trimEnd().slice(-1) || ':')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) {
        out += c; // a lone minus is not a number: JSON.parse below refuses it
        i++;
        continue;
      }
      const digits = m[0].replace('-', '');
      out += !m[1] && !m[2] && digits.length > 15 ? `"${m[0]}"` : m[0];
      i += m[0].length || 1;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

/** The shop's domain from a URL in the signed body (`order_status_url`), the store segment. */
function shopOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.slice(0, 64) || undefined;
  } catch {
    return undefined;
  }
}

const ignoredTopic = (topic: string | undefined): WebhookMapping => ({
  kind: 'ignored',
  reason: `topic ${topic ?? '(none)'} is not used by ankieta: acknowledged and dropped; unsubscribe it in Shopify to save the deliveries`,
});

export function mapShopify(delivery: ShopifyDelivery): WebhookMapping {
  const { topic } = delivery;
  const known = Object.values(SHOPIFY_TOPICS) as string[];
  if (!topic || !known.includes(topic)) return ignoredTopic(topic);
  if (delivery.payload === undefined) {
    return {
      kind: 'invalid',
      error: adminError(
        delivery.rawBody && /^\s*</.test(delivery.rawBody)
          ? 'the body is XML: set the webhook format to JSON (Shopify admin → Settings → Notifications → Webhooks, or format: JSON in the subscription)'
          : 'the body is not JSON',
      ),
    };
  }

  if (topic === SHOPIFY_TOPICS.refund) {
    const refund = refundSchema.safeParse(preferGraphqlIds(delivery.payload));
    if (!refund.success) return { kind: 'invalid', error: refund.error };
    const r = refund.data;
    return asEvent({
      source: SHOPIFY_SOURCE,
      'detail-type': 'order.refunded',
      detail: { eventId: `${topic}:${r.order_id}:${r.id}`, occurredAt: r.created_at, order: { id: r.order_id } },
    });
  }
  const payload = preferGraphqlIds(delivery.payload);
  if (topic === SHOPIFY_TOPICS.fulfillmentEvent || topic === SHOPIFY_TOPICS.fulfillmentUpdate) return mapDelivered(topic, payload);
  return mapOrder(topic, payload);
}

function mapDelivered(topic: string, payload: unknown): WebhookMapping {
  let seen: { orderId: string; status: string | null | undefined; occurredAt: string; eventId: string };
  if (topic === SHOPIFY_TOPICS.fulfillmentEvent) {
    const parsed = fulfillmentEventSchema.safeParse(payload);
    if (!parsed.success) return { kind: 'invalid', error: parsed.error };
    const f = parsed.data;
    seen = { orderId: f.order_id, status: f.status, occurredAt: f.happened_at ?? f.created_at, eventId: `${topic}:${f.order_id}:${f.id}` };
  } else {
    const parsed = fulfillmentSchema.safeParse(payload);
    if (!parsed.success) return { kind: 'invalid', error: parsed.error };
    const f = parsed.data;
    seen = { orderId: f.order_id, status: f.shipment_status, occurredAt: f.updated_at, eventId: `${topic}:${f.order_id}:${f.updated_at}` };
  }
  if (seen.status !== 'delivered') return { kind: 'ignored', reason: `${topic} with status ${seen.status ?? '(none)'}: only "delivered" moves a survey` };
  return { kind: 'delivered', source: SHOPIFY_SOURCE, orderId: seen.orderId, eventId: seen.eventId, occurredAt: seen.occurredAt };
}

function mapOrder(topic: string, payload: unknown): WebhookMapping {
  const order = orderSchema.safeParse(payload);
  if (!order.success) return { kind: 'invalid', error: order.error };
  const o = order.data;
  if (o.test) {
    const detail = `a Shopify test notification (order ${o.id}, "test": true) surveys nobody`;
    return { kind: 'skipped', reason: 'test-notification', detail, eventId: `${topic}:${o.id}:${o.updated_at}` };
  }
  if (!o.customer) return { kind: 'ignored', reason: 'the order has no customer record to survey' };
  const c = o.customer;
  const phone = e164(c.phone ?? o.phone);
  const locale = localeTag(o.customer_locale ?? c.locale);
  const store = shopOf(o.order_status_url);
  const snapshot = {
    source: SHOPIFY_SOURCE,
    customer: {
      id: c.id,
      ...((c.email ?? o.email) ? { email: c.email ?? o.email } : {}),
      ...(phone ? { phone } : {}),
      ...(locale ? { locale } : {}),
      ...(c.first_name ? { name: c.first_name } : {}),
      consent: { sms: c.sms_marketing_consent?.state === 'subscribed' },
    },
    order: {
      id: o.id,
      ...(o.total_price !== undefined && Number.isFinite(o.total_price) ? { total: o.total_price } : {}),
      ...(o.currency ? { currency: o.currency } : {}),
      ...(store ? { store } : {}),
      ...(o.source_name ? { channel: o.source_name } : {}),
    },
  };
  if (topic === SHOPIFY_TOPICS.created) {
    return { kind: 'ignored', reason: 'orders/create: the customer is remembered for the delivery events', remember: snapshot as OrderSnapshot };
  }
  // The fulfilment's own time when the body has it (the last one: the order became fulfilled then).
  const fulfilledAt = o.fulfillments
    ?.map((f) => f.created_at)
    .filter((t): t is string => !!t && !Number.isNaN(Date.parse(t)))
    .sort()
    .at(-1);
  const mapping = asEvent({
    source: SHOPIFY_SOURCE,
    'detail-type': 'order.delivered',
    detail: { eventId: `${topic}:${o.id}:${o.updated_at}`, occurredAt: fulfilledAt ?? o.updated_at, ...snapshot },
  });
  return mapping.kind === 'event' ? { ...mapping, remember: snapshot as OrderSnapshot } : mapping;
}

/**
 * Shopify's own Amazon EventBridge delivery (a partner event source): every topic arrives with
 * `detail-type` "shopifyWebhook", the topic in `detail.metadata["X-Shopify-Topic"]` and the body in
 * `detail.payload` (already parsed by Lambda: 64-bit ids may be rounded, so the admin GraphQL ids count).
 * https://shopify.dev/docs/apps/build/webhooks/subscribe/get-started?deliveryMethod=eventBridge
 * EventBridge itself vouches for the sender (the partner source is bound to this account): no HMAC.
 */
export const shopifyPartnerEventSchema = z.object({
  source: z.string().check(z.startsWith('aws.partner/shopify.com')),
  'detail-type': z.literal('shopifyWebhook'),
  detail: z.object({ payload: z.unknown(), metadata: z.looseObject({ 'X-Shopify-Topic': z.string() }) }),
});

/** The delivery in an EventBridge event, or undefined when it is not one of Shopify's. */
export function fromShopifyEventBridge(event: unknown): ShopifyDelivery | undefined {
  const parsed = shopifyPartnerEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  return { topic: parsed.data.detail.metadata['X-Shopify-Topic'], payload: parsed.data.detail.payload ?? {} };
}
