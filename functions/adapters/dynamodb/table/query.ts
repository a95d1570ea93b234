/** The paginated query loop, written once, and the step from a stored item back to a domain object. */
import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { RETIRED_GSI1 } from './definition.ts';
import { GSI1 } from './keys.ts';

export type Item = Record<string, unknown> & { pk: string; sk: string };
export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** Every page of a query, one after the other, following LastEvaluatedKey; stop early by breaking out. */
export async function* queryPages(db: DynamoDBDocumentClient, tableName: string, input: QueryInput): AsyncGenerator<QueryCommandOutput> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await query(db, { ...input, TableName: tableName, ExclusiveStartKey: startKey });
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Every item a query matches, all pages read. */
export async function queryAll(db: DynamoDBDocumentClient, tableName: string, input: QueryInput): Promise<Item[]> {
  const out: Item[] = [];
  for await (const page of queryPages(db, tableName, input)) out.push(...((page.Items ?? []) as Item[]));
  return out;
}

/** One page of a query (a `Limit`ed read of a queue): its items. */
export async function queryOnce(db: DynamoDBDocumentClient, tableName: string, input: QueryInput): Promise<Item[]> {
  const { Items = [] } = await query(db, { ...input, TableName: tableName });
  return Items as Item[];
}

/**
 * One query; and, during the first deployment of an upgrade (docs/deploy.md "Upgrading a deployed stack"), the same
 * query on the retired GSI1 while DynamoDB still fills its successor. CloudFormation does not wait for a new index to
 * fill, and until it has, a query on it fails. The retired index (ALL) holds everything its successor does.
 */
async function query(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<QueryCommandOutput> {
  try {
    return await db.send(new QueryCommand(input));
  } catch (error) {
    if (input.IndexName !== GSI1.name || !isBackfilling(error)) throw error;
    return db.send(new QueryCommand({ ...input, IndexName: RETIRED_GSI1.indexName }));
  }
}

/** DynamoDB's refusal to read an index it is still filling: "Cannot read from backfilling global secondary index". */
const isBackfilling = (error: unknown) => error instanceof Error && error.name === 'ValidationException' && /backfilling/i.test(error.message);

/**
 * The items under these keys, in the keys' order; keys with no item (deleted meanwhile) are left out.
 * What a reader of a KEYS_ONLY index (definition.ts) does with the keys it found: 100 keys per request,
 * unprocessed keys asked again.
 */
export async function getMany(db: DynamoDBDocumentClient, tableName: string, wanted: Array<{ pk: string; sk: string }>): Promise<Item[]> {
  const found = new Map<string, Item>();
  const unique = [...new Map(wanted.map((k) => [keyOf(k), { pk: k.pk, sk: k.sk }])).values()]; // a BatchGet refuses duplicates
  for (let i = 0; i < unique.length; i += 100) {
    let request: Array<Record<string, unknown>> = unique.slice(i, i + 100);
    for (let attempt = 0; request.length > 0; attempt++) {
      if (attempt >= 5) throw new Error(`BatchGet left ${request.length} keys unprocessed after 5 attempts`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const page = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: request } } }));
      for (const item of (page.Responses?.[tableName] ?? []) as Item[]) found.set(keyOf(item), item);
      request = page.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return wanted.flatMap((k) => found.get(keyOf(k)) ?? []);
}

/**
 * The whole items an index query found, read by key (the index holds a part of each: keys, or keys and a few
 * attributes), in the query's order. An item deleted, or moved off the index key it was found under (an
 * invitation sent, an alert acknowledged), between the query and the read is left out: an index that had
 * caught up would not have listed it.
 */
export async function readFound(db: DynamoDBDocumentClient, tableName: string, index: { pk: string; sk: string }, found: Item[]): Promise<Item[]> {
  const at = new Map(found.map((f) => [keyOf(f), f]));
  return (await getMany(db, tableName, found)).filter((item) => {
    const seen = at.get(keyOf(item));
    return seen !== undefined && item[index.pk] === seen[index.pk] && item[index.sk] === seen[index.sk];
  });
}

/** One string per table key, to match items read by key with the keys asked for. */
const keyOf = (k: { pk: unknown; sk: unknown }) => `${k.pk}\u0000${k.sk}`;

/** The domain object stored in an item: the item without its table attributes (keys, index keys, TTL, entity). */
export function fromItem<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, gsi2pk: _g2, gsi2sk: _g2s, expiresAtEpoch: _ttl, entity: _e, ...rest } = item;
  return rest as T;
}

/** The same, for a Get that may have found nothing. */
export function maybeFromItem<T>(item: Record<string, unknown> | undefined): T | undefined {
  return item ? fromItem<T>(item) : undefined;
}
