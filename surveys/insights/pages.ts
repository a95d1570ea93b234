/**
 * Topic pages: the comment topics and sentiment of final responses, counted per daily bucket exactly
 * like the score pages (surveys/aggregation.ts): the same buckets (metric, dimension, value, UTC day),
 * the same pages and the same per-shard watermark, so a redelivered batch changes nothing.
 *
 * What a classified response adds to each of its buckets, as named cells:
 *   `c|<score>`             — one commented (and classified) response with that score;
 *   `t|<topic>|<score>`     — it mentions the topic (one cell per topic);
 *   `s|<topic>|<sentiment>` — the sentiment of a comment that mentions the topic.
 * An edit or a new classification moves the response from its old cells to its new ones; a change
 * that keeps the cells (a score-only edit of an unclassified response) adds nothing. What is counted
 * is the classification stored on the response, never a re-classification, so a changed taxonomy
 * cannot make the pages drift from what was added.
 */
import { bucketKeysOf, preAggregateCells, type BucketDelta, type ResponseChange } from '../aggregation.ts';
import type { SurveyResponse } from '../model.ts';
import type { Histogram } from '../scoring.ts';
import { SENTIMENTS, type Sentiment } from './sentiments.ts';

/** The classification stored on a response (the consumer writes it; see the stream path). */
export type StoredInsights = NonNullable<SurveyResponse['insights']>;

export type ClassifiedResponse = ResponseChange['new'] & { comment?: string; insights?: StoredInsights };

export interface InsightsChange {
  seq: string;
  old?: ClassifiedResponse;
  new: ClassifiedResponse;
}

/** The cells one response adds to each of its buckets: none until it is final and classified. */
export function topicCellsOf(r: ClassifiedResponse | undefined): string[] {
  if (r?.status !== 'final' || !r.insights) return [];
  const { topics, sentiment } = r.insights;
  return [`c|${r.score}`, ...topics.flatMap((t) => [`t|${t}|${r.score}`, `s|${t}|${sentiment}`])];
}

/** Signed cell changes of one stream change: the old image's cells out, the new image's in. */
export function topicCellChangesOf(change: InsightsChange): Array<{ response: ClassifiedResponse; score: string; delta: 1 | -1 }> {
  const before = topicCellsOf(change.old);
  const after = topicCellsOf(change.new);
  const sameBuckets = change.old && sameBucketSource(change.old, change.new);
  if (sameBuckets && before.length === after.length && before.every((c, i) => c === after[i])) return [];
  return [
    ...before.map((cell) => ({ response: change.old!, score: cell, delta: -1 as const })),
    ...after.map((cell) => ({ response: change.new, score: cell, delta: 1 as const })),
  ];
}

function sameBucketSource(a: ClassifiedResponse, b: ClassifiedResponse): boolean {
  const keys = (r: ClassifiedResponse) => JSON.stringify(bucketKeysOf(r));
  return a.metric === b.metric && keys(a) === keys(b);
}

/** One delta per bucket for a batch; group with `toPages` and apply like score pages. */
export function preAggregateTopics(changes: InsightsChange[]): BucketDelta[] {
  return preAggregateCells(changes, topicCellChangesOf);
}

// ---------------------------------------------------------------------------------------------
// Reading back
// ---------------------------------------------------------------------------------------------

export interface TopicTally {
  /** Scores of the responses that mention the topic. */
  scores: Histogram;
  sentiment: Record<Sentiment, number>;
}

/** The topic cells of a window (one segment value, every day summed), by meaning. */
export interface TopicCounts {
  /** Scores of the commented, classified responses. */
  commented: Histogram;
  topics: Map<string, TopicTally>;
}

/** Sums cell maps (e.g. the daily buckets of a window) and sorts the cells by meaning. */
export function topicCountsOf(cellMaps: Array<Record<string, number>>): TopicCounts {
  const out: TopicCounts = { commented: {}, topics: new Map() };
  const tally = (topic: string) => {
    const t = out.topics.get(topic) ?? { scores: {}, sentiment: { negative: 0, neutral: 0, positive: 0 } };
    out.topics.set(topic, t);
    return t;
  };
  for (const cells of cellMaps) {
    for (const [cell, count] of Object.entries(cells)) {
      if (!count) continue;
      const [kind, a, b] = cell.split('|');
      if (kind === 'c' && a !== undefined) out.commented[a] = (out.commented[a] ?? 0) + count;
      else if (kind === 't' && a && b !== undefined) tally(a).scores[b] = (tally(a).scores[b] ?? 0) + count;
      else if (kind === 's' && a && (SENTIMENTS as readonly string[]).includes(b ?? '')) tally(a).sentiment[b as Sentiment] += count;
    }
  }
  return out;
}
