/**
 * DynamoDB throttling in the aggregator. Real stream records (read from DynamoDB Local's stream) go
 * through the aggregator's batch work (aggregateBatch, the handler minus its cached client) with a real
 * DynamoDB client whose page writes are throttled on a random plan: some throttles are absorbed by the
 * SDK's retries, the others reach the handler, which reports the earliest change of each failed page
 * (batchItemFailures). Lambda's loop is replayed: resume from the reported record, or move on. Whatever
 * the plan and the batch size, the pages end exactly equal to the scores computed from the responses.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { surveyPorts, type SurveyPorts } from '../support/stores.ts';
import { ScoreBucketWriter } from '../../functions/adapters/dynamodb/score-buckets.ts';
import { aggregateBatch } from '../../functions/aggregate-scores/handler.ts';
import { bucketId, bucketKeysOf } from '../../surveys/aggregation.ts';
import { SEGMENT_DIMENSIONS, type Metric, type SurveyResponse } from '../../surveys/model.ts';
import { mergeHistograms, summarize, type Histogram } from '../../surveys/scoring.ts';
import { freshTable, readFinalResponseRecords } from '../support/table.ts';

const SHARD = 'shardId-00000001';
const METRICS: Metric[] = ['nps', 'csat'];

function response(i: number): SurveyResponse {
  const metric = METRICS[i % 2]!;
  const at = `2026-11-${String(18 + (i % 4)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:15:00.000Z`;
  return {
    invitationId: `inv-throttle-${String(i).padStart(3, '0')}`,
    surveyId: `${metric}-survey`,
    metric,
    customerId: `c-${i}`,
    score: metric === 'nps' ? (i * 7) % 11 : 1 + ((i * 3) % 5),
    segments: {
      survey: `${metric}-survey`,
      channel: i % 5 ? 'email' : 'sms',
      store: ['web', 'krakow', 'gdansk'][i % 3]!,
      agent: `a-${i % 7}`,
      locale: i % 2 ? 'pl' : 'en',
    },
    locale: 'pl',
    subjectRef: `o-${i}`,
    status: 'final',
    version: 1,
    answeredAt: at,
    updatedAt: at,
  };
}

/** 48 answers, 12 of them changed within the edit window and 8 commented: 68 stream records. */
async function responsesAndTheirStream(): Promise<{ records: DynamoDBRecord[]; finals: SurveyResponse[] }> {
  const source = await freshTable();
  const store = surveyPorts(source.doc, source.tableName);
  const finals = new Map<string, SurveyResponse>();
  for (let i = 0; i < 48; i++) {
    const r = response(i);
    await store.putResponse(r, 0);
    finals.set(r.invitationId, r);
  }
  for (let i = 0; i < 20; i++) {
    const r = finals.get(response(i).invitationId)!;
    const next =
      i < 12 ? { ...r, score: r.metric === 'nps' ? (r.score + 4) % 11 : 1 + (r.score % 5), version: 2 } : { ...r, comment: 'slow courier', version: 2 };
    await store.putResponse(next, 1);
    finals.set(r.invitationId, next);
  }
  const records = await readFinalResponseRecords(source);
  return { records, finals: [...finals.values()] };
}

/** Per bucket, the histogram the responses themselves give. */
function expectedBuckets(finals: SurveyResponse[]): Map<string, Histogram> {
  const out = new Map<string, Histogram>();
  for (const r of finals) {
    for (const key of bucketKeysOf(r)) out.set(bucketId(key), mergeHistograms(out.get(bucketId(key)) ?? {}, { [String(r.score)]: 1 }));
  }
  return out;
}

async function bucketsIn(store: SurveyPorts): Promise<Map<string, Histogram>> {
  const out = new Map<string, Histogram>();
  for (const metric of METRICS) {
    for (const dimension of SEGMENT_DIMENSIONS) {
      for (const b of await store.readBuckets(metric, dimension, '2026-11-01', '2026-11-30'))
        if (Object.keys(b.histogram).length) out.set(bucketId(b), b.histogram);
    }
  }
  return out;
}

/** Per page write, in call order: none, one throttle the SDK retry absorbs, or throttling that outlasts every attempt. */
type Throttle = 'none' | 'once' | 'outlasting';

const throttleError = () =>
  new ProvisionedThroughputExceededException({
    message: 'The level of configured provisioned throughput for the table was exceeded.',
    $metadata: { httpStatusCode: 400 },
  });

/**
 * A client configured like functions/shared/clients.ts (SDK defaults: backoff and retry on throttling)
 * whose page writes (UpdateItem on AGG# items) are throttled per the plan. 'once' is thrown inside the
 * SDK's retry loop, which backs off and tries again; 'outlasting' is thrown as the SDK throws it after
 * its last attempt (without waiting out the real backoffs, which would only slow the test).
 */
