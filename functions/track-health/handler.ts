/**
 * DynamoDB stream consumer (final responses and commerce events): keeps each customer's health profile
 * and raises a churn-risk alert when the risk crosses the threshold.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { trackHealth } from '#surveys/use-cases/track-health.ts';
import { churnModel, healthStore, notifyDeps } from '#functions/shared/alerts.ts';
import { customerHistory, quarantine } from '#functions/shared/deps.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { countMetric, emitMetrics } from '#functions/shared/metrics.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';
import { parseHealthRecord } from '#functions/adapters/dynamodb/table/stream-images.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function recordHandler(record: DynamoDBRecord): Promise<void> {
  const parsed = parseHealthRecord(record);
  if (parsed.kind === 'invalid') return quarantine('track-health', parsed.reason, record);
  if (parsed.kind === 'ignored') return void logger.info('not a health fact', { reason: parsed.reason });
  // Every live answer reaches this consumer (the alert consumer sees only detractors'): count it here, once.
  if (parsed.newAnswer && parsed.fact.kind === 'answer') countMetric('answers', parsed.fact.answer.metric);
  const outcome = await trackHealth(parsed.customerId, parsed.fact, {
    ...notifyDeps(),
    health: healthStore(),
    customers: customerHistory(),
    model: churnModel(),
  });
  if (outcome.alert && outcome.alert.notification !== 'already-done') countMetric('alerts', 'churn-risk');
  if (outcome.alert) logger.info('churn-risk alert', { risk: outcome.risk, band: outcome.band, ...outcome.alert });
}

async function trackHealthBatch(event: DynamoDBStreamEvent) {
  // In order: two facts of one customer race for the same profile item otherwise.
  return processPartialResponse(event, recordHandler, processor, { processInParallel: false });
}

export const handler = middy(trackHealthBatch).use(injectLambdaContext(logger)).use(contactHashKey()).use(emitMetrics());
