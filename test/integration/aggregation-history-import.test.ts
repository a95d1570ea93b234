/**
 * History import on DynamoDB Local: a Delighted-style CSV is folded into the score pages; importing
 * it again, or a file that overlaps it, counts no row twice; refused rows are summed up by reason.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { HistoryImportStore } from '../../functions/adapters/dynamodb/history-import.ts';
import { ScoreBucketReader } from '../../functions/adapters/dynamodb/score-buckets.ts';
import { formatSummary, runImport } from '../../scripts/import-history.ts';
import { freshTable } from '../support/table.ts';

const HEADER = 'Response ID,Score,Comment,Response Timestamp,Person Email,Person Name,Properties: Store,Properties: Locale,Tags';
const GOOD = [
  ['r-1', '10', 'Great, fast', '2025-03-01 10:00:00 UTC', 'ala@example.com', 'Ala', 'krakow', 'pl-PL', ''],
  ['r-2', '9', '', '2025-03-01 11:00:00 UTC', 'ola@example.com', 'Ola', 'web', 'pl', ''],
  ['r-3', '3', '"Slow", said I', '2025-03-01 12:30:00 +0200', 'jan@example.com', 'Jan', 'krakow', 'en', 'late'],
  ['r-4', '7', 'ok', '1740830400', 'ewa@example.com', 'Ewa', 'web', 'en-GB', ''],
  ['r-5', '0', 'never again', '2025-03-02T09:00:00Z', 'tom@example.com', 'Tom', '', '', ''],
];
const BAD = [
  ['r-6', '11', '', '2025-03-01 10:00:00 UTC', 'x@example.com', 'X', 'web', 'pl', ''],
  ['r-7', 'ten', '', '2025-03-01 10:00:00 UTC', 'y@example.com', 'Y', 'web', 'pl', ''],
  ['r-8', '8', '', '', 'z@example.com', 'Z', 'web', 'pl', ''],
  ['r-9', '8', '', 'yesterday', 'q@example.com', 'Q', 'web', 'pl', ''],
  ['r-10', '8', '', '2099-01-01 00:00:00 UTC', 'w@example.com', 'W', 'web', 'pl', ''],
];

const csvOf = (rows: string[][]) =>
  `${[HEADER, ...rows.map((r) => r.map((c) => (/[",]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(','))].join('\r\n')}\r\n`;

function file(name: string, rows: string[][]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ankieta-import-')), name);
  writeFileSync(path, csvOf(rows));
  return path;
}

async function target() {
  const t = await freshTable();
  const store = new HistoryImportStore(t.doc, t.tableName);
  const reader = new ScoreBucketReader(t.doc, t.tableName);
  const pages = async () => {
    const out: Record<string, Record<string, number>> = {};
    for (const dimension of ['all', 'store', 'locale', 'survey', 'channel'] as const) {
      for (const b of await reader.readBuckets('nps', dimension, '2025-01-01', '2025-12-31')) out[`${b.day}|${dimension}|${b.value}`] = b.histogram;
    }
    return out;
  };
  return { ...t, store, pages };
}

const options = { metric: 'nps' as const, source: 'delighted', now: new Date('2026-11-20T12:00:00Z') };

describe('history import', () => {
  it('Should fold the good rows into the pages and refuse the others, saying why', async () => {
    // Prepare
    const t = await target();
    const progress: number[] = [];

    // Act
    const summary = await runImport({
      file: file('export.csv', [...GOOD, ...BAD]),
      store: t.store,
      options,
      progress: (done, total) => progress.push(done / total),
    });

    // Assess
    expect(summary).toMatchObject({ rows: 10, added: 5, already: 0, duplicatesInFile: 0, days: { from: '2025-03-01', to: '2025-03-02' } });
    expect(summary.refused.map((r) => [r.reason, r.rows])).toEqual(
      expect.arrayContaining([
        ['score "…" is not a whole number 0-10 (nps)', 2],
        ['time is empty', 1],
        ['time "…" is not a date we can read', 1],
        ['time is in the future', 1],
      ]),
    );
    expect(summary.examples[0]).toEqual({ line: 7, reason: 'score "11" is not a whole number 0-10 (nps)' });
    expect(summary.ignoredColumns).toEqual(['Person Name', 'Tags']);
    expect(progress.at(-1)).toBe(1);
    expect(await t.pages()).toEqual({
      '2025-03-01|all|all': { '10': 1, '9': 1, '3': 1, '7': 1 },
      '2025-03-01|store|krakow': { '10': 1, '3': 1 },
      '2025-03-01|store|web': { '9': 1, '7': 1 },
      '2025-03-01|locale|pl': { '10': 1, '9': 1 },
      '2025-03-01|locale|en': { '3': 1, '7': 1 },
      '2025-03-01|survey|imported-nps': { '10': 1, '9': 1, '3': 1, '7': 1 },
      '2025-03-01|channel|email': { '10': 1, '9': 1, '3': 1, '7': 1 },
      '2025-03-02|all|all': { '0': 1 },
      '2025-03-02|survey|imported-nps': { '0': 1 },
      '2025-03-02|channel|email': { '0': 1 },
    });
    expect(formatSummary('export.csv', summary, false)).toContain('refused: 5');
  });

  it('Should change nothing when the same file is imported again', async () => {
    // Prepare
    const t = await target();
    const path = file('export.csv', [...GOOD, ...BAD]);
    await runImport({ file: path, store: t.store, options });
    const before = await t.pages();

    // Act
    const again = await runImport({ file: path, store: t.store, options });

    // Assess
    expect(again).toMatchObject({ added: 0, already: 5 });
    expect(await t.pages()).toEqual(before);
  });

  it('Should add only the new rows of a later export that overlaps an earlier one, and count a row repeated in a file once', async () => {
    // Prepare
    const t = await target();
    await runImport({ file: file('march.csv', GOOD.slice(0, 3)), store: t.store, options });

    // Act
    const later = await runImport({ file: file('later.csv', [...GOOD, GOOD[4]!]), store: t.store, options });

    // Assess
    expect(later).toMatchObject({ rows: 6, added: 2, already: 3, duplicatesInFile: 1 });
    expect((await t.pages())['2025-03-01|all|all']).toEqual({ '10': 1, '9': 1, '3': 1, '7': 1 });
  });

  it('Should keep no personal data: no address, name or comment anywhere in the table', async () => {
    // Prepare
    const t = await target();

    // Act
    await runImport({ file: file('export.csv', GOOD), store: t.store, options });

    // Assess
    const items = (await t.doc.send(new ScanCommand({ TableName: t.tableName }))).Items ?? [];
    const text = JSON.stringify(items);
    expect(items.length).toBeGreaterThan(5);
    for (const personal of ['@example.com', 'Ala', 'never again', 'Great']) expect(text).not.toContain(personal);
  });

  it('Should write nothing on a dry run', async () => {
    // Prepare
    const t = await target();

    // Act
    const summary = await runImport({ file: file('export.csv', GOOD), store: t.store, options, dryRun: true });

    // Assess
    expect(summary.added).toBe(5);
    expect(summary.segments).toEqual({ survey: 1, channel: 1, store: 2, locale: 2 });
    const text = formatSummary('export.csv', summary, true);
    expect(text).toContain('would add: 5');
    expect(text).toMatch(/segments: .*store \(2 values\)/);
    expect(text).toContain('dry run: nothing was written');
    expect(await t.pages()).toEqual({});
    const items = (await t.doc.send(new ScanCommand({ TableName: t.tableName }))).Items ?? [];
    expect(items).toEqual([]);
  });

  it('Should stop with a message naming the missing columns', async () => {
    // Prepare
    const t = await target();
    const path = join(mkdtempSync(join(tmpdir(), 'ankieta-import-')), 'wrong.csv');
    writeFileSync(path, 'Name,Email\nAla,ala@example.com\n');

    // Act
    const act = runImport({ file: path, store: t.store, options });

    // Assess
    await expect(act).rejects.toThrow(/no score and no time column/);
  });
});
