/**
 * Where a real shop lies between the busy and the quiet figures (issue 17): the page writers' writes and
 * calls per e-mail survey sent, for a shop sending N surveys a month, in virtual time. The month's stream
 * (bench/month-lifecycle.ts: each survey's item changes at its step's offset, surveys triggered at uniform
 * times) goes through each page writer's mapping filter (functions/manifest.ts STREAM_CONSUMERS, matched as
 * the local stream reader does), is cut into Lambda's batches with the writer's window and batch size, and
 * folded by the writer's own pure fold (funnelPages; toPages of preAggregate and of preAggregateTopics, as
 * aggregateScores does): one call per batch, and per tumbling window (PAGE_WINDOW_SECONDS) one final call and
 * one write per page the window touched. Nothing touches a table: DynamoDB's side of a page write (1 WCU
 * while a page is under 1 KB) is the wcu section's.
 *
 * Usage: npm run bench:month (SURVEYS_PER_MONTH, default 10,000, is the month reported first; 1,000 and
 * 100,000 always run too).
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { SK } from '../functions/adapters/dynamodb/table/keys.ts';
import { type FunctionName, PAGE_WINDOW_SECONDS, STREAM_BATCHING, STREAM_CONSUMERS, type StreamBatching } from '../functions/manifest.ts';
import { matchesAnyFilter } from '../local/stream-filter.ts';
import { funnelWrites, scoreWrites, type Timed, tallyWindowedWriter, tallyWriter, topicWrites, type WriterTally } from './month-batches.ts';
import { ANSWERED_SHARE, classified, type ItemChange, monthOfSurveys, OFFSETS, streamOf } from './month-lifecycle.ts';
import { measuredInputs } from './cost-model.ts';
import { monthInputLines, type MonthRow } from './cost-month.ts';
import { readResults, sectionOf, writeSection } from './results.ts';

const N = Number(process.env.SURVEYS_PER_MONTH ?? 10_000);
if (!Number.isInteger(N) || N < 1) throw new Error(`SURVEYS_PER_MONTH must be a positive whole number, not ${process.env.SURVEYS_PER_MONTH}`);
const MONTHS = [...new Set([N, 1_000, 10_000, 100_000])].sort((x, y) => x - y);
/** Every record alone: the quiet shop's assumption (wcu-quiet, WCU_STREAM_BATCH=1). */
const ALONE: StreamBatching = { windowSeconds: 0, batchSize: 1 };

type Stream = Array<Timed<DynamoDBRecord> & { change: ItemChange }>;

const mapping = (fn: FunctionName) => STREAM_CONSUMERS.find((c) => c.fn === fn)!;
const passes = (fn: FunctionName, stream: Stream) => stream.filter((r) => matchesAnyFilter(mapping(fn).filter, r.record));
const deployed = (fn: FunctionName) => mapping(fn).batching ?? STREAM_BATCHING;

interface MonthFigures {
  label: string;
  surveys: number;
  funnel: { calls: number; writes: number; records: number };
  scores: { calls: number; writes: number; topicWrites: number; records: number };
  classify: { calls: number; records: number };
}

/** The tumbling window of a page writer's mapping (undefined: one write per page per batch, as before the windows). */
type Windows = (fn: FunctionName) => number | undefined;
const DEPLOYED_WINDOWS: Windows = (fn) => (mapping(fn).needsShardId ? PAGE_WINDOW_SECONDS : undefined);

function simulate(label: string, surveys: number, batchingOf: (fn: FunctionName) => StreamBatching, windowOf: Windows = DEPLOYED_WINDOWS): MonthFigures {
  const tally = <R>(fn: FunctionName, records: Array<Timed<R>>, pagesOf: (records: R[]) => number): WriterTally => {
    const window = windowOf(fn);
    return window === undefined ? tallyWriter(records, batchingOf(fn), pagesOf) : tallyWindowedWriter(records, batchingOf(fn), window, pagesOf);
  };
  const base = monthOfSurveys(surveys);
  // classifyComments' batches of the answers decide when each comment's classification (a new response version) is written.
  const answers = passes('classifyComments', streamOf(base));
  const { handedOverAt } = tallyWriter(answers, batchingOf('classifyComments'), () => 0);
  const versions = answers.flatMap((r, k) => classified(r.change, handedOverAt[k]! + OFFSETS.classifiedAfterHandOver) ?? []);
  const stream = streamOf([...base, ...versions]);

  const toFunnel = passes('countFunnel', stream);
  const funnel = tally('countFunnel', toFunnel, funnelWrites);
  const toScores = passes('aggregateScores', stream);
  // One pass over aggregateScores' batches (or windows): its score pages and topic pages are written in the same call.
  let topicPages = 0;
  const scores = tally('aggregateScores', toScores, (batch) => {
    topicPages += topicWrites(batch);
    return scoreWrites(batch);
  });
  const classify = tallyWriter(passes('classifyComments', stream), batchingOf('classifyComments'), () => 0);
  return {
    label,
    surveys,
    funnel: { calls: funnel.calls, writes: funnel.writes, records: funnel.records },
    scores: { calls: scores.calls, writes: scores.writes, topicWrites: topicPages, records: scores.records },
    classify: { calls: classify.calls, records: classify.records },
  };
}

