/**
 * Write units per answered survey, end to end: event → invitation → send → the person opens the
 * link and answers (score and comment) → aggregate → alert, measured on DynamoDB Local with
 * ReturnConsumedCapacity on every call the handlers make.
 *
 * How: the in-process runtime (startRuntime, background off: this script runs the due sweep, the
 * stream consumers and the alert sweep itself, so every write falls in a known stage), and one SDK
 * middleware on the shared document client (functions/shared/clients.ts — the very instance the
 * handlers use in-process) that asks every call for its consumed capacity and adds it up per stage
 * and per item kind. Surveys go through the contracts only: POST /events; by e-mail, the mails in the
 * local SES store, GET of the rating link, POST of the answer with { score, evidence: 'button', comment };
 * by SMS, the messages in the local outbox and a reply posted to /local/sms-inbound ("2 the comment").
 *
 * The floor — the writes one answered e-mail survey cannot avoid, each item under 1 KB (1 WCU):
 *   1  the invitation must be stored (keyed so that a redelivered event finds it: dedupe included);
 *   1  the customer's "last surveyed" mark, or fatigue (one survey per 30 days) cannot be enforced;
 *   1  the send must be recorded, or a retried sweep sends twice;
 *   1  the response must be stored (its comment posted with it, in the same write);
 *   a  the aggregate: one write per touched score page per stream batch, amortized over the batch's
 *      responses (a = the page writes measured here / answers);
 *   d  the alert, for the share d of answers that are detractors.
 * Floor F = 4 + a + d. By SMS answered with a reply, one more: the number → survey mark that lets a
 * reply find its survey (F = 5 + a + d). Not in the floor, and so visible in the breakdown:
 * transactions (2× per item), index copies, the rate-limit counters, link-open notes, the event
 * dedupe item, contact lookups, short links, customer health, alert state changes.
 *
 * The same run counts every handler call (the runtime's onInvoke hook) and the bytes of every line the
 * handlers write at INFO, the level of the stack (bench/handler-meter.ts), for the cost model's Lambda
 * requests and CloudWatch Logs. Stream batches: the reader's (up to 100 records: a busy shop's, whose 300 s
 * windows fill; the page writers' tumbling window ends with each stage) by default, written to the `wcu` section;
 * WCU_STREAM_BATCH=1 calls every stream consumer once per record, each page writer in a window of its own (a
 * quiet shop's trickle, the most it can cost) and writes only the cost-model inputs, to the `wcu-quiet` section. The cost model prices both. The report: bench/lifecycle-report.ts.
 *
 *   npm run bench:wcu            (SURVEYS=50 SMS_SURVEYS=20 npm run bench:wcu for a shorter run;
 *                                 WCU_JSON=file writes the deterministic figures there instead of RESULTS.md;
 *                                 npm run bench:wcu-quiet for the quiet shop; WCU_LOG_DUMP=file lists the lines counted)
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { SCHEDULES } from '../functions/manifest.ts';
import { dynamoDocumentClient } from '../functions/shared/clients.ts';
import { logger } from '../functions/shared/logger.ts';
import { startRuntime } from '../local/runtime.ts';
import { BROWSER_UA, orderDelivered, postForm, ratingLinks, waitFor, type StoredEmail } from '../test/support/http.ts';
import { HandlerMeter } from './handler-meter.ts';
import { type Channel, IDLE, INPUTS_HEADING, resultsBody, SCANNER, SMS_LINK, type Stage, type Tally } from './lifecycle-report.ts';
import { TRACE_HEADER } from './log-bytes.ts';
import { writeSection } from './results.ts';
import { awsTransactionUnits, kindOf, kindsOf, unitsOf } from './wcu-meter.ts';
import { scanItems, storageTable, storedByKind } from './item-bytes.ts';

const SURVEYS = Number(process.env.SURVEYS ?? 200);
const SMS_SURVEYS = Number(process.env.SMS_SURVEYS ?? 50);
const STREAM_BATCH = Number(process.env.WCU_STREAM_BATCH ?? 100);
/** Items only an answered survey leaves (kind names of bench/wcu-meter.ts). */
const ANSWER_SIDE_ITEMS = ['response', 'alert', 'link opens', 'score page', 'TOPIC/DAY'];
const RETENTION_DAYS = 400; // RESPONSE_RETENTION_DAYS' default (functions/adapters/dynamodb/retention.ts)
const WRITES = /^(Put|Update|Delete|TransactWrite|BatchWrite)/;
const READS = /^(Get|Query|Scan|BatchGet|TransactGet)/;

