/**
 * The response funnel for support leads: GET /api/funnel.
 *
 * Primary course:
 *  1. Take the days of the 7/30/90-day window ending today (UTC).
 *  2. Read the window's `survey` pages (the totals) and, for a split, the split's pages.
 *  3. Sum them (report.ts): counts per step, skips per reason, answered / sent and answered /
 *     delivered, and per segment the rate with its 95 % Wilson interval and a small-sample flag.
 */
import * as z from '../zod.ts';
import { WINDOWS, type Window, windowDays } from '../aggregation.ts';
import { type FunnelDay, type FunnelReport, funnelReport } from './report.ts';
import { FUNNEL_SEGMENTS, type FunnelSegment } from './steps.ts';

/** The query string, parsed at the edge: a bad one is a 400 naming the field. */
export const funnelQuerySchema = z.object({
  window: z._default(z.enum(Object.keys(WINDOWS) as [Window, ...Window[]]), '30d'),
  survey: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a survey id (letters, digits, . _ -)'))),
  segment: z.optional(z.enum(FUNNEL_SEGMENTS)),
});
export type FunnelQueryInput = z.infer<typeof funnelQuerySchema>;

/** Where the funnel pages are read from (functions/adapters/dynamodb/funnel-pages.ts). */
export interface FunnelReader {
  readDays(dimension: FunnelSegment, fromDay: string, toDay: string): Promise<FunnelDay[]>;
}

export async function readFunnel(query: FunnelQueryInput, deps: { reader: FunnelReader; now: () => Date }): Promise<FunnelReport> {
  const { fromDay, toDay } = windowDays(query.window, deps.now());
  const split = query.segment && query.segment !== 'survey' ? query.segment : undefined;
  const [surveyDays, segmentDays] = await Promise.all([
    deps.reader.readDays('survey', fromDay, toDay),
    split ? deps.reader.readDays(split, fromDay, toDay) : Promise.resolve(undefined),
  ]);
  return funnelReport(
    { window: query.window, from: fromDay, to: toDay, ...(query.survey ? { survey: query.survey } : {}), ...(query.segment ? { segment: query.segment } : {}) },
    surveyDays,
    segmentDays,
  );
}
