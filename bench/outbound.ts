/**
 * Outbound deliveries on the local runtime (startRuntime with its default timers; deliveries to a real
 * HTTP receiver on 127.0.0.1 that checks every signature with the `standardwebhooks` library):
 *
 *  1. Latency: 40 customers answer an NPS survey (a promoter score, no-script button), one every
 *     200 ms; time from the answer's POST to its response.created webhook at the receiver. Goal p95 ≤ 2 s.
 *  2. Reliability: 1,000 final answers written to the table (so the stream, the emitter, the queue and
 *     the delivery function all take part) while the receiver answers 500 to a random half of all
 *     requests. Every event must be accepted exactly once (0 lost, 0 duplicates by webhook-id), or be
 *     dead-lettered with its reason (none expected: 16 attempts). The retry schedule is scaled by
 *     OUTBOUND_RETRY_SCALE (printed) so the hours of the real schedule take seconds.
 *
 *   npm run bench:outbound
 */
import { loadavg } from 'node:os';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoResponseStore } from '../functions/adapters/dynamodb/response-store.ts';
import { localDynamoClient } from '../local/dynamodb.ts';
import { startRuntime } from '../local/runtime.ts';
import type { SurveyResponse } from '../surveys/model.ts';
import { mailsTo, orderDelivered, postForm, ratingLinks, waitFor } from '../test/support/http.ts';
import { startReceiver } from '../test/support/receiver.ts';
import { writeSection } from './results.ts';

const ANSWERS = 40;
const ANSWER_EVERY_MS = 200;
const EVENTS = 1000;
const FAILURE_RATE = 0.5;
const RETRY_SCALE = 0.002; // 5 s → 10 ms; 4 h → 29 s
const GOAL_P95_S = 2;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const seconds = (ms: number) => (ms / 1000).toFixed(2);

