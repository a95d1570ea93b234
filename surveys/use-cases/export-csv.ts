/**
 * CSV exports for support leads: the daily scores, and the responses themselves, over a date range.
 * Both are generators of CSV lines, so a caller can stream them (the local runtime writes each line
 * as it comes) or cut them into pages (on AWS a Lambda answer is one body: see exportPage).
 *
 * Primary course (responses):
 *  1. Walk the days of the range; per day, read its final responses in answer-time order, after the
 *     cursor's position when resuming.
 *  2. Leave out personal data (customer id, e-mail, phone, name, comment, order/ticket reference)
 *     unless the caller asked for it explicitly; then look up the contacts a page of rows at a time.
 *  3. Give each line with the cursor that resumes right after it.
 *
 * Primary course (scores):
 *  1. Walk the days of the range; per day and metric, read the histograms of "all" and of the
 *     chosen segment dimension.
 *  2. One line per (day, metric, dimension, value) with the figures and the count of every score.
 *  3. A page may end only after a day's last line: the cursor names the next day.
 */
import * as z from '../zod.ts';
import { daysBetween } from '../aggregation.ts';
import { csvLine, type CsvValue } from '../csv.ts';
import { METRICS, type Metric, type SurveyResponse } from '../model.ts';
import type { ScoreReader } from '../ports.ts';
import { categoryLabel, summarize, type Histogram } from '../scoring.ts';
import type { SegmentName } from './read-scores.ts';

/** One line of output; a page may end after it only when it carries a cursor. */
export interface CsvChunk {
  line: string;
  cursor?: string;
}

export interface ResponseContact {
  email?: string;
  phone?: string;
  name?: string;
}

/** What the responses export reads (functions/adapters/dynamodb/response-export.ts). */
export interface ResponseExportSource {
  /** Final responses answered on `day` (UTC), in answer-time order, strictly after `after` when given. */
  responsesOn(day: string, after?: string): AsyncIterable<{ response: SurveyResponse; position: string }>;
  /** Contacts of customers, for the personal-data export only. */
  contactsOf(customerIds: string[]): Promise<Map<string, ResponseContact>>;
}

const cursorSchema = z.object({ day: z.iso.date(), after: z.optional(z.string().check(z.maxLength(300))) });
export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor a caller sent back, or undefined when it is not one of ours. */
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

// The survey is its own column (the response's survey id); the other segments follow.
const SEGMENT_COLUMNS = ['channel', 'locale', 'store', 'team', 'agent'] as const;

export function responsesHeader(includePersonalData: boolean): string {
  return csvLine([
    'answered_at',
    'updated_at',
    'survey',
    'metric',
    'score',
    'category',
    'topics', // comment topic ids joined by "|" (surveys/insights/); empty until the comment is classified
    'sentiment',
    ...SEGMENT_COLUMNS,
    'version',
    'evidence', // interaction, button, dwell, sms, import; empty for answers stored before it was kept
    ...(includePersonalData ? ['response_id', 'customer_id', 'email', 'phone', 'name', 'subject_ref', 'comment'] : []),
  ]);
}

export interface ResponsesExportQuery {
  fromDay: string;
  toDay: string;
  metric?: Metric;
  includePersonalData: boolean;
  cursor?: Cursor;
}

/** How many rows share one contact lookup. */
const CONTACT_PAGE = 100;

export async function* exportResponses(query: ResponsesExportQuery, source: ResponseExportSource): AsyncGenerator<CsvChunk> {
  const startDay = query.cursor?.day ?? query.fromDay;
  for (const day of daysBetween(startDay, query.toDay)) {
    const after = day === query.cursor?.day ? query.cursor.after : undefined;
    let page: Array<{ response: SurveyResponse; position: string }> = [];
    const flush = async function* (): AsyncGenerator<CsvChunk> {
      const contacts = query.includePersonalData
        ? await source.contactsOf([...new Set(page.map((p) => p.response.customerId))])
        : new Map<string, ResponseContact>();
      for (const { response, position } of page) {
        yield {
          line: responseLine(response, query.includePersonalData ? (contacts.get(response.customerId) ?? {}) : undefined),
          cursor: encodeCursor({ day, after: position }),
        };
      }
      page = [];
    };
    for await (const row of source.responsesOn(day, after)) {
      if (query.metric && row.response.metric !== query.metric) continue;
      page.push(row);
      if (page.length >= CONTACT_PAGE) yield* flush();
    }
    yield* flush();
  }
}

