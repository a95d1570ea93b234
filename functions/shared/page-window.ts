/**
 * The stream page writers' call (aggregateScores, countFunnel): parse the records, fold them into page
 * deltas, and write each page once per tumbling window (surveys/page-window.ts, docs/aggregation.md "Windows").
 *
 * Primary course (a call of a tumbling-window mapping, `window` set):
 *  1. Read the pending deltas from the window's `state` (zod). A state that does not parse is quarantined
 *     with its reason and the window goes on empty: Lambda hands the same state to every retry, so failing
 *     would stall the shard on it until the records expire (a day of counts lost instead of one window's).
 *  2. Skip records at or below the state's `upTo` (a redelivery); quarantine those that do not parse.
 *  3. Fold the batch into the pending deltas.
 *  4. The window's final call (or one Lambda ended early, or a state past WINDOW_STATE_MAX_BYTES): write
 *     every pending page, conditional on the shard's watermark, and carry nothing. Otherwise carry the state.
 *  Alternative course: a page write fails → the call throws. Lambda retries it with the state it had (a
 *  final call until it succeeds, before it checkpoints); pages already written are skipped by their watermark.
 *
 * Batch item failures are never reported from a windowed call: Lambda checkpoints only after the window's
 * final call, and what it would keep of a partly failed call's state is not documented; a whole call that
 * fails is retried from the state before it, and `upTo` keeps a record folded twice from counting twice.
 * A call without `window` (a replay in tests, a mapping without a window) writes its pages at once and
 * reports the earliest change of a failed page, as before windows.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { padSeq } from '#surveys/aggregation.ts';
import {
  decodeWindow,
  emptyPending,
  encodeWindow,
  foldInto,
  maxSeq,
  type PageFamily,
  type PendingPages,
  pendingDeltas,
  stateBytes,
  WINDOW_STATE_MAX_BYTES,
} from '#surveys/page-window.ts';
import { quarantine } from '#functions/shared/deps.ts';
import { logger } from '#functions/shared/logger.ts';

/** A DynamoDB stream event of a mapping with a tumbling window (AWS docs: services-ddb-windows). */
export type WindowedStreamEvent = DynamoDBStreamEvent & {
  shardId?: string;
  state?: Record<string, string>;
  window?: { start: string; end: string };
  isFinalInvokeForWindow?: boolean;
  isWindowTerminatedEarly?: boolean;
};

export interface WindowedResult {
  batchItemFailures: Array<{ itemIdentifier: string }>;
  /** Always present: without it Lambda takes a windowed call for a failed one. */
  state: Record<string, string>;
}

/** One page family of a writer: its fold, its window encoding and its page write. */
export interface FamilyWriter<C, D> {
  name: string;
  family: PageFamily<D>;
  pagesOf(changes: C[]): D[];
  firstSeq(page: D): string;
  apply(page: D, shardId: string): Promise<unknown>;
}

export type ParsedRecord<C> = { ok: true; change: C } | { ok: false; reason: string };

// biome-ignore lint/suspicious/noExplicitAny: families of different page types side by side
type AnyFamily<C> = FamilyWriter<C, any>;

export async function writePagesPerWindow<C>(
  event: WindowedStreamEvent,
  source: string,
  parse: (record: DynamoDBRecord) => ParsedRecord<C>,
  families: Array<AnyFamily<C>>,
): Promise<WindowedResult> {
  const shardId = event.shardId ?? 'default';
  const windowed = event.window !== undefined;
  const pending = windowed ? await pendingOf(event.state, source) : emptyPending();
  const changes: C[] = [];
  let skipped = 0;
  for (const record of event.Records ?? []) {
    const raw = record.dynamodb?.SequenceNumber;
    const seq = raw ? padSeq(raw) : undefined; // none: the parser quarantines the record
    if (windowed && seq && pending.upTo !== undefined && seq <= pending.upTo) {
      skipped += 1; // folded into this window already (a redelivery)
      continue;
    }
    const parsed = parse(record);
    if (parsed.ok) changes.push(parsed.change);
    else await quarantine(source, parsed.reason, record);
    if (windowed) pending.upTo = maxSeq(pending.upTo, seq);
  }

  if (!windowed) {
    const pages = families.flatMap((f) => f.pagesOf(changes).map((page) => ({ page, f })));
    const failedFrom = await writeAll(pages, shardId);
    const earliest = failedFrom.sort()[0];
    // Lambda resumes from the reported record: name it by its own sequence number string.
    const failure = earliest ? event.Records.find((r) => padSeq(r.dynamodb?.SequenceNumber ?? '') === earliest) : undefined;
    logger.info('pages written', { records: event.Records.length, pages: pages.length, failed: failedFrom.length });
    return { batchItemFailures: failure ? [{ itemIdentifier: failure.dynamodb!.SequenceNumber! }] : [], state: {} };
  }

  for (const f of families) foldInto(pending, f.name, f.family, f.pagesOf(changes));
  const state = encodeWindow(pending);
  const bytes = stateBytes(state);
  const ends = event.isFinalInvokeForWindow === true || event.isWindowTerminatedEarly === true;
  if (!ends && bytes <= WINDOW_STATE_MAX_BYTES) {
    // DEBUG: the stack logs at INFO, and a quiet shop's window is often a single fold call (log bytes are billed).
    logger.debug('pages folded into the window', { records: event.Records.length, skipped, stateBytes: bytes });
    return { batchItemFailures: [], state };
  }
  const pages = families.flatMap((f) => pendingDeltas(pending, f.name, f.family).map((page) => ({ page, f })));
  const failed = (await writeAll(pages, shardId)).length;
  logger.info('window pages written', { records: event.Records.length, skipped, pages: pages.length, failed, stateBytes: bytes, final: ends });
  // Thrown, not reported: Lambda calls again with the same state, and the pages written are skipped by their watermark.
  if (failed) throw new Error(`${failed} of ${pages.length} page writes failed; the window's pages are written again from the same state`);
  return { batchItemFailures: [], state: ends ? {} : encodeWindow(emptyPending(pending.upTo)) };
}

async function pendingOf(state: Record<string, string> | undefined, source: string): Promise<PendingPages> {
  const read = decodeWindow(state);
  if (read.ok) return read.pending;
  logger.warn('window state does not parse; the window goes on without it', { reason: read.reason });
  await quarantine(source, read.reason, state);
  return emptyPending();
}

/** Writes every page side by side; the first sequence number of each page that failed. */
async function writeAll<C>(pages: Array<{ page: unknown; f: AnyFamily<C> }>, shardId: string): Promise<string[]> {
  const results = await Promise.allSettled(pages.map(({ page, f }) => f.apply(page, shardId)));
  const failedFrom: string[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') return;
    failedFrom.push(pages[i]!.f.firstSeq(pages[i]!.page));
    logger.warn('page write failed', { error: r.reason as Error });
  });
  return failedFrom;
}
