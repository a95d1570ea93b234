/**
 * The local stream reader's tumbling windows, as Lambda runs them for the page writers: the state one call
 * returns is handed to the next call of the same window; at the window's end (wall clock, windows aligned to
 * its length) or on a flush the consumer gets a final call without records; a failed final call is made again
 * with the same state before the shard is read on; and the window's records are checkpointed only after its
 * final call succeeded, so a restart mid-window reads them again.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StreamReader } from '../../local/stream-reader.ts';

const streams = mockClient(DynamoDBStreamsClient);
const STREAM = 'arn:aws:dynamodb:local:000000000000:table/t/stream/1';
const dir = mkdtempSync(join(tmpdir(), 'ankieta-windows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => streams.reset());

interface Call {
  seqs: string[];
  state: Record<string, string>;
  window: { start: string; end: string };
  isFinalInvokeForWindow: boolean;
}

/** A shard holding `stream` (sequence numbers): reads return what lies after the iterator's position. */
function shardHolding(stream: string[]) {
  streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 's-1' }] } });
  streams.on(GetShardIteratorCommand).callsFake((input: { SequenceNumber?: string }) => ({ ShardIterator: `after:${input.SequenceNumber ?? ''}` }));
  streams.on(GetRecordsCommand).callsFake((input: { ShardIterator: string }) => {
    const after = input.ShardIterator.slice('after:'.length);
    const seqs = stream.filter((s) => !after || Number(s) > Number(after));
    return { Records: seqs.map((seq) => ({ eventID: seq, eventName: 'INSERT', dynamodb: { SequenceNumber: seq, Keys: { pk: { S: `k${seq}` } } } })) };
  });
}

/** A windowed consumer that counts the records in its state, and fails its final calls while `failFinals` says so. */
function windowedReader(options: { clock: { now: number }; calls: Call[]; checkpointFile?: string; failFinals?: () => boolean; errors?: string[] }) {
  return new StreamReader({
    endpoint: 'http://localhost:1',
    streamArn: STREAM,
    checkpointFile: options.checkpointFile,
    onError: (_, error) => options.errors?.push((error as Error).message),
    now: () => options.clock.now,
    consumers: [
      {
        name: 'pages',
        filter: { eventName: ['INSERT'] },
        windowSeconds: 10,
        handler: async (e) => {
          const event = e as { Records: Array<{ eventID: string }> } & Omit<Call, 'seqs'>;
          options.calls.push({
            seqs: event.Records.map((r) => r.eventID),
            state: event.state,
            window: event.window,
            isFinalInvokeForWindow: event.isFinalInvokeForWindow,
          });
          if (event.isFinalInvokeForWindow && options.failFinals?.()) throw new Error('page write throttled');
          return { batchItemFailures: [], state: { count: String(Number(event.state.count ?? 0) + event.Records.length) } };
        },
      },
    ],
  });
}

/** The shard's checkpoint in the reader's file; undefined when none was saved. */
const checkpointOf = (file: string) =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>).pages?.['s-1'] : undefined;

