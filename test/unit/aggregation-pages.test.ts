import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PAGES,
  cellsOf,
  dayMinus,
  daysBetween,
  pageAfter,
  pageFirstSeq,
  pageOf,
  padSeq,
  preAggregate,
  splitPage,
  toPages,
  type PageDelta,
  type ResponseChange,
} from '../../surveys/aggregation.ts';
import { SEGMENT_DIMENSIONS, type SurveyResponse } from '../../surveys/model.ts';
import { mergeHistograms } from '../../surveys/scoring.ts';

function response(overrides: Partial<SurveyResponse> = {}): SurveyResponse {
  return {
    invitationId: 'inv-1',
    surveyId: 'csat-post-ticket',
    metric: 'csat',
    customerId: 'c-1',
    score: 4,
    segments: { survey: 'csat-post-ticket', channel: 'email', locale: 'pl', team: 'billing', agent: 'agent-1' },
    locale: 'pl',
    subjectRef: 't-1',
    status: 'final',
    version: 1,
    answeredAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

const answered = (seq: number, overrides: Partial<SurveyResponse>): ResponseChange & { seq: string } => ({ seq: String(seq), new: response(overrides) });

/** The (value, score) → count content of page deltas, summed. */
function contentOf(pages: PageDelta[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const page of pages)
    for (const c of cellsOf(page)) out[`${page.key.dimension}|${c.value}|${c.score}`] = (out[`${page.key.dimension}|${c.value}|${c.score}`] ?? 0) + c.count;
  for (const [k, v] of Object.entries(out)) if (v === 0) delete out[k];
  return out;
}

describe('pageOf', () => {
  it.each(SEGMENT_DIMENSIONS.map((d) => [d, PAGES[d]] as const))('Should keep every value of %s within its %i page(s)', (dimension, pages) => {
    // Prepare
    const values = Array.from({ length: 200 }, (_, i) => `value-${i}`);

    // Act
    const used = new Set(values.map((v) => pageOf(dimension, v)));

    // Assess
    for (const page of used) expect(page).toBeGreaterThanOrEqual(0);
    for (const page of used) expect(page).toBeLessThan(pages);
    expect(used.size).toBe(pages); // 200 values reach every page
  });

  it('Should give a value the same page every time (stable hash, no seed)', () => {
    // Act
    const pages = [pageOf('agent', 'agent-17'), pageOf('agent', 'agent-17'), pageOf('agent', 'agent-17')];

    // Assess
    expect(new Set(pages).size).toBe(1);
  });
});

describe('toPages', () => {
  it('Should put the agents of one batch on at most PAGES.agent pages, one delta each', () => {
    // Prepare
    const batch = Array.from({ length: 40 }, (_, i) => answered(i + 1, { invitationId: `i${i}`, segments: { agent: `agent-${i}` } }));

    // Act
    const pages = toPages(preAggregate(batch)).filter((p) => p.key.dimension === 'agent');

    // Assess
    expect(pages.length).toBeLessThanOrEqual(PAGES.agent);
    expect(pages.flatMap((p) => p.buckets)).toHaveLength(40);
    for (const page of pages) for (const bucket of page.buckets) expect(pageOf('agent', bucket.key.value)).toBe(page.key.page);
  });

  it('Should keep metrics, dimensions and days on separate pages', () => {
    // Prepare
    const batch = [
      answered(1, { invitationId: 'a', segments: { team: 'billing' } }),
      answered(2, { invitationId: 'b', segments: { team: 'billing' }, answeredAt: '2026-11-21T10:00:00.000Z' }),
      answered(3, { invitationId: 'c', metric: 'ces', segments: { team: 'billing' } }),
    ];

    // Act
    const keys = toPages(preAggregate(batch)).map((p) => `${p.key.metric}|${p.key.dimension}|${p.key.day}`);

    // Assess
    expect(keys.sort()).toEqual([
      'ces|all|2026-11-20',
      'ces|team|2026-11-20',
      'csat|all|2026-11-20',
      'csat|all|2026-11-21',
      'csat|team|2026-11-20',
      'csat|team|2026-11-21',
    ]);
  });

  it('Should carry the last sequence number of any of its buckets', () => {
    // Prepare
    const batch = [answered(5, { invitationId: 'a', segments: { team: 'billing' } }), answered(7, { invitationId: 'b', segments: { team: 'returns' } })];

    // Act
    const [team] = toPages(preAggregate(batch)).filter((p) => p.key.dimension === 'team');

    // Assess
    expect(team!.lastSeq).toBe(padSeq('7'));
    expect(pageFirstSeq(team!)).toBe(padSeq('5'));
  });
});

describe('pageAfter', () => {
  const batch = [
    answered(10, { invitationId: 'a', score: 5, segments: { team: 'billing' } }),
    answered(11, { invitationId: 'b', score: 1, segments: { team: 'returns' } }),
    answered(12, { invitationId: 'c', score: 3, segments: { team: 'billing' } }),
  ];
  const [page] = toPages(preAggregate(batch)).filter((p) => p.key.dimension === 'team');

  it.each([
    { watermark: undefined, expected: { 'team|billing|5': 1, 'team|returns|1': 1, 'team|billing|3': 1 } },
    { watermark: padSeq('10'), expected: { 'team|returns|1': 1, 'team|billing|3': 1 } },
    { watermark: padSeq('11'), expected: { 'team|billing|3': 1 } },
  ])('Should keep only the changes past watermark $watermark, across values', ({ watermark, expected }) => {
    // Act
    const pending = pageAfter(page!, watermark);

    // Assess
    expect(contentOf([pending!])).toEqual(expected);
    expect(pending!.lastSeq).toBe(padSeq('12'));
  });

  it('Should give undefined once the watermark is at the last change', () => {
    // Act
    const pending = pageAfter(page!, padSeq('12'));

    // Assess
    expect(pending).toBeUndefined();
  });
});

describe('splitPage', () => {
  it('Should leave a page that fits in one write whole', () => {
    // Prepare
    const [page] = toPages(preAggregate([answered(1, { segments: {} })]));

    // Act
    const parts = splitPage(page!, 10);

    // Assess
    expect(parts).toEqual([page]);
  });

  it('Should cut a big page into consecutive parts that add up to it, never splitting an edit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ agent: fc.integer({ min: 0, max: 30 }), score: fc.integer({ min: 1, max: 5 }), edit: fc.boolean() }), {
          minLength: 1,
          maxLength: 80,
        }),
        fc.integer({ min: 2, max: 12 }),
        (ops, maxCells) => {
          // Prepare: first answers, some followed by an edit (old and new image share one sequence number)
          const batch: Array<ResponseChange & { seq: string }> = [];
          let seq = 100;
          ops.forEach((op, i) => {
            const first = response({ invitationId: `i${i}`, score: op.score, segments: { team: `team-${op.agent}` } });
            batch.push({ seq: String(seq++), new: first });
            if (op.edit)
              batch.push({
                seq: String(seq++),
                old: first,
                new: response({ invitationId: `i${i}`, score: (op.score % 5) + 1, segments: first.segments, version: 2 }),
              });
          });
          const [page] = toPages(preAggregate(batch)).filter((p) => p.key.dimension === 'team');

          // Act
          const parts = splitPage(page!, maxCells);

          // Assess
          expect(contentOf(parts)).toEqual(contentOf([page!]));
          for (const part of parts) expect(cellsOf(part).length).toBeLessThanOrEqual(maxCells);
          for (let i = 1; i < parts.length; i++) expect(pageFirstSeq(parts[i]!) > parts[i - 1]!.lastSeq).toBe(true);
          expect(parts.at(-1)!.lastSeq).toBe(page!.lastSeq);
          const merged = mergeHistograms(...parts.flatMap((p) => p.buckets.map((b) => b.histogram)));
          expect(merged).toEqual(mergeHistograms(...page!.buckets.map((b) => b.histogram)));
        },
      ),
    );
  });
});

describe('daysBetween and dayMinus', () => {
  it('Should list every day of a range across a month end, both ends included', () => {
    // Act
    const days = daysBetween('2026-11-29', '2026-12-02');

    // Assess
    expect(days).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
  });

  it('Should give an empty list for a reversed range', () => {
    // Act
    const days = daysBetween('2026-12-02', '2026-11-29');

    // Assess
    expect(days).toEqual([]);
  });

  it('Should step back over a leap day', () => {
    // Act
    const day = dayMinus('2028-03-01', 1);

    // Assess
    expect(day).toBe('2028-02-29');
  });
});
