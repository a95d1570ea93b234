/**
 * Exactly-once aggregation, proven by replaying real stream records read from DynamoDB Local's stream
 * through the aggregator in every way Lambda can redeliver them: whole batch twice, bisected after a
 * failure, resumed from a partial batch failure, and after a crash between two bucket writes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { surveyPorts, type SurveyPorts } from '../support/stores.ts';
import { ScoreBucketWriter } from '../../functions/adapters/dynamodb/score-buckets.ts';
import { aggregateBatch } from '../../functions/aggregate-scores/handler.ts';
import { bucketKeysOf, bucketId, pageId, pageKeyOf, type PageDelta } from '../../surveys/aggregation.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import { freshTable, readFinalResponseRecords } from '../support/table.ts';

const SHARD = 'shardId-test-0001';
const stores = ['web', 'krakow', 'gdansk'];

function response(i: number, score: number): SurveyResponse {
  return {
    invitationId: `inv${String(i).padStart(19, '0')}`,
    surveyId: i % 2 ? 'nps-post-purchase' : 'nps-other',
    metric: 'nps',
    customerId: `c-${i}`,
    score,
    segments: { survey: i % 2 ? 'nps-post-purchase' : 'nps-other', channel: 'email', store: stores[i % 3]!, locale: i % 4 ? 'pl' : 'en' },
    locale: 'pl',
    subjectRef: `o-${i}`,
    status: 'final',
    version: 1,
    answeredAt: `2026-11-${String(20 + (i % 3)).padStart(2, '0')}T10:00:00.000Z`,
    updatedAt: '2026-11-20T10:00:00.000Z',
  };
}

/** 60 responses, 15 of them edited once (old -> new) and 10 given a comment: 85 stream records. */
async function writeResponsesAndReadStream() {
  const source = await freshTable();
  const store = surveyPorts(source.doc, source.tableName);
  const finals = new Map<string, SurveyResponse>();
  for (let i = 0; i < 60; i++) {
    const r = response(i, i % 11);
    await store.putResponse(r, 0);
    finals.set(r.invitationId, r);
  }
  for (let i = 0; i < 15; i++) {
    const r = finals.get(response(i, 0).invitationId)!;
    const edited = { ...r, score: (r.score + 5) % 11, version: 2 };
    await store.putResponse(edited, 1);
    finals.set(r.invitationId, edited);
  }
  for (let i = 20; i < 30; i++) {
    const r = finals.get(response(i, 0).invitationId)!;
    const commented = { ...r, comment: 'ok', version: 2 };
    await store.putResponse(commented, 1);
    finals.set(r.invitationId, commented);
  }
  const records = await readFinalResponseRecords(source);
  return { records, finals: [...finals.values()] };
}

function expectedBuckets(finals: SurveyResponse[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const r of finals) {
    for (const key of bucketKeysOf(r)) {
      const h = out.get(bucketId(key)) ?? {};
      h[String(r.score)] = (h[String(r.score)] ?? 0) + 1;
      out.set(bucketId(key), h);
    }
  }
  return out;
}

async function bucketsIn(store: SurveyPorts): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  for (const dimension of ['all', 'survey', 'channel', 'store', 'locale'] as const) {
    for (const b of await store.readBuckets('nps', dimension, '2026-11-01', '2026-11-30')) {
      if (Object.keys(b.histogram).length) out.set(bucketId(b), b.histogram);
    }
  }
  return out;
}

async function target() {
  const t = await freshTable();
  return { writer: new ScoreBucketWriter(t.doc, t.tableName), store: surveyPorts(t.doc, t.tableName) };
}

const batch = (records: DynamoDBRecord[]) => ({ Records: records, shardId: SHARD });
const chunks = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** A writer that fails on chosen calls, as throttling or a crash would. */
function flaky(writer: ScoreBucketWriter, failOn: (call: number, delta: PageDelta) => boolean) {
  let call = 0;
  return {
    apply: async (delta: PageDelta, shard: string) => {
      if (failOn(call++, delta)) throw Object.assign(new Error('ProvisionedThroughputExceededException'), { name: 'ProvisionedThroughputExceededException' });
      return writer.apply(delta, shard);
    },
  };
}

