/**
 * DynamoDB stream consumer (final responses only): classifies each new or edited comment (topics and
 * sentiment, surveys/insights/) and stores the result on the response, once per response version. The
 * stored classification then reaches the topic pages through the aggregator, exactly once like scores.
 * Logs say which cues matched, never the comment.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createClassifier } from '#surveys/insights/classify.ts';
import { classifyResponse } from '#surveys/use-cases/classify-response.ts';
import { parseResponseChange } from '#functions/adapters/dynamodb/table/stream-images.ts';
import { insightsWriter, quarantine } from '#functions/shared/deps.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);
// The default taxonomy until the survey settings (issue 11) carry one.
const classifier = createClassifier();

async function recordHandler(record: DynamoDBRecord): Promise<void> {
  const parsed = parseResponseChange(record);
  if (!parsed.ok) return quarantine('classify-comments', parsed.reason, record);
  const outcome = await classifyResponse(parsed.new, { classifier, writer: insightsWriter() });
  if (outcome.status === 'stored' || outcome.status === 'superseded') {
    const { topics, sentiment } = outcome.insights;
    logger.info('comment classified', { status: outcome.status, topics, sentiment, cues: outcome.evidence.map((e) => `${e.topic}:${e.cue}`) });
  }
}

async function classifyComments(event: DynamoDBStreamEvent) {
  return processPartialResponse(event, recordHandler, processor, { processInParallel: false });
}

export const handler = middy(classifyComments).use(injectLambdaContext(logger)).use(contactHashKey()); // quarantine refs are keyed hashes;
