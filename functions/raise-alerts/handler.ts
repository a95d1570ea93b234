/**
 * DynamoDB stream consumer (final responses that are or were a detractor's: DETRACTOR_RESPONSE_FILTER):
 * raises a detractor alert per response, keeps it in step with later versions (comment, edits), and
 * notifies the leads when the comment wait allows. Answers are counted by trackHealth, which sees them all.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { raiseDetractorAlert } from '#surveys/use-cases/raise-alert.ts';
import { parseResponseChange } from '#functions/adapters/dynamodb/table/stream-images.ts';
import { notifyDeps } from '#functions/shared/alerts.ts';
import { customerHistory, quarantine } from '#functions/shared/deps.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { countMetric, emitMetrics } from '#functions/shared/metrics.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function recordHandler(record: DynamoDBRecord): Promise<void> {
  const parsed = parseResponseChange(record);
  if (!parsed.ok) return quarantine('raise-alerts', parsed.reason, record);
  const outcome = await raiseDetractorAlert({ old: parsed.old, new: parsed.new }, { ...notifyDeps(), customers: customerHistory() });
  if (outcome.status === 'raised') {
    countMetric('detractors', parsed.new.metric);
    countMetric('alerts', 'detractor');
  }
  if (outcome.status !== 'not-a-detractor') logger.info('detractor alert', { ...outcome });
}

async function raiseAlerts(event: DynamoDBStreamEvent) {
  return processPartialResponse(event, recordHandler, processor, { processInParallel: false });
}

export const handler = middy(raiseAlerts).use(injectLambdaContext(logger)).use(contactHashKey()).use(emitMetrics());
