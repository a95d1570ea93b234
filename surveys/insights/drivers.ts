/**
 * What drives the score: per topic, how often it comes up, how those customers feel and score, and how
 * many points the overall score would gain if the topic's detractors had been passives (`impact`).
 *
 * - `score` / `scoreWithout`: the metric (scoring.ts `summarize`) over the responses that mention the
 *   topic, and over all the others (overall histogram minus the topic's).
 * - `impact`: the overall score recomputed with the topic's detractors moved to the lowest passive
 *   score (NPS 7, CSAT 3, CES 4), minus the overall score. For NPS it is detractors(topic) / n × 100.
 *   CSAT counts only satisfied answers, so moving its detractors to neutral gains nothing: its impact is 0
 *   by this definition (the contract's), and the panel then ranks by detractor mentions.
 * - `marginOfError`: the 95 % margin of error of `score`, by the methods of scoring.ts (NPS and CSAT
 *   adjusted-Wald, CES z·s/√n): wide when few comments mention the topic, which is the honest part.
 *   `impactMarginOfError`: of `impact`, adjusted-Wald (Agresti–Coull) on detractors(topic) of n for NPS,
 *   z·s/√n of the per-response gain for CES.
 * - `smallSample`: fewer than 30 mentions; show, but do not act on it alone.
 */
import type { Metric } from '../model.ts';
import { SCALES } from '../scales.ts';
import { classify, countsOf, proportionAdjustedWald, SMALL_SAMPLE_THRESHOLD, summarize, Z_95, type Histogram } from '../scoring.ts';
import type { Taxonomy } from './taxonomy.ts';
import type { TopicCounts } from './pages.ts';

export interface TopicDriver {
  topic: string;
  label: string;
  mentions: number;
  /** Mentions per commented response, 0..1 (3 decimals). */
  share: number;
  negative: number;
  neutral: number;
  positive: number;
  score: number | null;
  scoreWithout: number | null;
  impact: number;
  marginOfError: number | null;
  impactMarginOfError: number | null;
  smallSample: boolean;
  /** The same figures over the window before (for the trend), when asked for. */
  previous?: { mentions: number; share: number; impact: number } | null;
}

export interface Insights {
  metric: Metric;
  window: string;
  responses: number;
  commented: number;
  topics: TopicDriver[];
}

export interface InsightsInput {
  metric: Metric;
  window: string;
  /** Scores of every response in the window and segment (the score pages). */
  overall: Histogram;
  counts: TopicCounts;
  taxonomy: Taxonomy;
  lang: 'pl' | 'en';
  /** The window before, for the trend. */
  previous?: { overall: Histogram; counts: TopicCounts };
}

const total = (h: Histogram) => Object.values(h).reduce((a, b) => a + (b > 0 ? b : 0), 0);
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d || 0;

/** The lowest score of the passive band: where a detractor would move. */
function passiveFloor(metric: Metric): number {
  for (let s = SCALES[metric].min; s <= SCALES[metric].max; s++) if (classify(metric, s) === 'passive') return s;
  throw new Error(`no passive band for ${metric}`);
}

/** `a − b`, key by key, never below zero (a topic's histogram is part of the overall one). */
function minus(a: Histogram, b: Histogram): Histogram {
  const out: Histogram = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = Math.max(0, (out[k] ?? 0) - v);
  return out;
}

function impactOf(metric: Metric, overall: Histogram, topic: Histogram): { impact: number; moe: number | null } {
  const n = total(overall);
  const before = summarize(metric, overall).value;
  if (n === 0 || before === null) return { impact: 0, moe: null };
  const floor = passiveFloor(metric);
  const moved: Histogram = { ...overall };
  const gains: Array<{ gain: number; count: number }> = [];
  for (const { score, count } of countsOf(metric, topic)) {
    if (classify(metric, score) !== 'detractor') continue;
    const c = Math.min(count, moved[String(score)] ?? 0);
    moved[String(score)] = (moved[String(score)] ?? 0) - c;
    moved[String(floor)] = (moved[String(floor)] ?? 0) + c;
    gains.push({ gain: floor - score, count: c });
  }
  const after = summarize(metric, moved).value ?? before;
  const detractors = gains.reduce((a, g) => a + g.count, 0);
  // The gain is computed exactly and rounded once: the difference of two rounded scores is off by 0.1 (−33.3 → 33.3 gave 66.6, not 66.7).
  if (metric === 'nps') return { impact: round((detractors / n) * 100, 1), moe: round(proportionAdjustedWald(detractors, n)!.marginOfError, 1) };
  if (metric === 'csat') return { impact: round(after - before, 1), moe: 0 };
  const mean = gains.reduce((a, g) => a + g.gain * g.count, 0) / n;
  const squares = gains.reduce((a, g) => a + g.gain ** 2 * g.count, 0);
  const variance = n > 1 ? (squares - n * mean ** 2) / (n - 1) : 0;
  return { impact: round(mean, 2), moe: round((Z_95 * Math.sqrt(Math.max(0, variance))) / Math.sqrt(n), 2) };
}

function shareOf(mentions: number, commented: number): number {
  return commented > 0 ? round(mentions / commented, 3) : 0;
}

/** The drivers of one window and segment (topics mentioned now or in the window before), sorted by impact, then by negative mentions. */
export function insightsOf(input: InsightsInput): Insights {
  const { metric, overall, counts, taxonomy } = input;
  const commented = total(counts.commented);
  const topics = taxonomy.topics.map((def): TopicDriver => {
    const tally = counts.topics.get(def.id) ?? { scores: {}, sentiment: { negative: 0, neutral: 0, positive: 0 } };
    const mentions = total(tally.scores);
    const mentioning = summarize(metric, tally.scores);
    const { impact, moe } = impactOf(metric, overall, tally.scores);
    const driver: TopicDriver = {
      topic: def.id,
      label: def.label[input.lang],
      mentions,
      share: shareOf(mentions, commented),
      ...tally.sentiment,
      score: mentioning.value,
      scoreWithout: summarize(metric, minus(overall, tally.scores)).value,
      impact,
      marginOfError: mentioning.marginOfError ?? null,
      impactMarginOfError: moe,
      smallSample: mentions < SMALL_SAMPLE_THRESHOLD,
    };
    if (input.previous) {
      const before = input.previous.counts.topics.get(def.id);
      const m = before ? total(before.scores) : 0;
      driver.previous = before
        ? { mentions: m, share: shareOf(m, total(input.previous.counts.commented)), impact: impactOf(metric, input.previous.overall, before.scores).impact }
        : null;
    }
    return driver;
  });
  const shown = topics.filter((t) => t.mentions > 0 || (t.previous?.mentions ?? 0) > 0);
  shown.sort((a, b) => b.impact - a.impact || b.negative - a.negative || b.mentions - a.mentions || a.topic.localeCompare(b.topic));
  return { metric, window: input.window, responses: total(overall), commented, topics: shown };
}
