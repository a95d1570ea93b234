/**
 * The pure part of `bench/shop-month.ts`: a page writer's stream records, each at its time, cut into the
 * batches Lambda hands over (bench/aggregate-levels.ts `batchesOf`: a batch goes when its window has passed
 * since its first record or when it is full), and each batch's page writes counted by the writer's own fold
 * (one conditional write per page the batch touches). A page writer with a tumbling window (the deployed
 * ones, functions/manifest.ts PAGE_WINDOW_SECONDS) folds every batch of a window into its state and writes
 * once per page the window touches, in one more call: the window's final call.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { parseFunnelChange } from '../functions/adapters/dynamodb/funnel-records.ts';
import { parseResponseChange } from '../functions/adapters/dynamodb/table/stream-images.ts';
import type { StreamBatching } from '../functions/manifest.ts';
import { preAggregate, toPages } from '../surveys/aggregation.ts';
import { funnelPages } from '../surveys/funnel/pages.ts';
import { preAggregateTopics } from '../surveys/insights/pages.ts';
import { batchesOf, handOverTime, windowRanges } from './aggregate-levels.ts';

export interface Timed<R> {
  /** Seconds since the start of the month. */
  at: number;
  record: R;
}

export interface WriterTally {
  records: number;
  calls: number;
  writes: number;
  /** When each record's batch was handed over (s), in the order of the sorted records. */
  handedOverAt: number[];
}

/**
 * Cuts records (sorted by time: one shard keeps stream order) into batches and counts one call and
 * `pagesOf(batch)` writes per batch.
 */
export function tallyWriter<R>(records: Array<Timed<R>>, batching: StreamBatching, pagesOf: (batch: R[]) => number): WriterTally {
  const times = records.map((r) => r.at);
  const handedOverAt: number[] = [];
  let writes = 0;
  const batches = batchesOf(times, batching);
  for (const range of batches) {
    const [first, end] = range;
    writes += pagesOf(records.slice(first, end).map((r) => r.record));
    const at = handOverTime(times, range, batching);
    for (let i = first; i < end; i++) handedOverAt.push(at);
  }
  return { records: records.length, calls: batches.length, writes, handedOverAt };
}

/**
 * A tumbling-window writer: records (sorted by time) fall in windows aligned to multiples of `windowSeconds`
 * (by their time, as Lambda places a record by its insertion time; 0: every batch a window of its own);
 * batches never span two windows; each window is its batches' calls plus its final call, and
 * `pagesOf(window's records)` writes.
 */
export function tallyWindowedWriter<R>(
  records: Array<Timed<R>>,
  batching: StreamBatching,
  windowSeconds: number,
  pagesOf: (records: R[]) => number,
): WriterTally {
  if (windowSeconds === 0) {
    const batches = tallyWriter(records, batching, pagesOf);
    return { ...batches, calls: batches.calls * 2 };
  }
  const tally: WriterTally = { records: records.length, calls: 0, writes: 0, handedOverAt: [] };
  for (const [first, end] of windowRanges(
    records.map((r) => r.at),
    windowSeconds,
  )) {
    const inWindow = records.slice(first, end);
    const batches = tallyWriter(inWindow, batching, () => 0);
    tally.calls += batches.calls + 1;
    tally.writes += pagesOf(inWindow.map((r) => r.record));
    const endsAt = (Math.floor(records[first]!.at / windowSeconds) + 1) * windowSeconds;
    tally.handedOverAt.push(...inWindow.map(() => endsAt)); // written at the window's end
  }
  return tally;
}

/** Records that do not parse would be quarantined by the consumer: here they are a bug of the bench. */
function parsed<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`a generated stream record does not parse: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

/** countFunnel's writes for a batch: one per FUNNEL/DAY page its changes touch (funnelPages). */
export function funnelWrites(batch: DynamoDBRecord[]): number {
  const changes = batch.map((r) => parsed(parseFunnelChange(r))).map(({ seq, change }) => ({ ...change, seq }));
  return funnelPages(changes).length;
}

function responseChanges(batch: DynamoDBRecord[]) {
  return batch.map((r) => parsed(parseResponseChange(r))).map(({ seq, old, new: next }) => ({ seq, new: next, ...(old ? { old } : {}) }));
}

/** aggregateScores' score-page writes for a batch (toPages of preAggregate, as its handler). */
export function scoreWrites(batch: DynamoDBRecord[]): number {
  return toPages(preAggregate(responseChanges(batch))).length;
}

/** aggregateScores' TOPIC/DAY page writes for the same batch (toPages of preAggregateTopics). */
export function topicWrites(batch: DynamoDBRecord[]): number {
  return toPages(preAggregateTopics(responseChanges(batch))).length;
}
