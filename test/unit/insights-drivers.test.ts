import { describe, expect, it } from 'vitest';
import { cellsOf, pageAfter, toPages, type PageDelta } from '../../surveys/aggregation.ts';
import { insightsOf } from '../../surveys/insights/drivers.ts';
import {
  preAggregateTopics,
  topicCellsOf,
  topicCountsOf,
  type ClassifiedResponse,
  type InsightsChange,
  type StoredInsights,
} from '../../surveys/insights/pages.ts';
import { DEFAULT_TAXONOMY } from '../../surveys/insights/taxonomy.ts';
import { histogramFrom, npsAdjustedWald, summarize } from '../../surveys/scoring.ts';

function response(score: number, insights?: Partial<StoredInsights>, overrides: Partial<ClassifiedResponse> = {}): ClassifiedResponse {
  return {
    metric: 'nps',
    score,
    status: 'final',
    segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: 'store-1' },
    answeredAt: '2026-11-20T10:00:00.000Z',
    ...(insights && { insights: { topics: [], sentiment: 'neutral', sentimentScore: 0, version: 1, ...insights } }),
    ...overrides,
  };
}

/** The cells of page deltas for one dimension value, summed over pages. */
function cellsFor(pages: PageDelta[], dimension: string, value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pages) if (p.key.dimension === dimension) for (const c of cellsOf(p)) if (c.value === value) out[c.score] = (out[c.score] ?? 0) + c.count;
  for (const [k, v] of Object.entries(out)) if (v === 0) delete out[k];
  return out;
}

describe('topic pages', () => {
  it('Should add nothing for a response that is not classified yet', () => {
    // Act
    const cells = topicCellsOf(response(3));

    // Assess
    expect(cells).toEqual([]);
  });

  it('Should count a classified comment once as commented and once per topic with its score and sentiment', () => {
    // Prepare
    const changes: InsightsChange[] = [{ seq: '1', new: response(3, { topics: ['delivery', 'price'], sentiment: 'negative' }) }];

    // Act
    const pages = toPages(preAggregateTopics(changes));

    // Assess
    expect(cellsFor(pages, 'all', 'all')).toEqual({ 'c|3': 1, 't|delivery|3': 1, 's|delivery|negative': 1, 't|price|3': 1, 's|price|negative': 1 });
    expect(cellsFor(pages, 'store', 'store-1')).toEqual(cellsFor(pages, 'all', 'all'));
  });

  it('Should move a response from its old cells to its new ones when it is classified again or edited', () => {
    // Prepare
    const before = response(3, { topics: ['delivery'], sentiment: 'negative' });
    const after = response(9, { topics: ['agent'], sentiment: 'positive', version: 2 });
    const changes: InsightsChange[] = [
      { seq: '1', new: before },
      { seq: '2', old: before, new: after },
    ];

    // Act
    const pages = toPages(preAggregateTopics(changes));

    // Assess
    expect(cellsFor(pages, 'all', 'all')).toEqual({ 'c|9': 1, 't|agent|9': 1, 's|agent|positive': 1 });
  });

  it('Should add nothing for a change that keeps the classification and the score', () => {
    // Prepare
    const same = response(6, { topics: ['returns'], sentiment: 'negative' });

    // Act
    const deltas = preAggregateTopics([{ seq: '5', old: same, new: { ...same, comment: 'edited spelling' } }]);

    // Assess
    expect(deltas).toEqual([]);
  });

  it('Should apply nothing twice: past the watermark of a batch, a redelivered batch is empty', () => {
    // Prepare
    const changes: InsightsChange[] = [
      { seq: '10', new: response(2, { topics: ['delivery'], sentiment: 'negative' }) },
      { seq: '11', new: response(10, { topics: ['agent'], sentiment: 'positive' }) },
    ];
    const pages = toPages(preAggregateTopics(changes));

    // Act
    const again = toPages(preAggregateTopics(changes)).map((p) => pageAfter(p, pages.find((q) => q.key.dimension === p.key.dimension)!.lastSeq));
    const partly = toPages(preAggregateTopics(changes)).map((p) => pageAfter(p, '10'.padStart(40, '0')));

    // Assess
    expect(again.every((p) => p === undefined)).toBe(true);
    expect(
      cellsFor(
        partly.filter((p): p is PageDelta => p !== undefined),
        'all',
        'all',
      ),
    ).toEqual({ 'c|10': 1, 't|agent|10': 1, 's|agent|positive': 1 });
  });

  it('Should read cells back by meaning, summing days and ignoring unknown cells', () => {
    // Act
    const counts = topicCountsOf([
      { 'c|3': 2, 't|delivery|3': 2, 's|delivery|negative': 2 },
      { 'c|9': 1, 't|delivery|9': 1, 's|delivery|positive': 1, 'x|odd': 4, 's|delivery|angry': 1 },
    ]);

    // Assess
    expect(counts.commented).toEqual({ '3': 2, '9': 1 });
    expect(counts.topics.get('delivery')).toEqual({ scores: { '3': 2, '9': 1 }, sentiment: { negative: 2, neutral: 0, positive: 1 } });
  });
});

