/**
 * The import's day ledgers on DynamoDB Local: an import that stopped between its page writes and its
 * commit is finished by the next one without counting a row twice, and rows counted by the former
 * per-row ledger stay counted once.
 */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { HistoryImportStore } from '../../functions/adapters/dynamodb/history-import.ts';
import { ScoreBucketReader } from '../../functions/adapters/dynamodb/score-buckets.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import type { ImportedAnswer } from '../../surveys/history-import.ts';
import { freshTable } from '../support/table.ts';

const answers: ImportedAnswer[] = Array.from({ length: 30 }, (_, i) => ({
  id: `imp-${String(i).padStart(4, '0')}${'x'.repeat(18)}`,
  metric: 'nps',
  score: i % 11,
  answeredAt: `2025-03-0${1 + (i % 3)}T10:00:00.000Z`,
  segments: { survey: 'imported-nps', channel: 'email', store: i % 2 ? 'web' : 'krakow' },
}));

async function counted(t: Awaited<ReturnType<typeof freshTable>>): Promise<number> {
  const buckets = await new ScoreBucketReader(t.doc, t.tableName).readBuckets('nps', 'all', '2025-03-01', '2025-03-31');
  return buckets.reduce((n, b) => n + Object.values(b.histogram).reduce((a, c) => a + c, 0), 0);
}

/** A client that fails every ledger commit (the `REMOVE pending` update) while `failing` is set: a crash between pages and commit. */
function crashingBeforeCommit(doc: DynamoDBDocumentClient) {
  const state = { failing: true };
  const send = doc.send.bind(doc);
  const client = Object.create(doc) as DynamoDBDocumentClient;
  client.send = (async (command: unknown) => {
    if (state.failing && command instanceof UpdateCommand && String(command.input.UpdateExpression).includes('REMOVE pending')) throw new Error('crash');
    return send(command as never);
  }) as DynamoDBDocumentClient['send'];
  return { client, state };
}

describe('history import ledgers', () => {
  it('Should finish an import that stopped before its commit, counting each row once', async () => {
    // Prepare
    const t = await freshTable();
    const crashing = crashingBeforeCommit(t.doc);
    await expect(new HistoryImportStore(crashing.client, t.tableName).fold(answers, '2026-11-20T12:00:00Z')).rejects.toThrow('crash');
    crashing.state.failing = false;

    // Act
    const again = await new HistoryImportStore(t.doc, t.tableName).fold(answers, '2026-11-20T12:05:00Z');

    // Assess
    expect(again).toEqual({ added: 0, already: 30, comments: 0 });
    expect(await counted(t)).toBe(30);
  });

  it('Should count a later file of other rows after finishing the stopped import of the same days', async () => {
    // Prepare
    const t = await freshTable();
    const crashing = crashingBeforeCommit(t.doc);
    await expect(new HistoryImportStore(crashing.client, t.tableName).fold(answers.slice(0, 20), '2026-11-20T12:00:00Z')).rejects.toThrow('crash');

    // Act
    const later = await new HistoryImportStore(t.doc, t.tableName).fold(answers, '2026-11-20T12:05:00Z');

    // Assess
    expect(later).toEqual({ added: 10, already: 20, comments: 0 });
    expect(await counted(t)).toBe(30);
  });

  it('Should not count again the rows the former per-row ledger counted', async () => {
    // Prepare
    const t = await freshTable();
    for (const a of answers.slice(0, 5)) {
      await t.doc.send(
        new PutCommand({
          TableName: t.tableName,
          Item: { ...keys.importedRow(a.id), entity: 'imported-row', metric: a.metric, day: a.answeredAt.slice(0, 10) },
        }),
      );
    }

    // Act
    const first = await new HistoryImportStore(t.doc, t.tableName).fold(answers, '2026-11-20T12:00:00Z');
    const second = await new HistoryImportStore(t.doc, t.tableName).fold(answers, '2026-11-20T12:05:00Z');

    // Assess
    expect(first).toEqual({ added: 25, already: 5, comments: 0 });
    expect(second).toEqual({ added: 0, already: 30, comments: 0 });
    expect(await counted(t)).toBe(25);
  });
});
