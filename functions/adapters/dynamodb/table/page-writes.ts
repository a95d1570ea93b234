/**
 * The exactly-once page write shared by the score, topic and funnel pages (docs/aggregation.md).
 *
 * A page holds counters and, per stream shard, a watermark `wm_<shardId>`: the sequence number of the
 * last change it has absorbed. A delta goes in with one conditional UpdateItem ("watermark below my
 * first change": SET the watermark and the page's identity, ADD the counters). When the condition fails
 * part of the delta is in already: the watermark is read and only the changes past it are written, so a
 * redelivered, bisected or resumed batch changes nothing twice.
 */
import { ConditionalCheckFailedException, type ReturnConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Attribute names that are DynamoDB reserved words, written through a `#name` placeholder. */
const RESERVED = new Set(['day']);

/** A page family: how a delta becomes one write, and what of it lies past a watermark. */
export interface WatermarkedPages<D extends { lastSeq: string }> {
  db: DynamoDBDocumentClient;
  tableName: string;
  returnConsumedCapacity: ReturnConsumedCapacity;
  /** The attributes SET on every write besides the watermark, in expression order (the page's identity). */
  identity: (delta: D) => Record<string, unknown>;
  /** The counters a delta ADDs, as [attribute, count]. */
  cells: (delta: D) => Array<readonly [string, number]>;
  firstSeq: (delta: D) => string;
  /** The changes of a delta past a watermark; undefined when there are none. */
  after: (delta: D, watermark: string | undefined) => D | undefined;
}

export interface PageWriteTally {
  writes: number;
  consumedWriteUnits: number;
  /** Counted (and asked of DynamoDB) only when present. */
  consumedReadUnits?: number;
}

/** Applies a delta to the page under `key`; false when everything in it was in already. */
export async function applyPastWatermark<D extends { lastSeq: string }>(
  pages: WatermarkedPages<D>,
  key: { pk: string; sk: string },
  delta: D,
  shardId: string,
  tally: PageWriteTally,
): Promise<boolean> {
  const wm = `wm_${shardId}`;
  let pending: D | undefined = delta;
  for (let attempt = 0; attempt < 3 && pending; attempt++) {
    try {
      await write(pages, key, pending, wm, tally);
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      tally.consumedWriteUnits += 1; // a failed conditional write still consumes a write unit
      pending = pages.after(delta, await readWatermark(pages, key, wm, tally));
    }
  }
  return false; // nothing left past the watermark: this delta was already applied
}

async function write<D extends { lastSeq: string }>(pages: WatermarkedPages<D>, key: { pk: string; sk: string }, delta: D, wm: string, tally: PageWriteTally) {
  const names: Record<string, string> = { '#wm': wm };
  const values: Record<string, unknown> = { ':first': pages.firstSeq(delta), ':last': delta.lastSeq };
  const sets = Object.entries(pages.identity(delta)).map(([name, value]) => {
    values[`:${name}`] = value;
    if (!RESERVED.has(name)) return `${name} = :${name}`;
    names[`#${name}`] = name;
    return `#${name} = :${name}`;
  });
  const adds = pages.cells(delta).map(([cell, count], i) => {
    names[`#c${i}`] = cell;
    values[`:c${i}`] = count;
    return `#c${i} :c${i}`;
  });
  const out = await pages.db.send(
    new UpdateCommand({
      TableName: pages.tableName,
      Key: key,
      UpdateExpression: `SET ${['#wm = :last', ...sets].join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_not_exists(#wm) OR #wm < :first',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnConsumedCapacity: pages.returnConsumedCapacity,
    }),
  );
  tally.writes += 1;
  tally.consumedWriteUnits += out.ConsumedCapacity?.CapacityUnits ?? 1;
}

async function readWatermark<D extends { lastSeq: string }>(pages: WatermarkedPages<D>, key: { pk: string; sk: string }, wm: string, tally: PageWriteTally) {
  const out = await pages.db.send(
    new GetCommand({
      TableName: pages.tableName,
      Key: key,
      ProjectionExpression: '#wm',
      ExpressionAttributeNames: { '#wm': wm },
      ConsistentRead: true,
      // Asked for only by a writer that counts read units (the score and topic pages), as before.
      ...(tally.consumedReadUnits !== undefined ? { ReturnConsumedCapacity: pages.returnConsumedCapacity } : {}),
    }),
  );
  if (tally.consumedReadUnits !== undefined) tally.consumedReadUnits += out.ConsumedCapacity?.CapacityUnits ?? 1;
  return out.Item?.[wm] as string | undefined;
}
