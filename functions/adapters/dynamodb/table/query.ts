/** The paginated query loop, written once, and the step from a stored item back to a domain object. */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown> & { pk: string; sk: string };
export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** Every page of a query, one after the other, following LastEvaluatedKey; stop early by breaking out. */
export async function* queryPages(db: DynamoDBDocumentClient, tableName: string, input: QueryInput): AsyncGenerator<QueryCommandOutput> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey }));
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
  const { Items = [] } = await db.send(new QueryCommand({ ...input, TableName: tableName }));
  return Items as Item[];
}

/** The domain object stored in an item: the item without its table attributes (keys, index keys, TTL, entity). */
export function fromItem<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, gsi2pk: _g2, gsi2sk: _g2s, expiresAtEpoch: _ttl, entity: _e, ...rest } = item;
  return rest as T;
}

/** The same, for a Get that may have found nothing. */
export function maybeFromItem<T>(item: Record<string, unknown> | undefined): T | undefined {
  return item ? fromItem<T>(item) : undefined;
}
