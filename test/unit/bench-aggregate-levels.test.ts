/**
 * bench:aggregate's traffic levels (bench/aggregate-levels.ts): a config with a tumbling window gets each window's
 * batches with the state the previous call returned, then the window's final call, as Lambda calls a page writer.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type LevelAggregate, type WindowCall, arrivalTimes, LEVELS, measureLevels } from '../../bench/aggregate-levels.ts';

const records = (n: number) => Array.from({ length: n }, (_, i) => ({ eventID: String(i) }) as DynamoDBRecord);

/** A stand-in aggregator that writes one page per call with records (or per final call) and counts records in its state. */
function recordingAggregate(calls: Array<{ records: number; window?: WindowCall }>): LevelAggregate {
  return async (batch, window): Promise<{ writes: number; state?: Record<string, string> }> => {
    calls.push({ records: batch.length, ...(window ? { window } : {}) });
    if (!window) return { writes: 1 };
    const folded = Number(window.state.n ?? 0) + batch.length;
    const empty: Record<string, string> = {};
    return window.final ? { writes: 1, state: empty } : { writes: 0, state: { n: String(folded) } };
  };
}

describe("bench:aggregate's traffic levels", () => {
  it('threads the state through a window and ends every window with a final call that sees all its records', async () => {
    // Prepare
    const calls: Array<{ records: number; window?: WindowCall }> = [];
    const config = { batching: { windowSeconds: 300, batchSize: 1000 }, windowSeconds: 900 };

    // Act
    const results = await measureLevels(records(200), [config], async () => recordingAggregate(calls));

    // Assess: at each level, the final calls' states together hold every record once
    for (const rate of LEVELS) {
      const result = results.find((r) => r.rate === rate)!;
      const windows = new Set(arrivalTimes(200, rate).map((t) => Math.floor(t / 900))).size;
      expect(result.calls).toBe(result.batches + windows);
      expect(result.writes).toBe(windows);
    }
    const finals = calls.filter((c) => c.window?.final);
    expect(finals.every((c) => c.records === 0)).toBe(true);
    expect(finals.reduce((sum, c) => sum + Number(c.window!.state.n ?? 0), 0)).toBe(200 * LEVELS.length);
  });

  it('writes once per batch without a window, and waits only for the batch', async () => {
    // Prepare
    const calls: Array<{ records: number; window?: WindowCall }> = [];

    // Act
    const [slow] = await measureLevels(records(50), [{ batching: { windowSeconds: 5, batchSize: 100 } }], async () => recordingAggregate(calls));

    // Assess
    expect(slow!.calls).toBe(slow!.batches);
    expect(slow!.writes).toBe(slow!.batches);
    expect(calls.every((c) => c.window === undefined)).toBe(true);
    expect(slow!.medianWaitSeconds).toBeLessThanOrEqual(5);
  });
});
