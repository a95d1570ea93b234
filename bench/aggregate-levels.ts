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

/** A mapping's batching, and its tumbling window when it has one (the page writers', functions/manifest.ts). */
export interface LevelConfig {
  batching: StreamBatching;
  /** Seconds; its batches fold into the window's state, and the pages are written in one more call, the window's final. */
  windowSeconds?: number;
}

/** A tumbling window's call: its start (s), whether it is the final call, and the state the previous call returned. */
export interface WindowCall {
  start: number;
  seconds: number;
  final: boolean;
  state: Record<string, string>;
}

/** The aggregator on a fresh table: a call with a batch (and its window's call, if any), the writes it made and the state it returned. */
export type LevelAggregate = (batch: DynamoDBRecord[], window?: WindowCall) => Promise<{ writes: number; state?: Record<string, string> }>;

export interface LevelResult {
  rate: number;
  config: LevelConfig;
  batches: number;
  /** Invocations: the batches, and the final call of each window. */
  calls: number;
  writes: number;
  /** Median wait of an answer from its arrival to the write of its pages (s): its batch's call, or its window's end. */
  medianWaitSeconds: number;
}

/**
 * Feeds `records` (in stream order) at each level and config to the aggregator `fresh()` makes on a fresh table.
 * A windowed config cuts the arrivals by window (aligned to multiples of its length; a batch never spans two),
 * threads the state through the window's batches, and ends each window with its final call.
 */
export async function measureLevels(records: DynamoDBRecord[], configs: LevelConfig[], fresh: () => Promise<LevelAggregate>): Promise<LevelResult[]> {
  const results: LevelResult[] = [];
  for (const rate of LEVELS) {
    const times = arrivalTimes(records.length, rate);
    for (const config of configs) {
      const aggregate = await fresh();
      const tally = { batches: 0, calls: 0, writes: 0, waits: [] as number[] };
      for (const [from, to] of windowRanges(times, config.windowSeconds)) {
        const seconds = config.windowSeconds;
        const start = seconds ? Math.floor(times[from]! / seconds) * seconds : 0;
        let state: Record<string, string> = {};
        for (const batch of batchesOf(times.slice(from, to), config.batching)) {
          const [first, end] = [batch[0] + from, batch[1] + from];
          const call = await aggregate(records.slice(first, end), seconds ? { start, seconds, final: false, state } : undefined);
          state = call.state ?? {};
          tally.writes += call.writes;
          tally.batches += 1;
          tally.calls += 1;
          const writtenAt = seconds ? start + seconds : handOverTime(times, [first, end], config.batching);
          for (let i = first; i < end; i++) tally.waits.push(writtenAt - times[i]!);
        }
        if (seconds) {
          tally.writes += (await aggregate([], { start, seconds, final: true, state })).writes;
          tally.calls += 1;
        }
      }
      tally.waits.sort((a, b) => a - b);
      results.push({
        rate,
        config,
        batches: tally.batches,
        calls: tally.calls,
        writes: tally.writes,
        medianWaitSeconds: tally.waits[Math.floor(tally.waits.length / 2)] ?? 0,
      });
    }
  }
  return results;
}

/**
 * [from, to) index ranges of sorted times in each tumbling window (aligned to multiples of `seconds`: a time
 * falls in the window of its own); one range of all without a window.
 */
export function windowRanges(times: number[], seconds: number | undefined): Array<[number, number]> {
  if (!seconds) return times.length ? [[0, times.length]] : [];
  const ranges: Array<[number, number]> = [];
  for (let from = 0; from < times.length; ) {
    const window = Math.floor(times[from]! / seconds);
    let to = from + 1;
    while (to < times.length && Math.floor(times[to]! / seconds) === window) to++;
    ranges.push([from, to]);
    from = to;
  }
  return ranges;
}

const configName = (c: LevelConfig) =>
  `${c.batching.windowSeconds} s / ${c.batching.batchSize}${c.windowSeconds ? `, ${c.windowSeconds / 60}-min tumbling window` : ''}`;

/** The report's table: writes and calls per 1,000 answers at each level and config. */
export function levelsTable(results: LevelResult[], answers: number): string {
  const rows = results.map(
    (r) =>
      `| ${r.rate} | ${configName(r.config)} | ${(answers / r.batches).toFixed(1)} | ${((r.writes * 1000) / answers).toFixed(0)} | ${((r.calls * 1000) / answers).toFixed(0)} | ${r.medianWaitSeconds.toFixed(1)} s |`,
  );
  return [
    '| answers/s | batching window / batch size | answers per batch | page writes per 1,000 answers | calls per 1,000 answers | median wait until its pages are written |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Page writes per 1,000 answers of one level and config. */
export function perThousand(results: LevelResult[], rate: number, config: LevelConfig, answers: number): string {
  const r = results.find((x) => x.rate === rate && x.config === config);
  return r ? ((r.writes * 1000) / answers).toFixed(0) : '?';
}
