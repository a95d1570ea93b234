/**
 * Input that cannot be processed is kept with its reason (never dropped): a QUARANTINE item in the table,
 * one partition a day. Support leads list the items (newest first, without payloads), read one, and
 * replay it (surveys/quarantine/replay.ts); the replay's outcome is recorded on the item.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys, quarantineRefs } from '#functions/adapters/dynamodb/table/keys.ts';
import { queryPages } from '#functions/adapters/dynamodb/table/query.ts';
import { DAY_SECONDS, QUARANTINE_DAYS } from '#functions/adapters/dynamodb/retention.ts';
import { isSettled, type QuarantinedItem, type ReplayRecord } from '#surveys/quarantine/model.ts';
import type { QuarantineBook } from '#surveys/quarantine/replay.ts';
import { type ListQuery, type QuarantinePage, quarantineId, receivedAtOf } from './quarantine-ids.ts';

/** Bytes of payload kept, so that the item stays under DynamoDB's 400 KB limit: a cut by characters does not (a 256 KB body of € and control characters is over 400 KB as JSON). */
export const MAX_PAYLOAD_BYTES = 300_000;

/** Quarantine items expire after QUARANTINE_DAYS (as long as a DLQ keeps a message): long enough to replay, short for the personal data they may hold. */
const KEEP_SECONDS = QUARANTINE_DAYS * DAY_SECONDS;
/** Refs kept per item at most: a payload naming more people is still kept, erasure finds it by the first ones. */
const MAX_REFS = 8;

