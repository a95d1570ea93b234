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
 *   npm run bench:wcu            (SURVEYS=50 SMS_SURVEYS=20 npm run bench:wcu for a shorter run;
 *                                 WCU_JSON=file writes the deterministic figures there instead of RESULTS.md)
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dynamoDocumentClient } from '../functions/shared/clients.ts';
import { startRuntime } from '../local/runtime.ts';
import { BROWSER_UA, orderDelivered, postForm, ratingLinks, waitFor, type StoredEmail } from '../test/support/http.ts';
import { writeSection } from './results.ts';
import { awsTransactionUnits, kindOf, kindsOf, unitsOf } from './wcu-meter.ts';
import { scanItems, storageTable, storedByKind } from './item-bytes.ts';

const SURVEYS = Number(process.env.SURVEYS ?? 200);
const SMS_SURVEYS = Number(process.env.SMS_SURVEYS ?? 50);
/** Items only an answered survey leaves (kind names of bench/wcu-meter.ts). */
const ANSWER_SIDE_ITEMS = ['response', 'alert', 'link opens', 'score page', 'TOPIC/DAY'];
const RETENTION_DAYS = 400; // RESPONSE_RETENTION_DAYS' default (functions/adapters/dynamodb/retention.ts)
const WRITES = /^(Put|Update|Delete|TransactWrite|BatchWrite)/;
const READS = /^(Get|Query|Scan|BatchGet|TransactGet)/;

// Set before the runtime starts: the benchmark answers from one loopback address, alerts go out at
// once (no wait for a comment: the comment comes with the answer), and handlers log little.
Object.assign(process.env, {
  RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000',
  ALERT_COMMENT_WAIT_SECONDS: '0',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

type Channel = 'email' | 'sms';
/** A mail security scanner's fetch of a rating link, tallied apart from the surveys (the model counts it per e-mail sent). */
const SCANNER = 'scanner';
const SCANNER_UA = 'Mozilla/5.0 (compatible; urldefense.proofpoint.com link check)';
type Stage = 'event' | 'event stream' | 'send' | 'open link' | 'answer' | 'response stream' | 'alert sweep';
const STAGES: Stage[] = ['event', 'event stream', 'send', 'open link', 'answer', 'response stream', 'alert sweep'];
let channel: Channel | typeof SCANNER = 'email';
let stage: Stage = 'event';
let counting = true; // off while the benchmark itself reads the table

interface Tally {
  calls: number;
  units: number;
  aws: number;
}
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
const runtime = await startRuntime({ background: false, dynamoEndpoint: process.env.WCU_DYNAMO_ENDPOINT, tableName: `ankieta-wcu-${process.pid}` });
const api = runtime.apiUrl;

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
  }
  const detractors = Array.from({ length: n }, (_, i) => scoreOf(i)).filter((s) => s <= 2).length;
  await aggregateAndAlert(detractors, runtime.outbox.list('alert').length, n);
  return { detractors };
}

/** Items written once per page per stream batch: their share per survey depends on the batch sizes. */
const BATCHED_PAGES = ['score page', 'FUNNEL/DAY', 'TOPIC/DAY'];
/** WCU per survey without the batched pages (score, funnel, topic): the rest is deterministic. */
const withoutAggregate = (ch: Channel, n: number) =>
  [...writes.entries()].filter(([k]) => k.startsWith(`${ch}|`) && !BATCHED_PAGES.some((page) => k.endsWith(`|${page}`))).reduce((s, [, t]) => s + t.aws, 0) / n;

const scannerUnits = (map: Map<string, Tally>, field: 'aws' | 'units') =>
  [...map.entries()].filter(([k]) => k.startsWith(`${SCANNER}|`)).reduce((s, [, t]) => s + t[field], 0);
const sumStage = (ch: Channel, st: Stage) => [...writes.entries()].filter(([k]) => k.startsWith(`${ch}|${st}|`)).reduce((s, [, t]) => s + t.aws, 0);