describe('insightsOf', () => {
  // 20 responses: 10 promoters, 4 passives, 6 detractors → NPS 20. 12 commented; 'delivery' in 5 (4 detractors, 1 promoter).
  const overall = histogramFrom([...Array(10).fill(9), ...Array(4).fill(7), ...Array(6).fill(3)]);
  const counts = topicCountsOf([
    { 'c|3': 6, 'c|9': 6 },
    { 't|delivery|3': 4, 't|delivery|9': 1, 's|delivery|negative': 4, 's|delivery|positive': 1 },
    { 't|agent|9': 3, 's|agent|positive': 3 },
  ]);

  it('Should give per topic the mentions, share of commented responses, sentiment mix and the scores with and without it', () => {
    // Act
    const result = insightsOf({ metric: 'nps', window: '30d', overall, counts, taxonomy: DEFAULT_TAXONOMY, lang: 'en' });

    // Assess
    const delivery = result.topics.find((t) => t.topic === 'delivery')!;
    expect(result).toMatchObject({ metric: 'nps', window: '30d', responses: 20, commented: 12 });
    expect(delivery).toMatchObject({ label: 'Delivery', mentions: 5, share: 0.417, negative: 4, neutral: 0, positive: 1 });
    expect(delivery.score).toBe(summarize('nps', { '3': 4, '9': 1 }).value);
    expect(delivery.scoreWithout).toBe(summarize('nps', { '9': 9, '7': 4, '3': 2 }).value);
  });

  it("Should measure impact as the points NPS gains if the topic's detractors had been passives, and rank by it", () => {
    // Act
    const result = insightsOf({ metric: 'nps', window: '30d', overall, counts, taxonomy: DEFAULT_TAXONOMY, lang: 'pl' });

    // Assess
    expect(result.topics.map((t) => t.topic)).toEqual(['delivery', 'agent']);
    expect(result.topics[0]!.impact).toBe(20); // 4 detractors of 20 responses → 4/20 × 100
    expect(result.topics[0]!.label).toBe('Dostawa');
    expect(result.topics[1]!.impact).toBe(0);
  });

  it('Should round the NPS impact once, not subtract two rounded scores', () => {
    // Prepare: 6 responses, 2 promoters and 4 detractors, all mentioning delivery → NPS −33.3; without detractors 33.3
    const few = histogramFrom([10, 9, 2, 3, 1, 0]);
    const mentions = topicCountsOf([
      { 'c|10': 1, 'c|9': 1, 'c|2': 1, 'c|3': 1, 'c|1': 1, 'c|0': 1, 't|delivery|2': 1, 't|delivery|3': 1, 't|delivery|1': 1, 't|delivery|0': 1 },
    ]);

    // Act
    const delivery = insightsOf({ metric: 'nps', window: '7d', overall: few, counts: mentions, taxonomy: DEFAULT_TAXONOMY, lang: 'en' }).topics[0]!;

    // Assess
    expect(delivery.impact).toBe(66.7); // 4/6 × 100, not 33.3 − (−33.3) = 66.6
  });

  it('Should be honest about small samples: a wide margin of error and the small-sample flag', () => {
    // Act
    const delivery = insightsOf({ metric: 'nps', window: '7d', overall, counts, taxonomy: DEFAULT_TAXONOMY, lang: 'en' }).topics[0]!;

    // Assess
    const expected = npsAdjustedWald({ promoters: 1, passives: 0, detractors: 4 })!.marginOfError;
    expect(delivery.marginOfError).toBeCloseTo(expected, 0);
    expect(delivery.marginOfError).toBeGreaterThan(40);
    expect(delivery.smallSample).toBe(true);
    expect(delivery.impactMarginOfError).toBeGreaterThan(10);
  });

  it('Should measure CES impact as the mean gained when the topic’s hard answers had been 4', () => {
    // Prepare: 4 answers: 1, 2, 6, 7 → mean 4; 'website' mentioned by the 1 and the 2.
    const ces = insightsOf({
      metric: 'ces',
      window: '30d',
      overall: histogramFrom([1, 2, 6, 7]),
      counts: topicCountsOf([{ 'c|1': 1, 'c|2': 1, 't|website|1': 1, 't|website|2': 1, 's|website|negative': 2 }]),
      taxonomy: DEFAULT_TAXONOMY,
      lang: 'en',
    });

    // Assess
    expect(ces.topics[0]).toMatchObject({ topic: 'website', impact: 1.25 }); // (3 + 2) / 4
  });

  it('Should give the trend against the window before', () => {
    // Act
    const result = insightsOf({
      metric: 'nps',
      window: '30d',
      overall,
      counts,
      taxonomy: DEFAULT_TAXONOMY,
      lang: 'en',
      previous: { overall: histogramFrom([3, 3, 9, 9]), counts: topicCountsOf([{ 'c|3': 2, 't|delivery|3': 1 }]) },
    });

    // Assess
    expect(result.topics.find((t) => t.topic === 'delivery')!.previous).toEqual({ mentions: 1, share: 0.5, impact: 25 });
    expect(result.topics.find((t) => t.topic === 'agent')!.previous).toBeNull();
  });

  it('Should list no topic when nothing was commented', () => {
    // Act
    const result = insightsOf({ metric: 'csat', window: '7d', overall: {}, counts: topicCountsOf([]), taxonomy: DEFAULT_TAXONOMY, lang: 'en' });

    // Assess
    expect(result).toEqual({ metric: 'csat', window: '7d', responses: 0, commented: 0, topics: [] });
  });
});