function throttledClient(endpoint: string, plan: Throttle[]) {
  const client = new DynamoDBClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const stats = { pageWrites: 0, absorbed: 0, reachedCaller: 0 };
  const isPageWrite = (input: { Key?: { pk?: { S?: string } | string }; UpdateExpression?: string }) => {
    const pk = typeof input.Key?.pk === 'string' ? input.Key.pk : input.Key?.pk?.S;
    return Boolean(pk?.startsWith('AGG#') && input.UpdateExpression);
  };
  const planOf = new WeakMap<object, Throttle>(); // by the call's context: the same object on every attempt
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (isPageWrite((args as { input: Parameters<typeof isPageWrite>[0] }).input)) {
        const throttle = plan[stats.pageWrites++] ?? 'none';
        planOf.set(context, throttle);
        if (throttle === 'outlasting') {
          stats.reachedCaller++;
          throw throttleError();
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'outlastingThrottling' },
  );
  // After the retry middleware: each attempt passes here, so the SDK sees this throttle and retries it.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const attempt = Number((args.request as { headers?: Record<string, string> }).headers?.['amz-sdk-request']?.match(/attempt=(\d+)/)?.[1] ?? 1);
      if (planOf.get(context) === 'once' && attempt === 1) {
        stats.absorbed++;
        throw throttleError();
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'absorbedThrottling' },
  );
  return { doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), stats };
}

/** What Lambda does with a shard: batches from the checkpoint; a reported failure moves the checkpoint there and retries. */
async function deliverLikeLambda(records: DynamoDBRecord[], batchSize: number, writer: ScoreBucketWriter): Promise<{ deliveries: number; failures: number }> {
  let position = 0;
  let deliveries = 0;
  let failures = 0;
  while (position < records.length) {
    if (++deliveries > 500) throw new Error('the shard does not advance');
    const batch = records.slice(position, position + batchSize);
    const result = await aggregateBatch({ Records: batch, shardId: SHARD }, writer);
    const failed = result.batchItemFailures[0]?.itemIdentifier;
    if (failed === undefined) {
      position += batch.length;
      continue;
    }
    failures++;
    const at = batch.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
    expect(at, 'the reported record is in the batch').toBeGreaterThanOrEqual(0);
    position += at;
  }
  return { deliveries, failures };
}

describe('the aggregator when DynamoDB throttles page writes', () => {
  let records: DynamoDBRecord[];
  let finals: SurveyResponse[];
  let expected: Map<string, Histogram>;

  beforeAll(async () => {
    ({ records, finals } = await responsesAndTheirStream());
    expected = expectedBuckets(finals);
  }, 60_000);

  it('Should read 48 answers, 12 edits and 8 comments from the stream', () => {
    expect(records).toHaveLength(68);
  });

  it('Should report the earliest change of a throttled page, and end exact after Lambda resumes from it', async () => {
    // Prepare: the second page write is throttled once (absorbed), the third past the SDK's retries
    const t = await freshTable();
    const { doc, stats } = throttledClient(t.endpoint, ['none', 'once', 'outlasting']);
    const writer = new ScoreBucketWriter(doc, t.tableName);
    const store = surveyPorts(t.doc, t.tableName);

    // Act
    const first = await aggregateBatch({ Records: records.slice(0, 40), shardId: SHARD }, writer);
    const resumeAt = records.findIndex((r) => r.dynamodb?.SequenceNumber === first.batchItemFailures[0]?.itemIdentifier);
    await deliverLikeLambda(records.slice(resumeAt), 40, writer);

    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect(resumeAt).toBeGreaterThanOrEqual(0);
    expect(resumeAt).toBeLessThan(40);
    expect(stats).toMatchObject({ absorbed: 1, reachedCaller: 1 });
    expect(await bucketsIn(store)).toEqual(expected);
  }, 30_000);

  it('Should end with the pages equal to the scores of the responses, whatever the throttling and the batch size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 5, max: 100 }),
        // Mostly no throttle; now and then one the SDK absorbs, or one that reaches the handler.
        fc.array(
          fc.oneof(
            { weight: 12, arbitrary: fc.constant<Throttle>('none') },
            { weight: 1, arbitrary: fc.constant<Throttle>('once') },
            { weight: 3, arbitrary: fc.constant<Throttle>('outlasting') },
          ),
          { maxLength: 150 },
        ),
        async (batchSize, throttles) => {
          // Prepare
          const t = await freshTable();
          const { doc, stats } = throttledClient(t.endpoint, throttles);
          const store = surveyPorts(t.doc, t.tableName);

          // Act
          const { failures } = await deliverLikeLambda(records, batchSize, new ScoreBucketWriter(doc, t.tableName));

          // Assess
          expect(failures).toBeLessThanOrEqual(stats.reachedCaller);
          expect(failures > 0).toBe(stats.reachedCaller > 0);
          const buckets = await bucketsIn(store);
          expect(buckets).toEqual(expected);
          for (const metric of METRICS) {
            const fromResponses = summarize(metric, mergeHistograms(...finals.filter((r) => r.metric === metric).map((r) => ({ [String(r.score)]: 1 }))));
            const overall = mergeHistograms(...[...buckets].filter(([id]) => id.startsWith(`${metric}|all|all|`)).map(([, h]) => h));
            expect(summarize(metric, overall)).toEqual(fromResponses);
          }
        },
      ),
      { numRuns: Number(process.env.FAULT_RUNS ?? 4), seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
  }, 120_000);
});
