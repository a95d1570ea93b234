/**
 * The import's day ledgers on DynamoDB Local: an import that stopped between its intent and its page
 * writes is finished by the next one without counting a row twice, an intent left by the former
 * three-step protocol is finished too, and rows counted by the former per-row ledger stay counted once.
 */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { HistoryImportStore, pageWrites } from '../../functions/adapters/dynamodb/history-import.ts';
import { ScoreBucketReader } from '../../functions/adapters/dynamodb/score-buckets.ts';
import { keys, PK } from '../../functions/adapters/dynamodb/table/keys.ts';
import type { ImportedAnswer } from '../../surveys/history-import.ts';
import { freshTable } from '../support/table.ts';

const answers: ImportedAnswer[] = Array.from({ length: 30 }, (_, i) => ({
  id: `imp-${String(i).padStart(4, '0')}${'x'.repeat(18)}`,
  metric: 'nps',
  score: i % 11,
  answeredAt: `2025-03-0${1 + (i % 3)}T10:00:00.000Z`,
  segments: { survey: 'imported-nps', channel: 'email', store: i % 2 ? 'web' : 'krakow' },
}));

async function counted(t: Awaited<ReturnType<typeof freshTable>>, dimension: 'all' | 'store' | 'evidence' = 'all'): Promise<number> {
  const buckets = await new ScoreBucketReader(t.doc, t.tableName).readBuckets('nps', dimension, '2025-03-01', '2025-03-31');
  return buckets.reduce((n, b) => n + Object.values(b.histogram).reduce((a, c) => a + c, 0), 0);
}

const isPageWrite = (command: unknown) => command instanceof UpdateCommand && String(command.input.Key?.pk).startsWith(PK.aggregate);

/** A client whose page writes fail after the first `allowed` while `failing` is set: a crash after the intents, amid the pages. */
function crashingAmidPages(doc: DynamoDBDocumentClient, allowed: number) {
  const state = { failing: true, pageWrites: 0 };
  const send = doc.send.bind(doc);
  const client = Object.create(doc) as DynamoDBDocumentClient;
  client.send = (async (command: unknown) => {
    if (state.failing && isPageWrite(command) && ++state.pageWrites > allowed) throw new Error('crash');
    return send(command as never);
  }) as DynamoDBDocumentClient['send'];
  return { client, state };
}

/** Writes rows the way the former importer did: page deltas without watermarks (and, by the caller, an `IMPORT#<rowId>` item per row). */
async function formerPageDeltas(doc: DynamoDBDocumentClient, tableName: string, rows: ImportedAnswer[]): Promise<void> {
  for (const write of pageWrites(rows)) {
    const cells = Object.entries(write.cells);
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.bucket(write.key),
        UpdateExpression: `SET metric = :metric, dimension = :dimension, #day = :day, page = :page ADD ${cells.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: { '#day': 'day', ...Object.fromEntries(cells.map(([cell], i) => [`#c${i}`, cell])) },
        ExpressionAttributeValues: {
          ':metric': write.key.metric,
          ':dimension': write.key.dimension,
          ':day': write.key.day,
          ':page': write.key.page,
          ...Object.fromEntries(cells.map(([, n], i) => [`:c${i}`, n])),
        },
      }),
    );
  }
}

describe('history import ledgers', () => {
  it('Should finish an import that stopped amid its page writes, counting each row once', async () => {
    // Prepare
    const t = await freshTable();
    const crashing = crashingAmidPages(t.doc, 4);
    await expect(new HistoryImportStore(crashing.client, t.tableName).fold(answers, '2026-11-20T12:00:00Z')).rejects.toThrow('crash');
    crashing.state.failing = false;
    const before = await counted(t, 'store');

    // Act
    const again = await new HistoryImportStore(t.doc, t.tableName).fold(answers, '2026-11-20T12:05:00Z');

    // Assess
    expect(before).toBeLessThan(30);
    expect(again).toEqual({ added: 0, already: 30, comments: 0 });
    expect(await counted(t)).toBe(30);
    expect(await counted(t, 'store')).toBe(30);
    expect(await counted(t, 'evidence')).toBe(30);
  });

  it('Should count a later file of other rows after finishing the stopped import of the same days', async () => {
    // Prepare
    const t = await freshTable();
    const crashing = crashingAmidPages(t.doc, 2);
    await expect(new HistoryImportStore(crashing.client, t.tableName).fold(answers.slice(0, 20), '2026-11-20T12:00:00Z')).rejects.toThrow('crash');

    // Act
    const later = await new HistoryImportStore(t.doc, t.tableName).fold(answers, '2026-11-20T12:05:00Z');

    // Assess
    expect(later).toEqual({ added: 10, already: 20, comments: 0 });
    expect(await counted(t)).toBe(30);
    expect(await counted(t, 'store')).toBe(30);
  });

  it('Should write nothing when importing again after a finished import, reading the pages only', async () => {
    // Prepare
    const t = await freshTable();
    await new HistoryImportStore(t.doc, t.tableName).fold(answers, '2026-11-20T12:00:00Z');
    const watching = crashingAmidPages(t.doc, 0);

    // Act
    const again = await new HistoryImportStore(watching.client, t.tableName).fold(answers, '2026-11-20T12:05:00Z');

    // Assess
    expect(again).toEqual({ added: 0, already: 30, comments: 0 });
    expect(watching.state.pageWrites).toBe(0);
    expect(await counted(t)).toBe(30);
  });

  it('Should finish an intent left by the former three-step protocol before counting more rows', async () => {
    // Prepare: day 2025-03-01's ledger holds an uncommitted intent (its rows outside the set) whose pages were never written
    const t = await freshTable();
    const day = answers.filter((a) => a.answeredAt.startsWith('2025-03-01'));
    await t.doc.send(
      new PutCommand({
        TableName: t.tableName,
        Item: {
          ...keys.importLedger('nps', '2025-03-01'),
          entity: 'import-ledger',
          metric: 'nps',
          day: '2025-03-01',
          version: 0,
          pending: { version: 1, rows: new Set(day.map((a) => a.id.slice(4, 20))), pages: pageWrites(day) },
        },
      }),
    );

    // Act
    const first = await new HistoryImportStore(t.doc, t.tableName).fold(answers, '2026-11-20T12:00:00Z');
    const second = await new HistoryImportStore(t.doc, t.tableName).fold(answers, '2026-11-20T12:05:00Z');

    // Assess
    expect(first).toEqual({ added: 30 - day.length, already: day.length, comments: 0 });
    expect(second).toEqual({ added: 0, already: 30, comments: 0 });
    expect(await counted(t)).toBe(30);
  });

  it('Should not count again the rows the former per-row ledger counted', async () => {
    // Prepare: the former importer counted 5 rows (its per-row items and their page deltas)
    const t = await freshTable();
    for (const a of answers.slice(0, 5)) {
      await t.doc.send(
        new PutCommand({
          TableName: t.tableName,
          Item: { ...keys.importedRow(a.id), entity: 'imported-row', metric: a.metric, day: a.answeredAt.slice(0, 10) },
        }),
      );
    }
    await formerPageDeltas(t.doc, t.tableName, answers.slice(0, 5));

    // Act
    const first = await new HistoryImportStore(t.doc, t.tableName).fold(answers, '2026-11-20T12:00:00Z');
    const second = await new HistoryImportStore(t.doc, t.tableName).fold(answers, '2026-11-20T12:05:00Z');

    // Assess
    expect(first).toEqual({ added: 25, already: 5, comments: 0 });
    expect(second).toEqual({ added: 0, already: 30, comments: 0 });
    expect(await counted(t)).toBe(30);
  });
});
