/**
 * Write cost of the aggregator: 10,000 responses of one day over realistic segments (10 stores,
 * 5 teams of 4 agents, 2 locales, 3 survey kinds, e-mail and SMS) are written to a table on DynamoDB
 * Local, read back from its stream in batches of 100, and fed in the same run to
 *   - the aggregator (aggregateBatch + ScoreBucketWriter: one conditional write per page per batch), and
 *   - a naive per-record consumer (one ADD per response per bucket), the baseline,
 * each on a table of its own, counting the write units DynamoDB reports (ReturnConsumedCapacity).
 * Both must end with the same figures. Then the day's pages are copied to 89 earlier days and a
 * 90-day rolling query (NPS, overall and per store) reports the read units it consumed.
 *
 * Usage: npm run bench:aggregate     (RESPONSES=2000 npm run bench:aggregate for a shorter run)
 */
import { ScanCommand, UpdateCommand, PutCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { FINAL_RESPONSE_FILTER } from '../functions/adapters/dynamodb/table/filters.ts';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodb.ts';
import { StreamReader } from '../local/stream-reader.ts';
import { DynamoResponseStore } from '../functions/adapters/dynamodb/response-store.ts';
import { ScoreBucketReader, ScoreBucketWriter, type ApplyResult } from '../functions/adapters/dynamodb/score-buckets.ts';
import { PK } from '../functions/adapters/dynamodb/table/keys.ts';
import { parseResponseChange } from '../functions/adapters/dynamodb/table/stream-images.ts';
import { bucketKeysOf, dayMinus, pageKeyOf, pageId, scoreChangesOf, type PageDelta } from '../surveys/aggregation.ts';
import { SEGMENT_DIMENSIONS, type Metric, type SurveyResponse } from '../surveys/model.ts';
import { SCALES } from '../surveys/scales.ts';
import { readScores } from '../surveys/use-cases/read-scores.ts';
import { writeSection } from './results.ts';
import { type LevelConfig, LEVELS, levelsTable, measureLevels, perThousand } from './aggregate-levels.ts';
import { PAGE_WINDOW_SECONDS, STREAM_BATCHING, STREAM_CONSUMERS } from '../functions/manifest.ts';
import { seeded } from './random.ts';

const RESPONSES = Number(process.env.RESPONSES ?? 10_000); // RESPONSES=2000 for a shorter run on a busy machine
const BATCH = 100;
const DAY = '2026-11-20';
const SHARD = 'shardId-bench-0001';
/** Answers replayed at each traffic level. */
const LEVEL_ANSWERS = 1_000;

const SURVEYS: Array<{ id: string; metric: Metric; kind: 'order' | 'ticket'; share: number }> = [
  { id: 'nps-post-purchase', metric: 'nps', kind: 'order', share: 0.5 },
  { id: 'csat-post-ticket', metric: 'csat', kind: 'ticket', share: 0.3 },
  { id: 'ces-post-ticket', metric: 'ces', kind: 'ticket', share: 0.2 },
];
const STORES = Array.from({ length: 10 }, (_, i) => `store-${String(i + 1).padStart(2, '0')}`);
const TEAMS = ['billing', 'shipping', 'returns', 'technical', 'accounts'];

function responses(): SurveyResponse[] {
  const rnd = seeded(20261120);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: RESPONSES }, (_, i) => {
    const r = rnd();
    const survey = r < SURVEYS[0]!.share ? SURVEYS[0]! : r < SURVEYS[0]!.share + SURVEYS[1]!.share ? SURVEYS[1]! : SURVEYS[2]!;
    const { min, max } = SCALES[survey.metric];
    const locale = rnd() < 0.7 ? 'pl' : 'en';
    const team = pick(TEAMS);
    const segments =
      survey.kind === 'order'
        ? { survey: survey.id, channel: 'email', locale, store: pick(STORES) }
        : { survey: survey.id, channel: rnd() < 0.8 ? 'email' : 'sms', locale, team, agent: `${team}-agent-${1 + Math.floor(rnd() * 4)}` };
    const at = new Date(Date.parse(`${DAY}T00:00:00Z`) + Math.floor((i / RESPONSES) * 86_400_000)).toISOString();
    return {
      invitationId: `bench${String(i).padStart(17, '0')}`,
      surveyId: survey.id,
      metric: survey.metric,
      customerId: `c-${i}`,
      score: min + Math.floor(rnd() * (max - min + 1)),
      segments,
      locale,
      subjectRef: `s-${i}`,
      status: 'final',
      version: 1,
      answeredAt: at,
      updatedAt: at,
    } satisfies SurveyResponse;
  });
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** The naive consumer: one unconditional ADD per response per bucket (a redelivery would double-count). */
async function baselineBatch(db: DynamoDBDocumentClient, table: string, records: DynamoDBRecord[], tally: { wcu: number; writes: number }) {
  const adds = records.flatMap((record) => {
    const parsed = parseResponseChange(record);
    if (!parsed.ok) return [];
    return scoreChangesOf(parsed).flatMap(({ response, score, delta }) => bucketKeysOf(response).map((key) => ({ key, score, delta })));
  });
  // Concurrent, to finish sooner; the write units are the same as one by one.
  await pool(adds, 16, async ({ key, score, delta }) => {
    const out = await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `AGG#${key.metric}#${key.dimension}`, sk: `DAY#${key.day}#${key.value}` },
        UpdateExpression: 'ADD #s :d',
        ExpressionAttributeNames: { '#s': `s${score}` },
        ExpressionAttributeValues: { ':d': delta },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    tally.wcu += out.ConsumedCapacity?.CapacityUnits ?? 0;
    tally.writes += 1;
  });
}

