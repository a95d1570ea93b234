/**
 * `npm run import -- --people <file>`: Delighted's unsubscribed and bounced people onto ankieta's
 * suppression list, the same list SES bounces and the unsubscribe page write (surveys/use-cases/
 * suppress-contact.ts, DynamoContactStore.suppress: keyed hash of the address or number, first reason
 * stands), so the trigger's eligibility check never surveys them again. Idempotent: a person already
 * suppressed keeps their first reason and time. The file is the API's JSON or a CSV (surveys/history-people.ts).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SuppressionStore } from '../surveys/ports.ts';
import { CsvParser } from '../surveys/csv.ts';
import { mapPeopleColumns, mapPersonRow, parsePeopleJson, type PeopleKind, type PersonOutcome } from '../surveys/history-people.ts';
import { tallyReasons } from '../surveys/history-import.ts';

export interface PeopleSummary {
  file: string;
  kind: PeopleKind;
  people: number;
  suppressed: { email: number; sms: number };
  refused: Array<{ reason: string; rows: number }>;
  examples: Array<{ entry: number; reason: string }>;
}

export interface PeopleRun {
  file: string;
  suppressions: Pick<SuppressionStore, 'suppress'>;
  /** unsubscribed or bounced; else told by the file (unsubscribed_at / bounced_at, or such a CSV column). */
  kind?: PeopleKind;
  source: string;
  now: Date;
  dryRun?: boolean;
}

function readPeople(file: string, now: Date, kind?: PeopleKind): { people: PersonOutcome[]; kind: PeopleKind } {
  const text = readFileSync(file, 'utf8');
  if (/^\s*[[{]/.test(text)) return parsePeopleJson(text, now, kind);
  const parser = new CsvParser();
  const [header, ...rows] = [...parser.push(text), ...parser.end()];
  if (!header) throw new Error(`${basename(file)} is empty`);
  const columns = mapPeopleColumns(header, kind);
  return { people: rows.filter((r) => r.some((c) => c.trim())).map((r) => mapPersonRow(r, columns, now)), kind: columns.kind };
}

export async function runPeopleImport(run: PeopleRun): Promise<PeopleSummary> {
  const { people, kind } = readPeople(run.file, run.now, run.kind);
  const summary: PeopleSummary = { file: run.file, kind, people: people.length, suppressed: { email: 0, sms: 0 }, refused: [], examples: [] };
  const refused: Array<{ reason: string }> = [];
  const at = (i: number) => i + 1;
  const work: Array<() => Promise<void>> = [];
  people.forEach((outcome, i) => {
    if (!outcome.ok) {
      refused.push(outcome);
      if (summary.examples.length < 10) summary.examples.push({ entry: at(i), reason: outcome.reason });
      return;
    }
    const { person } = outcome;
    const source = `import:${run.source}`;
    for (const [channel, contact] of [
      ['email', person.email],
      ['sms', person.phone],
    ] as const) {
      if (!contact) continue;
      summary.suppressed[channel] += 1;
      if (!run.dryRun) work.push(() => run.suppressions.suppress({ channel, contact, reason: person.reason, at: person.at, source }));
    }
  });
  // A few at a time: each is one conditional put.
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < work.length) await work[next++]!();
    }),
  );
  summary.refused = tallyReasons(refused);
  return summary;
}

export function formatPeopleSummary(s: PeopleSummary, dryRun: boolean): string {
  return [
    `${basename(s.file)}: ${s.people.toLocaleString('en')} ${s.kind} people`,
    `  ${dryRun ? 'would suppress' : 'suppressed'}: ${s.suppressed.email.toLocaleString('en')} e-mail addresses, ${s.suppressed.sms.toLocaleString('en')} phone numbers`,
    `  refused: ${s.refused.reduce((n, r) => n + r.rows, 0).toLocaleString('en')}`,
    ...s.refused.map((r) => `    ${String(r.rows).padStart(6)} × ${r.reason}`),
    ...(s.examples.length ? ['  first refused entries:', ...s.examples.map((e) => `    entry ${e.entry}: ${e.reason}`)] : []),
  ].join('\n');
}
