/**
 * The local stream reader's pace: every pollMs while records come, slower while nothing does (doubling up to
 * idlePollMs), and back to pollMs as soon as the runtime says something may have been written (nudge).
 */
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamReader } from '../../local/stream-reader.ts';

const streams = mockClient(DynamoDBStreamsClient);

afterEach(async () => {
  streams.reset();
  vi.useRealTimers();
});

describe('the local stream reader while idle', () => {
  it('Should poll less and less often while nothing comes, and within pollMs of a nudge', async () => {
    // Prepare: a stream that stays empty
    vi.useFakeTimers();
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 's-1' }] } });
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it' });
    streams.on(GetRecordsCommand).resolves({ Records: [] });
    const reader = new StreamReader({
      endpoint: 'http://localhost:1',
      streamArn: 'arn:aws:dynamodb:local:000000000000:table/t/stream/1',
      consumers: [{ name: 'c', filter: { eventName: ['INSERT'] }, handler: async () => undefined }],
      pollMs: 100,
      idlePollMs: 400,
    });
    const passes = () => streams.commandCalls(DescribeStreamCommand).length;
    const passesIn = async (ms: number, begin = () => {}) => {
      const before = passes();
      begin();
      await vi.advanceTimersByTimeAsync(ms);
      return passes() - before;
    };

    // Act
    const firstSecond = await passesIn(999, () => reader.start()); // passes at 0, 200 and 600 ms: each idle pause twice the last, up to 400 ms
    const nextSecond = await passesIn(1_000); // at 1,000, 1,400 and 1,800 ms (at pollMs it would be 10)
    reader.nudge();
    const afterNudge = await passesIn(100);
    await reader.stop();

    // Assess
    expect(firstSecond).toBe(3);
    expect(nextSecond).toBe(3);
    expect(afterNudge).toBe(1); // without the nudge, the next pass would be at 2,200 ms
  });
});
