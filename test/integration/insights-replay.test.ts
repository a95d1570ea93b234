/**
 * Topic pages exactly once, proven on real stream records of DynamoDB Local: comments written as the
 * respond function writes them, classified by the consumer's use case (delivered twice), then every
 * record (answers, edits, classifications) replayed through the aggregator twice, whole and in chunks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoInsightsWriter } from '../../functions/adapters/dynamodb/insights-store.ts';
import { DynamoResponseStore } from '../../functions/adapters/dynamodb/response-store.ts';
import { ScoreBucketWriter } from '../../functions/adapters/dynamodb/score-buckets.ts';
import { parseResponseChange } from '../../functions/adapters/dynamodb/table/stream-images.ts';
import { TopicPageReader, topicPageWriter } from '../../functions/adapters/dynamodb/topic-pages.ts';
import { aggregateBatch } from '../../functions/aggregate-scores/handler.ts';
import { bucketId, bucketKeysOf } from '../../surveys/aggregation.ts';
import { createClassifier } from '../../surveys/insights/classify.ts';
import { topicCellsOf } from '../../surveys/insights/pages.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import { classifyResponse } from '../../surveys/use-cases/classify-response.ts';
import { freshTable, readFinalResponseRecords } from '../support/table.ts';

const COMMENTS = ['Kurier spóźnił się dwa dni', 'Paczka przyszla zgnieciona, nie polecam', 'Pani na czacie bardzo miła', 'Refund took a month', '', 'Za drogo'];

function response(i: number): SurveyResponse {
  const comment = COMMENTS[i % COMMENTS.length]!;
  return {
    invitationId: `inv${String(i).padStart(19, '0')}`,
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    customerId: `c-${i}`,
    score: i % 11,
    ...(comment ? { comment } : {}),
    segments: { survey: 'nps-post-purchase', channel: 'email', store: ['web', 'krakow'][i % 2]!, locale: 'pl' },
    locale: 'pl',
    subjectRef: `o-${i}`,
    status: 'final',
    version: 1,
    answeredAt: `2026-11-${String(20 + (i % 2)).padStart(2, '0')}T10:00:00.000Z`,
    updatedAt: '2026-11-20T10:00:00.000Z',
  };
}

const batch = (records: DynamoDBRecord[]) => ({ Records: records, shardId: 'shardId-test-0001' });
const chunks = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

describe('topic pages replayed from real stream records', () => {
  let records: DynamoDBRecord[];
  let finals: SurveyResponse[];

  beforeAll(async () => {
    const source = await freshTable();
    const store = new DynamoResponseStore(source.doc, source.tableName, 365);
    for (let i = 0; i < 24; i++) await store.putResponse(response(i), 0);
    // 4 edits of the score and comment: classified again at version 2.
    for (let i = 0; i < 4; i++) await store.putResponse({ ...response(i), score: 10, comment: 'Zwrot pieniędzy bez problemu', version: 2 }, 1);
    const writer = new DynamoInsightsWriter(source.doc, source.tableName);
    const classifier = createClassifier();
    const answers = await readFinalResponseRecords(source);
    // Every record delivered to the classifier twice: the second delivery must store nothing new.
    for (const record of [...answers, ...answers]) {
      const parsed = parseResponseChange(record);
      if (parsed.ok) await classifyResponse(parsed.new, { classifier, writer });
    }
    records = await readFinalResponseRecords(source);
    finals = await Promise.all(Array.from({ length: 24 }, async (_, i) => (await store.getResponse(response(i).invitationId))!));
  }, 120_000);

  it('Should store one classification per commented response, at its latest version', () => {
    // Assess
    const commented = finals.filter((r) => r.comment);
    expect(commented.every((r) => r.insights?.version === r.version)).toBe(true);
    expect(finals.filter((r) => !r.comment).every((r) => r.insights === undefined)).toBe(true);
    expect(finals[0]!.insights).toMatchObject({ topics: ['returns'], sentiment: 'positive', version: 2 });
  });

  it('Should build the same topic pages when every batch is delivered twice, whole or in chunks', async () => {
    // Prepare
    const expected = new Map<string, Record<string, number>>();
    for (const r of finals) {
      for (const key of bucketKeysOf(r)) {
        const cells = expected.get(bucketId(key)) ?? {};
        for (const cell of topicCellsOf(r)) cells[cell] = (cells[cell] ?? 0) + 1;
        if (Object.keys(cells).length) expected.set(bucketId(key), cells);
      }
    }
    const target = await freshTable();
    const scores = new ScoreBucketWriter(target.doc, target.tableName);
    const topics = topicPageWriter(target.doc, target.tableName);

    // Act
    for (const part of chunks(records, 7)) await aggregateBatch(batch(part), scores, topics);
    await aggregateBatch(batch(records), scores, topics);
    for (const part of chunks(records, 5)) await aggregateBatch(batch(part), scores, topics);

    // Assess
    const reader = new TopicPageReader(target.doc, target.tableName);
    const stored = new Map<string, Record<string, number>>();
    for (const dimension of ['all', 'survey', 'channel', 'store', 'locale'] as const) {
      for (const b of await reader.readTopicBuckets('nps', dimension, '2026-11-01', '2026-11-30')) stored.set(bucketId(b), b.cells);
    }
    expect(stored).toEqual(expected);
    expect(stored.get('nps|all|all|2026-11-20')).toBeDefined();
  });
});
