/**
 * npm run import -- [file.csv] [--metric nps|csat|ces] [--survey <id>] [--source delighted] [--segment "Property=store" ...]
 *                    [--people unsubscribes.json|bounces.json|people.csv ...] [--people-kind unsubscribed|bounced]
 *                    [--table ankieta] [--endpoint http://localhost:8000 | --aws] [--dry-run]
 *
 * Folds a CSV of past answers (Delighted's export, or any CSV with a score and a time column; see
 * surveys/history-import.ts) into the score pages; rows with a comment (answered within the retention
 * period, --retention-days, default RESPONSE_RETENTION_DAYS or 400) become history responses instead. Importing the same rows again changes nothing.
 * Prints a progress bar while it reads and, at the end, how many rows were added, already there, or
 * refused, and why. Without --aws it writes to the local runtime's DynamoDB Local (npm start).
 * --people puts Delighted's unsubscribed and bounced people on the suppression list (scripts/import-people.ts).
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CsvParser } from '../surveys/csv.ts';
import {
  mapColumns,
  mapRow,
  parseSegmentMapping,
  splitComments,
  tallyReasons,
  type ColumnMap,
  type ImportedAnswer,
  type ImportOptions,
} from '../surveys/history-import.ts';
import { METRICS, type Metric } from '../surveys/model.ts';
import { HistoryImportStore } from '../functions/adapters/dynamodb/history-import.ts';
import { DEFAULT_RETENTION_DAYS } from '../functions/adapters/dynamodb/retention.ts';
import { DynamoContactStore } from '../functions/adapters/dynamodb/contact-store.ts';
import { installContactHashKey } from './contact-hash-key.ts';
import { formatPeopleSummary, runPeopleImport } from './import-people.ts';

/** Rows folded in memory before they are written: each page is written once per this many rows (bounded memory). */
export const FOLD_ROWS = 50_000;

export interface ImportSummary {
  rows: number;
  added: number;
  already: number;
  /** Of the added rows, those imported as responses with their comment (in a dry run: that would be). */
  comments: number;
  duplicatesInFile: number;
  refused: Array<{ reason: string; rows: number }>;
  /** First refused rows, with their line numbers, so a person can look at them. */
  examples: Array<{ line: number; reason: string }>;
  ignoredColumns: string[];
  days?: { from: string; to: string };
  /** Distinct values found per segment (store, team, agent, channel, locale, survey) in the rows imported. */
  segments: Record<string, number>;
}

export interface ImportRun {
  file: string;
  store: HistoryImportStore;
  options: ImportOptions;
  dryRun?: boolean;
  /** Called as the file is read: bytes read so far, of the total. */
  progress?: (done: number, total: number, rows: number) => void;
}

