/**
 * Write units per answered survey, end to end: event → invitation → send → the person opens the
 * link and answers (score and comment) → aggregate → alert, measured on DynamoDB Local with
 * ReturnConsumedCapacity on every call the handlers make.
 *
 * How: the in-process runtime (startRuntime, background off: this script runs the due sweep, the
 * stream consumers and the alert sweep itself, so every write falls in a known stage), and one SDK
 * middleware on the shared document client (functions/shared/clients.ts — the very instance the
 * handlers use in-process) that asks every call for its consumed capacity and adds it up per stage
 * and per item kind. Surveys go through the HTTP contract only: POST /events, the mails in the local
 * SES store, GET of the rating link, POST of the answer with { score, evidence: 'button', comment }.
 *
 * The floor — the writes one answered e-mail survey cannot avoid, each item under 1 KB (1 WCU):
 *   1  the invitation must be stored (keyed so that a redelivered event finds it: dedupe included);
 *   1  the customer's "last surveyed" mark, or fatigue (one survey per 30 days) cannot be enforced;
 *   1  the send must be recorded, or a retried sweep sends twice;
 *   1  the response must be stored (its comment posted with it, in the same write);
 *   a  the aggregate: one write per touched score page per stream batch, amortized over the batch's
 *      responses (a = the page writes measured here / answers);
 *   d  the alert, for the share d of answers that are detractors.
 * Floor F = 4 + a + d. Not in the floor, and so visible in the breakdown: transactions (2× per item),
 * index copies, the rate-limit counters, link-open notes, the event dedupe item, customer health.
 *
 *   npm run bench:wcu            (SURVEYS=50 npm run bench:wcu for a shorter run)
 */
import { dynamoDocumentClient } from '../functions/shared/clients.ts';
import { startRuntime } from '../local/runtime.ts';
import { BROWSER_UA, orderDelivered, postForm, ratingLinks, waitFor, type StoredEmail } from '../test/support/http.ts';
import { writeSection } from './results.ts';

const SURVEYS = Number(process.env.SURVEYS ?? 200);
const WRITES = /^(Put|Update|Delete|TransactWrite|BatchWrite)/;
const READS = /^(Get|Query|Scan|BatchGet|TransactGet)/;

// Set before the runtime starts: the benchmark answers from one loopback address, alerts go out at
// once (no wait for a comment: the comment comes with the answer), and handlers log little.
Object.assign(process.env, {
  RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000',
  ALERT_COMMENT_WAIT_SECONDS: '0',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
});

type Stage = 'event' | 'event stream' | 'send' | 'open link' | 'answer' | 'response stream' | 'alert sweep';
const STAGES: Stage[] = ['event', 'event stream', 'send', 'open link', 'answer', 'response stream', 'alert sweep'];
let stage: Stage = 'event';

interface Tally { calls: number; units: number; aws: number }
const writes = new Map<string, Tally>(); // `${stage}|${kind}`
const reads = new Map<string, Tally>(); // stage
const add = (map: Map<string, Tally>, key: string, units: number, aws = units) => {
  const t = map.get(key) ?? { calls: 0, units: 0, aws: 0 };
  t.calls += 1;
  t.units += units;
  t.aws += aws;
  map.set(key, t);
};

/** The kind of an item from its key (functions/adapters/dynamodb/keys.ts), marshalled or not. */
function kindOf(key: Record<string, unknown> | undefined): string {
  const text = (v: unknown) => (typeof v === 'string' ? v : ((v as { S?: string } | undefined)?.S ?? '?'));
  const pk = text(key?.pk).split('#')[0]!;
  const sk = text(key?.sk).split('#')[0]!;
  const named: Record<string, string> = {
    'INV/INVITATION': 'invitation', 'INV/RESPONSE': 'response', 'INV/OPENS': 'link opens', 'EVENT/EVENT': 'event dedupe',
    'CUST/PROFILE': 'customer profile', 'CUST/HEALTH': 'customer health', 'CUST/EMAIL': 'e-mail lookup', 'EMAIL/CUST': 'e-mail lookup',
    'AGG/DAY': 'score page', 'ALERT/ALERT': 'alert', 'RATE/W': 'rate-limit counter', 'SUBJECT/INV': 'subject link',
  };
  return named[`${pk}/${sk}`] ?? `${pk}/${sk}`;
}

