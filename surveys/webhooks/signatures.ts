/**
 * Webhook signatures, checked before anything in the body is read or stored.
 *
 * Shopify: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(app secret, raw body)).
 *   https://shopify.dev/docs/apps/build/webhooks/subscribe/https (verify the delivery)
 * Zendesk: `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(signing secret, timestamp + raw body)),
 *   `X-Zendesk-Webhook-Signature-Timestamp` an ISO 8601 time ("2021-03-25T05:09:27Z"). A request older
 *   than 5 minutes (or that far in the future) is refused, so a captured request cannot be replayed later;
 *   a replay within the window is caught by the event dedupe.
 *   https://developer.zendesk.com/documentation/webhooks/verifying/
 *
 * Both compare in constant time (timingSafeEqual over the base64 text: equal-length buffers, and no
 * lenient base64 decoding that would accept several spellings of one MAC).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const ZENDESK_MAX_AGE_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing-signature' | 'bad-signature' | 'bad-timestamp' | 'stale-timestamp' };

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of where they differ.
  if (left.length === right.length) return timingSafeEqual(left, right);
  timingSafeEqual(left, left);
  return false;
}

export function hmacBase64(secret: string, ...parts: Array<string | Buffer>): string {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest('base64');
}

export function verifyShopify(input: { rawBody: string | Buffer; signature: string | undefined; secret: string }): SignatureCheck {
  if (!input.signature) return { ok: false, reason: 'missing-signature' };
  return sameText(input.signature.trim(), hmacBase64(input.secret, input.rawBody)) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

export function verifyZendesk(input: {
  rawBody: string | Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  secret: string;
  now: Date;
  maxAgeSeconds?: number;
}): SignatureCheck {
  if (!input.signature || !input.timestamp) return { ok: false, reason: 'missing-signature' };
  if (!sameText(input.signature.trim(), hmacBase64(input.secret, input.timestamp, input.rawBody))) return { ok: false, reason: 'bad-signature' };
  const at = Date.parse(input.timestamp);
  if (Number.isNaN(at)) return { ok: false, reason: 'bad-timestamp' };
  if (Math.abs(input.now.getTime() - at) > (input.maxAgeSeconds ?? ZENDESK_MAX_AGE_SECONDS) * 1000) return { ok: false, reason: 'stale-timestamp' };
  return { ok: true };
}
