/**
 * DynamoDB stream consumer of the response funnel (invitation changes and final responses, by the
 * mapping's filters): folds a batch into one delta per funnel page and writes each page once
 * (surveys/funnel/, functions/adapters/dynamodb/funnel-pages.ts).
 *
 * Primary course:
 *  1. Parse each record's old and new image (zod); a record that does not parse is quarantined with its reason.
 *  2. Fold the batch into page deltas (pure): one per (segment, day, page).
 *  3. Write every page once, conditional on the shard's watermark.
 *  Alternative course: a page write fails → the batch reports the earliest change of that page as
 *  failed; Lambda resumes there and the watermarks skip what was already written.
 * The shard id comes from the tumbling-window event (its state is unused), as for the scores.
 */
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { padSeq } from '#surveys/aggregation.ts';
import { funnelPageFirstSeq, funnelPages } from '#surveys/funnel/pages.ts';
import type { FunnelPageWriter } from '#functions/adapters/dynamodb/funnel-pages.ts';
import { parseFunnelChange } from '#functions/adapters/dynamodb/funnel-records.ts';
import { funnelPageWriter, quarantine } from '#functions/shared/deps.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

export type FunnelStreamEvent = DynamoDBStreamEvent & { shardId?: string; state?: Record<string, string> };
export interface FunnelBatchResult {
  batchItemFailures: Array<{ itemIdentifier: string }>;
  state: Record<string, string>;
}

async function countFunnel(event: FunnelStreamEvent): Promise<FunnelBatchResult> {
  return countFunnelBatch(event, funnelPageWriter());
}

/** The handler's work with the page writer passed in (tests replay stream batches through it). */
export async function countFunnelBatch(event: FunnelStreamEvent, pageWriter: Pick<FunnelPageWriter, 'apply'>): Promise<FunnelBatchResult> {
  const shardId = event.shardId ?? 'default';
  const changes = [];
  for (const record of event.Records) {
    const parsed = parseFunnelChange(record);
    if (parsed.ok) changes.push({ ...parsed.change, seq: parsed.seq });
    else await quarantine('count-funnel', parsed.reason, record);
  }
  const pages = funnelPages(changes);
  const results = await Promise.allSettled(pages.map((page) => pageWriter.apply(page, shardId)));
  const failedFrom = pages.filter((_, i) => results[i]!.status === 'rejected').map(funnelPageFirstSeq);
  for (const r of results)
    if (r.status === 'rejected') logger.warn('funnel page write failed; the batch resumes from its first change', { error: r.reason as Error });
  const earliest = failedFrom.sort()[0];
  // Lambda resumes from the reported record: name it by its own sequence number string.
  const failure = earliest ? event.Records.find((r) => padSeq(r.dynamodb?.SequenceNumber ?? '') === earliest) : undefined;
  logger.info('funnel counted', { records: event.Records.length, pages: pages.length, failed: failedFrom.length });
  return { batchItemFailures: failure ? [{ itemIdentifier: failure.dynamodb!.SequenceNumber! }] : [], state: {} };
}

export const handler = middy(countFunnel).use(injectLambdaContext(logger)).use(contactHashKey()); // quarantine refs are keyed hashes;
