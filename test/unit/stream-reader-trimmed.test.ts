/**
 * The local stream reader and DynamoDB Local's spurious "trimmed" refusals (aws/aws-sdk-java#2923): a read
 * refused now and then is retried quietly and delivers every record once; a checkpoint refused again and
 * again is really behind the trim horizon and is read again from the shard's oldest record, with a warning.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamReader } from '../../local/stream-reader.ts';

const streams = mockClient(DynamoDBStreamsClient);
const STREAM = 'arn:aws:dynamodb:local:000000000000:table/t/stream/1';
const trimmed = () => new TrimmedDataAccessException({ message: 'The operation attempted to read past the oldest stream record in a shard.', $metadata: {} });
const record = (seq: string) => ({ eventID: seq, eventName: 'INSERT' as const, dynamodb: { SequenceNumber: seq, Keys: { pk: { S: `k${seq}` } } } });

function readerWith(delivered: string[], errors: string[]) {
  return new StreamReader({
    endpoint: 'http://localhost:1',
    streamArn: STREAM,
    consumers: [
      {
        name: 'c',
        filter: { eventName: ['INSERT'] },
        handler: async (e) => void delivered.push(...(e as { Records: Array<{ eventID: string }> }).Records.map((r) => r.eventID)),
      },
    ],
    onError: (consumer, error) => errors.push(`${consumer}: ${(error as Error).message}`),
  });
}

afterEach(() => {
  streams.reset();
});

describe('the local stream reader on trimmed reads', () => {
  it('Should retry a read DynamoDB Local refused as trimmed and deliver every record once, reporting no error', async () => {
    // Prepare: two refusals, then the records
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 's-1' }] } });
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it' });
    streams
      .on(GetRecordsCommand)
      .rejectsOnce(trimmed())
      .rejectsOnce(trimmed())
      .resolvesOnce({ Records: [record('1'), record('2')] })
      .resolves({ Records: [] });
    const delivered: string[] = [];
    const errors: string[] = [];
    const reader = readerWith(delivered, errors);

    // Act
    const reads = [await reader.pollOnce(), await reader.pollOnce(), await reader.pollOnce(), await reader.pollOnce()];

    // Assess
    expect(reads).toEqual([0, 0, 2, 0]);
    expect(delivered).toEqual(['1', '2']);
    expect(errors).toEqual([]);
  });

  it('Should read a shard again from its oldest record when its checkpoint is refused as trimmed again and again', async () => {
    // Prepare: one record read, then every read after its checkpoint refused
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 's-1' }] } });
    streams.on(GetShardIteratorCommand, { ShardIteratorType: 'TRIM_HORIZON' }).resolves({ ShardIterator: 'from-oldest' });
    streams.on(GetShardIteratorCommand, { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' }).resolves({ ShardIterator: 'after-checkpoint' });
    streams.on(GetRecordsCommand, { ShardIterator: 'from-oldest' }).resolves({ Records: [record('7')] });
    streams.on(GetRecordsCommand, { ShardIterator: 'after-checkpoint' }).rejects(trimmed());
    const delivered: string[] = [];
    const errors: string[] = [];
    const reader = readerWith(delivered, errors);

    // Act
    for (let i = 0; i < 7; i++) await reader.pollOnce();

    // Assess: read from the oldest record at first, refused five times after it, then from the oldest again
    expect(delivered).toEqual(['7', '7']);
    expect(errors).toEqual(["c: checkpoint of shard s-1 is behind the stream's trim horizon: reading again from its oldest record"]);
  });
});
