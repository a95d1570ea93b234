/**
 * From response changes to score-bucket deltas. Pure: the aggregator function reads changes from the
 * DynamoDB stream, this module turns a whole batch into one delta per daily bucket (pre-aggregation),
 * groups the bucket deltas by the page item that stores them (one write serves many responses and
 * many segment values), and the adapter applies each page delta exactly once.
 *
 * A new final response adds 1 to its score in every bucket it belongs to; an edit moves one count from
 * the old score to the new; a change that keeps the score (a comment, erasure of personal data) adds
 * nothing, except in the `evidence` dimension when the evidence was upgraded (dwell → interaction):
 * there the count moves from the old kind to the new. A response is counted on the UTC day of its
 * first answer, so edits stay in that day.
 */
import { SEGMENT_DIMENSIONS, type Metric, type SegmentDimension, type SurveyResponse } from './model.ts';
import type { BucketKey } from './ports.ts';
import type { PageFamily } from './page-window.ts';
import type { Histogram } from './scoring.ts';

export interface ResponseChange {
  old?: Pick<SurveyResponse, 'score' | 'status' | 'metric' | 'segments' | 'answeredAt' | 'evidence'>;
  new: Pick<SurveyResponse, 'score' | 'status' | 'metric' | 'segments' | 'answeredAt' | 'evidence'>;
}

export interface BucketDelta {
  key: BucketKey;
  histogram: Histogram; // score -> signed change in count
  /** Stream position of the last change folded in: the bucket's watermark after this delta is applied. */
  lastSeq: string;
  /** Each change's position and effect, so a delta can be recomputed past a watermark. `score` is the cell: a score, or a named cell of topic pages (insights/pages.ts). */
  contributions: Array<{ seq: string; score: number | string; delta: 1 | -1 }>;
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
    const value = dimension === 'all' ? 'all' : dimension === 'evidence' ? r.evidence : r.segments[dimension];
    if (value) keys.push({ metric: r.metric, dimension, value, day });
  }
  return keys;
}

type ScoreChange = { response: ResponseChange['new']; score: number; delta: 1 | -1; only?: SegmentDimension };

/** Signed per-score changes one stream change makes, before grouping by bucket (`only`: in that dimension alone). */
export function scoreChangesOf(change: ResponseChange): ScoreChange[] {
  const wasCounted = change.old?.status === 'final';
  const isCounted = change.new.status === 'final';
  const out: ScoreChange[] = [];
  if (wasCounted && isCounted && change.old!.score === change.new.score) {
    if (change.old!.evidence === change.new.evidence) return out;
    // An evidence upgrade moves the count between kinds and nowhere else.
    out.push({ response: change.old!, score: change.old!.score, delta: -1, only: 'evidence' });
    out.push({ response: change.new, score: change.new.score, delta: 1, only: 'evidence' });
    return out;
  }
  if (wasCounted) out.push({ response: change.old!, score: change.old!.score, delta: -1 });
  if (isCounted) out.push({ response: change.new, score: change.new.score, delta: 1 });
  return out;
}

/** One delta per bucket for a whole batch (changes in stream order, each with its sequence number). */
export function preAggregate(changes: Array<ResponseChange & { seq: string }>): BucketDelta[] {
  return preAggregateCells(changes, scoreChangesOf);
}

