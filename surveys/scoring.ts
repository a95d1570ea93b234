/**
 * Scores from histograms (DESIGN.md "Metric definitions" is the contract).
 *
 * Every daily bucket keeps the count per score value, so every figure here is computed from a
 * histogram and can be recomputed for any window by merging buckets first. Figures are computed
 * unrounded and rounded once, at the end (`summarize`).
 *
 * - NPS  (0-10): % promoters (9-10) − % detractors (0-6), −100..100. 95 % margin of error by the
 *   adjusted-Wald method of Rocks (2016, The American Statistician, "Interval estimation for the
 *   Net Promoter Score"): add 3 pseudo-responses — ¾ promoter, 1½ passive, ¾ detractor (the default
 *   `pseudo_observations = c(0.75, 1.5, 0.75)` of his R package `NPS::nps_test`) — then use the
 *   Wald standard error of a difference of two proportions of one sample. Sauro & Lewis
 *   (measuringu.com, "Evaluating NPS confidence intervals with real-world data", 2021) confirm it
 *   as the best performer. The plain Wald margin (variance of the +1/0/−1 scores) is exported too.
 * - CSAT (1-5): % of responses 4-5; mean reported too. Margin of error of the proportion by the
 *   adjusted-Wald (Agresti–Coull) interval: add z²/2 successes and z²/2 failures. Same family as the
 *   NPS method, and well behaved when nearly everyone is satisfied (plain Wald would say ±0 at 100 %).
 * - CES  (1-7 agreement with "… made it easy …"): mean; % easy (5-7); high effort = count of 1-3.
 *   Margin of error of the mean = z·s/√n with the sample standard deviation s (n − 1).
 */
import type { Metric } from './model.ts';
import { SCALES, isDetractor, isValidScore } from './scales.ts';

export { isDetractor as isDetractorScore } from './scales.ts';

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

/** Below this many responses a figure is shown but flagged as too small to trust. */
export const SMALL_SAMPLE_THRESHOLD = 30;

// ---------------------------------------------------------------------------------------------
// Histograms
// ---------------------------------------------------------------------------------------------

/**
 * Count of responses per score value, keyed by the score as a string: `{ "9": 3, "0": 1 }`.
 * Used both for totals (daily buckets) and for deltas (an edit from 3 to 9 is `{ "3": -1, "9": 1 }`),
 * so counts may be negative while a delta is being built; zero entries are dropped.
 */
export type Histogram = Record<string, number>;

/** A histogram with no responses. With a metric, every score of its scale is present with 0. */
export function emptyHistogram(metric?: Metric): Histogram {
  const h: Histogram = {};
  if (metric !== undefined) {
    const { min, max } = SCALES[metric];
    for (let s = min; s <= max; s++) h[String(s)] = 0;
  }
  return h;
}

/** A new histogram with `delta` (default 1) added to the count of `score`. The input is not changed. */
export function addToHistogram(h: Histogram, score: number, delta = 1): Histogram {
  if (!Number.isInteger(score)) throw new RangeError(`score must be an integer, got ${score}`);
  if (!Number.isInteger(delta)) throw new RangeError(`delta must be an integer, got ${delta}`);
  const key = String(score);
  const next = { ...h };
  const count = (next[key] ?? 0) + delta;
  if (count === 0) delete next[key];
  else next[key] = count;
  return next;
}

/** The sum of histograms, key by key; entries that sum to zero are dropped. */
export function mergeHistograms(...hs: Histogram[]): Histogram {
  const out: Histogram = {};
  for (const h of hs) {
    for (const [key, count] of Object.entries(h)) {
      const sum = (out[key] ?? 0) + count;
      if (sum === 0) delete out[key];
      else out[key] = sum;
    }
  }
  return out;
}

/** The histogram of a list of scores. */
export function histogramFrom(scores: Iterable<number>): Histogram {
  let h: Histogram = {};
  for (const s of scores) h = addToHistogram(h, s);
  return h;
}

/**
 * The counts `summarize` uses: valid scores of the metric with a positive count, ascending.
 * Keys that are not a score of the scale and non-positive counts (an unfinished delta) are left out.
 */
export function countsOf(metric: Metric, h: Histogram): Array<{ score: number; count: number }> {
  const out: Array<{ score: number; count: number }> = [];
  for (const [key, count] of Object.entries(h)) {
    const score = Number(key);
    if (key.trim() === '' || !isValidScore(metric, score)) continue;
    if (!Number.isFinite(count) || count <= 0) continue;
    out.push({ score, count });
  }
  return out.sort((a, b) => a.score - b.score);
}

// ---------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------

export type Category = 'promoter' | 'passive' | 'detractor';

/**
 * The band an answer falls in, named after NPS:
 * NPS 9-10 promoter, 7-8 passive, 0-6 detractor; CSAT 4-5 / 3 / 1-2; CES 5-7 (easy) / 4 / 1-3 (high effort).
 * The detractor band is the one of `scales.isDetractor`. Throws a RangeError for a score off the scale.
 */
