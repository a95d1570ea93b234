/**
 * Topic pages in the table (surveys/insights/pages.ts): items like the score pages, under their own
 * partition (pk `TOPIC#<metric>#<dimension>`, sk `DAY#<day>#p<page>`), written by the same exactly-once
 * writer (score-buckets.ts, one conditional update per page per batch, per-shard watermark) and read
 * back as one cell map per (day, value), summed over pages. A cell attribute is `<cell>:<value>`, the
 * cell being `c|<score>`, `t|<topic>|<score>` or `s|<topic>|<sentiment>` (no colon in either).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReturnConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { DailyTopicBucket, TopicReader } from '#surveys/insights/ports.ts';
import type { Metric, SegmentDimension } from '#surveys/model.ts';
import { ScoreBucketWriter } from './score-buckets.ts';
import { bucketDays, keys } from './table/keys.ts';
import { queryPages } from './table/query.ts';

const CELL = /^([cts]\|[^:]*):(.*)$/s;

/** The exactly-once page writer of score-buckets.ts, pointed at the topic pages. */
export function topicPageWriter(db: DynamoDBDocumentClient, tableName: string, returnConsumedCapacity: ReturnConsumedCapacity = 'NONE'): ScoreBucketWriter {
  return new ScoreBucketWriter(db, tableName, returnConsumedCapacity, keys.topicBucket);
}

export class TopicPageReader implements TopicReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async readTopicBuckets(metric: Metric, dimension: SegmentDimension, fromDay: string, toDay: string): Promise<DailyTopicBucket[]> {
    const byBucket = new Map<string, DailyTopicBucket>();
    const days = bucketDays(fromDay, toDay);
    const pages = queryPages(this.db, this.tableName, {
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':p': keys.topicBucket({ metric, dimension, day: fromDay, page: 0 }).pk, ':from': days.from, ':to': days.to },
    });
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        for (const [name, count] of Object.entries(item)) {
          const cell = CELL.exec(name);
          if (!cell || typeof count !== 'number' || count === 0) continue;
          const [, key, value] = cell as unknown as [string, string, string];
          const id = `${item.day as string}|${value}`;
          const bucket = byBucket.get(id) ?? { metric, dimension, value, day: item.day as string, cells: {} };
          bucket.cells[key] = (bucket.cells[key] ?? 0) + count;
          byBucket.set(id, bucket);
        }
      }
    }
    return [...byBucket.values()].sort((a, b) => a.day.localeCompare(b.day) || a.value.localeCompare(b.value));
  }
}
