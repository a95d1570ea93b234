/**
 * The aggregator's page writes at a given traffic level, in virtual time. Lambda hands a stream
 * consumer a batch when its batching window has passed since the batch's first record, or when the
 * batch is full, whichever comes first (and polls a shard about 4 times a second, so a window of 0
 * still gathers a quarter second). So the batches a traffic level gets are a function of the arrival
 * times alone: arrivals are drawn (exponential gaps at the level's rate, a fixed seed), cut into
 * batches by that rule, and the very stream records of the main benchmark are fed, batch by batch,
 * to the real aggregator (aggregateBatch + ScoreBucketWriter) on a fresh table of DynamoDB Local,
 * counting its writes. Nothing waits in real time: 1,000 answers at 0.1 answers/s (2.8 h) take seconds.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamBatching } from '../functions/manifest.ts';
import { seeded } from './random.ts';

export const LEVELS = [0.1, 5, 200] as const;
/** Lambda polls each shard about four times a second. */
export const POLL_SECONDS = 0.25;

/** Arrival times (s) of n answers at `rate` per second: exponential gaps from a seeded sequence. */
export function arrivalTimes(n: number, rate: number, seed = 17): number[] {
  const rnd = seeded(seed);
  let t = 0;
  return Array.from({ length: n }, () => (t += -Math.log(1 - rnd()) / rate));
}

/** Cuts arrivals into Lambda's batches: [first, end) index ranges. */
export function batchesOf(times: number[], batching: StreamBatching): Array<[number, number]> {
  const batches: Array<[number, number]> = [];
  for (let first = 0; first < times.length; ) {
    const deadline = times[first]! + Math.max(batching.windowSeconds, POLL_SECONDS);
    let end = first + 1;
    while (end < times.length && end - first < batching.batchSize && times[end]! <= deadline) end++;
    batches.push([first, end]);
    first = end;
  }
  return batches;
}

/** When Lambda hands a batch over: at its last record when full, else when its window has passed since its first. */
export function handOverTime(times: number[], [first, end]: [number, number], batching: StreamBatching): number {
  return end - first >= batching.batchSize ? times[end - 1]! : times[first]! + Math.max(batching.windowSeconds, POLL_SECONDS);
}

export interface LevelResult {
  rate: number;
  batching: StreamBatching;
  batches: number;
  writes: number;
  /** Median wait of an answer from its arrival to its batch's invocation (s). */
  medianWaitSeconds: number;
}

/**
 * Feeds `records` (in stream order) at each level and batching to `aggregate`, which must write to a
 * fresh table for each call of `fresh()` and return the writes it made for a batch.
 */
export async function measureLevels(
  records: DynamoDBRecord[],
  configs: StreamBatching[],
  fresh: () => Promise<(batch: DynamoDBRecord[]) => Promise<number>>,
): Promise<LevelResult[]> {
  const results: LevelResult[] = [];
  for (const rate of LEVELS) {
    const times = arrivalTimes(records.length, rate);
    for (const batching of configs) {
      const aggregate = await fresh();
      const batches = batchesOf(times, batching);
      let writes = 0;
      const waits: number[] = [];
      for (const batch of batches) {
        const [first, end] = batch;
        writes += await aggregate(records.slice(first, end));
        const invokedAt = handOverTime(times, batch, batching);
        for (let i = first; i < end; i++) waits.push(invokedAt - times[i]!);
      }
      waits.sort((a, b) => a - b);
      results.push({ rate, batching, batches: batches.length, writes, medianWaitSeconds: waits[Math.floor(waits.length / 2)] ?? 0 });
    }
  }
  return results;
}

/** The report's table: writes per 1,000 answers at each level and batching. */
export function levelsTable(results: LevelResult[], answers: number): string {
  const rows = results.map(
    (r) =>
      `| ${r.rate} | ${r.batching.windowSeconds} s / ${r.batching.batchSize} | ${(answers / r.batches).toFixed(1)} | ${((r.writes * 1000) / answers).toFixed(0)} | ${r.medianWaitSeconds.toFixed(1)} s |`,
  );
  return [
    '| answers/s | window / batch size | answers per batch | page writes per 1,000 answers | median wait to the batch |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Page writes per 1,000 answers of one level and batching. */
export function perThousand(results: LevelResult[], rate: number, batching: StreamBatching, answers: number): string {
  const r = results.find((x) => x.rate === rate && x.batching === batching);
  return r ? ((r.writes * 1000) / answers).toFixed(0) : '?';
}
