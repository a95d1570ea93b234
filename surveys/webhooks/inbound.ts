/**
 * One webhook delivery, from its raw body and headers to a mapped event: the signature first, then the
 * provider's mapping. The webhook function runs it on every request; a quarantine replay runs it again
 * on the delivery as it was kept, so a replay passes the same check as the original request did.
 *
 * The Zendesk timestamp is checked against `receivedAt`: now for a request, the time the request was
 * received for a replay (it was fresh then; the HMAC still proves the body and timestamp are Zendesk's).
 */
import type { CountryCode } from 'libphonenumber-js/mobile';
import type { WebhookMapping } from './mapping.ts';
import { mapShopify, parseShopifyJson } from './shopify.ts';
import { type SignatureCheck, verifyShopify, verifyZendesk } from './signatures.ts';
import { mapZendesk } from './zendesk.ts';

/** The headers a delivery's check and mapping read: all that quarantine keeps besides the raw body. */
export const WEBHOOK_HEADERS = {
  shopify: ['x-shopify-hmac-sha256', 'x-shopify-topic', 'x-shopify-event-id', 'x-shopify-webhook-id', 'x-shopify-shop-domain'],
  zendesk: ['x-zendesk-webhook-signature', 'x-zendesk-webhook-signature-timestamp', 'x-zendesk-webhook-invocation-id', 'x-zendesk-account-id'],
} as const;

export type WebhookSource = keyof typeof WEBHOOK_HEADERS;

export interface WebhookDelivery {
  source: WebhookSource;
  /** Lower-case names, only those of WEBHOOK_HEADERS. */
  headers: Record<string, string>;
  body: string;
}

/** The signing secret is not set (503 to the provider: it retries). */
export class WebhookNotConfigured extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookNotConfigured';
  }
}

export interface InboundDeps {
  /** The provider's signing secret; `refresh` asks for a fresh copy. Throws WebhookNotConfigured when there is none. */
  secret(source: WebhookSource, refresh: boolean): Promise<string>;
  receivedAt: Date;
  defaultRegion?: CountryCode;
}

export type Inbound = { ok: true; eventId: string; mapping: WebhookMapping } | { ok: false; status: 400 | 401 | 503; reason: string };

export function isWebhookSource(source: string | undefined): source is WebhookSource {
  return source === 'shopify' || source === 'zendesk';
}

/** The headers of WEBHOOK_HEADERS that a request carries, by lower-case name. */
export function webhookHeaders(source: WebhookSource, header: (name: string) => string | undefined): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of WEBHOOK_HEADERS[source]) {
    const value = header(name);
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined; // signed but not JSON: the mapping names the problem and the body is quarantined
  }
}

/** Checks with the cached secret, and once more with a fresh one (the secret may have been rotated). */
async function signed(delivery: WebhookDelivery, deps: InboundDeps, check: (secret: string) => SignatureCheck): Promise<Inbound | undefined> {
  try {
    let result = check(await deps.secret(delivery.source, false));
    if (!result.ok && result.reason === 'bad-signature') result = check(await deps.secret(delivery.source, true));
    return result.ok ? undefined : { ok: false, status: 401, reason: `${delivery.source} webhook refused: ${result.reason}` };
  } catch (error) {
    if (error instanceof WebhookNotConfigured) return { ok: false, status: 503, reason: `the ${delivery.source} webhook is not configured: ${error.message}` };
    throw error;
  }
}

export async function verifyAndMap(delivery: WebhookDelivery, deps: InboundDeps): Promise<Inbound> {
  const h = delivery.headers;
  const body = delivery.body;
  if (delivery.source === 'shopify') {
    const refused = await signed(delivery, deps, (secret) => verifyShopify({ rawBody: body, signature: h['x-shopify-hmac-sha256'], secret }));
    if (refused) return refused;
    // Logged only: the dedupe key comes from the signed body (an unsigned header could be changed on a replay).
    const eventId = h['x-shopify-event-id'] ?? h['x-shopify-webhook-id'] ?? '';
    return { ok: true, eventId, mapping: mapShopify({ topic: h['x-shopify-topic'], payload: parseShopifyJson(body), rawBody: body }) };
  }
  const timestamp = h['x-zendesk-webhook-signature-timestamp'];
  const refused = await signed(delivery, deps, (secret) =>
    verifyZendesk({ rawBody: body, signature: h['x-zendesk-webhook-signature'], timestamp, secret, now: deps.receivedAt }),
  );
  if (refused) return refused;
  const eventId = h['x-zendesk-webhook-invocation-id'];
  if (!eventId) return { ok: false, status: 400, reason: 'X-Zendesk-Webhook-Invocation-Id is required: it is the dedupe key' };
  const mapping = mapZendesk({
    accountId: h['x-zendesk-account-id'],
    invocationId: eventId,
    timestamp: timestamp!,
    payload: parseJson(body),
    rawBody: body,
    defaultRegion: deps.defaultRegion,
  });
  return { ok: true, eventId, mapping };
}

/** zod issues as short messages that name the field (as functions/shared/issues.ts words them). */
