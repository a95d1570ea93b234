/**
 * DynamoDB stream consumer of the response funnel (invitation changes and final responses, by the
 * mapping's filters): folds the records into one delta per funnel page and writes each page once per
 * tumbling window (surveys/funnel/, functions/adapters/dynamodb/funnel-pages.ts).
 *
 * Primary course:
 *  1. Parse each record's old and new image (zod); a record that does not parse is quarantined with its reason.
 *  2. Fold the batch into page deltas (pure): one per (segment, day, page), carried in the window's state.
 *  3. In the window's final call, write every page once, conditional on the shard's watermark.
 *  Alternative course: a page write fails → the call fails; Lambda calls again with the same state and the
 *  watermarks skip what was already written (functions/shared/page-window.ts: redeliveries, a state that does
 *  not parse). Mid-window no batch item failure is reported (Lambda checkpoints after the final call only): a
 *  failure throws, the batch is retried from the state before it, and the state's `upTo` skips what it folded.
 */
import middy from '@middy/core';
import { FUNNEL_PAGES_FAMILY, funnelPageFirstSeq, funnelPages, type FunnelPageDelta } from '#surveys/funnel/pages.ts';
import type { FunnelChange } from '#surveys/funnel/steps.ts';
import type { FunnelPageWriter } from '#functions/adapters/dynamodb/funnel-pages.ts';
import { parseFunnelChange } from '#functions/adapters/dynamodb/funnel-records.ts';
import { funnelPageWriter } from '#functions/shared/deps.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';
import { type WindowedResult, type WindowedStreamEvent, writePagesPerWindow } from '#functions/shared/page-window.ts';

export type FunnelStreamEvent = WindowedStreamEvent;
export type FunnelBatchResult = WindowedResult;

async function countFunnel(event: FunnelStreamEvent): Promise<FunnelBatchResult> {
  return countFunnelBatch(event, funnelPageWriter());
}

/** The handler's work with the page writer passed in (tests replay stream batches through it). */
export async function countFunnelBatch(event: FunnelStreamEvent, pageWriter: Pick<FunnelPageWriter, 'apply'>): Promise<FunnelBatchResult> {
  return writePagesPerWindow<FunnelChange & { seq: string }>(
    event,
    'count-funnel',
    (record) => {
      const parsed = parseFunnelChange(record);
      return parsed.ok ? { ok: true, change: { ...parsed.change, seq: parsed.seq } } : parsed;
    },
    [
      {
        name: 'funnel',
        family: FUNNEL_PAGES_FAMILY,
        pagesOf: funnelPages,
        firstSeq: funnelPageFirstSeq,
        apply: (page: FunnelPageDelta, shardId) => pageWriter.apply(page, shardId),
      },
    ],
  );
}

export const handler = middy(countFunnel).use(injectLambdaContext(logger)).use(contactHashKey()); // quarantine refs are keyed hashes
