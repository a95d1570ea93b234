/**
 * Stopping the local runtime: it deletes its table on the shared DynamoDB Local, so whatever is still at
 * work (a scheduled run, a stream batch, a request) must finish first; otherwise the run fails on a
 * table that is gone and the stop leaves "non-existent table" errors in the log.
 */
import { describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime.ts';
import { mailsTo, orderDelivered, waitFor } from '../support/http.ts';

const postOrders = (apiUrl: string, tag: string, n: number) =>
  fetch(`${apiUrl}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(Array.from({ length: n }, (_, i) => orderDelivered({ eventId: `${tag}-${i}`, customerId: `${tag}-c-${i}` }))),
  });

describe('stopping the local runtime', () => {
  it('Should let the scheduled runs, stream batches and requests in flight finish before it deletes the table, logging no error', async () => {
    // Prepare: a sweep every few milliseconds and surveys due at once (one runtime per file: the handlers' clients are module state)
    const lines: string[] = [];
    const runtime = await startTestRuntime({ sweepIntervalMs: 5, streamPollMs: 5, delayScale: 1e-9, log: (line) => lines.push(line) });
    expect((await postOrders(runtime.apiUrl, 'stop-busy', 10)).status).toBe(202);
    await waitFor('a first survey mail', async () => ((await mailsTo(runtime.sesUrl, 'stop-busy-c-0@example.com')).length ? true : undefined), 30_000);

    // Act: stop while a sweep is sending, another run is queued by hand and more orders are being posted
    const posting = postOrders(runtime.apiUrl, 'stop-late', 10).then(
      (r) => r.status,
      (e: Error) => e.message,
    );
    const run = runtime.runScheduled('sendDue');
    let settled = false;
    const outcome = run.then(
      () => 'done',
      (e: Error) => `failed: ${e.message}`,
    );
    void outcome.finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    await runtime.stop();
    await new Promise((r) => setTimeout(r, 300)); // anything still running after the stop would fail and log now

    // Assess
    expect(settled, 'the sweep queued by hand had finished when stop() resolved').toBe(true);
    expect(await outcome).toBe('done');
    expect(await posting).toBe(202);
    expect(lines.filter((line) => /fail|non-existent|not found/i.test(line))).toEqual([]);
  }, 60_000);
});
