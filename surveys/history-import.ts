/**
 * History from another tool (Delighted's CSV export first): one CSV row → one past answer, or the
 * reason it is refused. Pure: scripts/import-history.ts reads the file and writes the answers.
 *
 * Columns are matched by name, case and punctuation aside, so "Response Timestamp", "created_at" and
 * "Created At" are one column. Recognised (Delighted's export names first):
 *   score       Score, Rating
 *   time        Response Timestamp, Created At, Responded At, Timestamp, Date  (ISO 8601,
 *               "2024-05-01 14:03:00 UTC", "2024-05-01 14:03:00 +0200", or Unix seconds)
 *   id          Response ID, ID                       (makes the import idempotent across files)
 *   email       Person Email, Email                    (only hashed: the customer id and the row id)
 *   metric      Survey Type                            (nps, csat, ces; else the --metric option)
 *   segments    Store, Team, Agent, Channel, Locale/Language, each also as "Property: X",
 *               "Properties: X" or "Person Properties: X" (Delighted's person properties); any other
 *               column or property by `--segment "Purchase Experience=store"` (parseSegmentMapping)
 *   comment     Comment, Comments, Feedback            (the row becomes a response item, see below)
 * Names are personal data and are not imported. A row with a comment answered within the retention
 * period keeps it (the importer writes it as a history response, counted by the stream aggregator);
 * an older comment would expire at once, so its row keeps only its score (folded like the others).
 */
import { createHash } from 'node:crypto';
import { languageOf, METRICS, type Metric, type Segments } from './model.ts';
import { SCALES, isValidScore } from './scales.ts';

export type ImportColumn = 'score' | 'time' | 'id' | 'email' | 'metric' | 'store' | 'team' | 'agent' | 'channel' | 'locale' | 'comment';

const ALIASES: Record<ImportColumn, string[]> = {
  score: ['score', 'rating', 'nps score', 'answer'],
  time: ['response timestamp', 'created at', 'responded at', 'response date', 'timestamp', 'date', 'created'],
  id: ['response id', 'id'],
  email: ['person email', 'email', 'email address'],
  metric: ['survey type', 'metric', 'type'],
  store: ['store', 'shop'],
  team: ['team'],
  agent: ['agent', 'agent id', 'assignee'],
  channel: ['channel', 'survey channel', 'platform'],
  locale: ['locale', 'language', 'person locale'],
  comment: ['comment', 'comments', 'feedback', 'response comment'],
};

const PROPERTY_PREFIX = /^(?:person )?propert(?:y|ies)\s*[:-]?\s*/;

function normalize(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[_\-.]+/g, ' ')
    .replace(/\s+/g, ' ');
}

export interface ColumnMap {
  index: Partial<Record<ImportColumn, number>>;
  /** Header names that matched nothing (reported, not imported). */
  ignored: string[];
}

/** The segments a person property may name (`--segment "Purchase Experience=store"`). */
export const PROPERTY_SEGMENTS = ['store', 'team', 'agent', 'channel', 'locale'] as const;
export type PropertySegment = (typeof PROPERTY_SEGMENTS)[number];

/**
 * Parses `--segment` options: "<column or person property>=<store|team|agent|channel|locale>". The
 * name is matched like a header (case, punctuation and a "Properties:" prefix aside).
 */
export function parseSegmentMapping(specs: string[]): Record<string, PropertySegment> {
  const out: Record<string, PropertySegment> = {};
  for (const spec of specs) {
    const at = spec.lastIndexOf('=');
    const name = at > 0 ? normalize(spec.slice(0, at)).replace(PROPERTY_PREFIX, '') : '';
    const segment = spec
      .slice(at + 1)
      .trim()
      .toLowerCase();
    if (!name || !(PROPERTY_SEGMENTS as readonly string[]).includes(segment))
      throw new Error(`--segment "${spec}" must be "<column or property>=<${PROPERTY_SEGMENTS.join('|')}>"`);
    out[name] = segment as PropertySegment;
  }
  return out;
}

/** Which column holds what; throws when there is no score or time column. `segments` maps more columns (person properties) to segments, before the known names. */
export function mapColumns(header: string[], segments: Record<string, PropertySegment> = {}): ColumnMap {
  const index: Partial<Record<ImportColumn, number>> = {};
  const ignored: string[] = [];
  header.forEach((raw, i) => {
    const name = normalize(raw).replace(PROPERTY_PREFIX, '');
    const mapped = segments[name];
    const column = mapped ?? (Object.keys(ALIASES) as ImportColumn[]).find((c) => ALIASES[c].includes(name));
    if (mapped && index[mapped] !== undefined) {
      ignored.push(header[index[mapped]]!); // the mapping wins over a column of the segment's own name
      index[mapped] = i;
    } else if (column && index[column] === undefined) index[column] = i;
    else ignored.push(raw);
  });
  const unmatched = Object.keys(segments).filter((name) => !header.some((h) => normalize(h).replace(PROPERTY_PREFIX, '') === name));
  if (unmatched.length) throw new Error(`--segment names ${unmatched.map((n) => `"${n}"`).join(', ')}, not a column of the file`);
  const missing = (['score', 'time'] as const).filter((c) => index[c] === undefined);
  if (missing.length) {
    throw new Error(
      `the CSV has no ${missing.join(' and no ')} column (looked for ${missing.map((c) => ALIASES[c].map((a) => `"${a}"`).join(', ')).join('; ')})`,
    );
  }
  return { index, ignored };
}

