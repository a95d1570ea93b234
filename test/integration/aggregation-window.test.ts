/**
 * The page writers in a tumbling window, on DynamoDB Local with real stream records: aggregateScores and
 * countFunnel carry a window's page deltas in its state and write each page once, in the final call,
 * whatever Lambda does in between (the final call retried after a failed write, a record delivered twice,
 * a state grown past the size guard, a state that does not parse).
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoQuarantineStore } from '../../functions/adapters/dynamodb/quarantine-store.ts';
import { FunnelPageReader, FunnelPageWriter } from '../../functions/adapters/dynamodb/funnel-pages.ts';
import { type ApplyResult, ScoreBucketWriter } from '../../functions/adapters/dynamodb/score-buckets.ts';
import { aggregateBatch } from '../../functions/aggregate-scores/handler.ts';
import { countFunnelBatch } from '../../functions/count-funnel/handler.ts';
import type { WindowedStreamEvent } from '../../functions/shared/page-window.ts';
import { bucketKeysOf, pageId, pageKeyOf, type PageDelta } from '../../surveys/aggregation.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import { stateBytes, WINDOW_STATE_KEY, WINDOW_STATE_MAX_BYTES } from '../../surveys/page-window.ts';
import { configureFor } from '../support/functions.ts';
import { surveyPorts, type SurveyPorts } from '../support/stores.ts';
import { freshTable, readFinalResponseRecords } from '../support/table.ts';

const SHARD = 'shardId-window-0001';
const WINDOW = { start: '2026-11-21T10:00:00Z', end: '2026-11-21T10:15:00Z' };

function response(i: number, score: number): SurveyResponse {
  const store = ['web', 'krakow', 'gdansk'][i % 3]!;
  return {
    invitationId: `inv-window-${String(i).padStart(3, '0')}`,
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    customerId: `c-${i}`,
    score,
    segments: { survey: 'nps-post-purchase', channel: 'email', store, locale: i % 2 ? 'pl' : 'en' },
    locale: 'pl',
    subjectRef: `o-${i}`,
    status: 'final',
    version: 1,
    answeredAt: `2026-11-${20 + (i % 2)}T10:00:00.000Z`,
    updatedAt: '2026-11-21T10:00:00.000Z',
  };
}

/** 24 answers, then 6 of them edited: 30 stream records. */
async function answersOnTheStream(): Promise<{ records: DynamoDBRecord[]; finals: SurveyResponse[] }> {
  const source = await freshTable();
  const store = surveyPorts(source.doc, source.tableName);
  const finals = Array.from({ length: 24 }, (_, i) => response(i, i % 11));
  for (const r of finals) await store.putResponse(r, 0);
  for (let i = 0; i < 6; i++) {
    finals[i] = { ...finals[i]!, score: (finals[i]!.score + 4) % 11, version: 2 };
    await store.putResponse(finals[i]!, 1);
  }
  return { records: await readFinalResponseRecords(source), finals };
}

const call = (records: DynamoDBRecord[], state: Record<string, string> | undefined, isFinalInvokeForWindow = false): WindowedStreamEvent => ({
  Records: records,
  shardId: SHARD,
  window: WINDOW,
  state: state ?? {},
  isFinalInvokeForWindow,
  isWindowTerminatedEarly: false,
});

/** A score writer that counts the pages it changed (a write skipped by the watermark changes nothing) and fails when told. */
function counted(writer: ScoreBucketWriter, failWhen: (page: PageDelta) => boolean = () => false) {
  const changed = new Map<string, number>();
  return {
    changed,
    apply: async (page: PageDelta, shard: string): Promise<ApplyResult> => {
      if (failWhen(page)) throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      const result = await writer.apply(page, shard);
      if (result.applied) changed.set(pageId(page.key), (changed.get(pageId(page.key)) ?? 0) + 1);
      return result;
    },
  };
}