function kindsOf(commandName: string, input: Record<string, any>): string {
  if (commandName.startsWith('TransactWrite')) {
    const items = (input.TransactItems as Array<Record<string, any>>).map((t) => {
      const op = t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck;
      return kindOf(op.Item ?? op.Key) + (t.ConditionCheck ? ' (check)' : '');
    });
    return `transaction: ${[...new Set(items)].sort().join(' + ')}`;
  }
  if (commandName.startsWith('BatchWrite')) return 'batch write';
  return kindOf(input.Item ?? input.Key);
}

interface Consumed { CapacityUnits?: number; Table?: { CapacityUnits?: number }; GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }> }
const listOf = (consumed: unknown) => (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Consumed[];
const unitsOf = (consumed: unknown) => listOf(consumed).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
const indexUnitsOf = (consumed: unknown) =>
  listOf(consumed).reduce((sum, c) => sum + Object.values(c.GlobalSecondaryIndexes ?? {}).reduce((s, i) => s + (i.CapacityUnits ?? 0), 0), 0);

/**
 * DynamoDB Local reports fewer table units for a transaction than AWS bills (AWS: two writes, prepare
 * and commit, per item per started KB). The AWS figure is rebuilt from the request: 2 × ⌈size / 1 KB⌉
 * per item (a Put's size estimated from its attributes, anything else taken as one KB), plus the index
 * units DynamoDB Local reported.
 */
function awsTransactionUnits(input: Record<string, any>, consumed: unknown): number {
  const items = input.TransactItems as Array<Record<string, any>>;
  const table = items.reduce((sum, t) => sum + 2 * (t.Put ? Math.max(1, Math.ceil(JSON.stringify(t.Put.Item).length / 1024)) : 1), 0);
  return table + indexUnitsOf(consumed);
}

const runtime = await startRuntime({ background: false });
const api = runtime.apiUrl;

// One middleware on the handlers' own client: every call asks for, and reports, its consumed capacity.
dynamoDocumentClient().middlewareStack.add(
  (next, context) => async (args) => {
    const name = context.commandName ?? '';
    const input = args.input as Record<string, any>;
    const isWrite = WRITES.test(name);
    if (isWrite || READS.test(name)) input.ReturnConsumedCapacity = 'INDEXES';
    const kinds = isWrite ? kindsOf(name, input) : '';
    const record = (output: Record<string, any> | undefined) => {
      const units = unitsOf(output?.ConsumedCapacity);
      if (isWrite) add(writes, `${stage}|${kinds}`, units, name.startsWith('TransactWrite') ? awsTransactionUnits(input, output?.ConsumedCapacity) : units);
      else if (READS.test(name)) add(reads, stage, units);
    };
    try {
      const result = await next(args);
      record(result.output as Record<string, any>);
      return result;
    } catch (error) {
      // A refused conditional write still consumes its units; DynamoDB reports them on the error too.
      const err = error as { name?: string; CancellationReasons?: unknown; $metadata?: unknown; ConsumedCapacity?: unknown };
      if (isWrite) add(writes, `${stage}|${kinds} (refused)`, unitsOf(err.ConsumedCapacity));
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

/** Scores in a fixed mix: 30 % detractors (0-6), 20 % passives, 50 % promoters. */
const scoreOf = (i: number) => [0, 3, 6, 7, 8, 9, 9, 10, 10, 10][i % 10]!;
const COMMENTS = ['Paczka przyszła zniszczona, nikt nie odpisał.', 'Fast delivery, thank you!', 'Kurier się spóźnił dwa dni.', 'All good.'];

try {
  const emails = Array.from({ length: SURVEYS }, (_, i) => `wcu-${i}@example.com`);

  // 1. Events: one request per event, as EventBridge delivers them one by one.
  stage = 'event';
  for (let i = 0; i < SURVEYS; i++) {
    const res = await timed('POST /events', () =>
      fetch(`${api}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(orderDelivered({ eventId: `wcu-${i}`, customerId: `wcu-${i}`, email: emails[i], locale: i % 3 ? 'pl-PL' : 'en-GB', store: `store-${i % 5}` })) }),
    );
    const body = (await res.json()) as { results: Array<{ outcome?: string }> };
    if (res.status !== 202 || body.results[0]?.outcome !== 'scheduled') throw new Error(`event ${i}: ${res.status} ${JSON.stringify(body)}`);
  }
  stage = 'event stream';
  await timed('stream drain (events)', () => runtime.drainStream());

  // 2. Send: the NPS delay is 3 s locally; sweep until every mail is in the local SES store.
  stage = 'send';
  let sweepMs = 0;
  let sweepSent = 0;
  const mails = await waitFor('every mail', async () => {
    const t0 = performance.now();
    const summary = (await runtime.sweep()) as { sent?: number } | undefined;
    if (summary?.sent) {
      sweepMs += performance.now() - t0;
      sweepSent += summary.sent;
    }
    const store = (await (await fetch(`${runtime.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
    const ours = store.emails.filter((e) => e.destination.to.some((to) => to.startsWith('wcu-')));
    return ours.length >= SURVEYS ? ours : undefined;
  }, 120_000, 500);
  stage = 'event stream';
  await runtime.drainStream(); // nothing of the send passes the consumers' filters; drained so that it cannot leak into later stages
  await new Promise((r) => setTimeout(r, 2100)); // answers within 2 s of sending are treated as scanners

  // 3. The person opens the link of their score (GET, the page) and, a few seconds later (answers within
  //    2 s of opening the page are a scanner's), presses Send, with a comment on every other answer.
  const links = emails.map((email, i) => ratingLinks(mails.find((m) => m.destination.to.includes(email))!.body.html!).get(scoreOf(i))!);
  const detractors = links.filter((_, i) => scoreOf(i) <= 6).length;
  stage = 'open link';
  for (const [i, link] of links.entries()) {
    const page = await timed('GET /r/{token}', () => fetch(link, { headers: { 'user-agent': BROWSER_UA } }));
    await page.text();
    if (page.status !== 200) throw new Error(`page ${i}: ${page.status}`);
  }
  await new Promise((r) => setTimeout(r, 2100));
  stage = 'answer';
  for (const [i, link] of links.entries()) {
    const fields: Record<string, string> = { score: String(scoreOf(i)), evidence: 'button', ...(i % 2 === 0 ? { comment: COMMENTS[(i / 2) % COMMENTS.length]! } : {}) };
    const answered = await timed('POST /r/{token}', () => postForm(link.split('?')[0]!, fields));
    await answered.text();
    if (answered.status !== 200) throw new Error(`answer ${i}: ${answered.status}`);
  }

  // 4. The stream consumers (aggregate, alert, health), then the alert sweep until every alert is out.
  stage = 'response stream';
  await timed('stream drain (responses)', () => runtime.drainStream());
  stage = 'alert sweep';
  await waitFor('every alert published', async () => {
    await timed('alert sweep', () => runtime.runScheduled('alertSweep'));
    return runtime.outbox.list('alert').length >= detractors ? true : undefined;
  }, 60_000, 200);
  stage = 'response stream';
  await runtime.drainStream(); // alert items do not pass the response filters; drained for completeness

  // Report: AWS-equivalent units (transactions re-priced, see awsTransactionUnits) and, beside them, what DynamoDB Local said.
  const per = (units: number) => (units / SURVEYS).toFixed(2);
  const sum = (entries: Array<[string, Tally]>, field: 'calls' | 'units' | 'aws') => entries.reduce((s, [, t]) => s + t[field], 0);
  const all = [...writes.entries()];
  const inStage = (st: Stage) => all.filter(([k]) => k.startsWith(`${st}|`));
  const wcu = sum(all, 'aws') / SURVEYS;
  const pageWrites = sum(all.filter(([k]) => k.endsWith('|score page')), 'calls');
  const floor = 4 + pageWrites / SURVEYS + detractors / SURVEYS;
  const rcu = [...reads.values()].reduce((s, t) => s + t.units, 0) / SURVEYS;
  const stageRows = STAGES.map((st) => `| ${st} | ${per(sum(inStage(st), 'aws'))} | ${per(sum(inStage(st), 'units'))} | ${per(reads.get(st)?.units ?? 0)} |`);
  const itemRows = STAGES.flatMap((st) =>
    inStage(st)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, t]) => `| ${st} | ${key.split('|')[1]} | ${per(t.calls)} | ${per(t.aws)} |`),
  );
  // Medians: the first calls of each handler load its modules (a cold start, billed once per container).
  const median = (xs: number[] = []) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const ms = (what: string) => median(millis[what]).toFixed(1);
  const responseWrites = sum(all.filter(([k]) => k.startsWith('answer|response')), 'calls') / SURVEYS;
  const body = `
WCU per answered survey: ${wcu.toFixed(1)} (floor ${floor.toFixed(1)})

${SURVEYS} NPS surveys by e-mail (order.delivered, 5 stores, pl/en), each answered through the HTTP contract: the
rating page opened (GET), the score posted ≥ 2 s later with the no-script button (${Math.round((100 * detractors) / SURVEYS)} % detractors), a comment
with every other answer. Units from ReturnConsumedCapacity (INDEXES) on every call of the handlers' document client,
on DynamoDB Local. DynamoDB Local under-reports transactions, so they are re-priced as AWS bills them (2 WCU per item
per started KB, plus the index units reported); index (GSI) writes are included, as AWS bills them.

Floor F = 4 + a + d, the writes an answered survey cannot avoid (argued at the top of \`bench/lifecycle-wcu.ts\`):
invitation 1, "last surveyed" mark 1, send recorded 1, response with its comment 1, aggregate
a = ${pageWrites} score-page writes / ${SURVEYS} answers = ${(pageWrites / SURVEYS).toFixed(2)}, alert d = ${detractors} / ${SURVEYS} = ${(detractors / SURVEYS).toFixed(2)}.

| stage | WCU per survey (AWS) | as DynamoDB Local reported | RCU per survey |
| --- | --- | --- | --- |
${stageRows.join('\n')}
| **total** | **${wcu.toFixed(2)}** | **${per(sum(all, 'units'))}** | **${rcu.toFixed(2)}** |

| stage | item written | writes per survey | WCU per survey (AWS) |
| --- | --- | --- | --- |
${itemRows.join('\n')}

Cost-model inputs (read by \`npm run bench:cost\`; times are in-process wall times on this machine, HTTP included,
sequential requests, medians; the sweep and the stream per item handled):
- \`wcuPerSurvey\`: ${wcu.toFixed(2)}
- \`rcuPerSurvey\`: ${rcu.toFixed(2)}
- \`msIngestEvent\`: ${ms('POST /events')}
- \`msOpenPage\`: ${ms('GET /r/{token}')}
- \`msAnswer\`: ${ms('POST /r/{token}')}
- \`msSweepPerSend\`: ${(sweepMs / Math.max(1, sweepSent)).toFixed(1)}
- \`msStreamPerAnswer\`: ${((millis['stream drain (responses)']?.[0] ?? 0) / SURVEYS).toFixed(1)}
- \`responseWritesPerAnswer\`: ${responseWrites.toFixed(2)}
- \`detractorShare\`: ${(detractors / SURVEYS).toFixed(2)}
`;
  console.log(body);
  writeSection('wcu', 'npm run bench:wcu', body);
} finally {
  await runtime.stop();
}
