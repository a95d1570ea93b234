/**
 * The local stand-in for Lambda's DynamoDB event source mapping: polls the table's stream through the
 * DynamoDB Streams API of DynamoDB Local, keeps records that pass the same filter as the CDK mapping,
 * and calls the consumers with Lambda-shaped DynamoDBStreamEvent batches. A reported batch item failure
 * makes it resume from that record, like Lambda; a thrown error retries the whole batch after a pause.
 *
 * A consumer with a tumbling window (`windowSeconds`, the page writers) gets what Lambda passes then: `shardId`,
 * `window` {start, end}, the `state` its last call returned (per consumer and shard), `isFinalInvokeForWindow` and
 * `isWindowTerminatedEarly`. Windows are aligned to multiples of their length on the wall clock; when one has ended
 * (or on a flush: caughtUp, drain, stop) the consumer gets the window's final call, without records. As Lambda, the
 * reader checkpoints such a consumer's records only once that final call has succeeded (a failed one is called
 * again, and the shard waits for it), so a stop or a crash mid-window reads the window's records again.
 */
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { readFileSync, writeFileSync } from 'node:fs';
import type { DynamoDBRecord } from 'aws-lambda';
import { matchesAnyFilter } from './stream-filter.ts';

export interface StreamConsumer {
  name: string;
  filter: unknown;
  handler: (event: unknown) => Promise<unknown>;
  /** A tumbling window of this many seconds (more than 0). */
  windowSeconds?: number;
}

export interface StreamReaderOptions {
  endpoint: string;
  streamArn: string;
  consumers: StreamConsumer[];
  batchSize?: number;
  /** The pause between passes while records come (default 250 ms); idle, it doubles up to `idlePollMs`. */
  pollMs?: number;
  /** The longest pause while nothing comes (default 4 × pollMs); nudge() ends it at once. */
  idlePollMs?: number;
  /** File that keeps per-consumer, per-shard checkpoints between runs. */
  checkpointFile?: string;
  onError?: (consumer: string, error: unknown) => void;
  /** The wall clock (ms) the windows follow: tests set their own. */
  now?: () => number;
}

/** A consumer's open tumbling window on one shard. */
interface OpenWindow {
  start: number;
  end: number;
  state: Record<string, string>;
}

type WindowResult = { batchItemFailures?: Array<{ itemIdentifier: string }>; state?: Record<string, string> } | undefined;

/** Trimmed reads of one checkpoint in a row before it is taken to be really behind the trim horizon. */
const TRIMMED_READS_BEFORE_RESET = 5;

type Checkpoints = Record<string, Record<string, string>>; // consumer -> shard -> last processed seq

/** One pass's reads of the stream, by shard and place (the sequence number read after): consumers at one place share one. */
type ShardReads = Map<string, Promise<_Record[]>>;

export function toLambdaRecord(r: _Record, streamArn: string): DynamoDBRecord {
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime ? r.dynamodb.ApproximateCreationDateTime.getTime() / 1000 : undefined,
      Keys: r.dynamodb?.Keys as never,
      NewImage: r.dynamodb?.NewImage as never,
      OldImage: r.dynamodb?.OldImage as never,
      SequenceNumber: r.dynamodb?.SequenceNumber,
      SizeBytes: r.dynamodb?.SizeBytes,
      StreamViewType: r.dynamodb?.StreamViewType as never,
    },
  };
}

export class StreamReader {
  private readonly client: DynamoDBStreamsClient;
  private readonly checkpoints: Checkpoints;
  /** Where each consumer has read to: its checkpoint, or past it while a window of its records is open. */
  private readonly positions: Checkpoints;
  private readonly windows = new Map<string, OpenWindow>(); // `${consumer} ${shard}`
  private running = false;
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** Ends the current pause pollMs after it began (see nudge). */
  private hurry?: () => void;
  /** The next pause: pollMs after a pass that read records, longer after each idle one. */
  private pause: number;
  /** Background passes started and the last one that ended with every record delivered (see caughtUp). */
  private passesStarted = 0;
  private passCaughtUp = 0;
  private readonly waiters: Array<{ pass: number; resolve: () => void }> = [];
  /** Set when a consumer failed during the current pass: its records are still to be delivered. */
  private failedInPass = false;
  /** Reads refused as trimmed in a row, per consumer and shard (see nextRecords). */
  private readonly trimmedInARow = new Map<string, number>();
  private recordsReadAt = 0;