function responseLine(r: SurveyResponse, contact: ResponseContact | undefined): string {
  const values: CsvValue[] = [
    r.answeredAt,
    r.updatedAt,
    r.surveyId,
    r.metric,
    r.score,
    safeCategory(r.metric, r.score),
    r.insights?.topics.join('|'),
    r.insights?.sentiment,
    ...SEGMENT_COLUMNS.map((c) => r.segments[c]),
    r.version,
    r.evidence,
  ];
  if (contact) values.push(r.invitationId, r.customerId, contact.email, contact.phone, contact.name, r.subjectRef, r.comment);
  return csvLine(values);
}

function safeCategory(metric: Metric, score: number): string {
  try {
    return categoryLabel(metric, score);
  } catch {
    return '';
  }
}

export interface ScoresExportQuery {
  fromDay: string;
  toDay: string;
  metric?: Metric;
  segment?: SegmentName;
  cursor?: Cursor;
}

const SCORE_COLUMNS = Array.from({ length: 11 }, (_, s) => s);

export function scoresHeader(): string {
  return csvLine([
    'day',
    'metric',
    'dimension',
    'segment',
    'responses',
    'value',
    'margin_of_error',
    'small_sample',
    'positive',
    'passives',
    'detractors',
    'mean',
    ...SCORE_COLUMNS.map((s) => `count_${s}`),
  ]);
}

export async function* exportScores(query: ScoresExportQuery, reader: ScoreReader): AsyncGenerator<CsvChunk> {
  const metrics = query.metric ? [query.metric] : METRICS;
  const days = daysBetween(query.cursor?.day ?? query.fromDay, query.toDay);
  for (const [i, day] of days.entries()) {
    const lines: string[] = [];
    for (const metric of metrics) {
      for (const dimension of ['all', ...(query.segment ? [query.segment] : [])] as const) {
        const buckets = await reader.readBuckets(metric, dimension, day, day);
        for (const b of buckets.sort((x, y) => x.value.localeCompare(y.value))) lines.push(scoreLine(day, metric, dimension, b.value, b.histogram));
      }
    }
    const next = days[i + 1];
    for (const [j, line] of lines.entries()) yield { line, ...(j === lines.length - 1 && next ? { cursor: encodeCursor({ day: next }) } : {}) };
  }
}

function scoreLine(day: string, metric: Metric, dimension: string, value: string, histogram: Histogram): string {
  const s = summarize(metric, histogram);
  return csvLine([
    day,
    metric,
    dimension,
    value,
    s.responses,
    s.value,
    s.marginOfError,
    s.smallSample,
    s.promoters ?? s.satisfied,
    s.passives,
    s.detractors,
    s.mean,
    ...SCORE_COLUMNS.map((score) => histogram[String(score)]),
  ]);
}

/**
 * One page of an export: lines until `maxBytes` is reached at a line that carries a cursor. `next`
 * is that cursor when more lines follow (the caller asks again with it), undefined at the end.
 */
export async function exportPage(header: string, chunks: AsyncGenerator<CsvChunk>, maxBytes: number): Promise<{ body: string; rows: number; next?: string }> {
  const parts = [header];
  let bytes = Buffer.byteLength(header);
  let rows = 0;
  for (;;) {
    const { value, done } = await chunks.next();
    if (done) return { body: parts.join(''), rows };
    parts.push(value.line);
    bytes += Buffer.byteLength(value.line);
    rows += 1;
    if (bytes >= maxBytes && value.cursor) {
      const more = await chunks.next();
      await chunks.return(undefined);
      return { body: parts.join(''), rows, ...(more.done ? {} : { next: value.cursor }) };
    }
  }
}