// Bounded quantifiers: linear on a 300 KB payload (an unbounded `[…]+@` is quadratic on a long run without `@`).
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;
const PHONE = /\+[1-9]\d{7,14}\b/g;
/** `"customerId":"c-1"`, also inside a JSON string (`\"`) and a DynamoDB image (`{"S":"c-1"}`). */
const CUSTOMER_ID = /customerId\\*"\s*:\s*(?:\{\s*\\*"S\\*"\s*:\s*)?\\*"([^"\\]{1,128})/g;

/** Who a payload names, as refs (hashes only): its customer ids, e-mail addresses and phone numbers. */
export function payloadRefs(text: string): string[] {
  const refs = new Set<string>();
  for (const m of text.matchAll(CUSTOMER_ID)) refs.add(quarantineRefs.customer(m[1]!));
  for (const m of text.matchAll(EMAIL)) refs.add(quarantineRefs.email(m[0]));
  for (const m of text.matchAll(PHONE)) refs.add(quarantineRefs.sms(m[0]));
  return [...refs].slice(0, MAX_REFS);
}

/** The payload as JSON, cut to MAX_PAYLOAD_BYTES on a character boundary. */
export function keptPayload(payload: unknown): string {
  const text = JSON.stringify(payload) ?? String(payload);
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= MAX_PAYLOAD_BYTES
    ? text
    : bytes
        .subarray(0, MAX_PAYLOAD_BYTES)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
}

const LIST_FIELDS = {
  '#pk': 'pk',
  '#sk': 'sk',
  '#source': 'source',
  '#reason': 'reason',
  '#at': 'at',
  '#size': 'size',
  '#truncated': 'truncated',
  '#replay': 'replay',
};
const PROJECTION = Object.keys(LIST_FIELDS).join(', ');

type Row = Record<string, unknown>;

const previousDay = (day: string) => new Date(Date.parse(day) - DAY_SECONDS * 1000).toISOString().slice(0, 10);

function view(row: Row): QuarantinedItem & { payload?: string } {
  const sk = String(row.sk);
  const at = String(row.at ?? sk.slice(0, sk.indexOf('#')));
  return {
    id: quarantineId(at, sk.slice(sk.indexOf('#') + 1)),
    source: String(row.source),
    reason: String(row.reason),
    receivedAt: at,
    ...(typeof row.size === 'number' ? { size: row.size } : {}),
    truncated: row.truncated === true,
    ...(row.replay ? { replay: row.replay as ReplayRecord } : {}),
    ...(typeof row.payload === 'string' ? { payload: row.payload } : {}),
  };
}

export class DynamoQuarantineStore implements QuarantineBook {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Keeps the payload with its reason; answers the item's id (for the log, and GET /api/quarantine/{id}). */
  async keep(source: string, reason: string, payload: unknown, now = new Date()): Promise<string> {
    const at = now.toISOString();
    const id = quarantineId(at, randomUUID());
    const text = JSON.stringify(payload) ?? String(payload);
    const kept = keptPayload(payload);
    const expiresAtEpoch = Math.floor(now.getTime() / 1000) + KEEP_SECONDS;
    // The refs first: a crash between the two writes leaves a pointer to nothing, never an unfindable payload.
    const refs = payloadRefs(kept).map((ref) => ({ PutRequest: { Item: { ...keys.quarantineRef(ref, at, id), entity: 'quarantine-ref', expiresAtEpoch } } }));
    if (refs.length) await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: refs } }));
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.quarantine(at, id),
          entity: 'quarantine',
          source,
          reason,
          payload: kept,
          at,
          size: Buffer.byteLength(text, 'utf8'),
          truncated: kept.length !== text.length,
          expiresAtEpoch,
        },
      }),
    );
    return id;
  }

  /** Newest first, without payloads: the days from the cursor (or today) back to `since` or the oldest kept day. */
  async list(query: ListQuery, now: Date): Promise<QuarantinePage> {
    const rows: { item: QuarantinedItem; day: string; sk: string }[] = [];
    const oldest = new Date(now.getTime() - QUARANTINE_DAYS * DAY_SECONDS * 1000).toISOString();
    const since = query.since && query.since > oldest ? query.since : oldest;
    let day = query.cursor?.day ?? now.toISOString().slice(0, 10);
    let before = query.cursor?.sk;
    // One more than asked: whether a next page exists.
    while (day >= since.slice(0, 10) && rows.length <= query.limit) {
      for await (const row of this.day(day, { before, since, source: query.source })) {
        rows.push({ item: view(row), day, sk: String(row.sk) });
        if (rows.length > query.limit) break;
      }
      before = undefined;
      day = previousDay(day);
    }
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { items: page.map((r) => r.item), ...(rows.length > query.limit && last ? { next: { day: last.day, sk: last.sk } } : {}) };
  }

  /** Every item since that time, without payloads (the dashboard's counts). */
  async *since(since: string, now: Date): AsyncGenerator<QuarantinedItem> {
    for (let day = now.toISOString().slice(0, 10); day >= since.slice(0, 10); day = previousDay(day)) {
      for await (const row of this.day(day, { since })) yield view(row);
    }
  }

  private async *day(day: string, o: { before?: string; since?: string; source?: string }): AsyncGenerator<Row> {
    const values: Row = { ':pk': keys.quarantine(`${day}T00:00:00.000Z`, '').pk };
    if (o.before) values[':before'] = o.before;
    if (o.since) values[':since'] = o.since;
    if (o.source) values[':source'] = o.source;
    const range = o.before && o.since ? ' AND #sk BETWEEN :since AND :before' : o.before ? ' AND #sk < :before' : o.since ? ' AND #sk >= :since' : '';
    for await (const page of queryPages(this.db, this.tableName, {
      KeyConditionExpression: `#pk = :pk${range}`,
      ...(o.source ? { FilterExpression: '#source = :source' } : {}),
      ExpressionAttributeNames: LIST_FIELDS,
      ExpressionAttributeValues: values,
      ProjectionExpression: PROJECTION,
      ScanIndexForward: false,
    })) {
      // BETWEEN includes `before` itself: the cursor's item was on the previous page.
      for (const row of page.Items ?? []) if (row.sk !== o.before) yield row;
    }
  }

  async get(id: string, options: { payload: boolean }): Promise<(QuarantinedItem & { payload?: string }) | undefined> {
    const at = receivedAtOf(id);
    if (!at) return undefined;
    const row = await this.row(at, id, options.payload);
    return row ? view(row) : undefined;
  }

  /** Items kept before ids carried their time were stored under the bare uuid. */
  private async row(at: string, id: string, payload: boolean): Promise<Row | undefined> {
    for (const sk of [`${at}#${id}`, `${at}#${id.slice(id.indexOf('-') + 1)}`]) {
      const { Item } = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: keys.quarantine(at, id).pk, sk },
          ConsistentRead: true,
          ...(payload ? {} : { ProjectionExpression: PROJECTION, ExpressionAttributeNames: LIST_FIELDS }),
        }),
      );
      if (Item) return Item;
    }
    return undefined;
  }

  async recordReplay(id: string, receivedAt: string, replay: ReplayRecord): Promise<ReplayRecord> {
    const row = await this.row(receivedAt, id, false);
    if (!row) return replay; // expired meanwhile: the outcome is still answered
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: row.pk, sk: row.sk },
          UpdateExpression: 'SET #replay = :replay',
          // A settled outcome is never overwritten: a concurrent replay of the same item answers it.
          ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(#replay) OR #replay.#result = :rejected)',
          ExpressionAttributeNames: { '#pk': 'pk', '#replay': 'replay', '#result': 'result' },
          ExpressionAttributeValues: { ':replay': replay, ':rejected': 'rejected' },
        }),
      );
      return replay;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const now = await this.row(receivedAt, id, false);
      const stored = now?.replay as ReplayRecord | undefined;
      return isSettled(stored) ? stored : replay;
    }
  }
}