  constructor(private readonly options: StreamReaderOptions) {
    this.client = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    this.checkpoints = this.loadCheckpoints();
    this.positions = structuredClone(this.checkpoints);
    this.pause = this.pollMs;
  }

  /** When a pass last read records (ms since the epoch; 0: never): the table was written to then. */
  get lastRecordsAt(): number {
    return this.recordsReadAt;
  }

  private get pollMs(): number {
    return this.options.pollMs ?? 250;
  }

  /**
   * Something may have been written (the runtime calls this after each HTTP request): the idle pause ends,
   * no sooner than pollMs after it began. An idle reader polls every idlePollMs; the tests' runtimes,
   * polling every 100 ms whatever happened, spent most of their idle CPU (and DynamoDB Local's) on it.
   */
  nudge(): void {
    this.pause = this.pollMs;
    this.hurry?.();
  }

  private loadCheckpoints(): Checkpoints {
    if (!this.options.checkpointFile) return {};
    try {
      return JSON.parse(readFileSync(this.options.checkpointFile, 'utf8')) as Checkpoints;
    } catch {
      return {};
    }
  }

  private saveCheckpoints(): void {
    if (this.options.checkpointFile) writeFileSync(this.options.checkpointFile, JSON.stringify(this.checkpoints));
  }

  start(): void {
    this.running = true;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Ends the polling loop once its batch in flight is done (a stopping runtime deletes the table after this). */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await this.closeWindows(); // the open windows' pages are written, as at their end
    this.client.destroy();
    for (const w of this.waiters.splice(0)) w.resolve(); // nothing more will be read
  }

  /**
   * With the background loop running: resolves after a whole pass that began after this call has read
   * the stream to its end with every batch delivered, so everything written before the call has been
   * through the consumers (and what they wrote in turn, read in the same pass). No second poller runs
   * beside the loop: two would read the same checkpoints and deliver batches twice.
   */
  caughtUp(): Promise<void> {
    if (!this.running) return this.drain().then(() => undefined);
    const pass = this.passesStarted + 1;
    return new Promise<void>((resolve) => {
      this.waiters.push({ pass, resolve });
      this.wake?.();
    });
  }

  /**
   * Reads everything currently in the stream through every consumer; resolves when caught up. With
   * `closeWindows` (a flush) it then ends the open windows early with their final calls, and reads on.
   */
  async drain(closeWindows = true): Promise<number> {
    let delivered = 0;
    for (;;) {
      const n = await this.pollOnce();
      delivered += n;
      if (n === 0 && !(closeWindows && (await this.closeWindows()))) return delivered;
    }
  }

  /** Final calls of every open window; true when one was closed (its pages may be records for other consumers). */
  private async closeWindows(): Promise<boolean> {
    let closed = false;
    for (const key of [...this.windows.keys()]) {
      const [name, shardId] = key.split(' ') as [string, string];
      const consumer = this.options.consumers.find((c) => c.name === name);
      if (consumer && (await this.closeWindow(consumer, shardId))) closed = true;
    }
    return closed;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const pass = ++this.passesStarted;
      this.failedInPass = false;
      let read = 1; // a failed pass is retried at pollMs
      try {
        read = await this.drain(this.waiters.length > 0); // windows end early only for someone waiting (caughtUp)
        if (!this.failedInPass) this.passCaughtUp = pass;
      } catch (error) {
        this.report('stream-reader', error);
      }
      const idleMax = this.options.idlePollMs ?? 4 * this.pollMs;
      this.pause = read > 0 || this.failedInPass || this.windows.size > 0 ? this.pollMs : Math.min(this.pause * 2, idleMax);
      for (const w of this.waiters.filter((w) => w.pass <= this.passCaughtUp)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
      const began = Date.now();
      await new Promise<void>((resolve) => {
        let t = setTimeout(resolve, this.pause);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
        this.hurry = () => {
          clearTimeout(t);
          t = setTimeout(resolve, Math.max(0, began + this.pollMs - Date.now()));
        };
      });
      this.hurry = undefined;
    }
  }

