/**
 * Rolling scores for support leads: GET /api/scores and GET /api/scores/daily.
 *
 * Primary course (scores):
 *  1. Take the days of the 7/30/90-day window ending today (UTC).
 *  2. Sum the daily histograms of the "all" dimension into one and derive the figures (NPS/CSAT/CES,
 *     margin of error, small-sample flag) with surveys/scoring.ts.
 *  3. With a segment dimension, do the same per value of that dimension: each segment carries its
 *     own responses, margin of error and small-sample flag. Segments with most responses first.
 *  2a. With `evidence: strong`, the headline figure sums the "evidence" dimension's strong kinds
 *     instead of "all" (a lead who doubts the dwell answers sees the score without them); segments
 *     stay across all evidence.
 *
 * Primary course (daily series, for charts):
 *  1. Take the `days` days ending today, plus the `rolling − 1` days before them.
 *  2. Read the daily histograms of one dimension ("all", or a segment dimension and one of its values).
 *  3. For each day, sum the `rolling` days ending on it (1 = the day alone) and derive its figures;
 *     a day without responses is in the series with `value: null`, so the x axis has no gaps.
 */
import { dayMinus, daysBetween, windowDays, type Window } from '../aggregation.ts';
import { STRONG_EVIDENCE, type Metric, type SegmentDimension } from '../model.ts';
import type { DailyBucket, ScoreReader } from '../ports.ts';
import { mergeHistograms, summarize, type Histogram, type ScoreSummary } from '../scoring.ts';

export type SegmentName = Exclude<SegmentDimension, 'all'>;

export interface ScoresQuery {
  metric: Metric;
  window: Window;
  segment?: SegmentName;
  /** `strong`: the headline figure from strong evidence only (interaction, button, SMS, import). */
  evidence?: 'all' | 'strong';
}

export type SegmentScores = { key: string } & ScoreSummary;

export type ScoresResult = ScoreSummary & {
  window: Window;
  from: string;
  to: string;
  segment?: SegmentName;
  segments?: SegmentScores[];
  evidence?: 'strong';
};

export interface ScoreDeps {
  reader: ScoreReader;
  now: () => Date;
}

/** Per value: the sum of its daily histograms. */
function byValue(buckets: DailyBucket[]): Map<string, Histogram> {
  const out = new Map<string, Histogram>();
  for (const b of buckets) out.set(b.value, mergeHistograms(out.get(b.value) ?? {}, b.histogram));
  return out;
}

export async function readScores(query: ScoresQuery, deps: ScoreDeps): Promise<ScoresResult> {
  const { fromDay, toDay } = windowDays(query.window, deps.now());
  const strong = query.evidence === 'strong';
  const overall = strong
    ? (await deps.reader.readBuckets(query.metric, 'evidence', fromDay, toDay)).filter((b) => (STRONG_EVIDENCE as readonly string[]).includes(b.value))
    : await deps.reader.readBuckets(query.metric, 'all', fromDay, toDay);
  const total = summarize(query.metric, mergeHistograms(...overall.map((b) => b.histogram)));
  const result: ScoresResult = { ...total, window: query.window, from: fromDay, to: toDay, ...(strong ? { evidence: 'strong' as const } : {}) };
  if (!query.segment) return result;

  const segments = [...byValue(await deps.reader.readBuckets(query.metric, query.segment, fromDay, toDay))]
    .map(([key, histogram]) => ({ key, ...summarize(query.metric, histogram) }))
    .filter((s) => s.responses > 0)
    .sort((a, b) => b.responses - a.responses || a.key.localeCompare(b.key));
  return { ...result, segment: query.segment, segments };
}

export interface DailyQuery {
  metric: Metric;
  /** How many days the series covers, ending today. */
  days: number;
  /** Each point sums this many days ending on it (1: the day alone; 7: a trailing week). */
  rolling: number;
  segment?: SegmentName;
  /** The value of `segment` to chart (required with it). */
  key?: string;
}

export type DailyPoint = { day: string } & Omit<ScoreSummary, 'metric'>;

export interface DailyResult {
  metric: Metric;
  days: number;
  rolling: number;
  from: string;
  to: string;
  segment?: SegmentName;
  key?: string;
  series: DailyPoint[];
}

export async function readDailyScores(query: DailyQuery, deps: ScoreDeps): Promise<DailyResult> {
  const { fromDay, toDay } = windowDays(query.days, deps.now());
  const readFrom = dayMinus(fromDay, query.rolling - 1);
  const dimension = query.segment ?? 'all';
  const buckets = (await deps.reader.readBuckets(query.metric, dimension, readFrom, toDay)).filter((b) => !query.segment || b.value === query.key);
  const perDay = new Map<string, Histogram>();
  for (const b of buckets) perDay.set(b.day, mergeHistograms(perDay.get(b.day) ?? {}, b.histogram));

  const series = daysBetween(fromDay, toDay).map((day) => {
    const window = daysBetween(dayMinus(day, query.rolling - 1), day);
    const { metric: _metric, ...summary } = summarize(query.metric, mergeHistograms(...window.map((d) => perDay.get(d) ?? {})));
    return { day, ...summary };
  });
  return {
    metric: query.metric,
    days: query.days,
    rolling: query.rolling,
    from: fromDay,
    to: toDay,
    ...(query.segment ? { segment: query.segment, key: query.key } : {}),
    series,
  };
}
