/**
 * Webhook deliveries shaped like the providers' published examples, signed like the providers sign
 * them: Shopify's sample `orders/fulfilled` and `refunds/create` payloads (trimmed to the fields that
 * matter, 64-bit ids kept as the numbers Shopify sends) and a Zendesk trigger webhook with the JSON body
 * docs/webhooks.md tells admins to paste.
 */
import { createHmac } from 'node:crypto';

export const SHOPIFY_SECRET = 'shpss_test_0123456789abcdef0123456789abcdef';
export const ZENDESK_SECRET = 'dGhpc2lzYXplbmRlc2t0ZXN0c2lnbmluZ3NlY3JldA==';

const hmac = (secret: string, ...parts: string[]) => {
  const mac = createHmac('sha256', secret);
  for (const p of parts) mac.update(p);
  return mac.digest('base64');
};

/** Raw JSON text, as Shopify sends it: ids are 64-bit integers that JSON.parse would round. */
export function shopifyOrderFulfilled(o: {
  orderId: string;
  customerId: string;
  email: string;
  locale?: string;
  phone?: string | null;
  smsConsent?: 'subscribed' | 'not_subscribed';
}): string {
  return (
    `{"id":${o.orderId},"admin_graphql_api_id":"gid://shopify/Order/${o.orderId}","email":"${o.email}","phone":null,` +
    `"created_at":"2026-11-18T10:00:00-05:00","updated_at":"${new Date().toISOString()}","currency":"PLN","total_price":"403.00",` +
    `"customer_locale":"${o.locale ?? 'pl'}","financial_status":"paid","fulfillment_status":"fulfilled","name":"#9999","source_name":"web",` +
    `"order_status_url":"https://ankieta-test.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg",` +
    `"note":"ring twice: 1234567890123456789, please",` +
    `"customer":{"id":${o.customerId},"email":"${o.email}","first_name":"Jan","last_name":"Kowalski","state":"enabled",` +
    `"phone":${o.phone ? `"${o.phone}"` : 'null'},"email_marketing_consent":null,"sms_marketing_consent":${o.smsConsent ? `{"state":"${o.smsConsent}","opt_in_level":"single_opt_in"}` : 'null'}},` +
    `"line_items":[{"id":866550311766439020,"title":"IPod Nano - 8GB","quantity":1,"price":"199.00"}]}`
  );
}

export function shopifyRefundCreated(o: { refundId: string; orderId: string }): string {
  return (
    `{"id":${o.refundId},"order_id":${o.orderId},"created_at":"${new Date().toISOString()}","note":"it broke","user_id":null,` +
    `"processed_at":"${new Date().toISOString()}","restock":false,"admin_graphql_api_id":"gid://shopify/Refund/${o.refundId}","refund_line_items":[],"transactions":[]}`
  );
}

export function shopifyHeaders(body: string, o: { topic: string; eventId: string; secret?: string; shop?: string }): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': o.topic,
    'x-shopify-hmac-sha256': hmac(o.secret ?? SHOPIFY_SECRET, body),
    'x-shopify-shop-domain': o.shop ?? 'ankieta-test.myshopify.com',
    'x-shopify-api-version': '2026-01',
    'x-shopify-webhook-id': `wh-${o.eventId}`,
    'x-shopify-event-id': o.eventId,
    'x-shopify-triggered-at': new Date().toISOString(),
  };
}

/** The trigger body of docs/webhooks.md with its placeholders filled as Zendesk would (missing values are ""). */
export function zendeskTicket(o: {
  event: 'ticket.solved' | 'ticket.reopened';
  ticketId: string;
  requesterId: string;
  email?: string;
  phone?: string;
  language?: string;
  group?: string;
  /** The body's own event time (a trigger may send {{ticket.updated_at_with_time}}); else the signature timestamp counts. */
  occurredAt?: string;
}): string {
  return JSON.stringify({
    event: o.event,
    ...(o.occurredAt ? { occurred_at: o.occurredAt } : {}),
    ticket: { id: o.ticketId, group: o.group ?? 'Billing', assignee_id: '376532114', via: 'Mail' },
    requester: {
      id: o.requesterId,
      email: o.email ?? '',
      phone: o.phone ?? '',
      name: 'Anna',
      locale: o.language ?? 'Polski',
      time_zone: 'Warsaw',
      sms_consent: '',
    },
  });
}

/** Zendesk's timestamp format is ISO 8601 without milliseconds ("2021-03-25T05:09:27Z"). */
export const zendeskTimestamp = (at = new Date()) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function zendeskHeaders(body: string, o: { invocationId: string; timestamp?: string; secret?: string }): Record<string, string> {
  const timestamp = o.timestamp ?? zendeskTimestamp();
  return {
    'content-type': 'application/json',
    'user-agent': 'Zendesk Webhook',
    'x-zendesk-account-id': '12514403',
    'x-zendesk-webhook-id': '01F1KRFQ6BG29CNWFR60NK5FNY',
    'x-zendesk-webhook-invocation-id': o.invocationId,
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': hmac(o.secret ?? ZENDESK_SECRET, timestamp, body),
  };
}