describe('the local stream reader in a tumbling window', () => {
  it('Should hand each call the state the last one returned, then make the final call once the window has ended', async () => {
    // Prepare: a window of 10 s from 100 s on the clock
    const stream = ['1', '2'];
    shardHolding(stream);
    const clock = { now: 103_000 };
    const calls: Call[] = [];
    const reader = windowedReader({ clock, calls });
    // Act
    await reader.pollOnce();
    stream.push('3');
    clock.now = 108_000;
    await reader.pollOnce();
    clock.now = 110_000;
    await reader.pollOnce();
    // Assess
    expect(calls.map((c) => [c.seqs, c.state, c.isFinalInvokeForWindow])).toEqual([
      [['1', '2'], {}, false],
      [['3'], { count: '2' }, false],
      [[], { count: '3' }, true],
    ]);
    expect(new Set(calls.map((c) => JSON.stringify(c.window)))).toEqual(
      new Set([JSON.stringify({ start: '1970-01-01T00:01:40.000Z', end: '1970-01-01T00:01:50.000Z' })]),
    );
  });

  it('Should checkpoint the window records only after its final call, so that a restart mid-window reads them again', async () => {
    // Prepare
    shardHolding(['1', '2']);
    const file = join(dir, 'restart.json');
    const clock = { now: 100_000 };
    const before: Call[] = [];
    await windowedReader({ clock, calls: before, checkpointFile: file }).pollOnce();
    // Act: a new reader (a restart) before the window ended
    const after: Call[] = [];
    const restarted = windowedReader({ clock, calls: after, checkpointFile: file });
    await restarted.pollOnce();
    clock.now = 111_000;
    await restarted.pollOnce();
    // Assess
    expect(after.map((c) => c.seqs)).toEqual([['1', '2'], []]);
    expect(checkpointOf(file)).toBe('2');
  });

  it('Should make a failed final call again with the same state before it reads the shard on', async () => {
    // Prepare: the first final call fails
    const stream = ['1'];
    shardHolding(stream);
    const clock = { now: 100_000 };
    const calls: Call[] = [];
    let finals = 0;
    const file = join(dir, 'retry.json');
    const reader = windowedReader({ clock, calls, checkpointFile: file, failFinals: () => ++finals === 1 });
    await reader.pollOnce();
    stream.push('2');
    clock.now = 112_000;
    // Act
    await reader.pollOnce();
    const checkpointAfterFailure = checkpointOf(file);
    await reader.pollOnce();
    // Assess
    expect(calls.map((c) => [c.seqs, c.state, c.isFinalInvokeForWindow])).toEqual([
      [['1'], {}, false],
      [[], { count: '1' }, true],
      [[], { count: '1' }, true],
      [['2'], {}, false],
    ]);
    expect(checkpointAfterFailure).toBeUndefined();
    expect(calls[3]!.window.start).toBe('1970-01-01T00:01:50.000Z');
  });

  it("Should stop quietly when the stop's final call finds no database, and leave the window's records to the next start", async () => {
    // Prepare: a window open, and DynamoDB Local gone (Ctrl-C reaches its JVM too)
    shardHolding(['1']);
    const file = join(dir, 'stopped.json');
    const calls: Call[] = [];
    const errors: string[] = [];
    const reader = windowedReader({ clock: { now: 100_000 }, calls, checkpointFile: file, failFinals: () => true, errors });
    await reader.pollOnce();
    // Act
    await reader.stop();
    // Assess: the final call was tried, nothing was told, nothing checkpointed
    expect(calls.map((c) => c.isFinalInvokeForWindow)).toEqual([false, true]);
    expect(errors).toEqual([]);
    expect(checkpointOf(file)).toBeUndefined();
  });

  it('Should tell a failed final call while it runs', async () => {
    // Prepare
    shardHolding(['1']);
    const errors: string[] = [];
    const clock = { now: 100_000 };
    const reader = windowedReader({ clock, calls: [], failFinals: () => true, errors });
    await reader.pollOnce();
    clock.now = 111_000;
    // Act
    await reader.pollOnce();
    // Assess
    expect(errors).toEqual(['page write throttled']);
  });

  it('Should end the open windows early on a flush (drain), with their final calls', async () => {
    // Prepare
    shardHolding(['1', '2']);
    const calls: Call[] = [];
    const reader = windowedReader({ clock: { now: 100_000 }, calls });
    // Act
    await reader.drain();
    // Assess
    expect(calls.map((c) => [c.seqs, c.isFinalInvokeForWindow])).toEqual([
      [['1', '2'], false],
      [[], true],
    ]);
  });

  it('Should take a windowed call that returns no state for a failed one and deliver its records again', async () => {
    // Prepare
    shardHolding(['1']);
    const delivered: string[][] = [];
    const errors: string[] = [];
    let calls = 0;
    const reader = new StreamReader({
      endpoint: 'http://localhost:1',
      streamArn: STREAM,
      now: () => 100_000,
      onError: (_, error) => errors.push((error as Error).message),
      consumers: [
        {
          name: 'pages',
          filter: { eventName: ['INSERT'] },
          windowSeconds: 10,
          handler: async (e) => {
            delivered.push((e as { Records: Array<{ eventID: string }> }).Records.map((r) => r.eventID));
            return ++calls === 1 ? { batchItemFailures: [] } : { batchItemFailures: [], state: {} };
          },
        },
      ],
    });
    // Act
    await reader.pollOnce();
    await reader.pollOnce();
    // Assess
    expect(delivered).toEqual([['1'], ['1']]);
    expect(errors).toEqual([expect.stringContaining('returned no state')]);
  });
});