/** The report of one channel: the headline line, the floor, and the tables. */
function report(ch: Channel, n: number, detractors: number, floorBase: number) {
  const per = (units: number) => (units / n).toFixed(2);
  const sum = (entries: Array<[string, Tally]>, field: keyof Tally) => entries.reduce((s, [, t]) => s + t[field], 0);
  const all = [...writes.entries()].filter(([k]) => k.startsWith(`${ch}|`));
  const inStage = (st: Stage) => all.filter(([k]) => k.startsWith(`${ch}|${st}|`));
  const wcu = sum(all, 'aws') / n;
  const pageWrites = sum(
    all.filter(([k]) => k.endsWith('|score page')),
    'calls',
  );
  const floor = floorBase + pageWrites / n + detractors / n;
  const rcu = [...reads.entries()].filter(([k]) => k.startsWith(`${ch}|`)).reduce((s, [, t]) => s + t.units, 0) / n;
  const stageRows = STAGES.filter((st) => inStage(st).length || reads.has(`${ch}|${st}`)).map(
    (st) => `| ${st} | ${per(sum(inStage(st), 'aws'))} | ${per(sum(inStage(st), 'units'))} | ${per(reads.get(`${ch}|${st}`)?.units ?? 0)} |`,
  );
  const itemRows = STAGES.flatMap((st) =>
    inStage(st)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, t]) => `| ${st} | ${key.split('|')[2]} | ${per(t.calls)} | ${per(t.aws)} |`),
  );
  const SEND_SIDE: Stage[] = ['event', 'event stream', 'send'];
  const side = (map: Map<string, Tally>, send: boolean, field: 'aws' | 'units') =>
    [...map.entries()].filter(([k]) => k.startsWith(`${ch}|`) && SEND_SIDE.includes(k.split('|')[1] as Stage) === send).reduce((s, [, t]) => s + t[field], 0) /
    n;
  return {
    wcu,
    rcu,
    floor,
    sendSide: { wcu: side(writes, true, 'aws'), rcu: side(reads, true, 'units') },
    answerSide: { wcu: side(writes, false, 'aws'), rcu: side(reads, false, 'units') },
    text: `
| stage | WCU per survey (AWS) | as DynamoDB Local reported | RCU per survey |
| --- | --- | --- | --- |
${stageRows.join('\n')}
| **total** | **${wcu.toFixed(2)}** | **${per(sum(all, 'units'))}** | **${rcu.toFixed(2)}** |

| stage | item written | writes per survey | WCU per survey (AWS) |
| --- | --- | --- | --- |
${itemRows.join('\n')}

Floor ${floorBase} + a + d = ${floor.toFixed(2)}: aggregate a = ${pageWrites} score-page writes / ${n} answers = ${(pageWrites / n).toFixed(2)}, alerts d = ${detractors} / ${n} = ${(detractors / n).toFixed(2)}.`,
  };
}

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

  const byEmail = report('email', SURVEYS, email.detractors, 4);
  const bySms = sms ? report('sms', SMS_SURVEYS, sms.detractors, 5) : undefined;
  // Medians: the first calls of each handler load its modules (a cold start, billed once per container).
  const median = (xs: number[] = []) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const ms = (what: string) => median(millis[what]).toFixed(1);
  const body = `
WCU per answered survey: ${byEmail.wcu.toFixed(1)} (floor ${byEmail.floor.toFixed(1)})${bySms ? ` · by SMS: ${bySms.wcu.toFixed(1)} (floor ${bySms.floor.toFixed(1)})` : ''}

Units from ReturnConsumedCapacity (INDEXES) on every call of the handlers' document client, on DynamoDB Local, in
AWS terms: index (GSI) writes included, transactions re-priced as AWS bills them (2 WCU per item per started KB;
DynamoDB Local reports less), refused conditional writes counted as 1. The floor is argued at the top of
\`bench/lifecycle-wcu.ts\`: invitation, "last surveyed" mark, send recorded, response with its comment (1 each),
plus the aggregate's page writes amortized per stream batch (a) and the alert of each detractor (d); by SMS also
the number → survey mark a reply needs.

### By e-mail: ${SURVEYS} NPS surveys

order.delivered, 5 stores, pl/en; each rating page opened (GET) and the score posted ≥ 2 s later with the
no-script button; ${Math.round((100 * email.detractors) / SURVEYS)} % detractors; a comment with every other answer, posted with the score.
${byEmail.text}
${
  bySms
    ? `
### By SMS: ${SMS_SURVEYS} CSAT surveys

