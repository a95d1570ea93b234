/**
 * The functions' handlers as the local runtime calls them: observed (tests), nudging the stream reader
 * after an HTTP request, and the stream consumers' calls shaped as Lambda's event source mapping makes them.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { HTTP_ROUTES, type FunctionName } from '../functions/manifest.ts';

type Handlers = Record<FunctionName, (event: unknown) => Promise<unknown>>;
/** RuntimeOptions.onInvoke: wraps each call (tests, benchmarks). */
type OnInvoke = (fn: FunctionName, invoke: () => Promise<unknown>) => Promise<unknown>;

/** The handlers, each call passed through `onInvoke` when one is given. */
export function observed<H extends Handlers>(handlers: H, onInvoke: OnInvoke | undefined): H {
  if (!onInvoke) return handlers;
  const entries = Object.entries(handlers).map(([fn, handler]) => [fn, (event: unknown) => onInvoke(fn as FunctionName, () => handler(event))]);
  return Object.fromEntries(entries) as H;
}

/** The HTTP functions' handlers call `after` once they answered; the others (timers, stream, queues) are left as they are. */
export function afterEachRequest<H extends Handlers>(handlers: H, after: () => void): H {
  const http = new Set(HTTP_ROUTES.map((r) => r.fn));
  const entries = Object.entries(handlers).map(([fn, handler]) => [
    fn,
    http.has(fn as FunctionName) ? (event: unknown) => handler(event).finally(after) : handler,
  ]);
  return Object.fromEntries(entries) as H;
}

/**
 * A stream consumer called with at most `size` records at a time. A slice that fails (reported or thrown) ends
 * the call with that slice's first record as the batch item failure, so the reader resumes from there. In a
 * tumbling window each slice gets the state the slice before returned, and the call returns the last one's
 * (a failed slice's calls before it succeeded, as separate Lambda calls would have); a call without records
 * (a window's final call) is passed on as it is.
 */
export function inBatchesOf(size: number | undefined, handler: (event: unknown) => Promise<unknown>): (event: unknown) => Promise<unknown> {
  if (!size) return handler;
  return async (event) => {
    const { Records, ...rest } = event as { Records: DynamoDBRecord[]; state?: Record<string, string> };
    if (Records.length === 0) return handler(event);
    const windowed = 'window' in rest;
    let state = rest.state;
    for (let i = 0; i < Records.length; i += size) {
      const slice = Records.slice(i, i + size);
      const first = { itemIdentifier: slice[0]!.dynamodb!.SequenceNumber! };
      const result = (await handler({ ...rest, ...(windowed ? { state } : {}), Records: slice }).catch((error: unknown) => {
        if (i === 0) throw error;
        return { batchItemFailures: [first], ...(windowed ? { state } : {}) };
      })) as { batchItemFailures?: Array<{ itemIdentifier: string }>; state?: Record<string, string> } | undefined;
      if (windowed) state = result?.state;
      if (result?.batchItemFailures?.length) return result;
    }
    return { batchItemFailures: [], ...(windowed ? { state } : {}) };
  };
}

/**
 * A page writer whose every call is a tumbling window of its own (streamWindowSeconds 0: a quiet shop's record alone
 * in its window, the most it can cost): the call with the records, then the window's final call, as Lambda makes them.
 */
export function windowPerCall(handler: (event: unknown) => Promise<unknown>): (event: unknown) => Promise<unknown> {
  return async (event) => {
    const now = new Date().toISOString();
    const call = { ...(event as object), window: { start: now, end: now }, state: {}, isFinalInvokeForWindow: false, isWindowTerminatedEarly: false };
    const result = (await handler(call)) as { batchItemFailures?: unknown[]; state?: Record<string, string> } | undefined;
    if (result?.batchItemFailures?.length) return result;
    await handler({ ...call, Records: [], state: result?.state ?? {}, isFinalInvokeForWindow: true });
    return { batchItemFailures: [] };
  };
}
