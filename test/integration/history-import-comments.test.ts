/**
 * Comment import on DynamoDB Local: rows with a comment become history responses, counted once (by the
 * score aggregator reading the stream, not also by the fold), never written twice however often the
 * file is imported, and let through the stream filters of scores and insights but not of the
 * consumers that act on a person (alerts, health, funnel, outbound).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { aggregateBatch } from '../../functions/aggregate-scores/handler.ts';
import { HistoryImportStore } from '../../functions/adapters/dynamodb/history-import.ts';
import { DynamoInsightsWriter } from '../../functions/adapters/dynamodb/insights-store.ts';
import { DynamoResponseStore } from '../../functions/adapters/dynamodb/response-store.ts';
import { ScoreBucketReader, ScoreBucketWriter } from '../../functions/adapters/dynamodb/score-buckets.ts';
import { STREAM_CONSUMERS } from '../../functions/manifest.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import { formatSummary, runImport } from '../../scripts/import-history.ts';
import { freshTable, readFinalResponseRecords, readStreamRecords } from '../support/table.ts';

const HEADER = 'Response ID,Score,Comment,Response Timestamp,Person Email';
const ROWS = [
  ['r-1', '10', 'Great, fast', '2026-05-01 10:00:00 UTC', 'ala@example.com'],
  ['r-2', '9', '', '2026-05-01 11:00:00 UTC', 'ola@example.com'],
  ['r-3', '3', 'Slow', '2026-05-01 12:00:00 UTC', 'jan@example.com'],
  ['r-4', '7', '', '2026-05-02 09:00:00 UTC', 'ewa@example.com'],
  ['r-5', '0', 'never again', '2025-06-01 09:00:00 UTC', 'tom@example.com'], // past the 400 days: score only
];
const options = { metric: 'nps' as const, source: 'delighted', now: new Date('2026-11-20T12:00:00Z'), retentionDays: 400 };

function file(rows: string[][]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ankieta-comments-')), 'export.csv');
  writeFileSync(path, `${[HEADER, ...rows.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(','))].join('\n')}\n`);
  return path;
}

async function target() {
  const t = await freshTable();
  const store = new HistoryImportStore(t.doc, t.tableName, { source: 'delighted', retentionDays: 400 });
  const responses = async () =>
    ((await t.doc.send(new ScanCommand({ TableName: t.tableName, FilterExpression: 'sk = :sk', ExpressionAttributeValues: { ':sk': 'RESPONSE' } }))).Items ??
      []) as Array<Record<string, unknown>>;
  const total = async () => {
    const buckets = await new ScoreBucketReader(t.doc, t.tableName).readBuckets('nps', 'all', '2025-01-01', '2026-12-31');
    return buckets.reduce((n, b) => n + Object.values(b.histogram).reduce((m, c) => m + c, 0), 0);
  };
  return { ...t, store, responses, total };
}

describe('comment import', () => {
  it('Should store each comment row once as a history response and count every row once, by the fold or by the stream aggregator', async () => {
    // Prepare
    const t = await target();

    // Act
    const summary = await runImport({ file: file(ROWS), store: t.store, options });
    const folded = await t.total();
    const records = await readFinalResponseRecords(t);
    await aggregateBatch({ Records: records, shardId: 'shardId-1' }, new ScoreBucketWriter(t.doc, t.tableName));

    // Assess
    expect(summary).toMatchObject({ rows: 5, added: 5, already: 0, comments: 2 });
    expect(formatSummary('export.csv', summary, false)).toContain('of which with their comment, as responses: 2');
    const stored = await t.responses();
    expect(stored.map((r) => [r.score, r.comment, r.history, r.evidence]).sort()).toEqual([
      [10, 'Great, fast', 'delighted', 'import'],
      [3, 'Slow', 'delighted', 'import'],
    ]);
    expect(folded).toBe(3); // r-2, r-4 and r-5 (its comment too old): the comment rows are not folded
    expect(records).toHaveLength(2);
    expect(await t.total()).toBe(5);
  });

  it('Should add nothing when the file is imported again, or a later export brings the same rows without their comments', async () => {
    // Prepare
    const t = await target();
    await runImport({ file: file(ROWS), store: t.store, options });

    // Act
    const again = await runImport({ file: file(ROWS), store: t.store, options });
    const withoutComments = await runImport({ file: file(ROWS.map((r) => [r[0]!, r[1]!, '', r[3]!, r[4]!])), store: t.store, options });

    // Assess
    expect(again).toMatchObject({ added: 0, already: 5, comments: 0 });
    expect(withoutComments).toMatchObject({ added: 0, already: 5, comments: 0 });
    expect(await t.responses()).toHaveLength(2);
    expect(await readFinalResponseRecords(t)).toHaveLength(2); // no write at all, so no second stream record
    expect(await t.total()).toBe(3);
  });

  it('Should leave alone the responses a stopped import wrote, and record their rows', async () => {
    // Prepare: an import stopped after its responses, before any ledger intent; one comment classified since
    const t = await target();
    const send = t.doc.send.bind(t.doc);
    const crashing = Object.create(t.doc) as typeof t.doc;
    crashing.send = (async (command: unknown) => {
      if (command instanceof UpdateCommand && String(command.input.Key?.sk) === 'LEDGER') throw new Error('crash');
      return send(command as never);
    }) as typeof t.doc.send;
    const stopped = new HistoryImportStore(crashing, t.tableName, { source: 'delighted', retentionDays: 400 });
    await expect(runImport({ file: file(ROWS), store: stopped, options })).rejects.toThrow('crash');
    const slow = (await t.responses()).find((r) => r.comment === 'Slow')!;
    const insights = { topics: ['speed'], sentiment: 'negative', sentimentScore: -0.6, version: 1 };
    await new DynamoInsightsWriter(t.doc, t.tableName).storeInsights({ invitationId: String(slow.invitationId) }, insights as never);

    // Act
    const summary = await runImport({ file: file(ROWS), store: t.store, options });
    const again = await runImport({ file: file(ROWS), store: t.store, options });

    // Assess
    expect(summary).toMatchObject({ added: 5, already: 0, comments: 2 });
    expect(again).toMatchObject({ added: 0, already: 5 });
    expect((await t.responses()).find((r) => r.comment === 'Slow')!.insights).toEqual(insights);
    const records = await readFinalResponseRecords(t);
    expect(records.map((r) => r.eventName).sort()).toEqual(['INSERT', 'INSERT', 'MODIFY']); // two puts and the classification, nothing more
    await aggregateBatch({ Records: records, shardId: 'shardId-1' }, new ScoreBucketWriter(t.doc, t.tableName));
    expect(await t.total()).toBe(5);
  });

  it('Should let history responses through the stream filters of scores and insights only, and live responses through all', async () => {
    // Prepare: one live answer beside the imported ones, and a classified history comment (its MODIFY keeps the marker)
    const t = await target();
    await runImport({ file: file(ROWS), store: t.store, options });
    const slow = (await t.responses()).find((r) => r.comment === 'Slow')!;
    const classified = await new DynamoInsightsWriter(t.doc, t.tableName).storeInsights(
      { invitationId: String(slow.invitationId) },
      { topics: ['speed'], sentiment: 'negative', sentimentScore: -0.6, version: 1 },
    );
    const at = '2026-11-20T10:00:00.000Z';
    const live = { invitationId: 'inv-live', surveyId: 's-1', metric: 'nps', customerId: 'c-1', score: 2, comment: 'bad' };
    await new DynamoResponseStore(t.doc, t.tableName).putResponse(
      {
        ...live,
        segments: { survey: 's-1', channel: 'email' },
        locale: 'en',
        subjectRef: 'o-1',
        status: 'final',
        version: 1,
        answeredAt: at,
        updatedAt: at,
      } as SurveyResponse,
      0,
    );

    // Act
    const received: Record<string, number[]> = {};
    for (const { fn, filter } of STREAM_CONSUMERS) {
      const records = await readStreamRecords(t, filter);
      received[fn] = records.filter((r) => r.dynamodb?.NewImage?.sk?.S === 'RESPONSE').map((r) => Number(r.dynamodb!.NewImage!.score!.N));
    }

    // Assess
    expect(classified).toBe(true);
    expect(Object.fromEntries(Object.entries(received).map(([fn, scores]) => [fn, scores.sort((a, b) => a - b)]))).toEqual({
      aggregateScores: [2, 3, 3, 10],
      classifyComments: [2, 3, 3, 10],
      raiseAlerts: [2],
      trackHealth: [2],
      countFunnel: [2],
      emitOutbound: [2],
    });
  });

  it('Should count the comments it would import on a dry run, writing nothing', async () => {
    // Prepare
    const t = await target();

    // Act
    const summary = await runImport({ file: file(ROWS), store: t.store, options, dryRun: true });

    // Assess
    expect(summary).toMatchObject({ added: 5, comments: 2 });
    expect(formatSummary('export.csv', summary, true)).toContain('of which with their comment, as responses: 2');
    expect(await t.responses()).toHaveLength(0);
  });
});
