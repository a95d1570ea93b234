/**
 * The report of bench/lifecycle-wcu.ts: the tallies it gathered (write and read units per channel,
 * stage and item kind; handler calls and log lines per function) turned into the tables of the `wcu`
 * section of bench/RESULTS.md and the per-side figures of its "Cost-model inputs".
 */
import { PAGE_BATCHING, SCHEDULES, STREAM_CONSUMERS, type FunctionName } from '../functions/manifest.ts';
import { TRACED } from '../infra/survey-pipeline-stack.ts';
import { type HandlerMeter, type Keep, type Logged, NO_CALLS, NO_LOGS, total } from './handler-meter.ts';
import { CALL_SIDES, type CallSide } from './cold-starts.ts';
import { coldStartBytes, PLATFORM_EVENTS, PUT_LOG_EVENTS_OVERHEAD, platformBytes } from './log-bytes.ts';

export type Channel = 'email' | 'sms';
export type Stage = 'event' | 'event stream' | 'send' | 'open link' | 'answer' | 'response stream' | 'alert sweep';
export const STAGES: Stage[] = ['event', 'event stream', 'send', 'open link', 'answer', 'response stream', 'alert sweep'];
/** Every survey goes through these, answered or not; the rest is the answer's. */
export const SEND_SIDE: Stage[] = ['event', 'event stream', 'send'];

export interface Tally {
  calls: number;
  units: number;
  aws: number;
}
export interface Tallies {
  /** `${channel}|${stage}|${kind}` */
  writes: Map<string, Tally>;
  /** `${channel}|${stage}` */
  reads: Map<string, Tally>;
}