async function scoresIn(store: SurveyPorts) {
  const out: Record<string, Record<string, number>> = {};
  for (const dimension of ['all', 'survey', 'channel', 'store', 'locale'] as const) {
    for (const b of await store.readBuckets('nps', dimension, '2026-11-01', '2026-11-30')) out[`${dimension}|${b.value}|${b.day}`] = b.histogram;
  }
  return out;
}

async function target() {
  const t = await freshTable();
  return { writer: new ScoreBucketWriter(t.doc, t.tableName), store: surveyPorts(t.doc, t.tableName), funnel: new FunnelPageWriter(t.doc, t.tableName), t };
}

describe('page writers in a tumbling window', () => {
  let records: DynamoDBRecord[];
  let finals: SurveyResponse[];
  let expected: Record<string, Record<string, number>>;
  let pages: number;

  beforeAll(async () => {
    ({ records, finals } = await answersOnTheStream());
    const once = await target();
    await aggregateBatch({ Records: records, shardId: SHARD }, once.writer); // no window: written at once, the reference
    expected = await scoresIn(once.store);
    pages = new Set(finals.flatMap((r) => bucketKeysOf(r).map((k) => pageId(pageKeyOf(k))))).size;
  });

  it('Should write nothing before the final call, then each page once with the sum of both batches', async () => {
    // Prepare
    const { writer, store } = await target();
    const pagesWritten = counted(writer);
    // Act
    const first = await aggregateBatch(call(records.slice(0, 13), undefined), pagesWritten);
    const before = await scoresIn(store);
    const second = await aggregateBatch(call(records.slice(13), first.state), pagesWritten);
    const final = await aggregateBatch(call([], second.state, true), pagesWritten);
    // Assess
    expect(before).toEqual({});
    expect(first.batchItemFailures).toEqual([]);
    expect(final.state).toEqual({});
    expect(await scoresIn(store)).toEqual(expected);
    expect(pagesWritten.changed.size).toBe(pages);
    expect([...pagesWritten.changed.values()].every((n) => n === 1)).toBe(true);
  });

  it('Should fold the records a final call carries before it writes', async () => {
    const { writer, store } = await target();
    const first = await aggregateBatch(call(records.slice(0, 20), undefined), writer);
    await aggregateBatch(call(records.slice(20), first.state, true), writer);
    expect(await scoresIn(store)).toEqual(expected);
  });

  it('Should fail a final call whose page write fails, and write each page once when Lambda calls again with the same state', async () => {
    // Prepare: the store pages are throttled on the first final call
    const { writer, store } = await target();
    const first = await aggregateBatch(call(records, undefined), writer);
    const throttled = counted(writer, (page) => page.key.dimension === 'store');
    // Act
    const failed = aggregateBatch(call([], first.state, true), throttled);
    await expect(failed).rejects.toThrow(/page writes failed/);
    const retried = counted(writer);
    await aggregateBatch(call([], first.state, true), retried);
    // Assess
    expect(await scoresIn(store)).toEqual(expected);
    expect(throttled.changed.size + retried.changed.size).toBe(pages);
    expect([...retried.changed.keys()].every((id) => id.includes('|store|'))).toBe(true);
  });

  it('Should count a record delivered twice once, in the same window and in the next', async () => {
    const { writer, store } = await target();
    const first = await aggregateBatch(call(records.slice(0, 15), undefined), writer);
    const second = await aggregateBatch(call(records.slice(10, 25), first.state), writer); // 10-14 again
    await aggregateBatch(call([], second.state, true), writer);
    const next = await aggregateBatch(call(records.slice(20), undefined), writer); // the next window, 20-24 again
    await aggregateBatch(call([], next.state, true), writer);
    expect(await scoresIn(store)).toEqual(expected);
  });

  it('Should write the pages at once and carry only its place when the state would pass the size guard', async () => {
    // Prepare: the records many times over, with later sequence numbers (as many answers as Lambda's state would not hold)
    const { writer, store } = await target();
    const copies = 400;
    const many = Array.from({ length: copies }, (_, k) =>
      records.map((r) => ({ ...r, dynamodb: { ...r.dynamodb, SequenceNumber: String(BigInt(r.dynamodb!.SequenceNumber!) + BigInt(k) * 10n ** 15n) } })),
    ).flat();
    // Act
    const result = await aggregateBatch(call(many, undefined), writer);
    const written = await scoresIn(store);
    await aggregateBatch(call([], result.state, true), writer);
    // Assess
    expect(stateBytes(result.state)).toBeLessThan(200);
    expect(JSON.parse(result.state[WINDOW_STATE_KEY]!).u).toBe(many.at(-1)!.dynamodb!.SequenceNumber);
    const times = (h: Record<string, number>) => Object.fromEntries(Object.entries(h).map(([s, n]) => [s, n * copies]));
    expect(written).toEqual(Object.fromEntries(Object.entries(expected).map(([id, h]) => [id, times(h)])));
    expect(await scoresIn(store)).toEqual(written);
    expect(WINDOW_STATE_MAX_BYTES).toBeLessThan(1_000_000);
  });

  it('Should quarantine a state that does not parse and go on with the window from there', async () => {
    // Prepare: the function's own table, where the quarantine keeps what it refuses
    const { writer, store, t } = await target();
    configureFor(t);
    const bad = { [WINDOW_STATE_KEY]: '{"v":99}' };
    // Act
    const result = await aggregateBatch(call(records, bad), writer);
    await aggregateBatch(call([], result.state, true), writer);
    // Assess
    expect(await scoresIn(store)).toEqual(expected);
    const kept = await new DynamoQuarantineStore(t.doc, t.tableName).list({ source: 'aggregate-scores', limit: 10 }, new Date());
    expect(kept.items.map((i) => i.reason)).toEqual([expect.stringMatching(/^window state does not match/)]);
  });

  it('Should quarantine a record without a sequence number, never take it for a redelivery', async () => {
    // Prepare
    const { writer, t } = await target();
    configureFor(t);
    const first = await aggregateBatch(call(records.slice(0, 5), undefined), writer);
    const numberless = { ...records[5]!, dynamodb: { ...records[5]!.dynamodb, SequenceNumber: undefined } };
    // Act
    const second = await aggregateBatch(call([numberless], first.state), writer);
    // Assess
    const kept = await new DynamoQuarantineStore(t.doc, t.tableName).list({ source: 'aggregate-scores', limit: 10 }, new Date());
    expect(kept.items.map((i) => i.reason)).toEqual(['record has no sequence number']);
    expect(JSON.parse(second.state[WINDOW_STATE_KEY]!).u).toBe(JSON.parse(first.state[WINDOW_STATE_KEY]!).u);
  });

  it('Should write each funnel page once per window, with what both batches counted', async () => {
    // Prepare: the answers' funnel steps (answered), written at once on one table and through a window on another
    const once = await target();
    await countFunnelBatch({ Records: records, shardId: SHARD }, once.funnel);
    const { funnel, t } = await target();
    let writes = 0;
    const countedFunnel = { apply: (page: Parameters<FunnelPageWriter['apply']>[0], shard: string) => ((writes += 1), funnel.apply(page, shard)) };
    // Act
    const first = await countFunnelBatch(call(records.slice(0, 10), undefined), countedFunnel);
    const second = await countFunnelBatch(call(records.slice(10), first.state), countedFunnel);
    const writesBeforeFinal = writes;
    await countFunnelBatch(call([], second.state, true), countedFunnel);
    // Assess
    const days = (table: { doc: typeof t.doc; tableName: string }) =>
      new FunnelPageReader(table.doc, table.tableName).readDays('store', '2026-11-01', '2026-11-30');
    expect(writesBeforeFinal).toBe(0);
    expect(await days(t)).toEqual(await days(once.t));
    expect((await days(t)).length).toBeGreaterThan(0);
  });
});
