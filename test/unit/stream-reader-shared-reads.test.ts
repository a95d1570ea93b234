/**
 * The local stream reader reads each place of a shard once per pass: consumers at the same place (all of them,
 * while nothing happens) share the read, a consumer left behind by a failed batch reads its own place, and every
 * consumer still gets each of its records once.
 */
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamReader, type StreamConsumer } from '../../local/stream-reader.ts';

const streams = mockClient(DynamoDBStreamsClient);
const STREAM = 'arn:aws:dynamodb:local:000000000000:table/t/stream/1';
const record = (seq: string) => ({ eventID: seq, eventName: 'INSERT' as const, dynamodb: { SequenceNumber: seq, Keys: { pk: { S: `k${seq}` } } } });

function consumer(name: string, delivered: Record<string, string[]>, fail = { times: 0 }): StreamConsumer {
  return {
    name,
    filter: { eventName: ['INSERT'] },
    handler: async (e) => {
      if (fail.times-- > 0) throw new Error(`${name} failed`);
      (delivered[name] ??= []).push(...(e as { Records: Array<{ eventID: string }> }).Records.map((r) => r.eventID));
    },
  };
}

afterEach(() => {
  streams.reset();
});

describe('the local stream reader, one read of a place per pass', () => {
  it('Should read a shard once a pass for consumers at one place, and once more for one a failed batch left behind', async () => {
    // Prepare: two records, then none; the third consumer fails its first batch
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 's-1' }] } });
    streams.on(GetShardIteratorCommand, { ShardIteratorType: 'TRIM_HORIZON' }).resolves({ ShardIterator: 'from-oldest' });
    streams.on(GetShardIteratorCommand, { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' }).resolves({ ShardIterator: 'after-2' });
    streams.on(GetRecordsCommand, { ShardIterator: 'from-oldest' }).resolves({ Records: [record('1'), record('2')] });
    streams.on(GetRecordsCommand, { ShardIterator: 'after-2' }).resolves({ Records: [] });
    const delivered: Record<string, string[]> = {};
    const reader = new StreamReader({
      endpoint: 'http://localhost:1',
      streamArn: STREAM,
      consumers: [consumer('a', delivered), consumer('b', delivered), consumer('late', delivered, { times: 1 })],
      onError: () => undefined,
    });
    const readsOf = () => streams.commandCalls(GetRecordsCommand).length;

    // Act
    const first = await reader.pollOnce();
    const afterFirst = readsOf();
    const second = await reader.pollOnce();
    const afterSecond = readsOf();
    const idle = await reader.pollOnce();
    const afterIdle = readsOf();

    // Assess: one read for three consumers; then one for the two caught up and one for the one behind; then one
    expect([first, second, idle]).toEqual([4, 2, 0]);
    expect([afterFirst, afterSecond - afterFirst, afterIdle - afterSecond]).toEqual([1, 2, 1]);
    expect(delivered).toEqual({ a: ['1', '2'], b: ['1', '2'], late: ['1', '2'] });
  });
});