async function scanAll(db: DynamoDBDocumentClient, table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

async function main(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN'; // the aggregator logs every batch at INFO
  const { aggregateBatch } = await import('../functions/aggregate-scores/handler.ts'); // after the log level is set
  let dynamo: DynamoDbLocal | undefined;
  const stop = async () => {
    await dynamo?.stop();
    dynamo = undefined;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().then(() => process.exit(130)));
  try {
    dynamo = await startDynamoDbLocal();
    const db = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    const streamArn = await ensureTable(dynamo.client, 'bench-source');
    await ensureTable(dynamo.client, 'bench-aggregated');
    await ensureTable(dynamo.client, 'bench-baseline');

    // 1. The responses, written as the respond function writes them; the stream records follow.
    const all = responses();
    const source = new DynamoResponseStore(db, 'bench-source');
    const started = Date.now();
    await pool(all, 16, (r) => source.putResponse(r, 0));
    console.log(`wrote ${all.length} responses in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // 2. Both consumers, fed the same stream batches of 100.
    const writer = new ScoreBucketWriter(db, 'bench-aggregated', 'TOTAL');
    const aggregated = { wcu: 0, rcu: 0, writes: 0, batches: 0, hotWrites: 0, hotWcu: 0 };
    const hotPage = pageId(pageKeyOf({ metric: 'nps', dimension: 'all', value: 'all', day: DAY }));
    const counting = {
      apply: async (delta: PageDelta, shard: string): Promise<ApplyResult> => {
        const result = await writer.apply(delta, shard);
        aggregated.wcu += result.consumedWriteUnits;
        aggregated.rcu += result.consumedReadUnits;
        aggregated.writes += result.writes;
        if (pageId(delta.key) === hotPage) {
          aggregated.hotWrites += result.writes;
          aggregated.hotWcu += result.consumedWriteUnits;
        }
        return result;
      },
    };
    const baseline = { wcu: 0, writes: 0 };
    const streamed: DynamoDBRecord[] = []; // the aggregator's records in stream order, replayed at each traffic level
    const reader = new StreamReader({
      endpoint: dynamo.endpoint,
      streamArn,
      batchSize: BATCH,
      consumers: [
        {
          name: 'aggregator',
          filter: FINAL_RESPONSE_FILTER,
          handler: async (e) => void ((aggregated.batches += 1), await aggregateBatch({ ...(e as { Records: DynamoDBRecord[] }), shardId: SHARD }, counting)),
        },
        { name: 'levels', filter: FINAL_RESPONSE_FILTER, handler: async (e) => void streamed.push(...(e as { Records: DynamoDBRecord[] }).Records) },
        {
          name: 'baseline',
          filter: FINAL_RESPONSE_FILTER,
          handler: async (e) => baselineBatch(db, 'bench-baseline', (e as { Records: DynamoDBRecord[] }).Records, baseline),
        },
      ],
    });
    await reader.drain();
    await reader.stop();

    // 3. Same figures in both tables.
    const store = new ScoreBucketReader(db, 'bench-aggregated');
    const fromBaseline = new Map<string, string>();
    for (const item of await scanAll(db, 'bench-baseline')) {
      const h = Object.fromEntries(
        Object.entries(item)
          .filter(([k]) => /^s\d+$/.test(k))
          .map(([k, v]) => [k.slice(1), v]),
      );
      fromBaseline.set(`${item.pk as string}|${item.sk as string}`, JSON.stringify(Object.fromEntries(Object.entries(h).sort())));
    }
    let mismatches = 0;
    let buckets = 0;
    for (const metric of ['nps', 'csat', 'ces'] as const) {
      for (const dimension of SEGMENT_DIMENSIONS) {
        for (const b of await store.readBuckets(metric, dimension, DAY, DAY)) {
          buckets += 1;
          const mine = JSON.stringify(Object.fromEntries(Object.entries(b.histogram).sort()));
          if (fromBaseline.get(`AGG#${metric}#${dimension}|DAY#${DAY}#${b.value}`) !== mine) mismatches += 1;
        }
      }
    }
    if (mismatches || buckets !== fromBaseline.size)
      throw new Error(`aggregator and baseline disagree: ${mismatches} buckets differ, ${buckets} vs ${fromBaseline.size}`);

    // 4. A 90-day rolling query: the day's pages copied to the 89 days before it.
    const pages = (await scanAll(db, 'bench-aggregated')).filter((i) => String(i.pk).startsWith(PK.aggregate));
    await pool(
      Array.from({ length: 89 }, (_, d) => d + 1).flatMap((d) => pages.map((p) => ({ p, day: dayMinus(DAY, d) }))),
      16,
      async ({ p, day }) => void (await db.send(new PutCommand({ TableName: 'bench-aggregated', Item: { ...p, sk: String(p.sk).replace(DAY, day), day } }))),
    );
    const rolling = new ScoreBucketReader(db, 'bench-aggregated', 'TOTAL');
    const now = () => new Date(`${DAY}T12:00:00Z`);
    const overall = await readScores({ metric: 'nps', window: '90d' }, { reader: rolling, now });
    const overallRcu = rolling.consumedReadUnits;
    const perStore = await readScores({ metric: 'nps', window: '90d', segment: 'store' }, { reader: rolling, now });
    const storeRcu = rolling.consumedReadUnits - overallRcu;

    // 5. The same records at three traffic levels, batched as Lambda would with the old and the chosen window (aggregate-levels.ts).
    const levelAnswers = streamed.slice(0, LEVEL_ANSWERS);
    // The old window for every consumer; the aggregator's batching alone (before its tumbling window); and as deployed.
    const pageBatching = STREAM_CONSUMERS.find((c) => c.fn === 'aggregateScores')?.batching ?? STREAM_BATCHING;
    const levelConfigs: LevelConfig[] = [
      { batching: STREAM_BATCHING },
      { batching: pageBatching },
      { batching: pageBatching, windowSeconds: PAGE_WINDOW_SECONDS },
    ];
    let levelTables = 0;
    const levels = await measureLevels(levelAnswers, levelConfigs, async () => {
      const table = `bench-level-${++levelTables}`;
      await ensureTable(dynamo!.client, table);
      const levelWriter = new ScoreBucketWriter(db, table, 'TOTAL');
      return async (batch, window) => {
        let writes = 0;
        const apply = async (delta: PageDelta, shard: string) => {
          const result = await levelWriter.apply(delta, shard);
          writes += result.writes;
          return result;
        };
        const iso = (s: number) => new Date(Date.parse(`${DAY}T00:00:00Z`) + s * 1000).toISOString();
        const windowed = window
          ? { window: { start: iso(window.start), end: iso(window.start + window.seconds) }, state: window.state, isFinalInvokeForWindow: window.final }
          : {};
        const { state } = await aggregateBatch({ Records: batch, shardId: SHARD, ...windowed }, { apply });
        return { writes, state };
      };
    });

    // 6. Report.
    const per1000 = (x: number) => (x * 1000) / RESPONSES;
    const n = per1000(aggregated.wcu);
    const m = per1000(baseline.wcu);
    const hotWcuPerWrite = aggregated.hotWcu / Math.max(1, aggregated.hotWrites);
    const hotAt1000 = (1000 / BATCH) * hotWcuPerWrite;
    const body = `
aggregate writes per 1,000 responses: ${n.toFixed(0)} (baseline ${m.toFixed(0)}, ${(m / n).toFixed(1)}× fewer)
at ${LEVELS.join(' / ')} answers/s: ${LEVELS.map((rate) => perThousand(levels, rate, levelConfigs[2]!, levelAnswers.length)).join(' / ')} page writes per 1,000 answers as deployed (${LEVELS.map((rate) => perThousand(levels, rate, levelConfigs[1]!, levelAnswers.length)).join(' / ')} with its batching alone, ${LEVELS.map((rate) => perThousand(levels, rate, levelConfigs[0]!, levelAnswers.length)).join(' / ')} with 5 s / 100)

Write units reported by DynamoDB Local (ReturnConsumedCapacity TOTAL) for ${RESPONSES.toLocaleString('en')} responses of one day
(${SURVEYS.map((s) => `${s.id} ${s.share * 100} %`).join(', ')}; ${STORES.length} stores, ${TEAMS.length} teams of 4 agents, 2 locales,
e-mail and SMS), replayed from the table's stream in ${aggregated.batches} batches of ${BATCH}.

| consumer | writes | write units | per 1,000 responses |
| --- | --- | --- | --- |
| aggregator (one conditional write per page per batch) | ${aggregated.writes} | ${aggregated.wcu} | ${n.toFixed(0)} |
| baseline (one ADD per response per bucket) | ${baseline.writes} | ${baseline.wcu} | ${m.toFixed(0)} |

- Both tables end with the same ${buckets} daily histograms (checked by the benchmark).
- Hot page (NPS, dimension "all", today): ${aggregated.hotWrites} writes for ${aggregated.batches} batches, ${hotWcuPerWrite.toFixed(1)} write units each. At 1,000 responses/s in batches of ${BATCH}
  that is ~${(1000 / BATCH).toFixed(0)} writes/s, ~${hotAt1000.toFixed(0)} write units/s on one item, against 1,000 per partition (docs/aggregation.md).
- Watermark re-reads after a failed condition: ${aggregated.rcu} read units (none expected on a clean run).
- At every traffic level (section below): page writes per 1,000 answers at 0.1, 5 and 200 answers/s, with the old window for
  every consumer (5 s / 100), the aggregator's batching alone (\`PAGE_BATCHING\` in functions/manifest.ts) and as deployed,
  with its tumbling window (\`PAGE_WINDOW_SECONDS\`: the window's batches folded into its state, the pages written in its final call).
- 90-day rolling NPS (90 days × this day's pages): overall ${overall.responses.toLocaleString('en')} responses in ${overallRcu} read units; per store (${perStore.segments?.length ?? 0} segments) ${storeRcu} read units
  (eventually consistent queries, one per dimension).

### At every traffic level

${LEVEL_ANSWERS.toLocaleString('en')} of these answers, arriving at random (exponential gaps) at each rate, in virtual time: Lambda invokes a
batch when its window has passed since the batch's first record or when it is full (bench/aggregate-levels.ts says how); with a
tumbling window, the real aggregator gets each window's batches with the state it returned and then the window's final call.

${levelsTable(levels, levelAnswers.length)}
`;
    writeSection('aggregate', 'npm run bench:aggregate', body);
    console.log(body);
  } finally {
    await stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
