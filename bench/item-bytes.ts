/**
 * What the table stores, measured from the items themselves: each item's size as DynamoDB counts it,
 * its index copies, and how long it stays (its TTL), so storage and point-in-time recovery are
 * priced from byte-months instead of an assumed overhead factor.
 *
 * DynamoDB's rules (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html,
 * and "Storage" on the pricing page): an item's size is the UTF-8 length of its attribute names plus
 * their values — a string its UTF-8 bytes, a number about 1 byte per two significant digits plus 1,
 * a boolean or null 1 byte, a list or map 3 bytes plus 1 byte and the size of each element (and, for a
 * map, each key) — and storage bills 100 bytes more per item for indexing. A global secondary index
 * holds a copy of each item that has its key attributes, plus 100 bytes: the whole item with the ALL
 * projection, the table's and the index's keys with KEYS_ONLY, those and the named attributes with INCLUDE. Point-in-time recovery bills the table's
 * size without the global secondary indexes ("based on the size of each DynamoDB table, including table
 * data and local secondary indexes": PointInTimeRecovery_Howitworks in the DynamoDB developer guide), so
 * the table's share is counted apart (`tableByteMonths`).
 */
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { SURVEY_TABLE, type IndexDef } from '../functions/adapters/dynamodb/table/definition.ts';

const DAY_SECONDS = 86_400;
const MONTH_DAYS = 30.44;
const PER_ITEM_OVERHEAD = 100;

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') {
    const digits =
      String(Math.abs(value))
        .replace(/[.e+-]/g, '')
        .replace(/^0+/, '')
        .replace(/0+$/, '') || '0';
    return Math.ceil(digits.length / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueBytes(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
  if (value instanceof Uint8Array) return value.byteLength;
  return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k, 'utf8') + valueBytes(v), 0);
}

/** An item's size as DynamoDB counts it for capacity (names and values, no overhead). */
export function itemBytes(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueBytes(value), 0);
}

export interface StoredKind {
  kind: string;
  items: number;
  /** Mean item size (names and values). */
  meanBytes: number;
  /** Index copies per item, on average (a full copy with the ALL projection, keys with KEYS_ONLY, keys and named attributes with INCLUDE). */
  indexCopies: number;
  /** Mean months stored (TTL from now; items without a TTL: the retention). */
  months: number;
  /** Table and index bytes with the 100-byte overheads, times the months stored. */
  byteMonths: number;
  /** The table's share of byteMonths (no index copies): what point-in-time recovery bills. */
  tableByteMonths: number;
}

/** Byte-months per item kind of the items `scan` returns, as if written `nowEpoch`. */
export function storedByKind(
  items: Array<Record<string, unknown>>,
  kindOf: (item: Record<string, unknown>) => string,
  nowEpoch: number,
  retentionDays: number,
): StoredKind[] {
  const byKind = new Map<string, { items: number; bytes: number; copies: number; months: number; byteMonths: number; tableByteMonths: number }>();
  for (const item of items) {
    const bytes = itemBytes(item);
    const indexes = SURVEY_TABLE.globalSecondaryIndexes.filter(
      (index) => item[index.partitionKey.name] !== undefined && item[index.sortKey.name] !== undefined,
    );
    const copies = indexes.length;
    // ALL: a full copy; KEYS_ONLY: the table's and the index's keys; INCLUDE: those and the attributes it names.
    const copyBytes = indexes.reduce((sum, index: IndexDef) => {
      const names = [SURVEY_TABLE.partitionKey.name, SURVEY_TABLE.sortKey.name, index.partitionKey.name, index.sortKey.name, ...(index.nonKeyAttributes ?? [])];
      const projected = Object.fromEntries(names.filter((name) => item[name] !== undefined).map((name) => [name, item[name]]));
      const copy = index.projection === 'ALL' ? bytes : itemBytes(projected);
      return sum + copy + PER_ITEM_OVERHEAD;
    }, 0);
    const ttl = typeof item[SURVEY_TABLE.timeToLiveAttribute] === 'number' ? (item[SURVEY_TABLE.timeToLiveAttribute] as number) : undefined;
    const months = (ttl === undefined ? retentionDays : Math.max(0, (ttl - nowEpoch) / DAY_SECONDS)) / MONTH_DAYS;
    const k = byKind.get(kindOf(item)) ?? { items: 0, bytes: 0, copies: 0, months: 0, byteMonths: 0, tableByteMonths: 0 };
    k.items += 1;
    k.bytes += bytes;
    k.copies += copies;
    k.months += months;
    k.byteMonths += (bytes + PER_ITEM_OVERHEAD + copyBytes) * months;
    k.tableByteMonths += (bytes + PER_ITEM_OVERHEAD) * months;
    byKind.set(kindOf(item), k);
  }
  return [...byKind.entries()]
    .map(([kind, k]) => ({
      kind,
      items: k.items,
      meanBytes: k.bytes / k.items,
      indexCopies: k.copies / k.items,
      months: k.months / k.items,
      byteMonths: k.byteMonths,
      tableByteMonths: k.tableByteMonths,
    }))
    .sort((a, b) => b.byteMonths - a.byteMonths);
}

/** The report's table, per survey (n surveys in the run). */
export function storageTable(kinds: StoredKind[], n: number): string {
  const rows = kinds.map(
    (k) =>
      `| ${k.kind} | ${(k.items / n).toFixed(2)} | ${k.meanBytes.toFixed(0)} | ${k.indexCopies.toFixed(2)} | ${k.months.toFixed(1)} | ${(k.byteMonths / n / 1024).toFixed(2)} |`,
  );
  const total = kinds.reduce((s, k) => s + k.byteMonths, 0) / n / 1024;
  return [
    '| item | items per survey | mean size (bytes) | index copies | months stored | KB-months per survey |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    `| **total** | | | | | **${total.toFixed(2)}** |`,
  ].join('\n');
}

/** Every item of a table (the benchmark's own read: not counted). */
export async function scanItems(db: DynamoDBDocumentClient, tableName: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
