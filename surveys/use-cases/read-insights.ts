/**
 * What drives the score: GET /api/insights.
 *
 * Primary course:
 *  1. Take the days of the 7/30/90-day window ending today (UTC), and the window of the same length before.
 *  2. Read, for the dimension and value asked (default: everything), the daily score histograms (score
 *     pages) and the daily topic cells (topic pages) of both windows, and sum each window.
 *  3. Compute per topic mentions, share, sentiment mix, score with and without it, impact and margins
 *     (insights/drivers.ts), with the previous window as the trend; topics sorted by impact.
 */
import { dayMinus, windowDays, type Window } from '../aggregation.ts';
import { insightsOf, type Insights } from '../insights/drivers.ts';
import { topicCountsOf } from '../insights/pages.ts';
import type { TopicReader } from '../insights/ports.ts';
import type { Taxonomy } from '../insights/taxonomy.ts';
import type { Metric, SegmentDimension } from '../model.ts';
import type { ScoreReader } from '../ports.ts';
import { mergeHistograms } from '../scoring.ts';

export interface InsightsQuery {
  metric: Metric;
  window: Window;
  dimension?: Exclude<SegmentDimension, 'all'>;
  value?: string;
  lang?: 'pl' | 'en';
}

export interface InsightsDeps {
  scores: ScoreReader;
  topics: TopicReader;
  taxonomy: Taxonomy;
  now: () => Date;
}

export type InsightsResult = Insights & { from: string; to: string; dimension?: string; value?: string };

export async function readInsights(query: InsightsQuery, deps: InsightsDeps): Promise<InsightsResult> {
  const { fromDay, toDay, days } = windowDays(query.window, deps.now());
  const previousFrom = dayMinus(fromDay, days);
  const dimension = query.dimension && query.value !== undefined ? query.dimension : 'all';
  const value = dimension === 'all' ? 'all' : query.value!;
  const [scoreBuckets, topicBuckets] = await Promise.all([
    deps.scores.readBuckets(query.metric, dimension, previousFrom, toDay),
    deps.topics.readTopicBuckets(query.metric, dimension, previousFrom, toDay),
  ]);
  const inWindow = (b: { day: string; value: string }, current: boolean) => b.value === value && b.day >= fromDay === current;
  const windowOf = (current: boolean) => ({
    overall: mergeHistograms(...scoreBuckets.filter((b) => inWindow(b, current)).map((b) => b.histogram)),
    counts: topicCountsOf(topicBuckets.filter((b) => inWindow(b, current)).map((b) => b.cells)),
  });
  const result = insightsOf({
    metric: query.metric,
    window: query.window,
    ...windowOf(true),
    previous: windowOf(false),
    taxonomy: deps.taxonomy,
    lang: query.lang ?? 'en',
  });
  return { ...result, from: fromDay, to: toDay, ...(dimension !== 'all' && { dimension, value }) };
}
