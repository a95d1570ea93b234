/**
 * The invocation side of bench/lifecycle-wcu.ts: every handler call the local runtime makes (its
 * `onInvoke` hook), counted and timed, and every line the handlers write to stdout (the logger's JSON
 * lines and the EMF metric lines), kept out of the terminal and counted in bytes as on AWS
 * (bench/log-bytes.ts). Each is filed under where the benchmark is (`channel|stage`, given by `where`)
 * and the function that ran.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import { asOnAws, lineBytes } from './log-bytes.ts';

export interface Calls {
  calls: number;
  ms: number;
}
export interface Logged {
  bytes: number;
  lines: number;
}

/** WCU_LOG_DUMP=file: every counted line, as on AWS, with where it was filed (to check what is counted). */
const DUMP = process.env.WCU_LOG_DUMP;
/** Levels still shown while the rest is counted and swallowed. */
const SHOWN = /^\{"level":"(ERROR|CRITICAL)"/;

export class HandlerMeter {
  /** `${where}|${fn}` → calls and handler wall time. */
  readonly invocations = new Map<string, Calls>();
  /** `${where}|${fn}` → bytes and lines the handlers wrote. */
  readonly logs = new Map<string, Logged>();
  /** `${where}|${fn}` → what each call wrote, call by call (a sweep with work against one without). */
  readonly runs = new Map<string, Logged[]>();
  private readonly running = new AsyncLocalStorage<{ fn: string } & Logged>();
  private lastFn = 'unknown';
  private restore?: () => void;

  constructor(private readonly where: () => string) {}

  /** The runtime's onInvoke: counts, times and names the call, so that what it writes is filed under it. */
  readonly onInvoke = async (fn: string, invoke: () => Promise<unknown>): Promise<unknown> => {
    const key = `${this.where()}|${fn}`;
    const call = { fn, lines: 0, bytes: 0 };
    const t0 = performance.now();
    try {
      return await this.running.run(call, invoke);
    } finally {
      this.add(key, performance.now() - t0, call);
    }
  };

  private add(key: string, ms: number, wrote?: Logged): void {
    const c = this.invocations.get(key) ?? { calls: 0, ms: 0 };
    c.calls += 1;
    c.ms += ms;
    this.invocations.set(key, c);
    if (!wrote) return;
    const runs = this.runs.get(key) ?? [];
    runs.push({ bytes: wrote.bytes, lines: wrote.lines });
    this.runs.set(key, runs);
  }

  /** Counts a call the runtime makes without its hook (the local SMS inbound route calls its handler itself). */
  count(fn: string, ms = 0): void {
    this.add(`${this.where()}|${fn}`, ms);
  }

  /** Files one line written to stdout; true when it was a handler's line (JSON), false for anything else. */
  file(chunk: string): boolean {
    if (!chunk.startsWith('{') || !chunk.endsWith('\n')) return false;
    const named = /"function_name":"([^"]+)"/.exec(chunk)?.[1];
    if (named) this.lastFn = named;
    // The running call's name; outside the hook the logger's own field, and an EMF line the last one named.
    const call = this.running.getStore();
    const fn = call?.fn ?? named ?? this.lastFn;
    const key = `${this.where()}|${fn}`;
    const l = this.logs.get(key) ?? { bytes: 0, lines: 0 };
    for (const line of chunk.split(/(?<=\n)/)) {
      const bytes = lineBytes(asOnAws(line));
      if (DUMP) appendFileSync(DUMP, `${key}\t${asOnAws(line)}`);
      l.bytes += bytes;
      l.lines += 1;
      if (call) {
        call.bytes += bytes;
        call.lines += 1;
      }
    }
    this.logs.set(key, l);
    return true;
  }

  /** Takes stdout over: handlers' lines are counted (errors still shown), anything else passes. */
  capture(): void {
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
      if (text !== undefined && this.file(text) && !SHOWN.test(text)) return true;
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    this.restore = () => {
      process.stdout.write = write;
    };
  }

  release(): void {
    this.restore?.();
    this.restore = undefined;
  }
}

export type Keep = (channel: string, stage: string, fn: string) => boolean;

/** Sums the entries whose `channel|stage|fn` key passes `keep`, field by field. */
export function total<T extends object>(map: Map<string, T>, keep: Keep, zero: T): T {
  const sum = { ...zero } as Record<string, number>;
  for (const [key, value] of map) {
    const [channel, stage, fn] = key.split('|') as [string, string, string];
    if (!keep(channel, stage, fn)) continue;
    for (const [field, n] of Object.entries(value) as Array<[string, number]>) sum[field] = (sum[field] ?? 0) + n;
  }
  return sum as T;
}
export const NO_CALLS: Calls = { calls: 0, ms: 0 };
export const NO_LOGS: Logged = { bytes: 0, lines: 0 };
