/**
 * EventBridge rule target: one commerce event per invocation — a survey trigger (order.delivered,
 * ticket.solved) or a cancelling event (order.refunded, ticket.reopened). An event that fails
 * validation can never succeed on retry, so it is quarantined with its reason; other errors throw,
 * and Lambda's async retries and on-failure destination take over.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { incomingEventSchema } from '#surveys/model.ts';
import { receiveEvent, type ReceiveOutcome } from '#surveys/use-cases/receive-event.ts';
import { quarantine, receiveDeps } from '#functions/shared/deps.ts';
import { describeIssues } from '#functions/shared/issues.ts';
import { logger } from '#functions/shared/powertools.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

async function trigger(event: unknown): Promise<ReceiveOutcome | { status: 'quarantined'; errors: string[] }> {
  const parsed = incomingEventSchema.safeParse(event);
  if (!parsed.success) {
    const errors = describeIssues(parsed.error);
    await quarantine('eventbridge', errors.join('; '), event);
    return { status: 'quarantined', errors };
  }
  const outcome = await receiveEvent(parsed.data, receiveDeps());
  logger.info('event received', { eventId: parsed.data.detail.eventId, detailType: parsed.data['detail-type'], outcome: outcome.status });
  return outcome;
}

export const handler = middy(trigger).use(injectLambdaContext(logger)).use(contactHashKey());