describe('aggregation replayed from real stream records', () => {
  let records: DynamoDBRecord[];
  let finals: SurveyResponse[];
  let expected: Map<string, Record<string, number>>;

  beforeAll(async () => {
    const written = await writeResponsesAndReadStream();
    records = written.records;
    finals = written.finals;
    expected = expectedBuckets(written.finals);
  });

  it('reads every response change from the stream: 60 new, 15 edits, 10 comments', () => {
    expect(records).toHaveLength(85);
    expect(records.filter((r) => r.eventName === 'INSERT')).toHaveLength(60);
  });

  it('builds the buckets exactly when each batch is delivered once', async () => {
    // Prepare
    const { writer, store } = await target();
    // Act
    for (const part of chunks(records, 25)) await aggregateBatch(batch(part), writer);
    // Assess
    expect(await bucketsIn(store)).toEqual(expected);
  });

  it('changes nothing when every batch is delivered twice', async () => {
    const { writer, store } = await target();
    for (const part of chunks(records, 25)) {
      await aggregateBatch(batch(part), writer);
      await aggregateBatch(batch(part), writer);
    }
    expect(await bucketsIn(store)).toEqual(expected);
  });

  it('stays exact when a failed batch is bisected and both halves are retried', async () => {
    // Prepare: the first delivery applies some buckets, then a write fails
    const { writer, store } = await target();
    const failing = flaky(writer, (call) => call % 3 === 2);
    // Act
    const first = await aggregateBatch(batch(records), failing);
    expect(first.batchItemFailures.length).toBe(1);
    const half = Math.floor(records.length / 2);
    await aggregateBatch(batch(records.slice(0, half)), writer);
    await aggregateBatch(batch(records.slice(half)), writer);
    // Assess
    expect(await bucketsIn(store)).toEqual(expected);
  });

  it('stays exact when Lambda resumes from the reported failed record with a longer batch', async () => {
    const { writer, store } = await target();
    const failing = flaky(writer, (_call, delta) => delta.buckets.some((b) => b.key.dimension === 'store' && b.key.value === 'krakow'));
    const firstBatch = records.slice(0, 50);
    const result = await aggregateBatch(batch(firstBatch), failing);
    const resumeAt = records.findIndex((r) => r.dynamodb?.SequenceNumber === result.batchItemFailures[0]!.itemIdentifier);
    expect(resumeAt).toBeGreaterThanOrEqual(0);
    // Lambda resumes at the failed record; its next batch runs past the first one's end
    await aggregateBatch(batch(records.slice(resumeAt)), writer);
    expect(await bucketsIn(store)).toEqual(expected);
  });

  it('stays exact after a crash between two bucket writes and a redelivery of the whole batch', async () => {
    const { writer, store } = await target();
    const crashing = flaky(writer, (call) => call >= 7); // the process "dies" after 7 bucket writes
    await aggregateBatch(batch(records), crashing).catch(() => undefined);
    await aggregateBatch(batch(records), writer);
    expect(await bucketsIn(store)).toEqual(expected);
  });

  it('writes one page update per page per batch, not one per response or per segment value', async () => {
    // Prepare
    const t = await freshTable();
    const writer = new ScoreBucketWriter(t.doc, t.tableName);
    let calls = 0;
    const counted = { apply: (d: PageDelta, s: string) => ((calls += 1), writer.apply(d, s)) };
    // Act
    await aggregateBatch(batch(records), counted);
    // Assess
    const pages = new Set(finals.flatMap((r) => bucketKeysOf(r).map((k) => pageId(pageKeyOf(k)))));
    expect(calls).toBe(pages.size);
    expect(calls).toBeLessThan(expected.size);
  });
});