// Set before the runtime starts: the benchmark answers from one loopback address, alerts go out at
// once (no wait for a comment: the comment comes with the answer). Handlers log at INFO, the stack's
// level, with the EMF metric lines Lambda would get and the trace id Lambda sets on every invocation,
// all counted and kept out of the terminal (bench/handler-meter.ts).
Object.assign(process.env, {
  RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000',
  ALERT_COMMENT_WAIT_SECONDS: '0',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_METRICS_DISABLED: 'false',
  _X_AMZN_TRACE_ID: TRACE_HEADER,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

/** A mail security scanner's fetch of a rating link, tallied apart from the surveys (the model counts it per e-mail sent). */
const SCANNER_UA = 'Mozilla/5.0 (compatible; urldefense.proofpoint.com link check)';
let channel: Channel | typeof SCANNER | typeof SMS_LINK | typeof IDLE = 'email';
let stage: Stage = 'event';
let counting = true; // off while the benchmark itself reads the table

const writes = new Map<string, Tally>(); // `${channel}|${stage}|${kind}`
const reads = new Map<string, Tally>(); // `${channel}|${stage}`
const add = (map: Map<string, Tally>, key: string, units: number, aws = units) => {
  const t = map.get(key) ?? { calls: 0, units: 0, aws: 0 };
  t.calls += 1;
  t.units += units;
  t.aws += aws;
  map.set(key, t);
};

// WCU_DYNAMO_ENDPOINT: a running DynamoDB Local (the test run's), a table of its own in it, instead of a JVM of its own.
const meter = new HandlerMeter(() => `${channel}|${stage}`);
const runtime = await startRuntime({
  background: false,
  dynamoEndpoint: process.env.WCU_DYNAMO_ENDPOINT,
  tableName: `ankieta-wcu-${process.pid}`,
  streamBatchSize: STREAM_BATCH,
  // The page writers' tumbling windows: a quiet shop's record is alone in its window (0); a busy run's window ends
  // at each stage's drainStream (a day on the clock: never in the middle of a stage), all of a stage in one window.
  streamWindowSeconds: STREAM_BATCH === 1 ? 0 : 86_400,
  onInvoke: meter.onInvoke,
});
const api = runtime.apiUrl;
logger.setLogLevel('INFO'); // whatever the shell's POWERTOOLS_LOG_LEVEL was when the logger was first imported
meter.capture();

// One middleware on the handlers' own client: every call asks for, and reports, its consumed capacity.
dynamoDocumentClient().middlewareStack.add(
  (next, context) => async (args) => {
    const name = context.commandName ?? '';
    const input = args.input as Record<string, any>;
    const isWrite = WRITES.test(name);
    const isRead = READS.test(name);
    if (!counting) return next(args);
    if (isWrite || isRead) input.ReturnConsumedCapacity = 'INDEXES';
    const kinds = isWrite ? kindsOf(name, input) : '';
    try {
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const units = unitsOf(consumed);
      if (isWrite) add(writes, `${channel}|${stage}|${kinds}`, units, name.startsWith('TransactWrite') ? awsTransactionUnits(input, consumed) : units);
      else if (isRead) add(reads, `${channel}|${stage}`, units);
      return result;
    } catch (error) {
      // A refused conditional write: AWS bills it (1 WCU per KB); DynamoDB Local reports nothing, so it is counted as 1.
      if (isWrite) add(writes, `${channel}|${stage}|${kinds} (refused)`, 0, 1);
      throw error;
    }
  },
  { step: 'initialize', name: 'benchConsumedCapacity' },
);

const millis: Record<string, number[]> = {};
async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await run();
  } finally {
    (millis[what] ??= []).push(performance.now() - t0);
  }
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sweeps until `done` holds, timing the sweeps that sent something (per message sent). */
let sweepMs = 0;
let sweepSent = 0;
async function sweepUntil<T>(what: string, done: () => Promise<T | undefined>): Promise<T> {
  return waitFor(
    what,
    async () => {
      const t0 = performance.now();
      const summary = (await runtime.sweep()) as { sent?: number } | undefined;
      if (summary?.sent) {
        sweepMs += performance.now() - t0;
        sweepSent += summary.sent;
      }
      return done();
    },
    180_000,
    500,
  );
}

/** Then the stream consumers (aggregate, alert, health) and the alert sweep until every alert is out. */
async function aggregateAndAlert(detractors: number, alertsBefore: number, n: number): Promise<void> {
  stage = 'response stream';
  const t0 = performance.now();
  await runtime.drainStream();
  (millis[`stream per answer (${channel})`] ??= []).push((performance.now() - t0) / n);
  stage = 'alert sweep';
  await waitFor(
    'every alert published',
    async () => {
      await runtime.runScheduled('alertSweep');
      return runtime.outbox.list('alert').length >= alertsBefore + detractors ? true : undefined;
    },
    60_000,
    200,
  );
  stage = 'response stream';
  await runtime.drainStream(); // alert items pass no consumer's filter; drained so nothing is left for the next run
}

const COMMENTS = ['Paczka przyszła zniszczona, nikt nie odpisał.', 'Fast delivery, thank you!', 'Kurier się spóźnił dwa dni.', 'All good.'];
const post = (path: string, body: unknown) =>
  fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** E-mail: NPS after delivery; 30 % detractors (0-6), 20 % passives, 50 % promoters; a comment with every other answer. */
async function emailLifecycles(n: number): Promise<{ detractors: number }> {
  channel = 'email';
  const scoreOf = (i: number) => [0, 3, 6, 7, 8, 9, 9, 10, 10, 10][i % 10]!;
  const emails = Array.from({ length: n }, (_, i) => `wcu-${i}@example.com`);
  stage = 'event';
  for (let i = 0; i < n; i++) {
    const res = await timed('POST /events', () =>
      post(
        '/events',
        orderDelivered({ eventId: `wcu-${i}`, customerId: `wcu-${i}`, email: emails[i], locale: i % 3 ? 'pl-PL' : 'en-GB', store: `store-${i % 5}` }),
      ),
    );
    const body = (await res.json()) as { results: Array<{ outcome?: string }> };
    if (res.status !== 202 || body.results[0]?.outcome !== 'scheduled') throw new Error(`event ${i}: ${res.status} ${JSON.stringify(body)}`);
  }
  stage = 'event stream';
  await runtime.drainStream();

  stage = 'send'; // the NPS delay is 3 s locally
  const mails = await sweepUntil('every mail', async () => {
    const store = (await (await fetch(`${runtime.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
    const ours = store.emails.filter((e) => e.destination.to.some((to) => to.startsWith('wcu-')));
    return ours.length >= n ? ours : undefined;
  });
  const links = emails.map((email, i) => ratingLinks(mails.find((m) => m.destination.to.includes(email))!.body.html!).get(scoreOf(i))!);
  // A mail security scanner fetches a link as the mail arrives (known by its user agent here; by its network or
  // its timing otherwise): what the model's scanner fetch per e-mail costs. The same link the person opens
  // later, so the person's open and answer are judged as without it.
  channel = SCANNER;
  for (const link of links) await (await timed('GET /r/{token} (scanner)', () => fetch(link, { headers: { 'user-agent': SCANNER_UA } }))).text();
  channel = 'email';
  stage = 'event stream';
  await runtime.drainStream(); // nothing of the send passes a consumer's filter; drained so it cannot leak into later stages
  await pause(2100); // answers within 2 s of sending are a scanner's

  // The person opens the link of their score (the page) and, over 2 s later (sooner is a scanner's), presses Send.
  stage = 'open link';
  for (const [i, link] of links.entries()) {
    const page = await timed('GET /r/{token}', () => fetch(link, { headers: { 'user-agent': BROWSER_UA } }));
    await page.text();
    if (page.status !== 200) throw new Error(`page ${i}: ${page.status}`);
  }
  await pause(2100);
  stage = 'answer';
  for (const [i, link] of links.entries()) {
    const fields: Record<string, string> = {
      score: String(scoreOf(i)),
      evidence: 'button',
      ...(i % 2 === 0 ? { comment: COMMENTS[(i / 2) % COMMENTS.length]! } : {}),
    };
    const answered = await timed('POST /r/{token}', () => postForm(link.split('?')[0]!, fields));
    await answered.text();
    if (answered.status !== 200) throw new Error(`answer ${i}: ${answered.status}`);
  }
  const detractors = links.filter((_, i) => scoreOf(i) <= 6).length;
  await aggregateAndAlert(detractors, runtime.outbox.list('alert').length, n);
  return { detractors };
}

/** SMS: CSAT after a solved ticket, answered by an SMS reply; 20 % detractors (1-2); words after the number on every other reply. */
async function smsLifecycles(n: number): Promise<{ detractors: number }> {
  channel = 'sms';
  const scoreOf = (i: number) => [1, 2, 3, 4, 4, 5, 5, 5, 5, 5][i % 10]!;
  // A zone where it is daytime now: SMS in quiet hours (21:00-09:00) wait for the morning.
  const zone = ['Europe/Warsaw', 'America/New_York', 'Asia/Tokyo', 'America/Los_Angeles', 'Australia/Sydney'].find((tz) => {
    const hour = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: tz }).format(new Date()));
    return hour >= 10 && hour < 20;
  })!;
  const phones = Array.from({ length: n }, (_, i) => `+48600${String(100_000 + i)}`);
  stage = 'event';
  for (let i = 0; i < n; i++) {
    const res = await post('/events', {
      source: 'helpdesk.example',
      'detail-type': 'ticket.solved',
      detail: {
        eventId: `wcu-sms-${i}`,
        occurredAt: new Date().toISOString(),
        customer: { id: `wcu-sms-${i}`, phone: phones[i], locale: 'pl-PL', timezone: zone, consent: { email: false, sms: true } },
        ticket: { id: `t-${i}`, agentId: `agent-${i % 4}`, team: i % 2 ? 'billing' : 'shipping', channel: 'phone', subject: 'Zwrot' },
      },
    });
    const body = (await res.json()) as { results: Array<{ outcome?: string }> };
    if (res.status !== 202 || body.results[0]?.outcome !== 'scheduled') throw new Error(`sms event ${i}: ${res.status} ${JSON.stringify(body)}`);
  }
  stage = 'event stream';
  await runtime.drainStream();
  stage = 'send'; // the CSAT delay is 1 s locally
  await sweepUntil('every SMS', async () => (runtime.outbox.list('sms').filter((m) => phones.includes(m.to)).length >= n ? true : undefined));
  stage = 'event stream';
  await runtime.drainStream();
  await pause(2100);
  stage = 'answer';
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const reply = await timed('POST /local/sms-inbound', () =>
      post('/local/sms-inbound', {
        originationNumber: phones[i],
        destinationNumber: '+48500000000',
        messageKeyword: 'KEYWORD',
        inboundMessageId: `wcu-in-${i}`,
        messageBody: `${scoreOf(i)}${i % 2 === 0 ? ` ${COMMENTS[(i / 2) % COMMENTS.length]}` : ''}`,
      }),
    );
    const outcome = await reply.text();
    if (reply.status !== 202 || !outcome.includes('answered')) throw new Error(`sms reply ${i}: ${reply.status} ${outcome}`);
    meter.count('smsInbound', performance.now() - t0); // the local route calls the handler itself (SNS invokes it once per SMS on AWS)
  }
  const detractors = Array.from({ length: n }, (_, i) => scoreOf(i)).filter((s) => s <= 2).length;
  await aggregateAndAlert(detractors, runtime.outbox.list('alert').length, n);
  // Each SMS's short link fetched once, tallied apart: the redirect the cost model's SMS answers go through.
  channel = SMS_LINK;
  stage = 'open link';
  for (const sms of runtime.outbox.list('sms').filter((m) => phones.includes(m.to))) {
    const link = /https?:\/\/\S+\/s\/\w+/.exec(sms.body)?.[0];
    const redirect = link ? await fetch(link, { redirect: 'manual' }) : undefined;
    await redirect?.text();
    if (redirect?.status !== 302) throw new Error(`short link of ${sms.messageId}: ${redirect?.status ?? 'none in the text'}`);
  }
  channel = 'sms';
  return { detractors };
}

/** Items written once per page per stream batch: their share per survey depends on the batch sizes. */
const BATCHED_PAGES = ['score page', 'FUNNEL/DAY', 'TOPIC/DAY'];
/** WCU per survey without the batched pages (score, funnel, topic): the rest is deterministic. */
const withoutAggregate = (ch: Channel, n: number) =>
  [...writes.entries()].filter(([k]) => k.startsWith(`${ch}|`) && !BATCHED_PAGES.some((page) => k.endsWith(`|${page}`))).reduce((s, [, t]) => s + t.aws, 0) / n;

try {
  const email = await emailLifecycles(SURVEYS);
  const sms = SMS_SURVEYS > 0 ? await smsLifecycles(SMS_SURVEYS) : undefined;

  // What a survey leaves in the table, for storage costs: sizes as DynamoDB counts them, index copies, months until the TTL.
  counting = false;
  const items = await scanItems(dynamoDocumentClient(), runtime.tableName);
  const surveys = SURVEYS + SMS_SURVEYS;
  const bytesPerSurvey = items.reduce((sum, item) => sum + JSON.stringify(item).length, 0) / surveys;
  const stored = storedByKind(items, kindOf, Math.floor(Date.now() / 1000), RETENTION_DAYS);
  // Every survey of the run is answered; the model needs what any survey stores and what only an answer adds.
  const byteMonths = (answerSide: boolean, of: 'byteMonths' | 'tableByteMonths' = 'byteMonths') =>
    stored.filter((k) => ANSWER_SIDE_ITEMS.includes(k.kind) === answerSide).reduce((sum, k) => sum + k[of], 0) / surveys;

  // The sweeps once more with nothing to do: what each of their runs every minute writes (the month's fixed cost).
  channel = IDLE;
  stage = 'send';
  const idleRuns = 3;
  for (let i = 0; i < idleRuns; i++) for (const { fn } of SCHEDULES) await runtime.runScheduled(fn);
  meter.release();

  // Medians: the first calls of each handler load its modules (a cold start, billed once per container).
  const median = (xs: number[] = []) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const body = resultsBody({
    tallies: { writes, reads },
    meter,
    surveys: SURVEYS,
    smsSurveys: sms ? SMS_SURVEYS : 0,
    email,
    sms,
    streamBatchSize: STREAM_BATCH,
    storage: { table: storageTable(stored, surveys), bytesPerSurvey, byteMonths, answerSideItems: ANSWER_SIDE_ITEMS, retentionDays: RETENTION_DAYS },
    ms: (what) => median(millis[what]).toFixed(1),
    msSweepPerSend: sweepMs / Math.max(1, sweepSent),
    idleRuns: idleRuns * SCHEDULES.length,
    loadAverage: loadavg()[0]!,
  });
  if (process.env.WCU_JSON) {
    // The staleness check (test/integration/bench-wcu-figure.test.ts) runs a short lifecycle and compares.
    writeFileSync(
      process.env.WCU_JSON,
      JSON.stringify({ email: withoutAggregate('email', SURVEYS), sms: sms ? withoutAggregate('sms', SMS_SURVEYS) : undefined }),
    );
  } else {
    console.log(body);
    if (STREAM_BATCH > 1) writeSection('wcu', 'npm run bench:wcu', body);
    else {
      // The quiet shop: only what the cost model reads (the tables above are the busy run's).
      const inputs = body.slice(body.indexOf(INPUTS_HEADING));
      writeSection(
        'wcu-quiet',
        'npm run bench:wcu-quiet',
        `\nThe lifecycle of the wcu section with every stream consumer called once per record: a quiet shop, whose 300 s
batch windows and 15-minute tumbling windows hold one record each (the most a trickle can cost: page writers write once
per record, in a final call of its window, every consumer is invoked once per record). Read by \`npm run bench:cost\`
as its second scenario.

${inputs}`,
      );
    }
  }
} finally {
  meter.release();
  await runtime.stop();
}
