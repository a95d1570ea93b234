/**
 * Click-to-alert latency on the local runtime (startRuntime, its default timers: the stream is polled
 * every 250 ms, the alert sweep runs every second): 50 customers get an NPS survey, each clicks a
 * detractor score (0-6) with the no-script button, one click every 200 ms; a poller reads
 * GET /api/alerts every 100 ms and notes when each alert is first listed. Also the time to the SNS
 * notification (no comment given, so it waits the local comment wait of 5 s). Goal: p95 ≤ 10 s.
 *
 *   npm run bench:alerts
 */
import { startRuntime } from '../local/runtime.ts';
import { mailsTo, orderDelivered, postForm, ratingLinks, waitFor } from '../test/support/http.ts';
import { writeSection } from './results.ts';

const CLICKS = 50;
const CLICK_EVERY_MS = 200;
const POLL_EVERY_MS = 100;
const GOAL_P95_S = 10;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const seconds = (ms: number) => (ms / 1000).toFixed(2);

const runtime = await startRuntime({ log: () => undefined });
try {
  const api = (path: string, init?: RequestInit) => fetch(`${runtime.apiUrl}${path}`, init);
  const run = Date.now().toString(36);
  const customers = Array.from({ length: CLICKS }, (_, i) => `bench-${run}-${i}`);
  const events = customers.map((customerId, i) => orderDelivered({ eventId: `bench-${run}-${i}`, customerId, email: `${customerId}@example.com` }));
  const posted = await api('/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
  if (posted.status !== 202) throw new Error(`POST /events answered ${posted.status}`);

  const links = new Map<string, string>();
  await waitFor(
    'every survey mail',
    async () => {
      for (const customerId of customers) {
        if (links.has(customerId)) continue;
        const [mail] = await mailsTo(runtime.sesUrl, `${customerId}@example.com`);
        if (mail) links.set(customerId, ratingLinks(mail.body.html!).get(0)!.split('?')[0]!);
      }
      return links.size === CLICKS ? true : undefined;
    },
    60_000,
    250,
  );
  await new Promise((r) => setTimeout(r, 2100)); // answers within 2 s of sending count as scanners

  // The poller: first time each alert is listed.
  const firstListed = new Map<string, number>();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const listed = (await (await api('/api/alerts?status=open&limit=500')).json()) as Array<{ id: string }>;
      const now = Date.now();
      for (const a of listed) if (!firstListed.has(a.id)) firstListed.set(a.id, now);
      await new Promise((r) => setTimeout(r, POLL_EVERY_MS));
    }
  })();

  const clickedAt = new Map<string, number>();
  const answers: Array<Promise<Response>> = [];
  for (const [i, customerId] of customers.entries()) {
    const url = links.get(customerId)!;
    const alertId = `detractor-${url.split('/r/')[1]!.split('.')[0]}`;
    clickedAt.set(alertId, Date.now());
    answers.push(postForm(url, { score: String(i % 7), evidence: 'button' }));
    await new Promise((r) => setTimeout(r, CLICK_EVERY_MS));
  }
  const statuses = (await Promise.all(answers)).map((r) => r.status);
  if (statuses.some((s) => s !== 200)) throw new Error(`some answers were refused: ${statuses.join(',')}`);
  await waitFor('every alert', async () => ([...clickedAt.keys()].every((id) => firstListed.has(id)) ? true : undefined), 60_000, 100);
  polling = false;
  await poller;

  // Notifications: no comment was left, so each waits for the comment wait, then the sweep sends it.
  const notifiedAt = new Map<string, number>();
  await waitFor(
    'every notification',
    async () => {
      const outbox = (await (await api('/local/outbox?channel=alert')).json()) as Array<{ body: string; at: string }>;
      for (const m of outbox) {
        const id = decodeURIComponent(/#alert=([^\s]+)/.exec(m.body)?.[1] ?? '');
        if (clickedAt.has(id) && !notifiedAt.has(id)) notifiedAt.set(id, Date.parse(m.at));
      }
      return notifiedAt.size === CLICKS ? true : undefined;
    },
    60_000,
    250,
  );

  const toAlert = [...clickedAt].map(([id, at]) => firstListed.get(id)! - at);
  const toNotification = [...clickedAt].map(([id, at]) => notifiedAt.get(id)! - at);
  const p95 = quantile(toAlert, 0.95);
  const body = [
    `${CLICKS} detractor clicks (NPS 0-6, no-script button), one every ${CLICK_EVERY_MS} ms, on the local runtime with its default timers`,
    `(stream polled every 250 ms, alert sweep every second, comment wait ${process.env.ALERT_COMMENT_WAIT_SECONDS ?? '5'} s); GET /api/alerts polled every ${POLL_EVERY_MS} ms.`,
    '',
    '| from the click to | median | p95 | max |',
    '| --- | --- | --- | --- |',
    `| the alert listed by GET /api/alerts | ${seconds(quantile(toAlert, 0.5))} s | ${seconds(p95)} s | ${seconds(Math.max(...toAlert))} s |`,
    `| the SNS notification (no comment: after the wait) | ${seconds(quantile(toNotification, 0.5))} s | ${seconds(quantile(toNotification, 0.95))} s | ${seconds(Math.max(...toNotification))} s |`,
    '',
    `Goal: click-to-alert p95 ≤ ${GOAL_P95_S} s — ${p95 <= GOAL_P95_S * 1000 ? 'met' : 'NOT met'}.`,
  ].join('\n');
  writeSection('alert-latency', 'npm run bench:alerts', body);
  console.log(body);
} finally {
  await runtime.stop();
}
