/**
 * Quarantine ids and list cursors. An id carries the time its item was kept
 * (`20261201T091904123Z-<uuid>`), so the item is read by its key, without an index.
 */
import type { QuarantinedItem } from '#surveys/quarantine/model.ts';

const ID = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
/** What GET /api/quarantine/{id} accepts. */
export const QUARANTINE_ID = ID;

/** The id of an item kept at `at`: `rest` is a uuid (or already an id, read back from a key). */
export function quarantineId(at: string, rest: string): string {
  return ID.test(rest) ? rest : `${at.replace(/[-:.]/g, '')}-${rest}`;
}

/** The time in an id (ISO), or undefined when it is no quarantine id. */
export function receivedAtOf(id: string): string | undefined {
  const m = ID.exec(id);
  if (!m) return undefined;
  const at = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`;
  return Number.isNaN(Date.parse(at)) ? undefined : at;
}

/** Where the next page starts: after this key of that day's partition. */
export interface QuarantineCursor {
  day: string;
  sk: string;
}

export interface ListQuery {
  source?: string;
  /** ISO time: items kept at or after it. */
  since?: string;
  cursor?: QuarantineCursor;
  limit: number;
}

export interface QuarantinePage {
  items: QuarantinedItem[];
  next?: QuarantineCursor;
}

export function encodeCursor(cursor: QuarantineCursor): string {
  return Buffer.from(JSON.stringify([cursor.day, cursor.sk]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): QuarantineCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [day, sk] = value as unknown[];
    if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day) || typeof sk !== 'string' || !sk.startsWith(day) || sk.length > 200) return undefined;
    return { day, sk };
  } catch {
    return undefined;
  }
}
