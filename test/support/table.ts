/** A fresh table per test file on the shared DynamoDB Local, created from the one table definition. */
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { ensureTable, localDynamoClient } from '../../local/dynamodb.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import { FINAL_RESPONSE_FILTER } from '../../functions/adapters/dynamodb/table/filters.ts';
import { GSI2, keys, SK } from '../../functions/adapters/dynamodb/table/keys.ts';
import { getMany, type Item } from '../../functions/adapters/dynamodb/table/query.ts';

export async function freshTable() {
  const endpoint = inject('dynamoEndpoint');
  const client = localDynamoClient(endpoint);
  const tableName = `t-${randomUUID().slice(0, 8)}`;
  const streamArn = await ensureTable(client, tableName);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { endpoint, client, doc, tableName, streamArn };
}

/** Every record the response consumers would receive from this table's stream (the mapping's filter), in order. */
export async function readFinalResponseRecords(table: { endpoint: string; streamArn: string }): Promise<DynamoDBRecord[]> {
  return readStreamRecords(table, FINAL_RESPONSE_FILTER);
}

/** Every record a consumer with these filters (one pattern or a list Lambda ORs) would receive, in order. */
export async function readStreamRecords(table: { endpoint: string; streamArn: string }, filter: unknown): Promise<DynamoDBRecord[]> {
  const records: DynamoDBRecord[] = [];
  const reader = new StreamReader({
    endpoint: table.endpoint,
    streamArn: table.streamArn,
    consumers: [{ name: 'capture', filter, handler: async (e) => void records.push(...(e as { Records: DynamoDBRecord[] }).Records) }],
  });
  await reader.drain();
  await reader.stop();
  return records;
}

/** Every invitation ever created for the customer (their history index), whatever its status. */
export async function invitationsOf(table: { doc: DynamoDBDocumentClient; tableName: string }, customerId: string): Promise<Item[]> {
  // The history index holds keys only (table/definition.ts): the invitations are read by key.
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: GSI2.name,
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': keys.customerHistory(customerId) },
    }),
  );
  return getMany(
    table.doc,
    table.tableName,
    (Items as Item[]).filter((i) => i.sk === SK.invitation),
  );
}
