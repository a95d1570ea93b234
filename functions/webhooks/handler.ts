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
import { receiveWebhook } from '#surveys/use-cases/receive-webhook.ts';
import { isWebhookSource, verifyAndMap, webhookHeaders, type WebhookDelivery } from '#surveys/webhooks/inbound.ts';
import { inboundDeps, quarantine, systemClock, webhookDeps } from '#functions/shared/deps.ts';
import { header, HttpError, json, rawBody, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';
import { describeIssues, joinIssues } from '#functions/shared/issues.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { countEventOutcome, emitMetrics } from '#functions/shared/metrics.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

/**
 * Signed but unusable: kept with its reason (GET /api/quarantine), answered 202 so the provider does not retry.
 * The whole body and the signature headers are kept, so that a replay verifies the signature again.
 */
async function kept(delivery: WebhookDelivery, eventId: string, errors: string[]): Promise<HttpResult> {
  await quarantine(`webhook:${delivery.source}`, joinIssues(errors), { eventId, body: delivery.body, headers: delivery.headers });
  return json(202, { status: 'quarantined', eventId, errors });
}

async function webhook(event: HttpEvent): Promise<HttpResult> {
  const source = event.pathParameters?.source;
  if (!isWebhookSource(source)) throw new HttpError(404, `no webhook for "${source ?? ''}": the sources are shopify and zendesk`);
  const delivery = { source, headers: webhookHeaders(source, (name) => header(event, name)), body: rawBody(event) };
  const inbound = await verifyAndMap(delivery, inboundDeps(systemClock()));
  if (!inbound.ok) throw new HttpError(inbound.status, inbound.reason);
  const { eventId, mapping } = inbound;

  if (mapping.kind === 'invalid') return kept(delivery, eventId, describeIssues(mapping.error));
  const outcome = await receiveWebhook(mapping, webhookDeps());
  if (outcome.status === 'quarantine') return kept(delivery, eventId, outcome.errors);
  if (outcome.status === 'accepted') countEventOutcome({ status: outcome.outcome, reason: outcome.reason });
  logger.info('webhook received', { source, eventId, status: outcome.status, ...('outcome' in outcome ? { outcome: outcome.outcome } : {}) });
  return json(200, outcome.status === 'ignored' ? { status: 'ignored', eventId, reason: outcome.reason } : outcome);
}

export const handler = middy(webhook).use(injectLambdaContext(logger)).use(contactHashKey()).use(httpErrors()).use(emitMetrics());