export function classify(metric: Metric, score: number): Category {
  if (!isValidScore(metric, score)) {
    const { min, max } = SCALES[metric];
    throw new RangeError(`${metric} score must be an integer ${min}-${max}, got ${score}`);
  }
  if (isDetractor(metric, score)) return 'detractor';
  return score >= POSITIVE_MIN[metric] ? 'promoter' : 'passive';
}

/** Each metric's own names of its three bands (DESIGN.md "Metric definitions"): a CSAT 4 is satisfied, not a promoter. */
export const CATEGORY_LABELS = {
  nps: { promoter: 'promoter', passive: 'passive', detractor: 'detractor' },
  csat: { promoter: 'satisfied', passive: 'neutral', detractor: 'dissatisfied' },
  ces: { promoter: 'easy', passive: 'neutral', detractor: 'high-effort' },
} as const satisfies Record<Metric, Record<Category, string>>;

/** The band of an answer in its metric's own words (exports, pages). Throws a RangeError off the scale. */
export function categoryLabel(metric: Metric, score: number): string {
  return CATEGORY_LABELS[metric][classify(metric, score)];
}

/** Lowest score of the positive band: NPS promoter, CSAT satisfied, CES easy. */
const POSITIVE_MIN: Record<Metric, number> = { nps: 9, csat: 4, ces: 5 };

// ---------------------------------------------------------------------------------------------
// NPS margins of error
// ---------------------------------------------------------------------------------------------

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface Interval {
  /** Centre of the interval (for adjusted-Wald, the adjusted estimate, not the reported score). */
  estimate: number;
  /** Half-width. */
  marginOfError: number;
  low: number;
  high: number;
}

/**
 * Adjusted-Wald interval for NPS (Rocks 2016), in NPS points (−100..100), unrounded:
 * n̂ = n + 3, p̂ = (P + ¾)/n̂, d̂ = (D + ¾)/n̂, NPŜ = p̂ − d̂, var = p̂ + d̂ − (p̂ − d̂)²,
 * MOE = z·√(var/n̂)·100. `low`/`high` are clamped to −100..100. Null when there are no responses.
 */
export function npsAdjustedWald(counts: NpsCounts, z = Z_95): Interval | null {
  const n = counts.promoters + counts.passives + counts.detractors;
  if (n <= 0) return null;
  const nAdj = n + 3;
  const p = (counts.promoters + 0.75) / nAdj;
  const d = (counts.detractors + 0.75) / nAdj;
  const estimate = p - d;
  const variance = p + d - estimate ** 2;
  const marginOfError = z * Math.sqrt(variance / nAdj) * 100;
  return {
    estimate: estimate * 100,
    marginOfError,
    low: Math.max(-100, estimate * 100 - marginOfError),
    high: Math.min(100, estimate * 100 + marginOfError),
  };
}

/**
 * Plain Wald margin of error for NPS, in NPS points, unrounded: the variance of the +1/0/−1 scores,
 * p + d − (p − d)², over n. Zero when every answer is in one band — why the adjusted one is reported.
 */
export function npsWaldMarginOfError(counts: NpsCounts, z = Z_95): number | null {
  const n = counts.promoters + counts.passives + counts.detractors;
  if (n <= 0) return null;
  const p = counts.promoters / n;
  const d = counts.detractors / n;
  const variance = p + d - (p - d) ** 2;
  return z * Math.sqrt(Math.max(0, variance) / n) * 100;
}

/**
 * Adjusted-Wald (Agresti–Coull) interval for a proportion, in percent (0..100), unrounded:
 * ñ = n + z², p̃ = (x + z²/2)/ñ, MOE = z·√(p̃(1 − p̃)/ñ)·100. Null when n is 0.
 */
export function proportionAdjustedWald(successes: number, n: number, z = Z_95): Interval | null {
  if (n <= 0) return null;
  const nAdj = n + z * z;
  const p = (successes + (z * z) / 2) / nAdj;
  const marginOfError = z * Math.sqrt((p * (1 - p)) / nAdj) * 100;
  return {
    estimate: p * 100,
    marginOfError,
    low: Math.max(0, p * 100 - marginOfError),
    high: Math.min(100, p * 100 + marginOfError),
  };
}

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

/**
 * The figures of one metric over one histogram. Counts are exact; percentages and NPS points are
 * rounded to 1 decimal, means (on a 1-5 or 1-7 scale, where 0.1 is a big step) to 2 decimals.
 */
