/**
 * DynamoDB stream consumer (final responses only, by the mapping's filter): folds the records into one
 * delta per daily score page, and per daily topic page (the comment classification stored on the
 * responses, surveys/insights/pages.ts), and applies each exactly once (see score-buckets.ts).
 *
 * The mapping has a 15-minute tumbling window (functions/manifest.ts PAGE_WINDOW_SECONDS): the deltas of
 * the window's batches are carried in its state and every page is written once, in the window's final
 * call, conditional on the shard's watermark (functions/shared/page-window.ts: the course, what a failed
 * write or a redelivered record does). Mid-window no batch item failure is reported: Lambda checkpoints only
 * after the final call, so a failure throws and the batch is retried from the state before it; the state's
 * `upTo` keeps a record folded twice from counting twice.
 */
import middy from '@middy/core';
import { BUCKET_PAGES, pageFirstSeq, preAggregate, toPages, type PageDelta } from '#surveys/aggregation.ts';
import { preAggregateTopics } from '#surveys/insights/pages.ts';
import type { ScoreBucketWriter } from '#functions/adapters/dynamodb/score-buckets.ts';
import { parseResponseChange } from '#functions/adapters/dynamodb/table/stream-images.ts';
import { scoreBucketWriter, topicWriter } from '#functions/shared/deps.ts';
import { emitMetrics } from '#functions/shared/metrics.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';
import { type FamilyWriter, type WindowedResult, type WindowedStreamEvent, writePagesPerWindow } from '#functions/shared/page-window.ts';

export type AggregateEvent = WindowedStreamEvent;
export type AggregateResult = WindowedResult;
type Change = Parameters<typeof preAggregate>[0][number];

async function aggregate(event: AggregateEvent): Promise<AggregateResult> {
  return aggregateBatch(event, scoreBucketWriter(), topicWriter());
}

const pageFamily = (name: string, fold: (changes: Change[]) => PageDelta[], to: Pick<ScoreBucketWriter, 'apply'>): FamilyWriter<Change, PageDelta> => ({
  name,
  family: BUCKET_PAGES,
  pagesOf: fold,
  firstSeq: pageFirstSeq,
  apply: (page, shardId) => to.apply(page, shardId),
});

/** The handler's work, with the page writers passed in (tests replay stream batches through them). */
export async function aggregateBatch(
  event: AggregateEvent,
  writer: Pick<ScoreBucketWriter, 'apply'>,
  topics?: Pick<ScoreBucketWriter, 'apply'>,
): Promise<AggregateResult> {
  const families = [pageFamily('scores', (changes) => toPages(preAggregate(changes)), writer)];
  if (topics) families.push(pageFamily('topics', (changes) => toPages(preAggregateTopics(changes)), topics));
  return writePagesPerWindow(
    event,
    'aggregate-scores',
    (record) => {
      const parsed = parseResponseChange(record);
      return parsed.ok ? { ok: true, change: { seq: parsed.seq, old: parsed.old, new: parsed.new } } : parsed;
    },
    families,
  );
}

export const handler = middy(aggregate).use(injectLambdaContext(logger)).use(contactHashKey()).use(emitMetrics());
