/**
 * Reading the funnel: daily pages summed over a 7/30/90-day window into the `GET /api/funnel` answer
 * (DESIGN.md "Funnel"), with response rates and their 95 % Wilson intervals per segment, so that "which
 * channel, send hour or survey (delay) gets the most answers" comes with a margin of error.
 *
 * Totals always come from the `survey` pages (every step has a survey); a split from its own pages,
 * whose cells are `<survey>|<value>` (pages.ts), so `survey=` narrows any split.
 */
import { parseCell } from './pages.ts';
import { FUNNEL_STEPS, type FunnelSegment, type FunnelStep } from './steps.ts';

export type FunnelCounts = { [S in Exclude<FunnelStep, 'skipped'>]: number } & { skipped: Record<string, number> };

/** One day of one segment's pages, every page of the day summed: cell name → count. */
export interface FunnelDay {
  day: string;
  cells: Record<string, number>;
}

export interface Rate {
  value: number | null;
  /** 95 % Wilson interval, as fractions; absent with no denominator. */
  low?: number;
  high?: number;
  marginOfError?: number;
}

export interface FunnelSegmentRow {
  key: string;
  sent: number;
  delivered: number;
  opened: number;
  answered: number;
  responseRate: number | null;
  /** answered / delivered */
  deliveredResponseRate: number | null;
  marginOfError?: number;
  low?: number;
  high?: number;
  /** Fewer than 30 sent: the rate is shown but not to be acted on. */
  smallSample: boolean;
}

export interface FunnelReport extends FunnelCounts {
  window: string;
  from: string;
  to: string;
  survey?: string;
  /** answered / sent, a fraction from 0 to 1 (null before anything was sent). */
  responseRate: number | null;
  responseRateInterval?: Omit<Rate, 'value'>;
  /** answered / delivered (null before any delivery event). */
  deliveredResponseRate: number | null;
  segment?: FunnelSegment;
  segments?: FunnelSegmentRow[];
  /** The segment with the best response rate, and whether its interval clears every other's. */
  leader?: { key: string; responseRate: number; clearlyAhead: boolean };
}

export const Z_95 = 1.959964;
/** Below this many surveys sent, a rate's interval is too wide to act on. */
export const SMALL_SAMPLE = 30;

/** Wilson score interval of k successes in n trials (fractions). Behaves on small n and at 0 or n. */
export function wilson(k: number, n: number, z = Z_95): Rate {
  if (n <= 0) return { value: null };
  const p = Math.min(1, Math.max(0, k / n));
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  const low = Math.max(0, centre - half);
  const high = Math.min(1, centre + half);
  return { value: round(p), low: round(low), high: round(high), marginOfError: round(Math.max(p - low, high - p)) };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export function emptyCounts(): FunnelCounts {
  const counts = Object.fromEntries(FUNNEL_STEPS.map((s) => [s, 0])) as unknown as FunnelCounts;
  counts.skipped = {};
  return counts;
}

function add(counts: FunnelCounts, step: string, reason: string | undefined, n: number): void {
  if (step === 'skipped') counts.skipped[reason ?? 'unknown'] = (counts.skipped[reason ?? 'unknown'] ?? 0) + n;
  else if ((FUNNEL_STEPS as readonly string[]).includes(step)) (counts as unknown as Record<string, number>)[step]! += n;
}

/** Sums a segment's days into counts per segment key; `survey` keeps one survey only. */
export function countsBySegment(days: FunnelDay[], dimension: FunnelSegment, survey?: string): Map<string, FunnelCounts> {
  const out = new Map<string, FunnelCounts>();
  for (const { cells } of days) {
    for (const [name, n] of Object.entries(cells)) {
      const cell = parseCell(name);
      if (!cell || n === 0) continue;
      const cut = dimension === 'survey' ? -1 : cell.value.indexOf('|');
      const cellSurvey = cut < 0 ? cell.value : cell.value.slice(0, cut);
      if (survey !== undefined && cellSurvey !== survey) continue;
      const key = cut < 0 ? cell.value : cell.value.slice(cut + 1);
      const counts = out.get(key) ?? emptyCounts();
      add(counts, cell.step, cell.reason, n);
      out.set(key, counts);
    }
  }
  return out;
}

export function sumCounts(all: Iterable<FunnelCounts>): FunnelCounts {
  const total = emptyCounts();
  for (const c of all) {
    for (const step of FUNNEL_STEPS) if (step !== 'skipped') total[step] += c[step];
    for (const [reason, n] of Object.entries(c.skipped)) add(total, 'skipped', reason, n);
  }
  for (const [reason, n] of Object.entries(total.skipped)) if (n === 0) delete total.skipped[reason];
  return total;
}

function segmentRow(key: string, c: FunnelCounts): FunnelSegmentRow {
  const rate = wilson(c.answered, c.sent);
  return {
    key,
    sent: c.sent,
    delivered: c.delivered,
    opened: c.opened,
    answered: c.answered,
    responseRate: rate.value,
    deliveredResponseRate: wilson(c.answered, c.delivered).value,
    ...(rate.value !== null ? { marginOfError: rate.marginOfError, low: rate.low, high: rate.high } : {}),
    smallSample: c.sent < SMALL_SAMPLE,
  };
}

/** The segment with the highest rate among those with a sample to act on, and whether it is clearly ahead. */
export function leaderOf(rows: FunnelSegmentRow[]): FunnelReport['leader'] {
  const rated = rows.filter((r) => r.responseRate !== null && !r.smallSample);
  if (rated.length < 2) return undefined;
  const [best, ...rest] = [...rated].sort((a, b) => b.responseRate! - a.responseRate!);
  return { key: best!.key, responseRate: best!.responseRate!, clearlyAhead: rest.every((r) => (best!.low ?? 0) > (r.high ?? 1)) };
}

export interface FunnelQuery {
  window: string;
  from: string;
  to: string;
  survey?: string;
  segment?: FunnelSegment;
}

/** The API answer from the window's `survey` pages and, for a split, the split's pages. */
export function funnelReport(query: FunnelQuery, surveyDays: FunnelDay[], segmentDays?: FunnelDay[]): FunnelReport {
  const totals = sumCounts(countsBySegment(surveyDays, 'survey', query.survey).values());
  const rate = wilson(totals.answered, totals.sent);
  const report: FunnelReport = {
    window: query.window,
    from: query.from,
    to: query.to,
    ...(query.survey ? { survey: query.survey } : {}),
    ...totals,
    responseRate: rate.value,
    ...(rate.value !== null ? { responseRateInterval: { low: rate.low, high: rate.high, marginOfError: rate.marginOfError } } : {}),
    deliveredResponseRate: wilson(totals.answered, totals.delivered).value,
  };
  if (!query.segment) return report;
  const split = query.segment === 'survey' ? surveyDays : (segmentDays ?? []);
  const rows = [...countsBySegment(split, query.segment, query.survey)]
    .map(([key, c]) => segmentRow(key, c))
    .filter((r) => r.sent > 0 || r.answered > 0)
    .sort((a, b) => b.sent - a.sent || a.key.localeCompare(b.key));
  const leader = leaderOf(rows);
  return { ...report, segment: query.segment, segments: rows, ...(leader ? { leader } : {}) };
}