export interface ScoreSummary {
  metric: Metric;
  /** Number of answers counted. */
  responses: number;
  /**
   * The headline figure, null when there are no responses:
   * NPS −100..100; CSAT % of answers 4-5 (0..100); CES mean answer (1..7).
   */
  value: number | null;
  /** 95 % margin of error of `value`, in its units (NPS: adjusted-Wald; CSAT: adjusted-Wald; CES: z·s/√n). */
  marginOfError?: number;
  /**
   * 95 % interval, clamped to the scale. For NPS and CSAT it is centred on the adjusted estimate, so it
   * is not always `value ± marginOfError`.
   */
  interval?: { low: number; high: number };
  /** Fewer than 30 responses: show the figure, but do not act on it alone. */
  smallSample: boolean;
  /** NPS: number of answers 9-10. */
  promoters?: number;
  /** NPS: number of answers 7-8. */
  passives?: number;
  /** Number of detractor answers, every metric (NPS 0-6, CSAT 1-2, CES 1-3). */
  detractors: number;
  /** NPS: % of answers that are promoters / passives / detractors. */
  percentPromoters?: number | null;
  percentPassives?: number | null;
  percentDetractors?: number | null;
  /** NPS only: plain Wald margin of error, for comparison with tools that report it. */
  waldMarginOfError?: number;
  /** CSAT: number of answers 4-5. */
  satisfied?: number;
  /** CSAT and CES: mean answer; null when there are no responses. */
  mean?: number | null;
  /** CES: % of answers 5-7. */
  percentEasy?: number | null;
  /** CES: number of answers 1-3 (the customer disagrees that it was easy). */
  highEffort?: number;
}

/** Figures of a metric from its histogram. Never throws on an empty or odd histogram. */
export function summarize(metric: Metric, histogram: Histogram): ScoreSummary {
  const counts = countsOf(metric, histogram);
  const responses = counts.reduce((sum, c) => sum + c.count, 0);
  const countWhere = (pred: (score: number) => boolean): number => counts.reduce((sum, c) => (pred(c.score) ? sum + c.count : sum), 0);
  const percent = (k: number): number | null => (responses > 0 ? round1((k / responses) * 100) : null);
  const detractors = countWhere((s) => isDetractor(metric, s));
  const base = { metric, responses, smallSample: responses < SMALL_SAMPLE_THRESHOLD, detractors };

  switch (metric) {
    case 'nps': {
      const promoters = countWhere((s) => s >= POSITIVE_MIN.nps);
      const passives = responses - promoters - detractors;
      const adjusted = npsAdjustedWald({ promoters, passives, detractors });
      const wald = npsWaldMarginOfError({ promoters, passives, detractors });
      return {
        ...base,
        value: responses > 0 ? round1(((promoters - detractors) / responses) * 100) : null,
        ...(adjusted && {
          marginOfError: round1(adjusted.marginOfError),
          interval: { low: round1(adjusted.low), high: round1(adjusted.high) },
        }),
        ...(wald !== null && { waldMarginOfError: round1(wald) }),
        promoters,
        passives,
        percentPromoters: percent(promoters),
        percentPassives: percent(passives),
        percentDetractors: percent(detractors),
      };
    }
    case 'csat': {
      const satisfied = countWhere((s) => s >= POSITIVE_MIN.csat);
      const adjusted = proportionAdjustedWald(satisfied, responses);
      return {
        ...base,
        value: percent(satisfied),
        ...(adjusted && {
          marginOfError: round1(adjusted.marginOfError),
          interval: { low: round1(adjusted.low), high: round1(adjusted.high) },
        }),
        satisfied,
        mean: meanOf(counts, responses),
      };
    }
    case 'ces': {
      const mean = responses > 0 ? counts.reduce((sum, c) => sum + c.score * c.count, 0) / responses : null;
      const sd = sampleStandardDeviation(counts, responses, mean);
      const moe = sd === null ? null : (Z_95 * sd) / Math.sqrt(responses);
      const { min, max } = SCALES.ces;
      return {
        ...base,
        value: mean === null ? null : round2(mean),
        ...(mean !== null &&
          moe !== null && {
            marginOfError: round2(moe),
            interval: { low: round2(Math.max(min, mean - moe)), high: round2(Math.min(max, mean + moe)) },
          }),
        mean: mean === null ? null : round2(mean),
        percentEasy: percent(countWhere((s) => s >= POSITIVE_MIN.ces)),
        highEffort: detractors,
      };
    }
  }
}

function meanOf(counts: Array<{ score: number; count: number }>, responses: number): number | null {
  if (responses === 0) return null;
  return round2(counts.reduce((sum, c) => sum + c.score * c.count, 0) / responses);
}

/** Sample standard deviation (n − 1); null below 2 responses, where it is undefined. */
function sampleStandardDeviation(counts: Array<{ score: number; count: number }>, responses: number, mean: number | null): number | null {
  if (mean === null || responses < 2) return null;
  const squares = counts.reduce((sum, c) => sum + c.count * (c.score - mean) ** 2, 0);
  return Math.sqrt(squares / (responses - 1));
}

/** Rounds half away from zero, so −12.25 and 12.25 round alike; never returns −0. */
function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = (Math.sign(x) * Math.round(Math.abs(x) * f + 1e-9)) / f;
  return r === 0 ? 0 : r;
}
const round1 = (x: number): number => roundTo(x, 1);
const round2 = (x: number): number => roundTo(x, 2);