export async function runImport(run: ImportRun): Promise<ImportSummary> {
  const total = statSync(run.file).size;
  const parser = new CsvParser();
  const summary: ImportSummary = {
    rows: 0,
    added: 0,
    already: 0,
    comments: 0,
    duplicatesInFile: 0,
    refused: [],
    examples: [],
    ignoredColumns: [],
    segments: {},
  };
  const segmentValues = new Map<string, Set<string>>();
  const refused: Array<{ reason: string }> = [];
  const seen = new Set<string>();
  let map: ColumnMap | undefined;
  let line = 1;
  let chunk: ImportedAnswer[] = [];
  const importedAt = new Date().toISOString();

  const flush = async () => {
    if (chunk.length === 0) return;
    if (!run.dryRun) {
      const { added, already, comments } = await run.store.fold(chunk, importedAt);
      summary.added += added;
      summary.already += already;
      summary.comments += comments;
    } else {
      summary.added += chunk.length;
      summary.comments += splitComments(chunk).responses.length;
    }
    chunk = [];
  };

  const take = async (record: string[]) => {
    if (!map) {
      map = mapColumns(record, run.options.segments);
      summary.ignoredColumns = map.ignored;
      return;
    }
    line += 1;
    summary.rows += 1;
    const outcome = mapRow(record, map, run.options);
    if (!outcome.ok) {
      refused.push(outcome);
      if (summary.examples.length < 10) summary.examples.push({ line, reason: outcome.reason });
      return;
    }
    const { answer } = outcome;
    if (seen.has(answer.id)) {
      summary.duplicatesInFile += 1;
      return;
    }
    seen.add(answer.id);
    for (const [dimension, value] of Object.entries(answer.segments)) {
      const values = segmentValues.get(dimension) ?? new Set<string>();
      if (values.size < 10_000) values.add(value); // a count to show, bounded
      segmentValues.set(dimension, values);
    }
    const day = answer.answeredAt.slice(0, 10);
    if (!summary.days) summary.days = { from: day, to: day };
    else if (day < summary.days.from) summary.days.from = day;
    else if (day > summary.days.to) summary.days.to = day;
    chunk.push(answer);
    if (chunk.length >= FOLD_ROWS) await flush();
  };

  let read = 0;
  for await (const text of createReadStream(run.file, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    read += Buffer.byteLength(text as string);
    for (const record of parser.push(text as string)) await take(record);
    run.progress?.(read, total, summary.rows);
  }
  for (const record of parser.end()) await take(record);
  if (!map) throw new Error(`${basename(run.file)} is empty`);
  await flush();
  run.progress?.(total, total, summary.rows);
  summary.refused = tallyReasons(refused);
  summary.segments = Object.fromEntries([...segmentValues].map(([dimension, values]) => [dimension, values.size]));
  return summary;
}

function progressBar(stream: NodeJS.WriteStream) {
  let last = 0;
  let lastStep = -1;
  let finished = false;
  return (done: number, total: number, rows: number) => {
    if (finished) return;
    finished = done >= total && rows >= 0;
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    // Without a terminal (CI, a log file): one line per tenth, not a carriage-return animation.
    const step = Math.floor((total ? done / total : 1) * 10);
    if (!stream.isTTY && step === lastStep) return;
    lastStep = step;
    const share = total ? done / total : 1;
    const width = 30;
    const bar = `${'#'.repeat(Math.round(share * width))}${'.'.repeat(width - Math.round(share * width))}`;
    const text = `[${bar}] ${(share * 100).toFixed(0).padStart(3)} %  ${rows.toLocaleString('en')} rows`;
    stream.write(stream.isTTY ? `\r${text}${done >= total ? '\n' : ''}` : `${text}\n`);
  };
}

export function formatSummary(file: string, s: ImportSummary, dryRun: boolean): string {
  const lines = [
    `${basename(file)}: ${s.rows.toLocaleString('en')} rows${s.days ? ` answered ${s.days.from} … ${s.days.to}` : ''}`,
    `  ${dryRun ? 'would add' : 'added'}: ${s.added.toLocaleString('en')}`,
    `    of which with their comment, as responses: ${s.comments.toLocaleString('en')}`,
    `  already imported before: ${s.already.toLocaleString('en')}`,
    `  repeated within the file: ${s.duplicatesInFile.toLocaleString('en')}`,
    `  refused: ${s.refused.reduce((n, r) => n + r.rows, 0).toLocaleString('en')}`,
    ...s.refused.map((r) => `    ${String(r.rows).padStart(6)} × ${r.reason}`),
    ...(s.examples.length ? ['  first refused rows:', ...s.examples.map((e) => `    line ${e.line}: ${e.reason}`)] : []),
    ...(Object.keys(s.segments).length
      ? [
          `  segments: ${Object.entries(s.segments)
            .map(([dimension, n]) => `${dimension} (${n.toLocaleString('en')} value${n === 1 ? '' : 's'})`)
            .join(', ')}`,
        ]
      : []),
    ...(s.ignoredColumns.length ? [`  columns not imported: ${s.ignoredColumns.join(', ')}`] : []),
    ...(dryRun ? ['  dry run: nothing was written'] : []),
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // Node 20 here, as in npm start
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      metric: { type: 'string', default: 'nps' },
      survey: { type: 'string' },
      source: { type: 'string', default: 'delighted' },
      table: { type: 'string', default: process.env.TABLE_NAME ?? 'ankieta' },
      endpoint: { type: 'string', default: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? `http://localhost:${process.env.DYNAMODB_PORT ?? 8000}` },
      aws: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      people: { type: 'string', multiple: true, default: [] },
      segment: { type: 'string', multiple: true, default: [] },
      'people-kind': { type: 'string' },
      'retention-days': { type: 'string', default: process.env.RESPONSE_RETENTION_DAYS ?? String(DEFAULT_RETENTION_DAYS) },
    },
  });
  const file = positionals[0];
  if (!file && values.people!.length === 0) {
    console.error(
      'usage: npm run import -- [file.csv] [--metric nps|csat|ces] [--survey id] [--segment "Property=store|team|agent|channel|locale" ...] [--people file ...] [--people-kind unsubscribed|bounced] [--retention-days 400] [--table ankieta] [--endpoint url | --aws] [--dry-run]',
    );
    return 2;
  }
  const peopleKind = values['people-kind'];
  if (peopleKind !== undefined && peopleKind !== 'unsubscribed' && peopleKind !== 'bounced') {
    console.error('--people-kind must be unsubscribed or bounced');
    return 2;
  }
  const retentionDays = Number(values['retention-days']);
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    console.error('--retention-days must be a whole number of days, at least 1');
    return 2;
  }
  if (!(METRICS as readonly string[]).includes(values.metric!)) {
    console.error(`--metric must be one of ${METRICS.join(', ')}`);
    return 2;
  }
  // Locally: DynamoDB Local of `npm start` (any key works there). With --aws: the usual credential chain.
  const client = values.aws
    ? new DynamoDBClient({})
    : new DynamoDBClient({
        endpoint: values.endpoint,
        region: process.env.AWS_REGION ?? 'eu-central-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
  const db = DynamoDBDocumentClient.from(client);
  try {
    if (values.people!.length && !values['dry-run']) await installContactHashKey(values.aws!); // suppression keys are keyed hashes
    for (const people of values.people!) {
      const summary = await runPeopleImport({
        file: people,
        suppressions: new DynamoContactStore(db, values.table!),
        kind: peopleKind as 'unsubscribed' | 'bounced' | undefined,
        source: values.source!,
        now: new Date(),
        dryRun: values['dry-run'],
      });
      console.log(formatPeopleSummary(summary, values['dry-run']!));
    }
    if (!file) return 0;
    const summary = await runImport({
      file,
      store: new HistoryImportStore(db, values.table!, { source: values.source!, retentionDays }),
      options: {
        metric: values.metric as Metric,
        surveyId: values.survey,
        source: values.source!,
        now: new Date(),
        segments: parseSegmentMapping(values.segment!),
        retentionDays,
      },
      dryRun: values['dry-run'],
      progress: progressBar(process.stderr),
    });
    console.log(formatSummary(file, summary, values['dry-run']!));
    return 0;
  } catch (error) {
    console.error(`import failed: ${(error as Error).message}`);
    return 1;
  } finally {
    client.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main();
}
