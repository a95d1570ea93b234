/**
 * The table's query loop during an upgrade's first deployment (docs/deploy.md "Upgrading a deployed stack"):
 * CloudFormation does not wait for GSI1's successor to fill, and DynamoDB refuses to read it until it has, so the
 * query goes to the retired GSI1, which holds everything its successor does. Nothing else is retried.
 */
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RETIRED_GSI1 } from '../../functions/adapters/dynamodb/table/definition.ts';
import { GSI1, GSI2 } from '../../functions/adapters/dynamodb/table/keys.ts';
import { queryAll, queryOnce } from '../../functions/adapters/dynamodb/table/query.ts';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(db);
const ITEM = { pk: 'INV#a', sk: 'INVITATION', gsi1pk: 'DUE#0', gsi1sk: '2026-12-01T00:00:00.000Z#a' };
const backfilling = (index: string) =>
  Object.assign(new Error(`Cannot read from backfilling global secondary index: ${index}`), { name: 'ValidationException' });

beforeEach(() => dynamo.reset());

describe('a query on GSI1 while its successor fills', () => {
  it('Should read the retired GSI1 when DynamoDB refuses the new index as backfilling', async () => {
    // Prepare
    dynamo.on(QueryCommand, { IndexName: GSI1.name }).rejects(backfilling(GSI1.name));
    dynamo.on(QueryCommand, { IndexName: RETIRED_GSI1.indexName }).resolves({ Items: [ITEM] });

    // Act
    const once = await queryOnce(db, 't', { IndexName: GSI1.name, KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': 'DUE#0' } });
    const all = await queryAll(db, 't', { IndexName: GSI1.name, KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': 'DUE#0' } });

    // Assess
    expect([once, all]).toEqual([[ITEM], [ITEM]]);
    expect(dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input.IndexName)).toEqual([
      GSI1.name,
      RETIRED_GSI1.indexName,
      GSI1.name,
      RETIRED_GSI1.indexName,
    ]);
  });

  it('Should not retry another index, nor another error', async () => {
    // Prepare
    dynamo.on(QueryCommand, { IndexName: GSI2.name }).rejects(backfilling(GSI2.name));
    dynamo
      .on(QueryCommand, { IndexName: GSI1.name })
      .rejects(Object.assign(new Error('Query condition missed key schema element'), { name: 'ValidationException' }));

    // Act
    const onGsi2 = queryOnce(db, 't', { IndexName: GSI2.name, KeyConditionExpression: 'gsi2pk = :p', ExpressionAttributeValues: { ':p': 'x' } });
    const otherError = queryOnce(db, 't', { IndexName: GSI1.name, KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': 'x' } });

    // Assess
    await expect(onGsi2).rejects.toThrow(/backfilling/);
    await expect(otherError).rejects.toThrow(/key schema/);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(2);
  });
});
