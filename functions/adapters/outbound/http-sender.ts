/**
 * Sends an outbound request: a short timeout, no redirects followed (a receiver cannot bounce us to
 * another host), and webhooks signed per Standard Webhooks (https://github.com/standard-webhooks/standard-webhooks):
 * `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`
 * with the key the `whsec_` secret encodes. Errors name the status or the failure, never the URL (a
 * Slack or Teams URL is a credential).
 *
 * The signature is node:crypto's HMAC, not the `standardwebhooks` package's `sign`: that package brings
 * its own SHA-256 and base64 in JavaScript (~11 KB of the deliverOutbound bundle, bench/RESULTS.md);
 * test/unit/standard-webhooks-signature.test.ts checks both give the same signature, and the test
 * receivers verify with the package.
 */
import { createHmac } from 'node:crypto';
import type { OutboundRequest, OutboundSender } from '#surveys/outbound/ports.ts';
import type { AttemptResult } from '#surveys/outbound/routing.ts';

/** What is kept of an answer: Zendesk's ticket id is near the top. */
const MAX_ANSWER_BYTES = 64 * 1024;

export function signatureHeaders(signing: NonNullable<OutboundRequest['signing']>, body: string): Record<string, string> {
  return {
    'webhook-id': signing.messageId,
    'webhook-timestamp': String(Math.floor(signing.timestamp.getTime() / 1000)),
    'webhook-signature': standardWebhookSignature(signing.secret, signing.messageId, signing.timestamp, body),
  };
}

/** `v1,<signature>` of Standard Webhooks: HMAC-SHA256 under the base64 key after `whsec_`, of "id.timestamp.body". */
export function standardWebhookSignature(secret: string, messageId: string, timestamp: Date, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  if (key.length === 0) throw new Error("Secret can't be empty.");
  const signed = `${messageId}.${Math.floor(timestamp.getTime() / 1000)}.${body}`;
  return `v1,${createHmac('sha256', key).update(signed, 'utf8').digest('base64')}`;
}

export class FetchOutboundSender implements OutboundSender {
  async send(request: OutboundRequest): Promise<AttemptResult & { responseBody?: string }> {
    const headers = { 'user-agent': 'ankieta-outbound/1', ...request.headers, ...(request.signing ? signatureHeaders(request.signing, request.body) : {}) };
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs),
      });
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      const what = e.name === 'TimeoutError' ? `timeout after ${request.timeoutMs} ms` : (e.cause?.code ?? e.name ?? 'network error');
      return { ok: false, error: what };
    }
    const text = (await response.text().catch(() => '')).slice(0, MAX_ANSWER_BYTES);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, responseBody: text };
    return { ok: false, status: response.status, error: `HTTP ${response.status}` };
  }
}
