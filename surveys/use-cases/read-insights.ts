/**
 * What drives the score: GET /api/insights.
 *
 * Primary course:
 *  1. Take the days of the 7/30/90-day window ending today (UTC), and the window of the same length before.
 *  2. Read, for the dimension and value asked (default: everything), the daily score histograms (score
 *     pages) and the daily topic cells (topic pages) of both windows, and sum each window.
 *  3. Compute per topic mentions, share, sentiment mix, score with and without it, impact and margins
 *     (insights/drivers.ts), with the previous window as the trend; topics sorted by impact.
 *  4. Asked for samples: walk the window's days from the newest, and give each shown topic up to
 *     `samples` comments that mention it (redacted: insights/redact.ts), until every shown topic has
 *     them, reading at most SAMPLE_READ_LIMIT responses so that a busy window costs a bounded read.
 */
import { dayMinus, daysBetween, windowDays, type Window } from '../aggregation.ts';
import { insightsOf, type Insights } from '../insights/drivers.ts';
import { topicCountsOf } from '../insights/pages.ts';
import type { ResponsesOfDay, TopicReader } from '../insights/ports.ts';
import { redactComment } from '../insights/redact.ts';
import type { Taxonomy } from '../insights/taxonomy.ts';
import type { Metric, SegmentDimension, SurveyResponse } from '../model.ts';
import type { ScoreReader } from '../ports.ts';
import { mergeHistograms } from '../scoring.ts';

export interface InsightsQuery {
  metric: Metric;
  window: Window;
  dimension?: Exclude<SegmentDimension, 'all'>;
  value?: string;
  lang?: 'pl' | 'en';
  /** Sample comments per topic (0: none). */
  samples?: number;
}

/** Most responses read to find sample comments. */
export const SAMPLE_READ_LIMIT = 2000;

export interface InsightsDeps {
  scores: ScoreReader;
  topics: TopicReader;
  taxonomy: Taxonomy;
  now: () => Date;
  /** Needed only for samples. */
  responses?: ResponsesOfDay;
}

export type Sample = { comment: string; sentiment: string; answeredAt: string };

export type InsightsResult = Omit<Insights, 'topics'> & {
  from: string;
  to: string;
  dimension?: string;
  value?: string;
  topics: Array<Insights['topics'][number] & { samples?: Sample[] }>;
};

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
  const shown = result.topics.map((t) => t.topic);
  const samples = query.samples && deps.responses ? await samplesOf(query, { dimension, value, fromDay, toDay, shown }, deps.responses) : undefined;
  return {
    ...result,
    topics: samples ? result.topics.map((t) => ({ ...t, samples: samples.get(t.topic) ?? [] })) : result.topics,
    from: fromDay,
    to: toDay,
    ...(dimension !== 'all' && { dimension, value }),
  };
}

async function samplesOf(
  query: InsightsQuery,
  where: { dimension: string; value: string; fromDay: string; toDay: string; shown: string[] },
  source: ResponsesOfDay,
): Promise<Map<string, Sample[]>> {
  const out = new Map<string, Sample[]>();
  const want = query.samples ?? 0;
  // Older days are read only while a shown topic still lacks samples (none shown: nothing is read).
  const filled = () => where.shown.every((topic) => (out.get(topic)?.length ?? 0) >= want);
  let read = 0;
  for (const day of daysBetween(where.fromDay, where.toDay).reverse()) {
    if (filled()) break;
    const found: SurveyResponse[] = [];
    for await (const { response: r } of source.responsesOn(day)) {
      if (++read > SAMPLE_READ_LIMIT) break;
      if (pick(r, query.metric, where)) found.push(r);
    }
    found.sort((a, b) => b.answeredAt.localeCompare(a.answeredAt));
    for (const r of found) {
      for (const topic of r.insights!.topics) {
        const list = out.get(topic) ?? [];
        if (list.length < want) list.push({ comment: redactComment(r.comment!), sentiment: r.insights!.sentiment, answeredAt: r.answeredAt });
        out.set(topic, list);
      }
    }
    if (read > SAMPLE_READ_LIMIT) break;
  }
  return out;
}

function pick(r: SurveyResponse, metric: Metric, where: { dimension: string; value: string }): r is SurveyResponse & { comment: string } {
  if (r.metric !== metric || !r.insights?.topics.length || !r.comment?.trim()) return false;
  return where.dimension === 'all' || (r.segments as Record<string, string | undefined>)[where.dimension] === where.value;
}
