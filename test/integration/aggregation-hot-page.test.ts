/**
 * The hot page — NPS, dimension "all", today — under several stream shards at once. No write
 * sharding is needed (docs/aggregation.md): the page takes one write per batch per shard, and the
 * shards' writes do not interfere because each is guarded by its own watermark. Both halves of that
 * claim are checked here on DynamoDB Local with real stream records, delivered concurrently and twice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoResponseStore } from '../../functions/adapters/dynamodb/response-store.ts';
import { ScoreBucketReader, ScoreBucketWriter } from '../../functions/adapters/dynamodb/score-buckets.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { aggregateBatch } from '../../functions/aggregate-scores/handler.ts';
import { pageId, pageKeyOf, type PageDelta } from '../../surveys/aggregation.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import { freshTable, readFinalResponseRecords } from '../support/table.ts';

const DAY = '2026-11-20';
const SHARDS = ['shardId-a', 'shardId-b', 'shardId-c', 'shardId-d'];
const HOT = { metric: 'nps', dimension: 'all', day: DAY, page: 0 } as const;

function response(i: number): SurveyResponse {
  return {
    invitationId: `hot${String(i).padStart(19, '0')}`,
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    customerId: `c-${i}`,
    score: (i * 7) % 11,
    segments: { survey: 'nps-post-purchase', channel: 'email', store: `store-${i % 10}`, locale: i % 3 ? 'pl' : 'en' },
    locale: 'pl',
    subjectRef: `o-${i}`,
    status: 'final',
    version: 1,
    answeredAt: `${DAY}T${String(8 + (i % 10)).padStart(2, '0')}:00:00.000Z`,
    updatedAt: `${DAY}T08:00:00.000Z`,
  };
}

/** 240 answers and 40 edits, read back from the table's stream. */
async function streamRecords(): Promise<{ records: DynamoDBRecord[]; histogram: Record<string, number> }> {
  const source = await freshTable();
  const store = new DynamoResponseStore(source.doc, source.tableName);
  const finals = new Map<string, SurveyResponse>();
  for (let i = 0; i < 240; i++) {
    const r = response(i);
    await store.putResponse(r, 0);
    finals.set(r.invitationId, r);
  }
  for (let i = 0; i < 40; i++) {
    const r = finals.get(response(i).invitationId)!;
    const edited = { ...r, score: (r.score + 3) % 11, version: 2 };
    await store.putResponse(edited, 1);
    finals.set(r.invitationId, edited);
  }
  const records = await readFinalResponseRecords(source);
  const histogram: Record<string, number> = {};
  for (const r of finals.values()) histogram[String(r.score)] = (histogram[String(r.score)] ?? 0) + 1;
  return { records, histogram };
}

/**
 * Deals the records out to shards the way DynamoDB does: by item (all changes of one response on
 * one shard, in order), so each shard's sequence numbers still increase.
 */
function byShard(records: DynamoDBRecord[]): Map<string, DynamoDBRecord[]> {
  const out = new Map<string, DynamoDBRecord[]>(SHARDS.map((s) => [s, []]));
  for (const record of records) {
    const id = String(record.dynamodb?.Keys?.pk?.S ?? '');
    const shard = SHARDS[[...id].reduce((h, c) => h + c.charCodeAt(0), 0) % SHARDS.length]!;
    out.get(shard)!.push(record);
  }
  return out;
}

const chunks = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

describe('the hot page under four shards at once', () => {
  let records: DynamoDBRecord[];
  let truth: Record<string, number>;

  beforeAll(async () => {
    ({ records, histogram: truth } = await streamRecords());
  });

  it('Should end exact when every shard delivers each batch twice, all shards at the same time', async () => {
    // Prepare
    const t = await freshTable();
    const writer = new ScoreBucketWriter(t.doc, t.tableName);
    const shards = byShard(records);

    // Act: the shards run side by side; within a shard, batches in order, each delivered twice at once
    await Promise.all(
      [...shards].map(async ([shardId, own]) => {
        for (const part of chunks(own, 25)) {
          await Promise.all([aggregateBatch({ Records: part, shardId }, writer), aggregateBatch({ Records: part, shardId }, writer)]);
        }
      }),
    );

    // Assess
    const [all] = await new ScoreBucketReader(t.doc, t.tableName).readBuckets('nps', 'all', DAY, DAY);
    expect(all!.histogram).toEqual(truth);
    const item = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.bucket(HOT), ConsistentRead: true }));
    expect(
      Object.keys(item.Item!)
        .filter((k) => k.startsWith('wm_'))
        .sort(),
    ).toEqual(SHARDS.map((s) => `wm_${s}`));
  });

  it('Should take one write per batch per shard on the hot page, however many responses a batch holds', async () => {
    // Prepare
    const t = await freshTable();
    const writer = new ScoreBucketWriter(t.doc, t.tableName);
    const shards = byShard(records);
    let hotWrites = 0;
    let batches = 0;
    const counting = {
      apply: async (delta: PageDelta, shardId: string) => {
        const result = await writer.apply(delta, shardId);
        if (pageId(delta.key) === pageId(pageKeyOf({ metric: 'nps', dimension: 'all', value: 'all', day: DAY }))) hotWrites += result.writes;
        return result;
      },
    };

    // Act
    await Promise.all(
      [...shards].map(async ([shardId, own]) => {
        for (const part of chunks(own, 100)) {
          batches += 1;
          await aggregateBatch({ Records: part, shardId }, counting);
        }
      }),
    );

    // Assess
    expect(hotWrites).toBe(batches);
    expect(hotWrites).toBeLessThan(records.length / 20);
  });
});
