/**
 * Score pages in the table: the writer applies pre-aggregated page deltas exactly once under
 * at-least-once stream delivery; the reader turns pages back into daily histograms per segment value.
 *
 * A page item (pk `AGG#<metric>#<dimension>`, sk `DAY#<day>#p<page>`) holds one number attribute per
 * (score, value) cell, named `<score>:<value>`, and per stream shard a watermark `wm_<shardId>`: the
 * sequence number of the last change it has absorbed. A delta is written (table/page-writes.ts) with one conditional
 * UpdateItem ("watermark below my first change"), so a batch delivered again — whole, bisected, or
 * from a partial-failure checkpoint — is a no-op for the pages it already reached. When the condition
 * fails the page's watermark is read and only the changes past it are applied. Records of one shard
 * arrive in order (parallelization factor 1), which is what makes one watermark per shard sufficient;
 * several shards write the same page side by side, each guarded by its own watermark.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReturnConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { cellsOf, pageAfter, pageFirstSeq, splitPage, type PageDelta, type PageKey } from '#surveys/aggregation.ts';
import type { Metric, SegmentDimension } from '#surveys/model.ts';
import type { DailyBucket, ScoreReader } from '#surveys/ports.ts';
import { bucketDays, keys } from './table/keys.ts';
import { applyPastWatermark, type WatermarkedPages } from './table/page-writes.ts';
import { queryPages } from './table/query.ts';

/** Cells per UpdateItem: keeps the update expression well under DynamoDB's 4 KB limit. */
export const MAX_CELLS_PER_WRITE = 200;

export const cellAttribute = (score: string | number, value: string) => `${score}:${value}`;
const CELL = /^(\d+):(.*)$/s;

export interface ApplyResult {
  applied: boolean;
  writes: number;
  consumedWriteUnits: number;
  consumedReadUnits: number;
}

export class ScoreBucketWriter {
  private readonly pages: WatermarkedPages<PageDelta>;

  constructor(
    db: DynamoDBDocumentClient,
    tableName: string,
    returnConsumedCapacity: ReturnConsumedCapacity = 'NONE',
    /** Where a page is stored: the score pages, or another page family with the same cells (topic pages). */
    private readonly keyOf: (key: PageKey) => { pk: string; sk: string } = keys.bucket,
  ) {
    this.pages = {
      db,
      tableName,
      returnConsumedCapacity,
      identity: ({ key }) => ({ metric: key.metric, dimension: key.dimension, day: key.day, page: key.page }),
      cells: (delta) => cellsOf(delta).map(({ value, score, count }) => [cellAttribute(score, value), count] as const),
      firstSeq: pageFirstSeq,
      after: pageAfter,
    };
  }

  /** Applies a page delta (in parts, if it has more cells than one write takes). */
  async apply(delta: PageDelta, shardId: string): Promise<ApplyResult> {
    const result: ApplyResult = { applied: false, writes: 0, consumedWriteUnits: 0, consumedReadUnits: 0 };
    for (const part of splitPage(delta, MAX_CELLS_PER_WRITE)) {
      if (await applyPastWatermark(this.pages, this.keyOf(part.key), part, shardId, result)) result.applied = true;
    }
    return result;
  }
}

/** Reads score pages back as one daily histogram per (day, value), summed over pages. */
export class ScoreBucketReader implements ScoreReader {
  /** Read units consumed so far (only counted with returnConsumedCapacity 'TOTAL'). */
  consumedReadUnits = 0;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly returnConsumedCapacity: ReturnConsumedCapacity = 'NONE',
  ) {}

  async readBuckets(metric: Metric, dimension: SegmentDimension, fromDay: string, toDay: string): Promise<DailyBucket[]> {
    const byBucket = new Map<string, DailyBucket>();
    const days = bucketDays(fromDay, toDay);
    const pages = queryPages(this.db, this.tableName, {
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':p': keys.bucket({ metric, dimension, day: fromDay, page: 0 }).pk, ':from': days.from, ':to': days.to },
      ReturnConsumedCapacity: this.returnConsumedCapacity,
    });
    for await (const page of pages) {
      this.consumedReadUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
      for (const item of page.Items ?? []) {
        for (const [name, count] of Object.entries(item)) {
          const cell = CELL.exec(name);
          if (!cell || typeof count !== 'number' || count === 0) continue;
          const [, score, value] = cell as unknown as [string, string, string];
          const id = `${item.day as string}|${value}`;
          const bucket = byBucket.get(id) ?? { metric, dimension, value, day: item.day as string, histogram: {} };
          bucket.histogram[score] = (bucket.histogram[score] ?? 0) + count;
          byBucket.set(id, bucket);
        }
      }
    }
    for (const bucket of byBucket.values()) for (const [score, count] of Object.entries(bucket.histogram)) if (count === 0) delete bucket.histogram[score];
    return [...byBucket.values()].sort((a, b) => a.day.localeCompare(b.day) || a.value.localeCompare(b.value));
  }
}
