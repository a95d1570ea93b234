/**
 * The reference of `npm run bench:bundles`: the least a DynamoDB-backed handler can load (one document
 * client, one GetItem), bundled and timed in the same run as the real handlers, so their cold init
 * reads as a ratio to it whatever the machine's load.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { id: string }) =>
  (await client.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: event.id, sk: event.id } }))).Item ?? null;
