/**
 * Funnel pages in the table (surveys/funnel/pages.ts): the writer applies a page delta exactly once per
 * stream shard, the reader sums a window's pages back into days.
 *
 * A page (pk `FUNNEL#<segment>`, sk `DAY#<day>#p<page>`) holds one number per cell `<step>:<value>`
 * and a watermark `wm_<shardId>` per stream shard, like the score pages (docs/aggregation.md), written
 * by the same exactly-once page write (table/page-writes.ts): one conditional UpdateItem per page per
 * batch, and only the changes past the watermark when part of it is in already.
 */
import type { ReturnConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  funnelCellsOf,
  funnelPageAfter,
  funnelPageFirstSeq,
  parseCell,
  splitFunnelPage,
  type FunnelPageDelta,
  type FunnelPageKey,
} from '#surveys/funnel/pages.ts';
import type { FunnelDay } from '#surveys/funnel/report.ts';
import type { FunnelSegment } from '#surveys/funnel/steps.ts';
import { applyPastWatermark, type WatermarkedPages } from './table/page-writes.ts';
import { queryAll } from './table/query.ts';

/** Cells per UpdateItem: keeps the update expression under DynamoDB's 4 KB limit (cell names are longer than score cells). */
export const MAX_FUNNEL_CELLS_PER_WRITE = 100;

export const funnelPageKey = (k: Pick<FunnelPageKey, 'dimension' | 'day' | 'page'>) => ({ pk: `FUNNEL#${k.dimension}`, sk: `DAY#${k.day}#p${k.page}` });

export interface FunnelWriteResult {
  writes: number;
  consumedWriteUnits: number;
}

export class FunnelPageWriter {
  private readonly pages: WatermarkedPages<FunnelPageDelta>;

  constructor(db: DynamoDBDocumentClient, tableName: string, returnConsumedCapacity: ReturnConsumedCapacity = 'NONE') {
    this.pages = {
      db,
      tableName,
      returnConsumedCapacity,
      identity: ({ key }) => ({ entity: 'funnel-page', dimension: key.dimension, day: key.day }),
      cells: (delta) => funnelCellsOf(delta).map(({ cell, count }) => [cell, count] as const),
      firstSeq: funnelPageFirstSeq,
      after: funnelPageAfter,
    };
  }

  /** Applies a page delta, in parts when it has more cells than one write takes. */
  async apply(delta: FunnelPageDelta, shardId: string): Promise<FunnelWriteResult> {
    const result: FunnelWriteResult = { writes: 0, consumedWriteUnits: 0 };
    for (const part of splitFunnelPage(delta, MAX_FUNNEL_CELLS_PER_WRITE)) await applyPastWatermark(this.pages, funnelPageKey(part.key), part, shardId, result);
    return result;
  }
}

/** Reads a segment's funnel pages of a window back as days (every page of a day summed). */
export class FunnelPageReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async readDays(dimension: FunnelSegment, fromDay: string, toDay: string): Promise<FunnelDay[]> {
    const byDay = new Map<string, Record<string, number>>();
    const items = await queryAll(this.db, this.tableName, {
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':p': funnelPageKey({ dimension, day: fromDay, page: 0 }).pk, ':from': `DAY#${fromDay}#`, ':to': `DAY#${toDay}#\uffff` },
    });
    for (const item of items) {
      const cells = byDay.get(String(item.day)) ?? {};
      for (const [name, count] of Object.entries(item)) {
        if (typeof count === 'number' && count !== 0 && parseCell(name)) cells[name] = (cells[name] ?? 0) + count;
      }
      byDay.set(String(item.day), cells);
    }
    return [...byDay].map(([day, cells]) => ({ day, cells })).sort((a, b) => a.day.localeCompare(b.day));
  }
}