  /**
   * One pass over every shard for every consumer; returns the number of records read. Consumers at the same
   * place of a shard (all of them, while nothing happens) share one read of it in the pass: the six consumers
   * polling every 100 ms in the tests were 130 DynamoDB Local requests a second per runtime, now 30.
   */
  async pollOnce(): Promise<number> {
    const { StreamDescription } = await this.client.send(new DescribeStreamCommand({ StreamArn: this.options.streamArn }));
    const reads: ShardReads = new Map();
    let read = 0;
    for (const shard of StreamDescription?.Shards ?? []) {
      for (const consumer of this.options.consumers) read += await this.pollShard(consumer, shard.ShardId!, reads);
    }
    if (read > 0) this.recordsReadAt = Date.now();
    return read;
  }

  /** Up to a batch of a shard's records after `after` (from its oldest without). */
  private async readShard(shardId: string, after: string | undefined): Promise<_Record[]> {
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.options.streamArn,
        ShardId: shardId,
        ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
        ...(after ? { SequenceNumber: after } : {}),
      }),
    );
    if (!ShardIterator) return [];
    const { Records = [] } = await this.client.send(new GetRecordsCommand({ ShardIterator, Limit: this.options.batchSize ?? 100 }));
    return Records;
  }

  /** The next records of a shard after the consumer's checkpoint; undefined when DynamoDB Local refused a read that is worth retrying. */
  private async nextRecords(consumer: StreamConsumer, shardId: string, done: Record<string, string>, reads: ShardReads): Promise<_Record[] | undefined> {
    const after = done[shardId];
    const trimKey = shardKey(consumer, shardId);
    const place = `${shardId} ${after ?? ''}`;
    try {
      // The pass's read of this place, shared: a refusal is each consumer's to count (below).
      let pending = reads.get(place);
      if (!pending) reads.set(place, (pending = this.readShard(shardId, after)));
      const Records = await pending;
      this.trimmedInARow.delete(trimKey);
      return Records;
    } catch (error) {
      if ((error as { name?: string }).name !== 'TrimmedDataAccessException') throw error;
      // DynamoDB Local now and then refuses a read of records it still holds (aws/aws-sdk-java#2923): the next
      // poll reads them. Only a checkpoint refused again and again is really behind the trim horizon (records
      // older than 24 h, e.g. a runtime restarted a day later): then read from the oldest record, as the
      // consumers are idempotent, and say so.
      const refused = (this.trimmedInARow.get(trimKey) ?? 0) + 1;
      this.trimmedInARow.set(trimKey, refused);
      if (refused >= TRIMMED_READS_BEFORE_RESET && after) {
        this.trimmedInARow.delete(trimKey);
        delete done[shardId];
        delete this.checkpoints[consumer.name]?.[shardId];
        this.saveCheckpoints();
        this.options.onError?.(
          consumer.name,
          new Error(`checkpoint of shard ${shardId} is behind the stream's trim horizon: reading again from its oldest record`),
        );
      }
      this.failedInPass = true; // not caught up: the records are still to be delivered
      return undefined;
    }
  }

  private async pollShard(consumer: StreamConsumer, shardId: string, reads: ShardReads): Promise<number> {
    const key = shardKey(consumer, shardId);
    // A window that has ended gets its final call first; until it succeeds the shard waits, as on Lambda.
    const open = this.windows.get(key);
    if (open && this.now() >= open.end && !(await this.closeWindow(consumer, shardId))) return 0;
    const read = (this.positions[consumer.name] ??= {});
    const Records = await this.nextRecords(consumer, shardId, read, reads);
    if (!Records?.length) return 0;

    const lastSeq = Records[Records.length - 1]!.dynamodb!.SequenceNumber!;
    const matching = Records.map((r) => toLambdaRecord(r, this.options.streamArn)).filter((r) => matchesAnyFilter(consumer.filter, r));
    const windowed = consumer.windowSeconds !== undefined;
    if (matching.length > 0) {
      try {
        const window = windowed ? this.windowOf(consumer, key) : undefined;
        const event = { Records: matching, shardId, eventSourceARN: this.options.streamArn, state: window?.state ?? {} };
        const result = (await consumer.handler(window ? { ...event, ...windowFields(window, false) } : event)) as WindowResult;
        if (window) window.state = stateOf(result); // slices before a failed one succeeded (runtime.ts inBatchesOf)
        const failed = result?.batchItemFailures?.[0]?.itemIdentifier;
        if (failed) {
          // Resume from the failed record next time, like Lambda's checkpoint on partial batch responses.
          const index = Records.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
          if (index > 0) read[shardId] = Records[index - 1]!.dynamodb!.SequenceNumber!;
          this.checkpoint(consumer, shardId);
          this.failedInPass = true;
          return 0;
        }
      } catch (error) {
        this.report(consumer.name, error);
        this.failedInPass = true;
        return 0; // retried from the same place on the next poll
      }
    }
    read[shardId] = lastSeq;
    this.checkpoint(consumer, shardId);
    return Records.length;
  }

  /** The consumer's open window on the shard, or a new one aligned to a multiple of its length. */
  private windowOf(consumer: StreamConsumer, key: string): OpenWindow {
    const open = this.windows.get(key);
    if (open) return open;
    const length = (consumer.windowSeconds ?? 1) * 1000;
    const start = Math.floor(this.now() / length) * length;
    const window = { start, end: start + length, state: {} };
    this.windows.set(key, window);
    return window;
  }

  /** The window's final call; on success the window's records are checkpointed. False when it failed (called again later). */
  private async closeWindow(consumer: StreamConsumer, shardId: string): Promise<boolean> {
    const key = shardKey(consumer, shardId);
    const window = this.windows.get(key);
    if (!window) return true;
    try {
      const event = { Records: [], shardId, eventSourceARN: this.options.streamArn, state: window.state, ...windowFields(window, true) };
      stateOf((await consumer.handler(event)) as WindowResult);
    } catch (error) {
      this.report(consumer.name, error);
      this.failedInPass = true;
      return false; // the same state next time: pages already written are skipped by their watermark
    }
    this.windows.delete(key);
    this.checkpoint(consumer, shardId);
    return true;
  }

  /** Saves where the consumer has read to, unless a window of its records is still open (Lambda checkpoints after the final call). */
  private checkpoint(consumer: StreamConsumer, shardId: string): void {
    if (this.windows.has(shardKey(consumer, shardId))) return;
    const at = this.positions[consumer.name]?.[shardId];
    if (at === undefined) return;
    (this.checkpoints[consumer.name] ??= {})[shardId] = at;
    this.saveCheckpoints();
  }

  /**
   * A failure, told while the reader runs. Once it stops it is quiet: Ctrl-C reaches DynamoDB Local's JVM too, so
   * the stop's last reads and final calls may find no database, and nothing is lost by it — what was not
   * checkpointed (an open window's records) is read again at the next start.
   */
  private report(where: string, error: unknown): void {
    if (!this.stopping) this.options.onError?.(where, error);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

/** A consumer's shard, as the windows and the trim counts key it (`closeWindows` splits it back). */
const shardKey = (consumer: StreamConsumer, shardId: string) => `${consumer.name} ${shardId}`;

function windowFields(window: OpenWindow, final: boolean) {
  return {
    window: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() },
    isFinalInvokeForWindow: final,
    isWindowTerminatedEarly: false,
  };
}

/** The state a windowed call returned: without one, Lambda takes the call for a failed one. */
function stateOf(result: WindowResult): Record<string, string> {
  if (!result?.state) throw new Error('a call in a tumbling window returned no state (Lambda treats it as a failed call)');
  return result.state;
}