/** The funnel's writes per survey for its send-side records alone (scheduled, sent, delivered), one record per batch. */
function quietSendSideFunnel(surveys: number): number {
  const sendSide = passes('countFunnel', streamOf(monthOfSurveys(surveys))).filter((r) => r.change.new.sk === SK.invitation && !r.change.new.openedAt);
  return sendSide.reduce((sum, r) => sum + funnelWrites([r.record]), 0) / surveys;
}

const per = (x: number, surveys: number) => (x / surveys).toFixed(3);

function row(f: MonthFigures): string {
  const s = f.surveys;
  return `| ${f.label} | ${per(f.funnel.writes, s)} | ${per(f.scores.writes, s)} | ${per(f.scores.topicWrites, s)} | ${per(f.funnel.calls, s)} | ${per(f.scores.calls, s)} | ${per(f.classify.calls, s)} | ${(f.funnel.records / f.funnel.calls).toFixed(1)} |`;
}

// ---------------------------------------------------------------------------------------------
// The busy and quiet runs' figures, as bench/RESULTS.md holds them
// ---------------------------------------------------------------------------------------------

/** A number of a table row (`| stage | item | writes |…`); NaN when absent. */
function cell(text: string, pattern: RegExp): number {
  const m = pattern.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

function recorded() {
  const results = readResults();
  const wcu = sectionOf(results, 'wcu') ?? '';
  const email = wcu.slice(0, wcu.indexOf('### By SMS') >= 0 ? wcu.indexOf('### By SMS') : undefined);
  const writes = (stage: string, item: string) => cell(email, new RegExp(`\\| ${stage} +\\| ${item} +\\| ([0-9.]+)`));
  const calls = (fn: string) => cell(email, new RegExp(`\\| ${fn} +\\| ([0-9.]+)`));
  const input = (name: string, section: string) => (sectionOf(results, section) ? measuredInputs(results, section)[name] : undefined) ?? Number.NaN;
  return {
    funnelSendSide: writes('event stream', 'FUNNEL/DAY'),
    funnelAnswerSide: writes('response stream', 'FUNNEL/DAY'),
    scoreAnswerSide: writes('response stream', 'score page'),
    topicAnswerSide: writes('response stream', 'TOPIC/DAY'),
    calls: { countFunnel: calls('countFunnel'), aggregateScores: calls('aggregateScores'), classifyComments: calls('classifyComments') },
    busySendSide: input('wcuSendSide', 'wcu'),
    quietSendSide: input('wcuSendSide', 'wcu-quiet'),
  };
}

// ---------------------------------------------------------------------------------------------

const started = performance.now();
const months = MONTHS.map((n) => simulate(`${n.toLocaleString('en-US')} a month`, n, deployed));
// Every record alone in its batch and its window: a call and a final call each (the most a quiet shop's records can cost).
const quiet = simulate(
  'one record per batch and window (quiet)',
  N,
  () => ALONE,
  (fn) => (mapping(fn).needsShardId ? 0 : undefined),
);
const perBatch = simulate(`${N.toLocaleString('en-US')} a month, pages per batch (before the windows)`, N, deployed, () => undefined);
const quietSendSide = quietSendSideFunnel(N);
const seconds = (performance.now() - started) / 1000;
const busy = recorded();
const a = ANSWERED_SHARE;
const busyRow = `| busy (wcu section, send side + ${a} × answer side) | ${(busy.funnelSendSide + a * busy.funnelAnswerSide).toFixed(3)} | ${(a * busy.scoreAnswerSide).toFixed(3)} | ${(a * busy.topicAnswerSide).toFixed(3)} | ${busy.calls.countFunnel}\\* | ${busy.calls.aggregateScores}\\* | ${busy.calls.classifyComments}\\* | – |`;
const headline = months.find((m) => m.surveys === N)!;
const total = (f: MonthFigures) => (f.funnel.writes + f.scores.writes + f.scores.topicWrites) / f.surveys;

const body = `
${N.toLocaleString('en-US')} e-mail surveys a month: ${total(headline).toFixed(3)} page writes per survey sent (funnel ${per(headline.funnel.writes, N)}, scores ${per(headline.scores.writes, N)}, topics ${per(headline.scores.topicWrites, N)}; ${total(perBatch).toFixed(3)} before the page writers' tumbling windows) and ${per(headline.funnel.calls + headline.scores.calls + headline.classify.calls, N)} calls of the consumers with the page batching (countFunnel, aggregateScores, classifyComments); one record per batch and window (the quiet shop): ${total(quiet).toFixed(3)} writes and ${per(quiet.funnel.calls + quiet.scores.calls + quiet.classify.calls, N)} calls.

Virtual time, no table: surveys triggered at uniform random times over a 30-day month (seeded; the month is a circle, so the
sends of surveys triggered 3 days earlier mix with the new surveys' records, as in any steady month). Each survey's item
changes at these offsets: scheduled at the event; claim (status sending: dropped by countFunnel's filter) at sendDue's first
whole-minute run after the survey's delay (${OFFSETS.sendDelay / 86_400} days, the default order.delivered survey's) + ${OFFSETS.claimAfterSweep} s;
sent ${OFFSETS.sentAfterClaim} s later; SES's delivery ${OFFSETS.deliveredAfterSent.join('-')} s after the send. For ${a * 100} % of the surveys (seeded): a person's open
${OFFSETS.openMinAfterSent / 60} min + an exponential wait (mean ${OFFSETS.openMeanExtra / 3600} h) after the send, the score (button, 30 % of scores ≤ 6) ${OFFSETS.answerAfterOpen.join('-')} s after the open, a
comment with every other answer and its classification (the response's next version, which carries the topics)
${OFFSETS.classifiedAfterHandOver} s after classifyComments' batch with the answer is handed over. One store of 5, pl or en; one shard.

Each page writer gets the records its mapping's filter passes, cut as Lambda does (${deployed('countFunnel').windowSeconds} s batching window or ${deployed('countFunnel').batchSize} records,
the deployed batching of the page writers; a window of 0 still gathers a quarter second), each batch one call. countFunnel
and aggregateScores fold the batches of a ${PAGE_WINDOW_SECONDS / 60}-minute tumbling window (aligned to the clock; a record falls in the window of
its time; a batch never spans two) into the window's state and write one page per page the window's records touch, in one
more call, the window's final call (counted by the writer's own fold; the state's 700 KB guard is not reached here).
Topic pages are written by aggregateScores in the same call as the score pages; classifyComments writes no page (its
calls are shown because they are page-writer mappings' calls too). The row before the windows is the same month with one
write per page per batch. Per survey sent:

| month | funnel page writes | score page writes | topic page writes | countFunnel calls | aggregateScores calls | classifyComments calls | records per countFunnel call |
| --- | --- | --- | --- | --- | --- | --- | --- |
${months.map(row).join('\n')}
${row(perBatch)}
${row(quiet)}
${busyRow}

\\* the wcu section's invocations per survey of its run, where every survey is answered (not scaled: its table does not
split a function's calls by side). Check of the quiet row against the wcu-quiet run: its send side costs
${(busy.quietSendSide - busy.busySendSide).toFixed(2)} WCU per survey more than the busy run's, which wrote ${busy.funnelSendSide} funnel pages there: ${(busy.quietSendSide - busy.busySendSide + busy.funnelSendSide).toFixed(2)} funnel
writes per survey sent at one record per batch; this model: ${quietSendSide.toFixed(2)}.

Left out: the other stream consumers (raiseAlerts, trackHealth, emitOutbound: not page writers), scanner fetches (they
write no funnel mark), bounces, unsubscribes and SMS. Simulated in ${seconds.toFixed(1)} s.

Cost-model inputs (read by \`npm run bench:cost\`: page writes and each page writer's calls per e-mail survey sent, answers included):

${inputLines()}
`;

/** The rows the cost model prices (bench/cost-month.ts): the three volumes and the quiet bound. */
function inputLines(): string {
  const rows = [
    ...months.filter((m) => [1_000, 10_000, 100_000].includes(m.surveys)).map((m) => ({ row: String(m.surveys) as MonthRow, f: m })),
    { row: 'quiet' as const, f: quiet },
  ];
  return monthInputLines(
    rows.map(({ row, f }) => ({
      row,
      pageWrites: total(f),
      calls: { countFunnel: f.funnel.calls / f.surveys, aggregateScores: f.scores.calls / f.surveys, classifyComments: f.classify.calls / f.surveys },
    })),
  );
}

console.log(body);
writeSection('month', 'npm run bench:month', body);
