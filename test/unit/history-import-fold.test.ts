/**
 * The import's in-memory fold (functions/adapters/dynamodb/history-import.ts pageWrites): what it writes
 * to the pages for a day's rows equals what the rows add one by one, bucket by bucket.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageWrites } from '../../functions/adapters/dynamodb/history-import.ts';
import { cellAttribute, MAX_CELLS_PER_WRITE } from '../../functions/adapters/dynamodb/score-buckets.ts';
import { bucketKeysOf, pageId, pageKeyOf } from '../../surveys/aggregation.ts';
import type { ImportedAnswer } from '../../surveys/history-import.ts';

const answer: fc.Arbitrary<ImportedAnswer> = fc.record({
  id: fc.stringMatching(/^imp-[A-Za-z0-9_-]{22}$/),
  metric: fc.constant('nps' as const),
  score: fc.integer({ min: 0, max: 10 }),
  answeredAt: fc.integer({ min: 0, max: 86_399 }).map((s) => new Date(Date.parse('2025-03-01T00:00:00Z') + s * 1000).toISOString()),
  segments: fc.record(
    {
      survey: fc.constantFrom('imported-nps', 'post-purchase'),
      channel: fc.constantFrom('email', 'sms'),
      store: fc.constantFrom('krakow', 'web', 'gdansk', 'poznan'),
      locale: fc.constantFrom('pl', 'en'),
      agent: fc.integer({ min: 1, max: 40 }).map((n) => `agent-${n}`),
    },
    { requiredKeys: ['survey', 'channel'] },
  ),
});

/** Row by row: +1 in the score cell of every bucket the row belongs to, keyed by page and cell. */
function oneByOne(answers: ImportedAnswer[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of answers) {
    for (const key of bucketKeysOf({ ...a, status: 'final', evidence: 'import' })) {
      const id = `${pageId(pageKeyOf(key))}|${cellAttribute(a.score, key.value)}`;
      out.set(id, (out.get(id) ?? 0) + 1);
    }
  }
  return out;
}

function folded(answers: ImportedAnswer[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const write of pageWrites(answers)) {
    for (const [cell, count] of Object.entries(write.cells)) {
      const id = `${pageId(write.key)}|${cell}`;
      out.set(id, (out.get(id) ?? 0) + count);
    }
  }
  return out;
}

describe('history import fold', () => {
  it('Should write to each page exactly what the rows add one by one', () => {
    fc.assert(
      fc.property(fc.array(answer, { maxLength: 300 }), (answers) => {
        // Act
        const result = folded(answers);

        // Assess
        expect(result).toEqual(oneByOne(answers));
      }),
      { numRuns: 200 },
    );
  });

  it('Should write each page once, cut in parts only past the cells one expression takes', () => {
    fc.assert(
      fc.property(fc.array(answer, { minLength: 1, maxLength: 300 }), (answers) => {
        // Act
        const writes = pageWrites(answers);

        // Assess
        const ids = writes.map((w) => `${pageId(w.key)}#${w.part}`);
        expect(new Set(ids).size).toBe(ids.length);
        for (const w of writes) expect(Object.keys(w.cells).length).toBeLessThanOrEqual(MAX_CELLS_PER_WRITE);
      }),
    );
  });
});
