/** A fresh table per test file on the shared DynamoDB Local, created from the one table definition. */
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localDynamoClient } from '../../local/dynamodb.ts';

export async function freshTable() {
  const endpoint = inject('dynamoEndpoint');
  const client = localDynamoClient(endpoint);
  const tableName = `t-${randomUUID().slice(0, 8)}`;
  const streamArn = await ensureTable(client, tableName);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { endpoint, client, doc, tableName, streamArn };
}
