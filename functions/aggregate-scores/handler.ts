/**
 * DynamoDB stream consumer (final responses only, by the mapping's filter): folds a whole batch into
 * one delta per daily score page, and per daily topic page (the comment classification stored on the
 * responses, surveys/insights/pages.ts), and applies each exactly once (see score-buckets.ts).
 *
 * The mapping uses a tumbling window only because Lambda then puts the shard id in the event: the
 * per-shard watermark needs it. On a failed page write, the batch reports its earliest change to
 * that page as failed; Lambda resumes there and the watermarks skip what was already applied.
 */
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { pageFirstSeq, preAggregate, toPages } from '#surveys/aggregation.ts';
import { preAggregateTopics } from '#surveys/insights/pages.ts';
import type { ScoreBucketWriter } from '#functions/adapters/dynamodb/score-buckets.ts';
import { parseResponseChange } from '#functions/adapters/dynamodb/table/stream-images.ts';
import { quarantine, scoreBucketWriter, topicWriter } from '#functions/shared/deps.ts';
import { emitMetrics } from '#functions/shared/metrics.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

export type AggregateEvent = DynamoDBStreamEvent & { shardId?: string; state?: Record<string, string> };
export interface AggregateResult {
  batchItemFailures: Array<{ itemIdentifier: string }>;
  state: Record<string, string>;
}

async function aggregate(event: AggregateEvent): Promise<AggregateResult> {
  return aggregateBatch(event, scoreBucketWriter(), topicWriter());
}

/** The handler's work, with the page writers passed in (tests replay stream batches through them). */
export async function aggregateBatch(
  event: AggregateEvent,
  writer: Pick<ScoreBucketWriter, 'apply'>,
  topics?: Pick<ScoreBucketWriter, 'apply'>,
): Promise<AggregateResult> {
  const shardId = event.shardId ?? 'default';
  const changes = [];
  for (const record of event.Records) {
    const parsed = parseResponseChange(record);
    if (parsed.ok) changes.push({ seq: parsed.seq, old: parsed.old, new: parsed.new });
    else await quarantine('aggregate-scores', parsed.reason, record);
  }

  const pages = [
    ...toPages(preAggregate(changes)).map((page) => ({ page, to: writer })),
    ...(topics ? toPages(preAggregateTopics(changes)).map((page) => ({ page, to: topics })) : []),
  ];
  const failedFrom: string[] = [];
  const results = await Promise.allSettled(pages.map(({ page, to }) => to.apply(page, shardId)));
  results.forEach((r, i) => {
    if (r.status === 'rejected') {
      failedFrom.push(pageFirstSeq(pages[i]!.page));
      logger.warn('bucket write failed; batch will resume from its first change', { error: r.reason as Error });
    }
  });
  // Lambda resumes from the lowest reported sequence number; report the original record's string.
  const earliest = failedFrom.sort()[0];
  const failure = earliest ? event.Records.find((r) => r.dynamodb?.SequenceNumber?.padStart(40, '0') === earliest) : undefined;
  logger.info('aggregated', { records: event.Records.length, pages: pages.length, failed: failedFrom.length });
  return { batchItemFailures: failure ? [{ itemIdentifier: failure.dynamodb!.SequenceNumber! }] : [], state: {} };
}

export const handler = middy(aggregate).use(injectLambdaContext(logger)).use(contactHashKey()).use(emitMetrics());
