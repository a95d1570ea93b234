/**
 * DynamoDB stream consumer (final answers, alert writes, unsubscribes): turns them into outbound events
 * and queues one delivery job per interested endpoint. Off the answer's path: the answer was saved
 * before this runs, and Slack or a slow receiver never delays it.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { emitOutbound } from '#surveys/outbound/emit.ts';
import { parseOutboundChange } from '../adapters/dynamodb/outbound-records.ts';
import { emitDeps } from '../shared/outbound.ts';
import { quarantine } from '../shared/deps.ts';
import { injectLambdaContext, logger } from '../shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function recordHandler(record: DynamoDBRecord): Promise<void> {
  const parsed = parseOutboundChange(record);
  if (!parsed.ok) return quarantine('emit-outbound', parsed.reason, record);
  const summary = await emitOutbound([parsed.change], emitDeps());
  if (summary.jobs) logger.info('outbound events queued', { ...summary });
}

async function emitOutboundHandler(event: DynamoDBStreamEvent) {
  // In order: a resolve must not overtake the acknowledgment of the same alert.
  return processPartialResponse(event, recordHandler, processor, { processInParallel: false });
}

export const handler = middy(emitOutboundHandler).use(injectLambdaContext(logger)).use(contactHashKey()); // quarantine refs are keyed hashes;
