/** The read API's query strings, parsed with zod: a bad one is a 400 that names the field. */
import * as z from 'zod';
import { METRICS, SEGMENT_DIMENSIONS } from '#surveys/model.ts';
import { WINDOWS, type Window } from '#surveys/aggregation.ts';
import type { SegmentName } from '#surveys/use-cases/read-scores.ts';
import { decodeCursor, type Cursor } from '#surveys/use-cases/export-csv.ts';
import { HttpError } from '#functions/shared/http.ts';
import { describeIssues } from '#functions/shared/issues.ts';

/** Longest range an export or a chart covers, in days. */
export const MAX_RANGE_DAYS = 366;

const segment = z.enum(SEGMENT_DIMENSIONS.filter((d) => d !== 'all') as [SegmentName, ...SegmentName[]]);
const day = z.iso.date('must be a date, yyyy-mm-dd');

export const scoresQuery = z.object({
  metric: z.enum(METRICS),
  window: z.enum(Object.keys(WINDOWS) as [Window, ...Window[]]).default('30d'),
  segment: segment.optional(),
  /** `strong`: the headline figure from answers with strong evidence only (no dwell). */
  evidence: z.enum(['all', 'strong']).default('all'),
});

/** GET /api/insights: one segment value (dimension and value together) or everything. */
export const insightsQuery = z
  .object({
    metric: z.enum(METRICS),
    window: z.enum(Object.keys(WINDOWS) as [Window, ...Window[]]).default('30d'),
    dimension: segment.optional(),
    value: z.string().min(1).max(128).optional(),
    lang: z.enum(['pl', 'en']).default('en'),
    samples: z.coerce.number().int().min(0).max(5).default(0),
  })
  .refine((q) => (q.dimension === undefined) === (q.value === undefined), {
    message: 'dimension and value go together: give both or neither',
    path: ['value'],
  });

export const dailyQuery = z
  .object({
    metric: z.enum(METRICS),
    days: z.coerce.number().int().min(1).max(MAX_RANGE_DAYS).default(90),
    rolling: z.coerce.number().int().min(1).max(90).default(1),
    segment: segment.optional(),
    key: z.string().min(1).max(128).optional(),
  })
  .refine((q) => (q.segment === undefined) === (q.key === undefined), { message: 'segment and key go together: give both or neither', path: ['key'] });

const cursor = z
  .string()
  .max(1000)
  .transform((text, ctx): Cursor => {
    const decoded = decodeCursor(text);
    if (!decoded) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave out' });
      return z.NEVER;
    }
    return decoded;
  });

const range = {
  from: day,
  to: day,
  metric: z.enum(METRICS).optional(),
  cursor: cursor.optional(),
};

function checkRange(q: { from: string; to: string; cursor?: Cursor }, ctx: z.RefinementCtx): void {
  const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', message: 'must not be before from', path: ['to'] });
  if (days > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', message: `the range may span at most ${MAX_RANGE_DAYS} days`, path: ['to'] });
  if (q.cursor && (q.cursor.day < q.from || q.cursor.day > q.to)) ctx.addIssue({ code: 'custom', message: 'belongs to another range', path: ['cursor'] });
}

export const scoresExportQuery = z.object({ ...range, segment: segment.optional() }).superRefine(checkRange);

export const responsesExportQuery = z
  .object({
    ...range,
    // Personal data (contacts, comments, references) only when asked for by name.
    includePersonalData: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .superRefine(checkRange);

export function parseQuery<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new HttpError(400, 'invalid query', describeIssues(parsed.error));
  return parsed.data;
}
