/**
 * EventBridge rule target: one commerce event per invocation — a survey trigger (order.delivered,
 * ticket.solved) or a cancelling event (order.refunded, ticket.reopened) — or one of Shopify's own
 * EventBridge deliveries (partner event source), mapped like its webhooks. An event that fails
 * validation can never succeed on retry, so it is quarantined with its reason; other errors throw,
 * and Lambda's async retries and on-failure destination take over.
 */
import middy from '@middy/core';
import { incomingEventSchema } from '#surveys/model.ts';
import { receiveEvent, type ReceiveOutcome } from '#surveys/use-cases/receive-event.ts';
import { receiveWebhook, type WebhookOutcome } from '#surveys/use-cases/receive-webhook.ts';
import { fromShopifyEventBridge, mapShopify } from '#surveys/webhooks/shopify.ts';
import { quarantine, receiveDeps, webhookDeps } from '#functions/shared/deps.ts';
import { describeIssues, joinIssues } from '#functions/shared/issues.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { countEventOutcome, emitMetrics } from '#functions/shared/metrics.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

type Quarantined = { status: 'quarantined'; errors: string[] };

async function fromShopify(event: unknown, delivery: NonNullable<ReturnType<typeof fromShopifyEventBridge>>): Promise<WebhookOutcome | Quarantined> {
  const mapping = mapShopify(delivery);
  const outcome =
    mapping.kind === 'invalid' ? { status: 'quarantine' as const, errors: describeIssues(mapping.error) } : await receiveWebhook(mapping, webhookDeps());
  if (outcome.status === 'quarantine') {
    await quarantine('eventbridge:shopify', joinIssues(outcome.errors), event);
    return { status: 'quarantined', errors: outcome.errors };
  }
  logger.info('shopify event received', { topic: delivery.topic, status: outcome.status, ...('outcome' in outcome ? { outcome: outcome.outcome } : {}) });
  return outcome;
}

async function trigger(event: unknown): Promise<ReceiveOutcome | WebhookOutcome | Quarantined> {
  const shopify = fromShopifyEventBridge(event);
  if (shopify) return fromShopify(event, shopify);
  const parsed = incomingEventSchema.safeParse(event);
  if (!parsed.success) {
    const errors = describeIssues(parsed.error);
    await quarantine('eventbridge', joinIssues(errors), event);
    return { status: 'quarantined', errors };
  }
  const outcome = await receiveEvent(parsed.data, receiveDeps());
  countEventOutcome(outcome);
  logger.info('event received', { eventId: parsed.data.detail.eventId, detailType: parsed.data['detail-type'], outcome: outcome.status });
  return outcome;
}

export const handler = middy(trigger).use(injectLambdaContext(logger)).use(contactHashKey()).use(emitMetrics());
