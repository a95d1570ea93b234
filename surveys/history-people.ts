/**
 * People another tool must no longer survey (Delighted's unsubscribed and bounced people), from its
 * API's JSON (`GET /v1/unsubscribes.json`, `GET /v1/bounces.json`: an array of { person_id, email,
 * name, unsubscribed_at | bounced_at }) or from a CSV with an e-mail and/or a phone column. Pure:
 * scripts/import-history.ts reads the file and puts each person on the suppression list.
 * https://app.delighted.com/docs/api/listing-unsubscribed-people, …/listing-bounced-people
 */
import * as z from 'zod';
import { mobileE164 } from './phone/index.ts';
import { parseTimestamp } from './history-import.ts';

export type PeopleKind = 'unsubscribed' | 'bounced';

export interface ImportedPerson {
  email?: string;
  /** E.164. */
  phone?: string;
  reason: PeopleKind;
  /** When the other tool recorded it (ISO), else the import's time. */
  at: string;
}

export type PersonOutcome = { ok: true; person: ImportedPerson } | { ok: false; reason: string };

const email = z.email().max(254);

/** One person from the values of a JSON entry or a CSV row; refused with a reason when it names no usable contact. */
export function mapPerson(values: { email?: string; phone?: string; at?: string | number }, reason: PeopleKind, now: Date): PersonOutcome {
  const rawEmail = values.email?.trim() ?? '';
  const rawPhone = values.phone?.trim() ?? '';
  if (!rawEmail && !rawPhone) return { ok: false, reason: 'no e-mail and no phone' };
  const person: ImportedPerson = { reason, at: now.toISOString() };
  if (rawEmail) {
    if (!email.safeParse(rawEmail).success) return { ok: false, reason: `e-mail "${rawEmail.slice(0, 3)}…" is not an address` };
    person.email = rawEmail.toLowerCase();
  }
  if (rawPhone) {
    const e164 = mobileE164(rawPhone);
    if (!e164) return { ok: false, reason: 'phone is not a mobile number in international format' };
    person.phone = e164;
  }
  if (values.at !== undefined && values.at !== '') {
    const at = parseTimestamp(String(values.at));
    if (!at) return { ok: false, reason: `time "${String(values.at).slice(0, 30)}" is not a date we can read` };
    person.at = at.toISOString();
  }
  return { ok: true, person };
}

const apiEntry = z.looseObject({
  email: z.string().nullish(),
  phone_number: z.string().nullish(),
  unsubscribed_at: z.union([z.number(), z.string()]).nullish(),
  bounced_at: z.union([z.number(), z.string()]).nullish(),
});

/** Delighted's API answer (an array, or several pages of it concatenated as one array). `kind` wins over the field names. */
export function parsePeopleJson(text: string, now: Date, kind?: PeopleKind): { people: PersonOutcome[]; kind: PeopleKind } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`the file is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) throw new Error('expected an array of people, as GET /v1/unsubscribes.json or /v1/bounces.json answers');
  const first = data.find((e) => e && typeof e === 'object') as Record<string, unknown> | undefined;
  const found: PeopleKind | undefined = kind ?? (first && 'bounced_at' in first ? 'bounced' : first && 'unsubscribed_at' in first ? 'unsubscribed' : undefined);
  if (!found) throw new Error('cannot tell unsubscribes from bounces (no unsubscribed_at or bounced_at): say which with --people-kind unsubscribed|bounced');
  const people = data.map((entry, i): PersonOutcome => {
    const parsed = apiEntry.safeParse(entry);
    if (!parsed.success) return { ok: false, reason: `entry ${i + 1} is not a person object` };
    const e = parsed.data;
    return mapPerson({ email: e.email ?? undefined, phone: e.phone_number ?? undefined, at: e.unsubscribed_at ?? e.bounced_at ?? undefined }, found, now);
  });
  return { people, kind: found };
}

const normalize = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[_\-.]+/g, ' ')
    .replace(/\s+/g, ' ');
const EMAIL_COLUMNS = ['email', 'person email', 'email address'];
const PHONE_COLUMNS = ['phone', 'phone number', 'person phone', 'person phone number', 'mobile'];
const AT_COLUMNS: Record<PeopleKind, string[]> = { unsubscribed: ['unsubscribed at', 'unsubscribed'], bounced: ['bounced at', 'bounced'] };

export interface PeopleColumns {
  email?: number;
  phone?: number;
  at?: number;
  kind: PeopleKind;
}

/** A people CSV's columns; the kind from `kind`, else from an "Unsubscribed At"/"Bounced At" column. */
export function mapPeopleColumns(header: string[], kind?: PeopleKind): PeopleColumns {
  const names = header.map(normalize);
  const index = (wanted: string[]) => {
    const i = names.findIndex((n) => wanted.includes(n));
    return i < 0 ? undefined : i;
  };
  const found = kind ?? (index(AT_COLUMNS.bounced) !== undefined ? 'bounced' : index(AT_COLUMNS.unsubscribed) !== undefined ? 'unsubscribed' : undefined);
  if (!found)
    throw new Error('cannot tell unsubscribes from bounces (no "Unsubscribed At" or "Bounced At" column): say which with --people-kind unsubscribed|bounced');
  const columns = { email: index(EMAIL_COLUMNS), phone: index(PHONE_COLUMNS), at: index(AT_COLUMNS[found]), kind: found };
  if (columns.email === undefined && columns.phone === undefined)
    throw new Error('the people CSV has no e-mail and no phone column (looked for "email", "person email", "phone number")');
  return columns;
}

export function mapPersonRow(row: string[], columns: PeopleColumns, now: Date): PersonOutcome {
  const cell = (i: number | undefined) => (i === undefined ? undefined : row[i]);
  return mapPerson({ email: cell(columns.email), phone: cell(columns.phone), at: cell(columns.at) }, columns.kind, now);
}