const receiver = await startReceiver();
const runtime = await startRuntime({ log: () => undefined, outboundRetryScale: RETRY_SCALE });
try {
  const api = (path: string, init?: RequestInit) => fetch(`${runtime.apiUrl}${path}`, init);
  const register = async (path: string, store: string) => {
    const res = await api('/api/endpoints', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'webhook', url: `${receiver.url}${path}`, events: ['response.created'], filter: { store } }),
    });
    if (res.status !== 201) throw new Error(`POST /api/endpoints answered ${res.status}`);
    const { id, secret } = (await res.json()) as { id: string; secret: string };
    receiver.secrets.set(path, secret);
    return id;
  };
  const run = Date.now().toString(36);
  const invitationOf = (body: string) => (JSON.parse(body) as { data: { invitationId: string } }).data.invitationId;

  // 1. Latency: the whole path, from a person's answer.
  await register('/latency', `lat-${run}`);
  const customers = Array.from({ length: ANSWERS }, (_, i) => `out-${run}-${i}`);
  const events = customers.map((customerId, i) =>
    orderDelivered({ eventId: `out-${run}-${i}`, customerId, email: `${customerId}@example.com`, store: `lat-${run}` }),
  );
  for (let i = 0; i < events.length; i += 5) {
    // Small requests: on a loaded machine 40 triggers in one request can outlast the local 30 s function budget.
    const posted = await api('/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events.slice(i, i + 5)) });
    if (posted.status !== 202) throw new Error(`POST /events answered ${posted.status}`);
  }
  const links = new Map<string, string>();
  await waitFor(
    'every survey mail',
    async () => {
      for (const customerId of customers) {
        if (links.has(customerId)) continue;
        const [mail] = await mailsTo(runtime.sesUrl, `${customerId}@example.com`);
        if (mail) links.set(customerId, ratingLinks(mail.body.html!).get(9)!.split('?')[0]!);
      }
      return links.size === ANSWERS ? true : undefined;
    },
    60_000,
    250,
  );
  await new Promise((r) => setTimeout(r, 2100)); // answers within 2 s of sending count as scanners
  const answeredAt = new Map<string, number>();
  const answers: Array<Promise<Response>> = [];
  for (const customerId of customers) {
    const url = links.get(customerId)!;
    answeredAt.set(url.split('/r/')[1]!.split('.')[0]!, Date.now());
    answers.push(postForm(url, { score: '9', evidence: 'button' }));
    await new Promise((r) => setTimeout(r, ANSWER_EVERY_MS));
  }
  if ((await Promise.all(answers)).some((r) => r.status !== 200)) throw new Error('some answers were refused');
  await waitFor('every latency webhook', async () => (receiver.accepted('/latency').length >= ANSWERS ? true : undefined), 60_000, 50);
  const latencies = receiver.accepted('/latency').map((r) => r.at - answeredAt.get(invitationOf(r.body))!);
  const latencyVerified = receiver.accepted('/latency').every((r) => r.verified === true);

  // 2. Reliability: a receiver that fails half of all requests.
  const endpointId = await register('/flaky', `rel-${run}`);
  const previous = receiver.answer;
  receiver.answer = (req) => (req.path === '/flaky' && Math.random() < FAILURE_RATE ? { status: 500 } : previous(req));
  const store = new DynamoResponseStore(DynamoDBDocumentClient.from(localDynamoClient(runtime.dynamoEndpoint)), runtime.tableName, 400);
  const at = new Date().toISOString();
  const started = Date.now();
  const ids = Array.from({ length: EVENTS }, (_, i) => `rel-${run}-${i}`);
  for (let i = 0; i < ids.length; i += 25) {
    await Promise.all(
      ids.slice(i, i + 25).map((invitationId, j) => {
        const response: SurveyResponse = {
          invitationId,
          surveyId: 'nps-post-purchase',
          metric: 'nps',
          customerId: `rel-${run}-c${i + j}`,
          score: 9,
          segments: { store: `rel-${run}`, channel: 'online' },
          locale: 'en',
          subjectRef: `o-${i + j}`,
          status: 'final',
          version: 1,
          answeredAt: at,
          updatedAt: at,
        };
        return store.putResponse(response, 0);
      }),
    );
  }
  const deliveries = async () => (await (await api(`/api/endpoints/${endpointId}/deliveries?limit=500`)).json()) as Array<{ status: string; eventId: string }>;
  const deadLettered = () => runtime.queues.outbound!.deadLetter.size;
  await waitFor(
    'every event accepted or dead-lettered',
    async () => {
      const done = new Set(receiver.accepted('/flaky').map((r) => invitationOf(r.body))).size + deadLettered();
      if (Date.now() % 10_000 < 200)
        process.stderr.write(`  ${done}/${EVENTS} accepted or dead-lettered, ${receiver.received.filter((r) => r.path === '/flaky').length} requests\n`);
      return done >= EVENTS ? true : undefined;
    },
    15 * 60_000,
    200,
  );
  const elapsed = Date.now() - started;
  await new Promise((r) => setTimeout(r, 2000)); // anything still in flight would show up as a duplicate now
  receiver.answer = previous;

  const flaky = receiver.received.filter((r) => r.path === '/flaky');
  const accepted = receiver.accepted('/flaky');
  const acceptedIds = accepted.map((r) => r.headers['webhook-id']!);
  const unique = new Set(acceptedIds);
  const invitations = new Set(accepted.map((r) => invitationOf(r.body)));
  const duplicates = acceptedIds.length - unique.size;
  const lost = ids.filter((id) => !invitations.has(id)).length - deadLettered();
  const attemptsPerEvent = new Map<string, number>();
  for (const r of flaky) attemptsPerEvent.set(r.headers['webhook-id']!, (attemptsPerEvent.get(r.headers['webhook-id']!) ?? 0) + 1);
  const attempts = [...attemptsPerEvent.values()];
  const listed = await deliveries();

  const p95 = quantile(latencies, 0.95);
  const body = [
    `### Answer → webhook delivered`,
    '',
    `${ANSWERS} answers (NPS 9, no-script button), one every ${ANSWER_EVERY_MS} ms, on the local runtime with its default timers (stream polled every 250 ms,`,
    `the delivery queue every 50 ms); a webhook endpoint for response.created on a receiver at 127.0.0.1. Signatures verified with standardwebhooks: ${latencyVerified ? 'all' : 'NOT all'}.`,
    '',
    '| from the answer (POST) to | median | p95 | max |',
    '| --- | --- | --- | --- |',
    `| the response.created webhook at the receiver | ${seconds(quantile(latencies, 0.5))} s | ${seconds(p95)} s | ${seconds(Math.max(...latencies))} s |`,
    '',
    `Goal: p95 ≤ ${GOAL_P95_S} s — ${p95 <= GOAL_P95_S * 1000 ? 'met' : 'NOT met'}.`,
    '',
    `### ${EVENTS} events, receiver failing ${FAILURE_RATE * 100} % of requests`,
    '',
    `${EVENTS} final answers written to the table → stream → emitOutbound → local SQS → deliverOutbound → receiver answering 500 at random to half of all requests.`,
    `Retry schedule scaled by OUTBOUND_RETRY_SCALE=${RETRY_SCALE} (first wait 5 s → ${5 * RETRY_SCALE * 1000} ms, cap 4 h → ${Math.round(4 * 3600 * RETRY_SCALE)} s).`,
    '',
    '| events | accepted once | lost | duplicates (same webhook-id accepted twice) | dead-lettered | requests | attempts per event: median / max | all accepted within | signatures verified |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${EVENTS} | ${unique.size} | ${lost} | ${duplicates} | ${deadLettered()} | ${flaky.length} | ${quantile(attempts, 0.5)} / ${Math.max(...attempts)} | ${seconds(elapsed)} s | ${accepted.every((r) => r.verified === true) ? 'all' : 'NOT all'} |`,
    '',
    `Deliveries list (GET /api/endpoints/{id}/deliveries, newest 500): ${listed.filter((d) => d.status === 'delivered').length} delivered, ${listed.filter((d) => d.status !== 'delivered').length} other.`,
    `Goal: 0 lost, 0 duplicates — ${lost === 0 && duplicates === 0 ? 'met' : 'NOT met'}.`,
    '',
    `Load average at the end (the machine is shared): ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min).`,
  ].join('\n');
  writeSection('outbound', 'npm run bench:outbound', body);
  console.log(body);
} finally {
  await runtime.stop();
  await receiver.close();
}
