/**
 * Batch reads and writes of the history import (functions/adapters/dynamodb/batch-requests.ts) against
 * a mocked DynamoDB: cut at DynamoDB's limits, and what DynamoDB leaves unprocessed sent again until
 * nothing is left, or an error that says so.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchGetAll, batchWriteAll, pool, type WriteRequest } from '../../functions/adapters/dynamodb/batch-requests.ts';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
const mock = mockClient(DynamoDBDocumentClient);
const puts = (n: number): WriteRequest[] => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk: `R#${i}`, sk: 'RESPONSE' } } }));
const sentItems = (call: number) => mock.commandCalls(BatchWriteCommand)[call]!.args[0].input.RequestItems!.t as WriteRequest[];

describe('batch requests', () => {
  beforeEach(() => mock.reset());

  it('Should send again the writes DynamoDB left unprocessed until none is left', async () => {
    // Prepare: the first request of 25 comes back with two of them unprocessed
    const requests = puts(30);
    mock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: requests.slice(3, 5) } })
      .resolves({ UnprocessedItems: {} });

    // Act
    await batchWriteAll(db, 't', requests, { concurrency: 1, backoffMs: 0 });

    // Assess
    expect(mock.commandCalls(BatchWriteCommand).map((c) => (c.args[0].input.RequestItems!.t as WriteRequest[]).length)).toEqual([25, 2, 5]);
    expect(sentItems(1)).toEqual(requests.slice(3, 5));
    expect(new Set(mock.commandCalls(BatchWriteCommand).flatMap((_, i) => sentItems(i)))).toEqual(new Set(requests));
  });

  it('Should fail, naming what is left, when writes stay unprocessed', async () => {
    // Prepare
    const requests = puts(3);
    mock.on(BatchWriteCommand).resolves({ UnprocessedItems: { t: requests.slice(0, 1) } });

    // Act
    const write = batchWriteAll(db, 't', requests, { backoffMs: 0 });

    // Assess
    await expect(write).rejects.toThrow('1 writes to t still unprocessed after 10 attempts');
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(10);
  });

  it('Should read again the keys DynamoDB left unprocessed, returning the items of every answer', async () => {
    // Prepare: 150 keys, of which the first request leaves 2 unprocessed
    const keys = Array.from({ length: 150 }, (_, i) => ({ pk: `K#${i}`, sk: 'X' }));
    mock
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { t: [{ pk: 'K#0', sk: 'X' }] }, UnprocessedKeys: { t: { Keys: keys.slice(1, 3) } } })
      .resolves({ Responses: { t: [{ pk: 'K#1', sk: 'X' }] } });

    // Act
    const found = await batchGetAll(db, 't', keys, { concurrency: 1, backoffMs: 0, projection: 'pk' });

    // Assess
    const calls = mock.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.t!);
    expect(calls.map((c) => c.Keys!.length)).toEqual([100, 2, 50]);
    expect(calls.every((c) => c.ConsistentRead === true && c.ProjectionExpression === 'pk')).toBe(true);
    expect(found.map((i) => i.pk)).toEqual(['K#0', 'K#1', 'K#1']);
  });

  it('Should start no more work after a failure, and throw it once the work under way has settled', async () => {
    // Prepare
    const started: number[] = [];

    // Act
    const run = pool([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await new Promise((r) => setTimeout(r, n === 1 ? 1 : 20));
      if (n === 1) throw new Error('first failed');
    });

    // Assess
    await expect(run).rejects.toThrow('first failed');
    expect(started).toEqual([1, 2]);
  });
});
