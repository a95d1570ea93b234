/**
 * Rolling scores for support leads (GET /api/scores): sums the daily buckets of a 7/30/90-day window
 * ending today, overall and per segment value, and derives NPS/CSAT/CES with margin of error.
 */
import { windowDays, type Window } from '../aggregation.ts';
import type { Metric, SegmentDimension } from '../model.ts';
import type { ScoreReader } from '../ports.ts';
import { mergeHistograms, summarize, type Histogram } from '../scoring.ts';

export interface ScoresQuery {
  metric: Metric;
  window: Window;
  segment?: Exclude<SegmentDimension, 'all'>;
}

export async function readScores(query: ScoresQuery, deps: { reader: ScoreReader; now: () => Date }) {
  const { fromDay, toDay } = windowDays(query.window, deps.now());
  const overall = await deps.reader.readBuckets(query.metric, 'all', fromDay, toDay);
  const total = summarize(query.metric, mergeHistograms(...overall.map((b) => b.histogram)));
  const result = { ...total, metric: query.metric, window: query.window, from: fromDay, to: toDay };
  if (!query.segment) return result;

  const perValue = new Map<string, Histogram[]>();
  for (const bucket of await deps.reader.readBuckets(query.metric, query.segment, fromDay, toDay)) {
    perValue.set(bucket.value, [...(perValue.get(bucket.value) ?? []), bucket.histogram]);
  }
  const segments = [...perValue]
    .map(([key, hs]) => ({ key, ...summarize(query.metric, mergeHistograms(...hs)) }))
    .sort((a, b) => b.responses - a.responses || a.key.localeCompare(b.key));
  return { ...result, segment: query.segment, segments };
}
