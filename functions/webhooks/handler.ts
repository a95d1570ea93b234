/**
 * POST /webhooks/{source} — Shopify and Zendesk, for shops and helpdesks that only speak webhooks.
 *
 * 1. The signature is checked on the raw body, in constant time, before anything is parsed
 *    (401 naming the check that failed); Zendesk's timestamp must be within 5 minutes.
 * 2. The provider's payload is mapped to the commerce event contract (surveys/webhooks/). Shopify's
 *    dedupe key and store come from the signed body; Zendesk's key is the invocation id (its timestamp
 *    is signed) or, for event subscriptions, the event's own id.
 * 3. receiveWebhook: the event goes the way every event goes (a replayed delivery is a duplicate); a
 *    test notification is skipped; a "delivered" moves the order's pending survey.
 * A topic ankieta does not use is acknowledged (200, "ignored", naming it) so the provider does not
 * retry it; a signed payload that cannot be used is quarantined with its reason (202), since a retry
 * would fail the same way — GET /api/quarantine shows it, POST /api/quarantine/{id}/replay runs it again.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { CountryCode } from 'libphonenumber-js/mobile';
import { receiveWebhook } from '#surveys/use-cases/receive-webhook.ts';
import { verifyShopify, verifyZendesk, type SignatureCheck } from '#surveys/webhooks/signatures.ts';
import { mapShopify, parseShopifyJson } from '#surveys/webhooks/shopify.ts';
import { mapZendesk } from '#surveys/webhooks/zendesk.ts';
import type { WebhookMapping } from '#surveys/webhooks/mapping.ts';
import { surveysSettings } from '#functions/shared/settings.ts';
import { quarantine, SecretUnavailableError, systemClock, webhookDeps, webhookSecret } from '#functions/shared/deps.ts';
import { header, HttpError, json, rawBody, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';
import { describeIssues } from '#functions/shared/issues.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { countEventOutcome, emitMetrics } from '#functions/shared/metrics.ts';
import { logger } from '#functions/shared/powertools.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

type WebhookSource = 'shopify' | 'zendesk';

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined; // signed but not JSON: the mapping names the problem and the body is quarantined
  }
}

/** Checks with the cached secret, and once more with a fresh one (the secret may have been rotated). */
async function checkSignature(source: WebhookSource, check: (secret: string) => SignatureCheck): Promise<void> {
  const secret = (refresh: boolean) =>
    webhookSecret(source, { refresh }).catch((error: unknown) => {
      if (error instanceof SecretUnavailableError) throw new HttpError(503, `the ${source} webhook is not configured: ${error.message}`);
      throw error;
    });
  let result = check(await secret(false));
  if (!result.ok && result.reason === 'bad-signature') result = check(await secret(true));
  if (!result.ok) throw new HttpError(401, `${source} webhook refused: ${result.reason}`);
}

async function fromShopify(event: HttpEvent, body: string): Promise<{ eventId: string; mapping: WebhookMapping }> {
  await checkSignature('shopify', (secret) => verifyShopify({ rawBody: body, signature: header(event, 'x-shopify-hmac-sha256'), secret }));
  // Logged only: the dedupe key comes from the signed body (an unsigned header could be changed on a replay).
  const eventId = header(event, 'x-shopify-event-id') ?? header(event, 'x-shopify-webhook-id') ?? '';
  return { eventId, mapping: mapShopify({ topic: header(event, 'x-shopify-topic'), payload: parseShopifyJson(body), rawBody: body }) };
}

async function fromZendesk(event: HttpEvent, body: string): Promise<{ eventId: string; mapping: WebhookMapping }> {
  const timestamp = header(event, 'x-zendesk-webhook-signature-timestamp');
  const now = systemClock();
  await checkSignature('zendesk', (secret) =>
    verifyZendesk({ rawBody: body, signature: header(event, 'x-zendesk-webhook-signature'), timestamp, secret, now }),
  );
  const eventId = header(event, 'x-zendesk-webhook-invocation-id');
  if (!eventId) throw new HttpError(400, 'X-Zendesk-Webhook-Invocation-Id is required: it is the dedupe key');
  const mapping = mapZendesk({
    accountId: header(event, 'x-zendesk-account-id'),
    invocationId: eventId,
    timestamp: timestamp!,
    payload: parseJson(body),
    rawBody: body,
    defaultRegion: surveysSettings().zendesk.defaultPhoneRegion as CountryCode | undefined,
  });
  return { eventId, mapping };
}

/** Signed but unusable: kept with its reason (GET /api/quarantine), answered 202 so the provider does not retry. */
async function kept(source: string, eventId: string, errors: string[], body: string): Promise<HttpResult> {
  await quarantine(`webhook:${source}`, errors.join('; '), { eventId, body: body.slice(0, 200_000) });
  return json(202, { status: 'quarantined', eventId, errors });
}

async function webhook(event: HttpEvent): Promise<HttpResult> {
  const source = event.pathParameters?.source;
  if (source !== 'shopify' && source !== 'zendesk') throw new HttpError(404, `no webhook for "${source ?? ''}": the sources are shopify and zendesk`);
  const body = rawBody(event);
  const { eventId, mapping } = source === 'shopify' ? await fromShopify(event, body) : await fromZendesk(event, body);

  if (mapping.kind === 'invalid') return kept(source, eventId, describeIssues(mapping.error), body);
  const outcome = await receiveWebhook(mapping, webhookDeps());
  if (outcome.status === 'quarantine') return kept(source, eventId, outcome.errors, body);
  if (outcome.status === 'accepted') countEventOutcome({ status: outcome.outcome, reason: outcome.reason });
  logger.info('webhook received', { source, eventId, status: outcome.status, ...('outcome' in outcome ? { outcome: outcome.outcome } : {}) });
  return json(200, outcome.status === 'ignored' ? { status: 'ignored', eventId, reason: outcome.reason } : outcome);
}

export const handler = middy(webhook).use(injectLambdaContext(logger)).use(contactHashKey()).use(httpErrors()).use(emitMetrics());
