/** The three survey scales (DESIGN.md "Metric definitions"): range, and which answers are detractors. */
import type { Metric, SurveyResponse } from './model.ts';

export interface Scale {
  metric: Metric;
  min: number;
  max: number;
  /** Highest score that counts as a detractor (NPS 0-6, CSAT 1-2, CES 1-3). */
  detractorMax: number;
}

export const SCALES: Record<Metric, Scale> = {
  nps: { metric: 'nps', min: 0, max: 10, detractorMax: 6 },
  csat: { metric: 'csat', min: 1, max: 5, detractorMax: 2 },
  ces: { metric: 'ces', min: 1, max: 7, detractorMax: 3 },
};

export function scoresOf(metric: Metric): number[] {
  const { min, max } = SCALES[metric];
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

export function isValidScore(metric: Metric, score: number): boolean {
  const { min, max } = SCALES[metric];
  return Number.isInteger(score) && score >= min && score <= max;
}

export function isDetractor(metric: Metric, score: number): boolean {
  return isValidScore(metric, score) && score <= SCALES[metric].detractorMax;
}

/**
 * The version to store, marked `everDetractor` once this or an earlier one scored a detractor (a response
 * stored before the mark existed counts by its current score): the alert consumer receives only marked
 * responses, so an alert follows every later version, an edit to a promoter and back included.
 */
export function withDetractorMark<R extends SurveyResponse>(next: R, current?: SurveyResponse): R {
  const ever = current?.everDetractor || (current !== undefined && isDetractor(current.metric, current.score)) || isDetractor(next.metric, next.score);
  return ever ? { ...next, everDetractor: true } : next;
}
