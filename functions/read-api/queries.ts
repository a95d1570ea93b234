/** The read API's query strings, parsed with zod: a bad one is a 400 that names the field. */
import * as z from '#surveys/zod.ts';
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
const windowOf = () => z._default(z.enum(Object.keys(WINDOWS) as [Window, ...Window[]]), '30d');
/** A whole number from the query string, `min` to `max`, `fallback` when absent. */
const whole = (min: number, max: number, fallback: number) => z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), fallback);
const key = () => z.optional(z.string().check(z.minLength(1), z.maxLength(128)));

export const scoresQuery = z.object({
  metric: z.enum(METRICS),
  window: windowOf(),
  segment: z.optional(segment),
  /** `strong`: the headline figure from answers with strong evidence only (no dwell). */
  evidence: z._default(z.enum(['all', 'strong']), 'all'),
});

/** GET /api/insights: one segment value (dimension and value together) or everything. */
export const insightsQuery = z
  .object({
    metric: z.enum(METRICS),
    window: windowOf(),
    dimension: z.optional(segment),
    value: key(),
    lang: z._default(z.enum(['pl', 'en']), 'en'),
    samples: whole(0, 5, 0),
  })
  .check(
    z.refine((q) => (q.dimension === undefined) === (q.value === undefined), {
      message: 'dimension and value go together: give both or neither',
      path: ['value'],
    }),
  );

export const dailyQuery = z
  .object({
    metric: z.enum(METRICS),
    days: whole(1, MAX_RANGE_DAYS, 90),
    rolling: whole(1, 90, 1),
    segment: z.optional(segment),
    key: key(),
  })
  .check(z.refine((q) => (q.segment === undefined) === (q.key === undefined), { message: 'segment and key go together: give both or neither', path: ['key'] }));

const cursor = z.pipe(
  z.string().check(z.maxLength(1000)),
  z.transform((text: string, ctx): Cursor => {
    const decoded = decodeCursor(text);
    if (!decoded) {
      ctx.issues.push({ code: 'custom', message: 'not a cursor this API gave out', input: text });
      return z.NEVER;
    }
    return decoded;
  }),
);

const range = {
  from: day,
  to: day,
  metric: z.optional(z.enum(METRICS)),
  cursor: z.optional(cursor),
};

function checkRange(q: { from: string; to: string; cursor?: Cursor | undefined }, ctx: z.core.$RefinementCtx): void {
  const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', message: 'must not be before from', path: ['to'] });
  if (days > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', message: `the range may span at most ${MAX_RANGE_DAYS} days`, path: ['to'] });
  if (q.cursor && (q.cursor.day < q.from || q.cursor.day > q.to)) ctx.addIssue({ code: 'custom', message: 'belongs to another range', path: ['cursor'] });
}

export const scoresExportQuery = z.object({ ...range, segment: z.optional(segment) }).check(z.superRefine(checkRange));

export const responsesExportQuery = z
  .object({
    ...range,
    // Personal data (contacts, comments, references) only when asked for by name.
    includePersonalData: z.pipe(
      z._default(z.enum(['true', 'false']), 'false'),
      z.transform((v) => v === 'true'),
    ),
  })
  .check(z.superRefine(checkRange));

export function parseQuery<T extends z.ZodMiniType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new HttpError(400, 'invalid query', describeIssues(parsed.error));
  return parsed.data;
}
