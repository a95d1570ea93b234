/**
 * Shopify webhooks → the commerce event contract. Pure: headers and the parsed body in, an event out.
 *
 * Topics (header `X-Shopify-Topic`):
 *  - `orders/fulfilled` → `order.delivered`. Shopify has no "delivered" order topic; an order is
 *    fulfilled when it ships, so the NPS delay (3 days by default) also covers the transit.
 *  - `refunds/create` → `order.refunded`: cancels the order's pending survey.
 *  - anything else → ignored (acknowledged, so Shopify does not retry it).
 * The event id is `X-Shopify-Event-Id` (the same on every delivery of one event: Shopify's own dedupe
 * key), else `X-Shopify-Webhook-Id`; the source is `shopify:<shop domain>`, so two shops never share ids.
 * Consent: a survey e-mail is transactional (allowed unless refused); SMS only when the customer's
 * `sms_marketing_consent.state` is "subscribed".
 */
import * as z from '../zod.ts';
import { asEvent, e164, idText, localeTag, optionalText, type WebhookMapping } from './mapping.ts';

export interface ShopifyDelivery {
  topic: string | undefined;
  shopDomain: string | undefined;
  eventId: string | undefined;
  payload: unknown;
}

const isoWithOffset = z.string().check(z.trim(), z.minLength(1));

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
  updated_at: isoWithOffset,
});

const refundSchema = z.object({
  order_id: idText,
  created_at: isoWithOffset,
});

export const SHOPIFY_TOPICS = { fulfilled: 'orders/fulfilled', refund: 'refunds/create' } as const;

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

export function mapShopify(delivery: ShopifyDelivery): WebhookMapping {
  const source = `shopify:${delivery.shopDomain ?? 'unknown-shop'}`;
  const eventId = delivery.eventId;
  if (delivery.topic !== SHOPIFY_TOPICS.fulfilled && delivery.topic !== SHOPIFY_TOPICS.refund) {
    return { kind: 'ignored', reason: `topic ${delivery.topic ?? '(none)'} does not trigger or cancel a survey` };
  }

  if (delivery.topic === SHOPIFY_TOPICS.refund) {
    const refund = refundSchema.safeParse(delivery.payload);
    if (!refund.success) return { kind: 'invalid', error: refund.error };
    return asEvent({
      source,
      'detail-type': 'order.refunded',
      detail: { eventId, occurredAt: refund.data.created_at, order: { id: refund.data.order_id } },
    });
  }

  const order = orderSchema.safeParse(delivery.payload);
  if (!order.success) return { kind: 'invalid', error: order.error };
  const o = order.data;
  if (!o.customer) return { kind: 'ignored', reason: 'the order has no customer record to survey' };
  const c = o.customer;
  const phone = e164(c.phone ?? o.phone);
  return asEvent({
    source,
    'detail-type': 'order.delivered',
    detail: {
      eventId,
      occurredAt: o.updated_at,
      customer: {
        id: c.id,
        ...((c.email ?? o.email) ? { email: c.email ?? o.email } : {}),
        ...(phone ? { phone } : {}),
        ...(localeTag(o.customer_locale ?? c.locale) ? { locale: localeTag(o.customer_locale ?? c.locale) } : {}),
        ...(c.first_name ? { name: c.first_name } : {}),
        consent: { sms: c.sms_marketing_consent?.state === 'subscribed' },
      },
      order: {
        id: o.id,
        ...(o.total_price !== undefined && Number.isFinite(o.total_price) ? { total: o.total_price } : {}),
        ...(o.currency ? { currency: o.currency } : {}),
        store: delivery.shopDomain?.slice(0, 64),
        ...(o.source_name ? { channel: o.source_name } : {}),
      },
    },
  });
}
