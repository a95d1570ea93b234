/**
 * The local runtime's low-traffic batches (local/runtime.ts inBatchesOf): a stream consumer gets at most
 * `size` records per call, and a slice that fails makes the reader resume from that slice's first record.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { inBatchesOf, windowPerCall } from '../../local/handler-calls.ts';

const record = (seq: string) => ({ eventID: seq, dynamodb: { SequenceNumber: seq } }) as DynamoDBRecord;
const event = (...seqs: string[]) => ({ Records: seqs.map(record), shardId: 'shard-1' });
const seqsOf = (e: unknown) => (e as { Records: DynamoDBRecord[] }).Records.map((r) => r.dynamodb!.SequenceNumber);

describe('stream consumer batches of a given size', () => {
  it('call the consumer once per slice of at most that many records, in order, with the rest of the event', async () => {
    // Prepare
    const calls: unknown[] = [];
    const consumer = inBatchesOf(2, async (e) => {
      calls.push(e);
      return { batchItemFailures: [] };
    });
    // Act
    const result = await consumer(event('1', '2', '3'));
    // Assess
    expect(calls.map(seqsOf)).toEqual([['1', '2'], ['3']]);
    expect(calls.every((c) => (c as { shardId: string }).shardId === 'shard-1')).toBe(true);
    expect(result).toEqual({ batchItemFailures: [] });
  });

  it('stop at a slice that reports a failure and pass that failure on', async () => {
    // Prepare
    const calls: unknown[] = [];
    const consumer = inBatchesOf(1, async (e) => {
      calls.push(e);
      return { batchItemFailures: seqsOf(e)[0] === '2' ? [{ itemIdentifier: '2' }] : [] };
    });
    // Act
    const result = await consumer(event('1', '2', '3'));
    // Assess
    expect(calls.map(seqsOf)).toEqual([['1'], ['2']]);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it('turn a throw after the first slice into a failure of that slice first record, and rethrow one in the first', async () => {
    // Prepare
    const failing = (bad: string) =>
      inBatchesOf(1, async (e) => {
        if (seqsOf(e)[0] === bad) throw new Error('table unavailable');
        return { batchItemFailures: [] };
      });
    // Act
    const later = await failing('3')(event('1', '2', '3'));
    const first = failing('1')(event('1', '2', '3'));
    // Assess
    expect(later).toEqual({ batchItemFailures: [{ itemIdentifier: '3' }] });
    await expect(first).rejects.toThrow('table unavailable');
  });

  it('leave the consumer as it is without a size', async () => {
    // Prepare
    const consumer = async () => 'as is';
    // Act
    const wrapped = inBatchesOf(undefined, consumer);
    // Assess
    expect(wrapped).toBe(consumer);
  });

  it('hand each slice of a tumbling window the state the slice before returned, and pass a final call without records on as it is', async () => {
    // Prepare: a consumer that counts its records in the window's state
    const states: unknown[] = [];
    const consumer = inBatchesOf(1, async (e) => {
      const { state, Records } = e as { state: Record<string, string>; Records: unknown[] };
      states.push(state);
      return { batchItemFailures: [], state: { n: String(Number(state.n ?? 0) + Records.length) } };
    });
    const windowed = { ...event('1', '2', '3'), window: { start: 'a', end: 'b' }, state: {} };
    // Act
    const result = await consumer(windowed);
    const final = await consumer({ ...windowed, Records: [], state: { n: '3' }, isFinalInvokeForWindow: true });
    // Assess
    expect(states).toEqual([{}, { n: '1' }, { n: '2' }, { n: '3' }]);
    expect(result).toEqual({ batchItemFailures: [], state: { n: '3' } });
    expect(final).toEqual({ batchItemFailures: [], state: { n: '3' } });
  });

  it('give every call of a page writer a window of its own when the window is 0: the call, then its final call with the state it returned', async () => {
    // Prepare
    const calls: Array<{ records: number; state: unknown; final: unknown }> = [];
    const consumer = inBatchesOf(
      1,
      windowPerCall(async (e) => {
        const { Records, state, isFinalInvokeForWindow } = e as { Records: unknown[]; state: Record<string, string>; isFinalInvokeForWindow: boolean };
        calls.push({ records: Records.length, state, final: isFinalInvokeForWindow });
        return { batchItemFailures: [], state: { n: String(Records.length) } };
      }),
    );
    // Act
    const result = await consumer(event('1', '2'));
    // Assess
    expect(calls).toEqual([
      { records: 1, state: {}, final: false },
      { records: 0, state: { n: '1' }, final: true },
      { records: 1, state: {}, final: false },
      { records: 0, state: { n: '1' }, final: true },
    ]);
    expect(result).toEqual({ batchItemFailures: [] });
  });
});