/** The report of one channel's write and read units: the headline figures, the floor, and the tables. */
export function channelReport({ writes, reads }: Tallies, ch: Channel, n: number, detractors: number, floorBase: number) {
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

const SCHEDULED = new Set<string>(SCHEDULES.map((s) => s.fn));
const traced = (fn: string) => TRACED.includes(fn as FunctionName);

/** One side's invocations and log bytes, per survey (or per fetch) of that side. */
export interface SideFigures {
  /** Lambda invocations per survey, the scheduled sweeps left out (they run every minute whatever the volume). */
  invocations: number;
  /** Of them, invocations of functions with active tracing (infra/survey-pipeline-stack.ts TRACED). */
  traced: number;
  /** Bytes our handlers write (logger and EMF lines, as on AWS), the sweeps' included. */
  logBytes: number;
  /** Of `logBytes`, the sweeps' lines beyond an idle run, once per message (a run of its own for each). */
  sweepLogBytes: number;
  logLines: number;
  /** Bytes of Lambda's own lines (START, END, REPORT) for those invocations, warm environments. */
  platformLogBytes: number;
  /** Handler wall time in-process, the sweeps left out (bench/lifecycle-wcu.ts times those per message sent). */
  handlerMs: number;
}

/** What a run of the sweep `fn` writes with nothing to do: the least of its runs after the surveys. */
function idleRun(meter: HandlerMeter, fn: string): Logged {
  const runs = meter.runs.get(`${IDLE}|send|${fn}`) ?? [];
  return runs.length ? runs.reduce((least, r) => (r.bytes < least.bytes ? r : least)) : NO_LOGS;
}

/** A sweep's runs that found work (wrote more than an idle run) and what each wrote beyond an idle run, on average. */
function sweepWork(meter: HandlerMeter, key: string): { runs: number; extra: Logged; each: Logged } {
  const idle = idleRun(meter, key.split('|')[2]!);
  const work = (meter.runs.get(key) ?? []).filter((r) => r.bytes > idle.bytes);
  const mean = (field: keyof Logged) => work.reduce((sum, r) => sum + r[field], 0) / Math.max(1, work.length);
  return {
    runs: work.length,
    each: { bytes: mean('bytes'), lines: mean('lines') },
    extra: { bytes: work.length ? mean('bytes') - idle.bytes : 0, lines: work.length ? mean('lines') - idle.lines : 0 },
  };
}

/**
 * The figures of the entries `keep` selects, per survey of `n`. A sweep that found work counts once per survey
 * with what it wrote beyond an idle run: at low traffic each message goes out in a sweep of its own (in the run,
 * one sweep sends many), so those lines are written once per message; what every run writes, work or not, is the
 * month's fixed cost (the sweeps run every minute), as are their invocations.
 */
export function sideFigures(meter: HandlerMeter, keep: Keep, n: number): SideFigures {
  const sweeps: Logged[] = [];
  let invocations = 0;
  let tracedCalls = 0;
  let handlerMs = 0;
  let platformLogBytes = 0;
  for (const [key, c] of meter.invocations) {
    const [channel, stage, fn] = key.split('|') as [string, string, string];
    if (!keep(channel, stage, fn)) continue;
    if (SCHEDULED.has(fn)) {
      sweeps.push(sweepWork(meter, key).extra);
      continue;
    }
    invocations += c.calls;
    tracedCalls += traced(fn) ? c.calls : 0;
    handlerMs += c.ms;
    platformLogBytes += c.calls * platformBytes(traced(fn));
  }
  const ours = total(meter.logs, (channel, stage, fn) => keep(channel, stage, fn) && !SCHEDULED.has(fn), NO_LOGS);
  const perSweep = (field: keyof Logged) => sweeps.reduce((sum, s) => sum + s[field], 0);
  return {
    invocations: invocations / n,
    traced: tracedCalls / n,
    logBytes: ours.bytes / n + perSweep('bytes'),
    sweepLogBytes: perSweep('bytes'),
    logLines: ours.lines / n + perSweep('lines'),
    platformLogBytes: platformLogBytes / n,
    handlerMs: handlerMs / n,
  };
}

/** The table of invocations and log lines per function for the entries `keep` selects, per survey of `n`. */
export function functionTable(meter: HandlerMeter, keep: Keep, n: number, sides: { send: SideFigures; answer: SideFigures }): string {
  const fns = [...new Set([...meter.invocations.keys()].map((k) => k.split('|')[2]!))].sort();
  const rows = fns.flatMap((fn) => {
    const mine: Keep = (c, s, f) => f === fn && keep(c, s, f);
    const calls = total(meter.invocations, mine, NO_CALLS);
    if (calls.calls === 0) return [];
    const logs = total(meter.logs, mine, NO_LOGS);
    const ms = (calls.ms / calls.calls).toFixed(1);
    if (!SCHEDULED.has(fn)) {
      const name = traced(fn) ? `${fn} (traced)` : fn;
      return [`| ${name} | ${(calls.calls / n).toFixed(2)} | ${(logs.bytes / calls.calls).toFixed(0)} | ${(logs.lines / calls.calls).toFixed(2)} | ${ms} |`];
    }
    // A sweep: what a run with work writes (the runs in between find none), and an idle run.
    const work = [...meter.runs.keys()].filter((k) => k.endsWith(`|${fn}`) && keep(...(k.split('|') as [string, string, string])));
    const runs = work.map((k) => sweepWork(meter, k)).filter((w) => w.runs > 0);
    const each = (field: keyof Logged) => runs.reduce((sum, w) => sum + w.each[field], 0);
    const idle = idleRun(meter, fn);
    return [
      `| ${fn} (sweep, a run with work; idle) | runs every minute | ${each('bytes').toFixed(0)}; ${idle.bytes} | ${each('lines').toFixed(2)}; ${idle.lines} | ${ms} |`,
    ];
  });
  const line = (name: string, s: SideFigures) =>
    `${name}: ${s.invocations.toFixed(2)} invocations, ${s.logBytes.toFixed(0)} bytes of our lines + ${s.platformLogBytes.toFixed(0)} of Lambda's` +
    ` (${(s.logLines + s.invocations * PLATFORM_EVENTS).toFixed(1)} log events: ${((s.logLines + s.invocations * PLATFORM_EVENTS) * PUT_LOG_EVENTS_OVERHEAD).toFixed(0)} bytes more if the 26 bytes per event were billed)`;
  return `
| function | invocations per survey | our log bytes per invocation | our log lines per invocation | handler ms per invocation |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

Per survey: ${line('sent', sides.send)}; ${line('answered', sides.answer)}.`;
}

/** The stream consumers with the page batching (bench:month counts their calls): what one call of theirs costs. */
const PAGE_WRITERS = new Set<string>(STREAM_CONSUMERS.filter((c) => c.batching === PAGE_BATCHING).map((c) => c.fn));

/** Mean log bytes (ours and Lambda's, warm) and handler time of the page writers' e-mail calls: the cost model prices the calls bench:month counts with them. */
export function pageWriterCall(meter: HandlerMeter): { logBytes: number; ms: number } {
  const mine: Keep = (channel, _stage, fn) => channel === 'email' && PAGE_WRITERS.has(fn);
  const calls = total(meter.invocations, mine, NO_CALLS);
  const logs = total(meter.logs, mine, NO_LOGS);
  const perCall = (x: number) => x / Math.max(1, calls.calls);
  return { logBytes: perCall(logs.bytes) + platformBytes(false), ms: perCall(calls.ms) };
}

/**
 * Calls of each function (the sweeps left out) per survey of `n` for the entries `keep` selects, as input lines
 * named `<prefix>_<fn>`: the cost model judges each function's cold starts from its own rate of calls.
 */
export function callsByFunction(meter: HandlerMeter, keep: Keep, n: number, prefix: string): string[] {
  const calls = new Map<string, number>();
  for (const [key, c] of meter.invocations) {
    const [channel, stage, fn] = key.split('|') as [string, string, string];
    if (keep(channel, stage, fn) && !SCHEDULED.has(fn)) calls.set(fn, (calls.get(fn) ?? 0) + c.calls);
  }
  return [...calls.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([fn, c]) => `- \`${prefix}_${fn}\`: ${(c / n).toFixed(3)}`);
}

/** Tallied apart from the surveys: a scanner's fetch of a rating link, an SMS short link's redirect, the sweeps with nothing to do. */
export const SCANNER = 'scanner';
export const SMS_LINK = 'sms link';
export const IDLE = 'idle';

export interface RunResult {
  tallies: Tallies;
  meter: HandlerMeter;
  surveys: number;
  smsSurveys: number;
  email: { detractors: number };
  sms?: { detractors: number };
  streamBatchSize: number;
  storage: {
    table: string;
    bytesPerSurvey: number;
    /** Per survey: what any survey stores (false) or what an answer adds (true); the table's share alone for PITR. */
    byteMonths: (answerSide: boolean, of?: 'byteMonths' | 'tableByteMonths') => number;
    answerSideItems: string[];
    retentionDays: number;
  };
  /** Median wall time of a timed step, HTTP included. */
  ms: (what: string) => string;
  msSweepPerSend: number;
  /** Runs of the sweeps with nothing to do, made after the surveys. */
  idleRuns: number;
  loadAverage: number;
}

const inChannel =
  (ch: string, side?: 'send' | 'answer'): Keep =>
  (c, stage) =>
    c === ch && (side === undefined || SEND_SIDE.includes(stage as Stage) === (side === 'send'));

/** The whole `wcu` section of bench/RESULTS.md. */
/** Where the body's list of cost-model inputs starts: the quiet shop's section is that list alone (lifecycle-wcu.ts). */
export const INPUTS_HEADING = 'Cost-model inputs';

export function resultsBody(r: RunResult): string {
  const { tallies, meter, surveys: n, smsSurveys: nSms } = r;
  const byEmail = channelReport(tallies, 'email', n, r.email.detractors, 4);
  const bySms = r.sms ? channelReport(tallies, 'sms', nSms, r.sms.detractors, 5) : undefined;
  const email = { send: sideFigures(meter, inChannel('email', 'send'), n), answer: sideFigures(meter, inChannel('email', 'answer'), n) };
  const sms = r.sms ? { send: sideFigures(meter, inChannel('sms', 'send'), nSms), answer: sideFigures(meter, inChannel('sms', 'answer'), nSms) } : email;
  const scanner = sideFigures(meter, inChannel(SCANNER), n);
  const smsLink = sideFigures(meter, inChannel(SMS_LINK), Math.max(1, nSms));
  // A sweep's run with nothing to do, the mean of the sweeps (each the least of its idle runs: later ones may find reminders due).
  const idle = [...SCHEDULED].reduce((sum, fn) => sum + idleRun(meter, fn).bytes, 0) / SCHEDULED.size;
  const units = (map: Map<string, Tally>, prefix: string, field: 'aws' | 'units') =>
    [...map.entries()].filter(([k]) => k.startsWith(prefix)).reduce((s, [, t]) => s + t[field], 0);
  const logs = (s: SideFigures) => `${(s.logBytes + s.platformLogBytes).toFixed(0)}: ours ${s.logBytes.toFixed(0)} + Lambda's ${s.platformLogBytes.toFixed(0)}`;
  const surveys = n + nSms;
  const pageCall = pageWriterCall(meter);
  // Each function's calls per e-mail survey, by side (the cost model's cold starts, bench/cold-starts.ts).
  const sides: Record<CallSide, Keep> = {
    callsSendSide: inChannel('email', 'send'),
    callsAnswerSide: inChannel('email', 'answer'),
    callsScannerFetch: inChannel(SCANNER),
  };
  const callLines = CALL_SIDES.flatMap((side) => callsByFunction(meter, sides[side], n, side));
  return `
WCU per answered survey: ${byEmail.wcu.toFixed(1)} (floor ${byEmail.floor.toFixed(1)})${bySms ? ` · by SMS: ${bySms.wcu.toFixed(1)} (floor ${bySms.floor.toFixed(1)})` : ''}

Units from ReturnConsumedCapacity (INDEXES) on every call of the handlers' document client, on DynamoDB Local, in
AWS terms: index (GSI) writes included, transactions re-priced as AWS bills them (2 WCU per item per started KB;
DynamoDB Local reports less), refused conditional writes counted as 1. The floor is argued at the top of
\`bench/lifecycle-wcu.ts\`: invitation, "last surveyed" mark, send recorded, response with its comment (1 each),
plus the aggregate's page writes amortized per stream batch (a) and the alert of each detractor (d); by SMS also
the number → survey mark a reply needs. Stream batches of up to ${r.streamBatchSize} record${r.streamBatchSize === 1 ? '' : 's'}: ${
    r.streamBatchSize === 1
      ? 'every consumer is invoked once per record, and every page writer (score, funnel and topic pages) gets a tumbling window per record, so it writes once per record it counts in one more call (the final call), the most a quiet shop can cost'
      : "the surveys of a stage go through the consumers together, as in a busy shop's full 300 s windows, and the page writers' tumbling window ends at the stage's end, one write per page per stage (the quiet shop's figures, one record per batch and window: the `wcu-quiet` section)"
  }.

Invocations and logs: every handler call the local runtime makes (HTTP routes, stream consumers, the SES delivery
event through \`emailFeedback\` that the stack subscribes with bounces and complaints, the sweeps), counted per
function; the SMS reply route calls \`smsInbound\` itself and is counted once per reply. Log bytes: every line the
handlers write at INFO (the stack's level: no log level set, functions/shared/logger.ts) and their EMF metric lines,
as on AWS (the deployed function's name and ARN, a trace id on every line), plus Lambda's own START, END and REPORT
lines in the stack's text format (\`bench/log-bytes.ts\`: formats from the Lambda developer guide). A sweep with work
is counted once per message (at low traffic each message goes in a sweep of its own); empty sweeps are fixed per month.

### By e-mail: ${n} NPS surveys

order.delivered, 5 stores, pl/en; each rating page opened (GET) and the score posted ≥ 2 s later with the
no-script button; ${Math.round((100 * r.email.detractors) / n)} % detractors; a comment with every other answer, posted with the score.
${byEmail.text}
${functionTable(meter, inChannel('email'), n, email)}
${
  bySms
    ? `
### By SMS: ${nSms} CSAT surveys

ticket.solved with SMS consent and no e-mail, answered by an SMS reply ("4", or "2 Kurier się spóźnił…": the words
become the comment); ${Math.round((100 * r.sms!.detractors) / nSms)} % detractors. Then each SMS short link fetched once (the redirect, tallied apart).
${bySms.text}
${functionTable(meter, inChannel('sms'), nSms, sms)}
`
    : ''
}
### Storage over the retention

What the ${surveys} surveys left in the table when the run ended, per survey: each item's size as DynamoDB counts it
(bench/item-bytes.ts), its copies in the indexes (GSI1 the keys and the attributes it filters on, GSI2 keys only), and the months until its TTL (no TTL: the
${r.storage.retentionDays}-day retention). Storage is billed on these byte-months, point-in-time recovery on the table's share (no index copies).

${r.storage.table}

${INPUTS_HEADING} (read by \`npm run bench:cost\`; times are in-process wall times on this machine, sequential
requests; the step times are medians with HTTP included, the handler times sums per survey; load average ${r.loadAverage.toFixed(1)}):
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
- \`wcuOpenLink\`: ${(units(tallies.writes, 'email|open link|', 'aws') / n).toFixed(2)} (a person's GET of a rating page: the link open noted, and the funnel's open mark)
- \`rcuOpenLink\`: ${((tallies.reads.get('email|open link')?.units ?? 0) / n).toFixed(2)}
- \`wcuScannerFetch\`: ${(units(tallies.writes, `${SCANNER}|`, 'aws') / n).toFixed(2)} (a scanner's GET of a rating link as the mail arrives: the link open noted, no funnel mark)
- \`rcuScannerFetch\`: ${(units(tallies.reads, `${SCANNER}|`, 'units') / n).toFixed(2)}
- \`rcuSmsLink\`: ${(units(tallies.reads, `${SMS_LINK}|`, 'units') / Math.max(1, nSms)).toFixed(2)} (an SMS short link's redirect: it writes nothing)
- \`invocationsSendSide\`: ${email.send.invocations.toFixed(2)} (Lambda invocations per e-mail survey sent, the sweeps left out: the event, its stream's consumers, the SES delivery event)
- \`invocationsAnswerSide\`: ${email.answer.invocations.toFixed(2)} (per answered survey: page, answer, the stream consumers' calls with this run's batches)
- \`invocationsScannerFetch\`: ${scanner.invocations.toFixed(2)}
- \`invocationsSmsSendSide\`: ${sms.send.invocations.toFixed(2)}
- \`invocationsSmsReplySide\`: ${sms.answer.invocations.toFixed(2)} (answered by an SMS reply; the model answers SMS through the link instead)
- \`invocationsSmsLink\`: ${smsLink.invocations.toFixed(2)}
- \`tracedAnswerSide\`: ${email.answer.traced.toFixed(2)} (invocations of traced functions per answered survey: X-Ray traces; none on the send side: ${email.send.traced.toFixed(2)})
- \`logBytesSendSide\`: ${logs(email.send)} (CloudWatch Logs bytes per e-mail survey sent, warm environments; the sweep's lines once per message)
- \`sweepLogBytesSendSide\`: ${email.send.sweepLogBytes.toFixed(0)} (of them, the sweep's lines beyond an idle run: a busier shop's runs share them among their messages)
- \`logBytesAnswerSide\`: ${logs(email.answer)}
- \`logBytesScannerFetch\`: ${logs(scanner)}
- \`logBytesSmsSendSide\`: ${logs(sms.send)}
- \`sweepLogBytesSmsSendSide\`: ${sms.send.sweepLogBytes.toFixed(0)}
- \`logBytesSmsReplySide\`: ${logs(sms.answer)}
- \`logBytesSmsLink\`: ${logs(smsLink)}
- \`coldStartLogBytes\`: ${coldStartBytes()} (what an environment's first invocation adds: the INIT_START line and REPORT's Init Duration)
- \`idleSweepLogBytes\`: ${(idle + platformBytes(false)).toFixed(0)} (a sweep's run with nothing to do, ours ${idle.toFixed(0)} + Lambda's ${platformBytes(false)}; the least of ${r.idleRuns} runs after the surveys)
- \`msHandlersSendSide\`: ${email.send.handlerMs.toFixed(1)} (handler time per e-mail survey sent, the sweeps left out: \`msSweepPerSend\`)
- \`msHandlersAnswerSide\`: ${email.answer.handlerMs.toFixed(1)}
- \`msHandlersScannerFetch\`: ${scanner.handlerMs.toFixed(1)}
- \`msHandlersSmsSendSide\`: ${sms.send.handlerMs.toFixed(1)}
- \`msHandlersSmsLink\`: ${smsLink.handlerMs.toFixed(1)}
- \`logBytesPageWriterCall\`: ${pageCall.logBytes.toFixed(0)} (a call of a consumer with the page batching, ${[...PAGE_WRITERS].join(', ')}: our lines and Lambda's, warm; the cost model prices bench:month's calls with it)
- \`msPageWriterCall\`: ${pageCall.ms.toFixed(1)}
${callLines.join('\n')}
- \`bytesPerSurvey\`: ${r.storage.bytesPerSurvey.toFixed(0)} (items left in the table per survey, JSON size, indexes not counted: for reference)
- \`byteMonthsSendSide\`: ${r.storage.byteMonths(false).toFixed(0)} (stored bytes × months per survey sent, e-mail and SMS together: item sizes as DynamoDB counts them, +100 bytes per item and per index copy, until each item's TTL)
- \`byteMonthsAnswerSide\`: ${r.storage.byteMonths(true).toFixed(0)} (the same for what an answer adds: ${r.storage.answerSideItems.join(', ')})
- \`tableByteMonthsSendSide\`: ${r.storage.byteMonths(false, 'tableByteMonths').toFixed(0)} (the table's share, without index copies: what point-in-time recovery bills)
- \`tableByteMonthsAnswerSide\`: ${r.storage.byteMonths(true, 'tableByteMonths').toFixed(0)}
- \`msIngestEvent\`: ${r.ms('POST /events')}
- \`msOpenPage\`: ${r.ms('GET /r/{token}')}
- \`msScannerFetch\`: ${r.ms('GET /r/{token} (scanner)')}
- \`msAnswer\`: ${r.ms('POST /r/{token}')}
- \`msSmsReply\`: ${r.ms('POST /local/sms-inbound')}
- \`msSweepPerSend\`: ${r.msSweepPerSend.toFixed(1)}
- \`detractorShare\`: ${(r.email.detractors / n).toFixed(2)}
`;
}