ticket.solved with SMS consent and no e-mail, answered by an SMS reply ("4", or "2 Kurier się spóźnił…": the words
become the comment); ${Math.round((100 * sms!.detractors) / SMS_SURVEYS)} % detractors.
${bySms.text}
`
    : ''
}
### Storage over the retention

What the ${surveys} surveys left in the table when the run ended, per survey: each item's size as DynamoDB counts it
(bench/item-bytes.ts), its copies in the indexes (GSI1 full copies, GSI2 keys only), and the months until its TTL (no TTL: the
${RETENTION_DAYS}-day retention). Storage and point-in-time recovery are billed on these byte-months.

${storageTable(stored, surveys)}

Cost-model inputs (read by \`npm run bench:cost\`; times are in-process wall times on this machine, HTTP included,
sequential requests, medians; the sweep and the stream per message or answer handled; load average ${loadavg()[0]!.toFixed(1)}):
- \`wcuPerSurvey\`: ${byEmail.wcu.toFixed(2)}
- \`rcuPerSurvey\`: ${byEmail.rcu.toFixed(2)}
- \`wcuPerSmsSurvey\`: ${(bySms?.wcu ?? byEmail.wcu).toFixed(2)}
- \`rcuPerSmsSurvey\`: ${(bySms?.rcu ?? byEmail.rcu).toFixed(2)}
- \`wcuSendSide\`: ${byEmail.sendSide.wcu.toFixed(2)} (event, its stream, the send: every survey, answered or not)
- \`rcuSendSide\`: ${byEmail.sendSide.rcu.toFixed(2)}
- \`wcuAnswerSide\`: ${byEmail.answerSide.wcu.toFixed(2)} (page, answer, aggregate, alert: answered surveys only)
- \`rcuAnswerSide\`: ${byEmail.answerSide.rcu.toFixed(2)}
- \`wcuSmsSendSide\`: ${(bySms ?? byEmail).sendSide.wcu.toFixed(2)}
- \`rcuSmsSendSide\`: ${(bySms ?? byEmail).sendSide.rcu.toFixed(2)}
- \`wcuSmsReplySide\`: ${(bySms ?? byEmail).answerSide.wcu.toFixed(2)}
- \`rcuSmsReplySide\`: ${(bySms ?? byEmail).answerSide.rcu.toFixed(2)}
- \`wcuOpenLink\`: ${(sumStage('email', 'open link') / SURVEYS).toFixed(2)} (a person's GET of a rating page: the link open noted, and the funnel's open mark)
- \`rcuOpenLink\`: ${((reads.get('email|open link')?.units ?? 0) / SURVEYS).toFixed(2)}
- \`wcuScannerFetch\`: ${(scannerUnits(writes, 'aws') / SURVEYS).toFixed(2)} (a scanner's GET of a rating link as the mail arrives: the link open noted, no funnel mark)
- \`rcuScannerFetch\`: ${(scannerUnits(reads, 'units') / SURVEYS).toFixed(2)}
- \`bytesPerSurvey\`: ${bytesPerSurvey.toFixed(0)} (items left in the table per survey, JSON size, indexes not counted: for reference)
- \`byteMonthsSendSide\`: ${byteMonths(false).toFixed(0)} (stored bytes × months per survey sent, e-mail and SMS together: item sizes as DynamoDB counts them, +100 bytes per item and per index copy, until each item's TTL)
- \`byteMonthsAnswerSide\`: ${byteMonths(true).toFixed(0)} (the same for what an answer adds: ${ANSWER_SIDE_ITEMS.join(', ')})
- \`tableByteMonthsSendSide\`: ${byteMonths(false, 'tableByteMonths').toFixed(0)} (the table's share, without index copies: what point-in-time recovery bills)
- \`tableByteMonthsAnswerSide\`: ${byteMonths(true, 'tableByteMonths').toFixed(0)}
- \`msIngestEvent\`: ${ms('POST /events')}
- \`msOpenPage\`: ${ms('GET /r/{token}')}
- \`msScannerFetch\`: ${ms('GET /r/{token} (scanner)')}
- \`msAnswer\`: ${ms('POST /r/{token}')}
- \`msSmsReply\`: ${ms('POST /local/sms-inbound')}
- \`msSweepPerSend\`: ${(sweepMs / Math.max(1, sweepSent)).toFixed(1)}
- \`msStreamPerAnswer\`: ${ms('stream per answer (email)')}
- \`detractorShare\`: ${(email.detractors / SURVEYS).toFixed(2)}
`;
  if (process.env.WCU_JSON) {
    // The staleness check (test/integration/bench-wcu-figure.test.ts) runs a short lifecycle and compares.
    writeFileSync(
      process.env.WCU_JSON,
      JSON.stringify({ email: withoutAggregate('email', SURVEYS), sms: sms ? withoutAggregate('sms', SMS_SURVEYS) : undefined }),
    );
  } else {
    console.log(body);
    writeSection('wcu', 'npm run bench:wcu', body);
  }
} finally {
  await runtime.stop();
}
