/**
 * The history import (npm run import) under random files: columns in any order and spelling, rows
 * that are good, bad for a known reason, or junk; quoted cells with commas, quotes and line breaks;
 * LF or CRLF; UTF-8 with or without a byte-order mark, Latin-1, UTF-16. A file without a score or
 * time column is refused as a whole, naming the column; otherwise every row is accounted for — added,
 * repeated within the file, or refused with its reason — and the added rows are in the ledger and in
 * the score pages. Never an exception of any other kind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertEdge, FUZZ_TIMEOUT_MS, csvEdge, type FuzzEdge } from '../support/fuzz-edges.ts';
import type { CsvCase } from '../support/arbitraries.ts';
import { freshTable } from '../support/table.ts';

let edge: FuzzEdge<CsvCase>;

beforeAll(async () => {
  edge = await csvEdge(await freshTable());
});

describe('history import of random CSV files', () => {
  it(
    'Should import the good rows, refuse the bad ones with their reason, and account for every row',
    async () => {
      // Act
      const outcomes = await assertEdge(edge, Number(process.env.FUZZ_RUNS ?? 200));

      // Assess: files imported whole, in part, and refused were all seen
      expect([...outcomes.keys()]).toEqual(expect.arrayContaining(['imported', 'imported, some refused', 'file refused']));
    },
    FUZZ_TIMEOUT_MS,
  );
});
