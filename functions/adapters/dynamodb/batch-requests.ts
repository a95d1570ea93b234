/**
 * BatchGetItem and BatchWriteItem over any number of keys or requests: cut at DynamoDB's limits (100
 * keys, 25 requests), a few requests in flight, and what DynamoDB leaves unprocessed (throttling, the
 * 16 MB response limit) sent again after a growing pause, so nothing is silently left out.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const BATCH_GET_KEYS = 100;
export const BATCH_WRITE_REQUESTS = 25;
/** Attempts per batch before giving up with an error that says what was left. */
const MAX_ATTEMPTS = 10;

type Key = Record<string, unknown>;
export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Key } };

export interface BatchOptions {
  /** Requests in flight at once. */
  concurrency?: number;
  /** Pause before the n-th retry of unprocessed items: base × 2^n ms, at most 2 s (tests pass 0). */
  backoffMs?: number;
}

const pause = (base: number, attempt: number) => new Promise((r) => setTimeout(r, Math.min(base * 2 ** attempt, 2000)));

/** Reads every key (consistently); returns the items found, in no particular order. */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: Key[],
  read: { projection?: string; names?: Record<string, string> } & BatchOptions = {},
): Promise<Array<Record<string, unknown>>> {
  const found: Array<Record<string, unknown>> = [];
  await pool(chunks(keys, BATCH_GET_KEYS), read.concurrency ?? 8, async (chunk) => {
    let wanted = chunk;
    for (let attempt = 0; wanted.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`${wanted.length} keys of ${tableName} still unprocessed after ${MAX_ATTEMPTS} attempts`);
      if (attempt > 0) await pause(read.backoffMs ?? 25, attempt);
      const out = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: { Keys: wanted, ConsistentRead: true, ProjectionExpression: read.projection, ExpressionAttributeNames: read.names },
          },
        }),
      );
      found.push(...(out.Responses?.[tableName] ?? []));
      wanted = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  });
  return found;
}

/** Sends every put or delete, 25 to a request; unconditional, as BatchWriteItem is. */
export async function batchWriteAll(db: DynamoDBDocumentClient, tableName: string, requests: WriteRequest[], options: BatchOptions = {}): Promise<void> {
  await pool(chunks(requests, BATCH_WRITE_REQUESTS), options.concurrency ?? 4, async (chunk) => {
    let left = chunk;
    for (let attempt = 0; left.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`${left.length} writes to ${tableName} still unprocessed after ${MAX_ATTEMPTS} attempts; run it again`);
      if (attempt > 0) await pause(options.backoffMs ?? 25, attempt);
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: left } }));
      left = (out.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  });
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs `work` over the items, at most `concurrency` at a time. After a failure no item is started and
 * the first error is thrown once the items under way have settled: nothing writes on after the caller
 * has seen the error.
 */
export async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (!failure && next < items.length) {
        try {
          await work(items[next++]!);
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (failure) throw failure.error;
}