export interface ImportOptions {
  /** Metric of rows without a Survey Type column. */
  metric: Metric;
  /** Survey id the answers are counted under (the "survey" segment). */
  surveyId?: string;
  /** Where the rows come from, part of every row id ("delighted"). */
  source: string;
  /** More columns or person properties that name a segment (parseSegmentMapping). */
  segments?: Record<string, PropertySegment>;
  now: Date;
  /** Days a response (and its comment) is kept: older comments are not imported, their score is. Without it, no comment is imported. */
  retentionDays?: number;
}

export interface ImportedAnswer {
  /** Deterministic: the same row imported again gets the same id. */
  id: string;
  metric: Metric;
  score: number;
  answeredAt: string;
  segments: Segments;
  /** Present on rows imported as a history response (answered within the retention period). */
  comment?: string;
}

export type RowOutcome = { ok: true; answer: ImportedAnswer } | { ok: false; reason: string };

/** Parses the time formats of the exports we know; undefined when it is none of them. */
export function parseTimestamp(text: string): Date | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (/^\d{9,11}$/.test(t)) return new Date(Number(t) * 1000);
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(UTC|GMT|Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (m) {
    const zone = !m[3] || /^(utc|gmt|z)$/i.test(m[3]) ? 'Z' : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    const d = new Date(`${m[1]}T${m[2]}${zone}`);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return new Date(`${t}T12:00:00Z`); // a date alone: noon UTC keeps the day
  return undefined;
}

const hash = (text: string, length: number) => createHash('sha256').update(text).digest('base64url').slice(0, length);

function cell(row: string[], map: ColumnMap, column: ImportColumn): string {
  const i = map.index[column];
  return i === undefined ? '' : (row[i] ?? '').trim();
}

export function mapRow(row: string[], map: ColumnMap, options: ImportOptions): RowOutcome {
  const rawMetric = cell(row, map, 'metric').toLowerCase();
  const metric = rawMetric ? (METRICS as readonly string[]).find((m) => rawMetric === m || rawMetric.startsWith(`${m} `)) : options.metric;
  if (!metric) return { ok: false, reason: `survey type "${rawMetric.slice(0, 20)}" is not nps, csat or ces` };
  const { min, max } = SCALES[metric as Metric];

  const rawScore = cell(row, map, 'score');
  if (!rawScore) return { ok: false, reason: 'score is empty' };
  const score = Number(rawScore);
  if (!isValidScore(metric as Metric, score)) return { ok: false, reason: `score "${rawScore.slice(0, 10)}" is not a whole number ${min}-${max} (${metric})` };

  const rawTime = cell(row, map, 'time');
  const at = parseTimestamp(rawTime);
  if (!at) return { ok: false, reason: rawTime ? `time "${rawTime.slice(0, 30)}" is not a date we can read` : 'time is empty' };
  if (at.getTime() > options.now.getTime() + 5 * 60_000) return { ok: false, reason: 'time is in the future' };

  const email = cell(row, map, 'email').toLowerCase();
  const responseId = cell(row, map, 'id');
  // The export's own response id when there is one (a later export of the same answer matches it),
  // else what identifies an answer: who, when, what.
  const identity = responseId ? `id:${responseId}` : `row:${email}|${at.toISOString()}|${score}`;
  const surveyId = options.surveyId ?? `imported-${metric}`;
  const segments: Segments = { survey: surveyId, channel: cell(row, map, 'channel').toLowerCase() || 'email' };
  const locale = cell(row, map, 'locale');
  if (locale) segments.locale = languageOf(locale);
  for (const dimension of ['store', 'team', 'agent'] as const) {
    const value = cell(row, map, dimension);
    if (value) segments[dimension] = value.slice(0, 64);
  }
  const answer: ImportedAnswer = {
    id: `imp-${hash(`${options.source}|${metric}|${identity}`, 22)}`,
    metric: metric as Metric,
    score,
    answeredAt: at.toISOString(),
    segments,
  };
  const comment = cell(row, map, 'comment');
  if (comment && keepsComment(at, options)) answer.comment = comment;
  return { ok: true, answer };
}

/** A comment is imported only while a response answered then would still be kept (its TTL not yet past). */
export function keepsComment(answeredAt: Date, options: Pick<ImportOptions, 'now' | 'retentionDays'>): boolean {
  if (options.retentionDays === undefined) return false;
  return answeredAt.getTime() + options.retentionDays * 86_400_000 > options.now.getTime();
}

/** Splits a batch: rows with a comment become history responses, the others are folded into the score pages. */
export function splitComments(answers: ImportedAnswer[]): { responses: ImportedAnswer[]; scores: ImportedAnswer[] } {
  const responses: ImportedAnswer[] = [];
  const scores: ImportedAnswer[] = [];
  for (const a of answers) (a.comment ? responses : scores).push(a);
  return { responses, scores };
}

/** Counts of refused rows by reason, for the summary. */
export function tallyReasons(outcomes: Iterable<{ reason: string }>): Array<{ reason: string; rows: number }> {
  const counts = new Map<string, number>();
  for (const { reason } of outcomes) {
    const kind = reason.replace(/"[^"]*"/g, '"…"');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([reason, rows]) => ({ reason, rows })).sort((a, b) => b.rows - a.rows);
}