/** `preAggregate` for any cells a change moves (a score, or the named cells of topic pages). */
export function preAggregateCells<C extends { seq: string }>(
  changes: C[],
  cellChangesOf: (change: C) => Array<{ response: ResponseChange['new']; score: number | string; delta: 1 | -1; only?: SegmentDimension }>,
): BucketDelta[] {
  const byBucket = new Map<string, BucketDelta>();
  for (const change of changes) {
    const seq = padSeq(change.seq);
    for (const { response, score, delta, only } of cellChangesOf(change)) {
      for (const key of bucketKeysOf(response).filter((k) => !only || k.dimension === only)) {
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

// ---------------------------------------------------------------------------------------------
// Pages: what one stored item holds
// ---------------------------------------------------------------------------------------------

/**
 * How many items ("pages") the daily histograms of one dimension are spread over. A page holds the
 * histograms of every value that hashes to it, so one conditional write per page per batch serves
 * all of them: a batch of 100 responses touches ~20 pages instead of ~40-70 per-value buckets, which
 * is what takes the write cost below 1/20 of a per-response counter (docs/aggregation.md, bench/).
 * Dimensions with many values get more pages so that an item stays small (an item's write costs one
 * unit per started KB). Changing a count later is safe: readers sum a value over every page.
 */
export const PAGES: Readonly<Record<SegmentDimension, number>> = { all: 1, survey: 1, channel: 1, locale: 1, team: 1, store: 2, agent: 4, evidence: 1 };

/** One stored page: the daily histograms of the values of one dimension that hash to `page`. */
export interface PageKey {
  metric: Metric;
  dimension: SegmentDimension;
  day: string;
  page: number;
}

/** The part of a batch that lands on one page: one bucket delta per value, written together. */
export interface PageDelta {
  key: PageKey;
  buckets: BucketDelta[];
  /** The page's watermark for the shard once this delta is applied. */
  lastSeq: string;
}

/** FNV-1a (32 bit): stable across runtimes and versions, unlike anything seeded. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

export function pageOf(dimension: SegmentDimension, value: string): number {
  const pages = PAGES[dimension];
  return pages <= 1 ? 0 : fnv1a(value) % pages;
}

export function pageKeyOf(key: BucketKey): PageKey {
  return { metric: key.metric, dimension: key.dimension, day: key.day, page: pageOf(key.dimension, key.value) };
}

export function pageId(key: PageKey): string {
  return `${key.metric}|${key.dimension}|${key.day}|${key.page}`;
}

function pageFrom(key: PageKey, buckets: BucketDelta[]): PageDelta {
  return { key, buckets, lastSeq: buckets.reduce((m, b) => (b.lastSeq > m ? b.lastSeq : m), buckets[0]!.lastSeq) };
}

/** Groups a batch's bucket deltas by the page that stores them. */
export function toPages(deltas: BucketDelta[]): PageDelta[] {
  const byPage = new Map<string, { key: PageKey; buckets: BucketDelta[] }>();
  for (const delta of deltas) {
    const key = pageKeyOf(delta.key);
    const entry = byPage.get(pageId(key)) ?? { key, buckets: [] };
    entry.buckets.push(delta);
    byPage.set(pageId(key), entry);
  }
  return [...byPage.values()].map(({ key, buckets }) => pageFrom(key, buckets));
}

/** The part of a page delta not yet applied, given the page's watermark for this shard. */
export function pageAfter(page: PageDelta, watermark: string | undefined): PageDelta | undefined {
  const pending = page.buckets.map((b) => deltaAfter(b, watermark)).filter((b): b is BucketDelta => b !== undefined);
  return pending.length ? pageFrom(page.key, pending) : undefined;
}

export function pageFirstSeq(page: PageDelta): string {
  return page.buckets.map(firstSeq).reduce((m, s) => (s < m ? s : m));
}

/** The non-zero (value, score) counts a page delta adds. */
export function cellsOf(page: PageDelta): Array<{ value: string; score: string; count: number }> {
  return page.buckets.flatMap((b) =>
    Object.entries(b.histogram)
      .filter(([, count]) => count !== 0)
      .map(([score, count]) => ({ value: b.key.value, score, count })),
  );
}

/**
 * Cuts a page delta into consecutive parts of at most `maxCells` cells (an update expression is
 * limited to 4 KB), cutting only between sequence numbers so an edit's −1/+1 stay together. Applied
 * in order, each part moves the watermark to its last change, so the parts are exactly-once too.
 */
export function splitPage(page: PageDelta, maxCells: number): PageDelta[] {
  if (cellsOf(page).length <= maxCells) return [page];
  const changes = page.buckets
    .flatMap((b) => b.contributions.map((c) => ({ ...c, bucket: b.key })))
    .sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  const parts: PageDelta[] = [];
  let current: typeof changes = [];
  const cellCount = (cs: typeof changes) => new Set(cs.map((c) => `${c.bucket.value}\u0000${c.score}`)).size;
  const flush = () => {
    if (!current.length) return;
    const byBucket = new Map<string, BucketDelta>();
    for (const c of current) {
      const id = bucketId(c.bucket);
      const entry = byBucket.get(id) ?? { key: c.bucket, histogram: {}, lastSeq: c.seq, contributions: [] };
      entry.histogram[String(c.score)] = (entry.histogram[String(c.score)] ?? 0) + c.delta;
      entry.contributions.push({ seq: c.seq, score: c.score, delta: c.delta });
      if (c.seq > entry.lastSeq) entry.lastSeq = c.seq;
      byBucket.set(id, entry);
    }
    parts.push(pageFrom(page.key, [...byBucket.values()]));
    current = [];
  };
  for (let i = 0; i < changes.length; ) {
    const seq = changes[i]!.seq;
    const group: typeof changes = [];
    while (i < changes.length && changes[i]!.seq === seq) group.push(changes[i++]!);
    if (current.length && cellCount([...current, ...group]) > maxCells) flush();
    current.push(...group);
  }
  flush();
  return parts;
}

/**
 * Score and topic pages as a tumbling window keeps them (page-window.ts): grouped by bucket, each change
 * a (seq, score or topic cell, ±1); back to page deltas by the same fold as a batch's.
 */
export const BUCKET_PAGES: PageFamily<PageDelta> = {
  groupsOf: (pages) =>
    pages.flatMap((p) =>
      p.buckets.map((b) => ({ group: bucketId(b.key), changes: b.contributions.map((c) => ({ seq: c.seq, cell: c.score, delta: c.delta })) })),
    ),
  // The histogram and last sequence number rebuilt from the contributions, as after a watermark (deltaAfter).
  deltasOf: (groups) =>
    toPages(
      [...groups].flatMap(([id, changes]) => {
        const contributions = changes.map((c) => ({ seq: c.seq, score: c.cell, delta: c.delta }));
        return deltaAfter({ key: bucketKeyOf(id), histogram: {}, contributions, lastSeq: '' }, undefined) ?? [];
      }),
    ),
};

/** The bucket of a `bucketId` (metric, dimension and day hold no `|`; the value may). */
export function bucketKeyOf(id: string): BucketKey {
  const [metric, dimension] = id.split('|', 2) as [Metric, SegmentDimension];
  const last = id.lastIndexOf('|');
  return { metric, dimension, value: id.slice(metric.length + dimension.length + 2, last), day: id.slice(last + 1) };
}

// ---------------------------------------------------------------------------------------------
// Windows
// ---------------------------------------------------------------------------------------------

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

/** Every day from `fromDay` to `toDay` (yyyy-mm-dd, UTC), both included. */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${fromDay}T00:00:00Z`); t <= Date.parse(`${toDay}T00:00:00Z`); t += 24 * 3600_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** The day `n` days before `day` (n may be negative). */
export function dayMinus(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * 24 * 3600_000).toISOString().slice(0, 10);
}
