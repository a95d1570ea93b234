/**
 * Sends an outbound request: a short timeout, no redirects followed (a receiver cannot bounce us to
 * another host), and webhooks signed per Standard Webhooks with the maintained `standardwebhooks`
 * package (https://github.com/standard-webhooks/standard-webhooks): `webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. Errors name the status or the
 * failure, never the URL (a Slack or Teams URL is a credential).
 */
import { Webhook } from 'standardwebhooks';
import type { OutboundRequest, OutboundSender } from '#surveys/outbound/ports.ts';
import type { AttemptResult } from '#surveys/outbound/routing.ts';

/** What is kept of an answer: Zendesk's ticket id is near the top. */
const MAX_ANSWER_BYTES = 64 * 1024;

export function signatureHeaders(signing: NonNullable<OutboundRequest['signing']>, body: string): Record<string, string> {
  return {
    'webhook-id': signing.messageId,
    'webhook-timestamp': String(Math.floor(signing.timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(signing.secret).sign(signing.messageId, signing.timestamp, body),
  };
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
