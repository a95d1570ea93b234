/**
 * From response changes to score-bucket deltas. Pure: the aggregator function reads changes from the
 * DynamoDB stream, this module turns a whole batch into one delta per daily bucket (pre-aggregation:
 * one write serves many responses), and the adapter applies each delta exactly once.
 *
 * A new final response adds 1 to its score in every bucket it belongs to; an edit moves one count from
 * the old score to the new; a change that keeps the score (a comment, erasure of personal data) adds
 * nothing. A response is counted on the UTC day of its first answer, so edits stay in that day.
 */
import { SEGMENT_DIMENSIONS, type Metric, type SegmentDimension, type SurveyResponse } from './model.ts';
import type { BucketKey } from './ports.ts';
import type { Histogram } from './scoring.ts';

export interface ResponseChange {
  old?: Pick<SurveyResponse, 'score' | 'status' | 'metric' | 'segments' | 'answeredAt'>;
  new: Pick<SurveyResponse, 'score' | 'status' | 'metric' | 'segments' | 'answeredAt'>;
}

export interface BucketDelta {
  key: BucketKey;
  histogram: Histogram; // score -> signed change in count
  /** Stream position of the last change folded in: the bucket's watermark after this delta is applied. */
  lastSeq: string;
  /** Each change's position and effect, so a delta can be recomputed past a watermark. */
  contributions: Array<{ seq: string; score: number; delta: 1 | -1 }>;
}

/** Stream sequence numbers are decimal strings of varying length; padded, they compare as strings. */
export function padSeq(seq: string): string {
  return seq.padStart(40, '0');
}

export function bucketId(key: BucketKey): string {
  return `${key.metric}|${key.dimension}|${key.value}|${key.day}`;
}

export function bucketKeysOf(r: ResponseChange['new']): BucketKey[] {
  const day = new Date(r.answeredAt).toISOString().slice(0, 10); // the UTC day, whatever the offset
  const keys: BucketKey[] = [];
  for (const dimension of SEGMENT_DIMENSIONS) {
    const value = dimension === 'all' ? 'all' : r.segments[dimension];
    if (value) keys.push({ metric: r.metric, dimension, value, day });
  }
  return keys;
}

/** Signed per-score changes one stream change makes, before grouping by bucket. */
export function scoreChangesOf(change: ResponseChange): Array<{ response: ResponseChange['new']; score: number; delta: 1 | -1 }> {
  const wasCounted = change.old?.status === 'final';
  const isCounted = change.new.status === 'final';
  const out: Array<{ response: ResponseChange['new']; score: number; delta: 1 | -1 }> = [];
  if (wasCounted && isCounted && change.old!.score === change.new.score) return out;
  if (wasCounted) out.push({ response: change.old!, score: change.old!.score, delta: -1 });
  if (isCounted) out.push({ response: change.new, score: change.new.score, delta: 1 });
  return out;
}

/** One delta per bucket for a whole batch (changes in stream order, each with its sequence number). */
export function preAggregate(changes: Array<ResponseChange & { seq: string }>): BucketDelta[] {
  const byBucket = new Map<string, BucketDelta>();
  for (const change of changes) {
    const seq = padSeq(change.seq);
    for (const { response, score, delta } of scoreChangesOf(change)) {
      for (const key of bucketKeysOf(response)) {
        const id = bucketId(key);
        const entry = byBucket.get(id) ?? { key, histogram: {}, lastSeq: seq, contributions: [] };
        entry.histogram[String(score)] = (entry.histogram[String(score)] ?? 0) + delta;
        entry.contributions.push({ seq, score, delta });
        if (seq > entry.lastSeq) entry.lastSeq = seq;
        byBucket.set(id, entry);
      }
    }
  }
  return [...byBucket.values()];
}

/** The part of a bucket delta not yet applied, given the bucket's watermark for this shard. */
export function deltaAfter(bucket: BucketDelta, watermark: string | undefined): BucketDelta | undefined {
  const pending = watermark ? bucket.contributions.filter((c) => c.seq > watermark) : bucket.contributions;
  if (pending.length === 0) return undefined;
  const histogram: Histogram = {};
  for (const c of pending) histogram[String(c.score)] = (histogram[String(c.score)] ?? 0) + c.delta;
  return { key: bucket.key, histogram, contributions: pending, lastSeq: pending.reduce((m, c) => (c.seq > m ? c.seq : m), pending[0]!.seq) };
}

/** Smallest sequence number that contributes to the bucket: a watermark below it means nothing was applied. */
export function firstSeq(bucket: BucketDelta): string {
  return bucket.contributions.reduce((m, c) => (c.seq < m ? c.seq : m), bucket.contributions[0]!.seq);
}

export const WINDOWS = { '7d': 7, '30d': 30, '90d': 90 } as const;
export type Window = keyof typeof WINDOWS;

/** The days [from, to] of a rolling window ending today (UTC), inclusive. */
export function windowDays(window: Window | number, today: Date): { fromDay: string; toDay: string; days: number } {
  const days = typeof window === 'number' ? window : WINDOWS[window];
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const from = new Date(to.getTime() - (days - 1) * 24 * 3600_000);
  return { fromDay: from.toISOString().slice(0, 10), toDay: to.toISOString().slice(0, 10), days };
}

export type { Metric, SegmentDimension };
