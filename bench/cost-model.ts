/**
 * What 10,000 surveys cost on AWS: the units measured by `npm run bench:wcu` (its "Cost-model inputs" in
 * bench/RESULTS.md) times the list prices below, for e-mail and SMS, to customers in Poland (served from
 * eu-central-1) and in the US (us-east-1). The model and every assumption are explained in docs/cost.md.
 *
 *   npm run bench:cost       (RESPONSE_RATE=0.3 npm run bench:cost to try another response rate)
 */
import { SCHEDULES } from '../functions/manifest.ts';
import { renderSurveySms, smsSegments } from '../surveys/templates/sms.ts';
import { callsPerSurvey, coldStartsPerSurvey, MINUTES_PER_MONTH } from './cold-starts.ts';
import { shopOfMonth } from './cost-month.ts';
import { readResults, sectionOf, writeSection } from './results.ts';

/** The day the prices below were looked up. */
export const PRICES_TAKEN = '2026-11-26';

type Region = 'eu-central-1' | 'us-east-1';
interface Price {
  usd: number;
  /** false: not confirmed from a source on PRICES_TAKEN — an assumption, shown as such in the results. */
  confirmed: boolean;
  source: string;
}
const confirmed = (usd: number, source: string): Price => ({ usd, confirmed: true, source });
const assumed = (usd: number, source: string): Price => ({ usd, confirmed: false, source });

interface PriceTable {
  dynamoWriteMillion: Price;
  dynamoReadMillion: Price;
  dynamoStorageGbMonth: Price;
  pitrGbMonth: Price;
  lambdaGbSecond: Price;
  lambdaRequestMillion: Price;
  httpApiMillion: Price;
  eventBridgeMillion: Price;
  sesThousand: Price;
  snsPublishMillion: Price;
  snsEmailHundredThousand: Price;
  logsIngestGb: Price;
  xrayTraceMillion: Price;
  /** Per SMS part (segment), AWS fee plus carrier fee, to the region's country. */
  smsPart: Price;
  /** Per month: what sending SMS needs before the first message (origination identity). */
  smsFixedMonth: Price;
}

const AWS_DDB = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';
export const PRICES: Record<Region, PriceTable> = {
  'us-east-1': {
    dynamoWriteMillion: confirmed(0.625, `${AWS_DDB} (on-demand WRU, US East; quoted by airbyte.com/data-engineering-resources/dynamodb-pricing)`),
    dynamoReadMillion: confirmed(0.125, `${AWS_DDB} (on-demand RRU, US East; same source)`),
    dynamoStorageGbMonth: confirmed(0.25, 'https://aws.amazon.com/dynamodb/pricing/ ("from $0.25 per GB-month")'),
    pitrGbMonth: assumed(0.2, 'continuous backups, US East: from memory, not confirmed'),
    lambdaGbSecond: confirmed(
      0.0000133334,
      'https://aws.amazon.com/lambda/pricing/ (Arm, first 7.5 billion GB-s; quoted by cloudchipr.com/blog/aws-lambda-pricing)',
    ),
    lambdaRequestMillion: confirmed(0.2, 'https://aws.amazon.com/lambda/pricing/ (quoted in the same sources)'),
    httpApiMillion: confirmed(1.0, 'https://aws.amazon.com/api-gateway/pricing/ (HTTP API, first 300 million; quoted by apigatewaycost.com/aws)'),
    eventBridgeMillion: confirmed(1.0, 'https://aws.amazon.com/eventbridge/pricing/ (custom events; quoted by cloudburn.io/blog/amazon-eventbridge-pricing)'),
    sesThousand: confirmed(0.1, 'https://aws.amazon.com/ses/pricing/ (outbound e-mail; quoted by acecloudinterviews.com/tutorials/aws/ses)'),
    snsPublishMillion: confirmed(0.5, 'https://aws.amazon.com/sns/pricing/ (quoted by factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols)'),
    snsEmailHundredThousand: confirmed(2.0, 'https://aws.amazon.com/sns/pricing/ (e-mail deliveries; same source)'),
    logsIngestGb: confirmed(
      0.5,
      'https://aws.amazon.com/cloudwatch/pricing/ (Standard ingestion, US East; quoted by c3x.dev/blog/cloudwatch-logs-cost-optimization)',
    ),
    xrayTraceMillion: confirmed(5.0, 'https://aws.amazon.com/xray/pricing/ (traces recorded)'),
    smsPart: assumed(0.00581 + 0.003, 'US: AWS fee $0.00581 per part plus ~$0.003 carrier fee (10DLC/toll-free): from memory, not confirmed'),
    smsFixedMonth: assumed(2, 'US toll-free number ~$2/month (10DLC: brand and campaign fees instead): from memory, not confirmed'),
  },
  'eu-central-1': {
    dynamoWriteMillion: assumed(0.7625, 'Frankfurt: the earlier $1.525 halved like US East in Nov 2024: not confirmed'),
    dynamoReadMillion: assumed(0.1525, 'Frankfurt: the earlier $0.305 halved: not confirmed'),
    dynamoStorageGbMonth: assumed(0.306, 'Frankfurt storage: from memory, not confirmed'),
    pitrGbMonth: assumed(0.2448, 'Frankfurt continuous backups: from memory, not confirmed'),
    lambdaGbSecond: assumed(0.0000133334, 'taken equal to US East (Arm): not confirmed for Frankfurt'),
    lambdaRequestMillion: assumed(0.2, 'taken equal to US East: not confirmed for Frankfurt'),
    httpApiMillion: assumed(1.2, 'Frankfurt HTTP API: from memory, not confirmed'),
    eventBridgeMillion: assumed(1.0, 'taken equal to US East ("consistent across most commercial regions", cloudburn.io): not confirmed'),
    sesThousand: assumed(0.1, 'taken equal to US East: not confirmed for Frankfurt'),
    snsPublishMillion: assumed(0.5, 'taken equal to US East: not confirmed'),
    snsEmailHundredThousand: assumed(2.0, 'taken equal to US East: not confirmed'),
    logsIngestGb: assumed(0.63, 'Frankfurt ingestion: from memory, not confirmed'),
    xrayTraceMillion: assumed(5.0, 'taken equal to US East: not confirmed for Frankfurt'),
    smsPart: assumed(0.04, 'Poland, per part: order of magnitude from memory, NOT confirmed — check the AWS End User Messaging SMS price list'),
    smsFixedMonth: assumed(0, 'Poland: alphanumeric sender ID, no monthly fee assumed: not confirmed'),
  },
};

/**
 * DynamoDB Standard-IA against Standard (the table class, docs/cost.md "Table class"): requests dearer,
 * storage cheaper; continuous backups billed on the same bytes at the same price (assumed).
 */
export const STANDARD_IA = {
  requestFactor: confirmed(
    1.25,
    'https://www.amazonaws.cn/en/dynamodb/pricing/ (China regions: IA ¥0.0725 against Standard ¥0.058 per 10 WCU, the same ratio for reads)',
  ),
  storageFactor: assumed(0.4, 'US East $0.10 against $0.25 per GB-month ("up to 60 %" lower storage): from memory and cloudfix.aurea.com, not confirmed'),
};

/** The cost with the table in Standard-IA: the DynamoDB request lines × requestFactor, storage × storageFactor. */
export function withStandardIa(lines: Line[]): number {
  const factor = (item: string) =>
    item.startsWith('DynamoDB writes') || item.startsWith('DynamoDB reads')
      ? STANDARD_IA.requestFactor.usd
      : item.startsWith('DynamoDB storage')
        ? STANDARD_IA.storageFactor.usd
        : 1;
  return lines.reduce((sum, l) => sum + l.usd * factor(l.item), 0);
}

/** What is not measured here and has to be assumed; each one is explained in docs/cost.md. */
export const ASSUMPTIONS = {
  surveys: 10_000,
  responseRate: Number(process.env.RESPONSE_RATE ?? 0.15),
  /** Link fetches by mail security scanners per e-mail (each a GET of a rating page). */
  scannerFetchesPerEmail: 1,
  /** Local in-process wall time → billed Lambda duration at 512 MB arm64 (≈ 0.3 vCPU, network to DynamoDB). */
  lambdaDurationFactor: 2,
  lambdaMemoryGb: 0.5,
  /**
   * How long Lambda keeps an idle execution environment: not documented by AWS. Measured at exactly 10 minutes after
   * the last request since July 2019 (mikhail.io/2019/08/aws-lambda-cold-starts-after-10-minutes; 25-60 minutes
   * before). A call is cold when its function had none that long before (bench/cold-starts.ts).
   */
  idleEnvironmentMinutes: 10,
  /**
   * Billed Init Duration of one cold start (billed since 1 August 2025): module init of a ~350 KB handler bundle
   * (bench:bundles, about 100-130 ms here) plus Node's own start (about 127 ms here). To confirm on AWS.
   */
  initSeconds: 0.25,
  /** The busy shop's volume for its cold starts: bench:month's 100,000 a month writes as many funnel pages per survey as the busy run. */
  busyShopPerMonth: 100_000,
  /** An empty due or alert sweep (a few queries), billed per run of the one-minute schedules. */
  emptySweepMs: 30,
  /** The default PUBLIC_BASE_URL is the HTTP API's URL; a custom domain makes SMS shorter. */
  publicBaseUrl: {
    'eu-central-1': 'https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com',
    'us-east-1': 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
  } as Record<Region, string>,
  smsLanguage: { 'eu-central-1': 'pl', 'us-east-1': 'en' } as Record<Region, 'pl' | 'en'>,
};

/** The `- \`name\`: value` lines of the wcu section of bench/RESULTS.md. */
export function measuredInputs(results = readResults(), name = 'wcu'): Record<string, number> {
  const section = sectionOf(results, name);
  if (!section) throw new Error(`bench/RESULTS.md has no ${name} section: run \`npm run bench:figures\` first`);
  return Object.fromEntries([...section.matchAll(/^- `(\w+)`: ([\d.]+)/gm)].map((m) => [m[1]!, Number(m[2])]));
}

/** One measured input, or an error that says how to get it. */
function input(m: Record<string, number>, k: string): number {
  if (m[k] === undefined) throw new Error(`bench/RESULTS.md lacks the input ${k}: run \`npm run bench:wcu\``);
  return m[k]!;
}

export interface Line {
  item: string;
  units: number;
  unit: string;
  price: Price;
  per: number;
  usd: number;
}

/** How busy the shop is: surveys a month, or a trickle (every call a cold start). */
export type Traffic = number | 'trickle';

export function costOf(
  channel: 'email' | 'sms',
  region: Region,
  m: Record<string, number>,
  traffic: Traffic,
  a = ASSUMPTIONS,
): { lines: Line[]; total: number; smsParts: number; invocations: number; coldStarts: number; logBytes: number } {
  const p = PRICES[region];
  const need = (k: string) => input(m, k);
  const n = a.surveys;
  const answered = n * a.responseRate;
  const scans = channel === 'email' ? n * a.scannerFetchesPerEmail : 0;
  // SMS are answered through the short link here (works in every country): redirect, page, answer.
  const sms = channel === 'sms';
  const sendWcu = channel === 'email' ? need('wcuSendSide') : need('wcuSmsSendSide');
  const sendRcu = channel === 'email' ? need('rcuSendSide') : need('rcuSmsSendSide');
  const wcu = n * sendWcu + answered * need('wcuAnswerSide') + scans * need('wcuScannerFetch');
  const rcu = n * sendRcu + answered * need('rcuAnswerSide') + scans * need('rcuScannerFetch');
  const httpRequests = answered * (sms ? 3 : 2) + scans;
  // Measured per function (bench/lifecycle-wcu.ts): every handler call, the stream consumers per batch as the
  // scenario has them, the SES delivery event; the sweeps run every minute whatever the volume (fixedPerMonth). An
  // SMS answer is the e-mail answer's path behind the short link's redirect.
  const invocationCount =
    n * need(sms ? 'invocationsSmsSendSide' : 'invocationsSendSide') +
    answered * (need('invocationsAnswerSide') + (sms ? need('invocationsSmsLink') : 0)) +
    scans * need('invocationsScannerFetch');
  // Handler times measured in-process, per survey; the sweeps' time per message sent.
  const ms =
    n * (need(sms ? 'msHandlersSmsSendSide' : 'msHandlersSendSide') + need('msSweepPerSend')) +
    answered * (need('msHandlersAnswerSide') + (sms ? need('msHandlersSmsLink') : 0)) +
    scans * need('msHandlersScannerFetch');
  // Each function's cold starts at its own rate of calls (the e-mail run's; an SMS survey's calls taken as cold as those).
  const calls = callsPerSurvey(m, a.responseRate, a.scannerFetchesPerEmail);
  if (calls.size === 0) throw new Error('bench/RESULTS.md lacks the calls per function (callsSendSide_<fn>): run `npm run bench:wcu`');
  const coldStarts = invocationCount * coldStartsPerSurvey(calls, traffic, a.idleEnvironmentMinutes).share;
  // Our lines at INFO and Lambda's START/END/REPORT, measured per side; cold starts add INIT_START and Init Duration.
  // The sweep's lines beyond an idle run were measured once per message; a run a minute shares them among its messages.
  const perRun = traffic === 'trickle' ? 1 : Math.max(1, traffic / MINUTES_PER_MONTH);
  const sweepShared = need(sms ? 'sweepLogBytesSmsSendSide' : 'sweepLogBytesSendSide') * (1 - 1 / perRun);
  const logBytes =
    n * (need(sms ? 'logBytesSmsSendSide' : 'logBytesSendSide') - sweepShared) +
    answered * (need('logBytesAnswerSide') + (sms ? need('logBytesSmsLink') : 0)) +
    scans * need('logBytesScannerFetch') +
    coldStarts * need('coldStartLogBytes');
  const gbSeconds = (ms / 1000) * a.lambdaDurationFactor * a.lambdaMemoryGb;
  // Measured byte-months (item sizes, index copies, each item's TTL: bench/item-bytes.ts), no assumed overhead.
  const storedGbMonths = (n * need('byteMonthsSendSide') + answered * need('byteMonthsAnswerSide')) / 2 ** 30;
  // Point-in-time recovery bills the table and its local indexes, not the global ones (bench/item-bytes.ts).
  const backedUpGbMonths = (n * need('tableByteMonthsSendSide') + answered * need('tableByteMonthsAnswerSide')) / 2 ** 30;
  const alerts = answered * need('detractorShare');
  // SES's delivery, bounce and complaint events reach emailFeedback through SNS: publishes (SES developer guide).
  const sesEvents = channel === 'email' ? n * (calls.get('emailFeedback') ?? 0) : 0;
  const smsText = renderSurveySms({ metric: 'csat', language: a.smsLanguage[region], brand: 'ankieta shop', link: `${a.publicBaseUrl[region]}/s/AbCdEfGh12` });
  const smsParts = smsSegments(smsText).segments;

  const line = (item: string, units: number, unit: string, price: Price, per: number): Line => ({
    item,
    units,
    unit,
    price,
    per,
    usd: (units / per) * price.usd,
  });
  const lines = [
    line('DynamoDB writes (on-demand)', wcu, 'WRU', p.dynamoWriteMillion, 1e6),
    line('DynamoDB reads (on-demand)', rcu, 'RRU', p.dynamoReadMillion, 1e6),
    line('DynamoDB storage over the retention', storedGbMonths, 'GB-month', p.dynamoStorageGbMonth, 1),
    line('DynamoDB point-in-time recovery', backedUpGbMonths, 'GB-month', p.pitrGbMonth, 1),
    line('Lambda requests', invocationCount, 'invocations', p.lambdaRequestMillion, 1e6),
    line('Lambda duration (512 MB, arm64)', gbSeconds, 'GB-s', p.lambdaGbSecond, 1),
    line('Lambda INIT of cold starts (billed since Aug 2025)', coldStarts * a.initSeconds * a.lambdaMemoryGb, 'GB-s', p.lambdaGbSecond, 1),
    line('API Gateway HTTP API', httpRequests, 'requests', p.httpApiMillion, 1e6),
    line('EventBridge custom events', n, 'events', p.eventBridgeMillion, 1e6),
    ...(channel === 'email'
      ? [line('SES e-mail', n, 'messages', p.sesThousand, 1e3)]
      : [line(`SMS (${smsParts} part${smsParts > 1 ? 's' : ''} each, ${a.smsLanguage[region]})`, n * smsParts, 'parts', p.smsPart, 1)]),
    line('SNS publishes (alerts, SES events)', alerts + sesEvents, 'publishes', p.snsPublishMillion, 1e6),
    line('SNS alert e-mails (one subscriber)', alerts, 'e-mails', p.snsEmailHundredThousand, 1e5),
    line('CloudWatch Logs ingestion', logBytes / 2 ** 30, 'GB', p.logsIngestGb, 1),
    // The traced functions' invocations (infra/survey-pipeline-stack.ts TRACED), measured: of them only raiseAlerts
    // runs per survey; Lambda samples the first request each second and 5 % after, so at survey volumes all of them.
    line('X-Ray traces (raiseAlerts only)', answered * need('tracedAnswerSide'), 'traces', p.xrayTraceMillion, 1e6),
  ];
  return { lines, total: lines.reduce((s, l) => s + l.usd, 0), smsParts, invocations: invocationCount, coldStarts, logBytes };
}

/** Per month, whatever the volume: the one-minute schedules (functions/manifest.ts SCHEDULES), the link secret, the SMS number. */
export function fixedPerMonth(region: Region, m: Record<string, number>, a = ASSUMPTIONS): number {
  const p = PRICES[region];
  const scheduledInvocations = SCHEDULES.length * 60 * 24 * 30.44; // sendDue, sendDueSms and alertSweep, every minute
  return (
    (scheduledInvocations / 1e6) * p.lambdaRequestMillion.usd +
    ((scheduledInvocations * a.emptySweepMs * a.lambdaDurationFactor) / 1000) * a.lambdaMemoryGb * p.lambdaGbSecond.usd +
    ((scheduledInvocations * input(m, 'idleSweepLogBytes')) / 2 ** 30) * p.logsIngestGb.usd + // measured: each run's lines, ours and Lambda's
    0.4 // one Secrets Manager secret (the link key), $0.40/month: from memory, not confirmed
  );
}

/** What the messages cost (SES, SMS): any tool pays or passes them on, so the pipeline's own share is the rest. */
const messagesOf = (lines: Line[]) => lines.find((l) => /^(SES|SMS)/.test(l.item))!.usd;
const ownShare = (r: { lines: Line[]; total: number }) => r.total - messagesOf(r.lines);

const usd = (x: number) => (x >= 100 ? `$${x.toFixed(0)}` : x >= 1 ? `$${x.toFixed(2)}` : `$${x.toFixed(3)}`);

const CASES = [
  { channel: 'email', region: 'eu-central-1', label: 'e-mail, Poland (eu-central-1)' },
  { channel: 'email', region: 'us-east-1', label: 'e-mail, US (us-east-1)' },
  { channel: 'sms', region: 'eu-central-1', label: 'SMS, Poland (eu-central-1)' },
  { channel: 'sms', region: 'us-east-1', label: 'SMS, US (us-east-1)' },
] as const;

/** One scenario's figures (the busy shop's inputs, the quiet shop's, a month's): headline, own share, table, invocations and logs. */
function scenario(m: Record<string, number>, traffic: Traffic, cases: ReadonlyArray<(typeof CASES)[number]> = CASES) {
  const results = cases.map((c) => ({ ...c, ...costOf(c.channel, c.region, m, traffic) }));
  const headline = results.map((r) => `${r.label} ${usd(r.total)}`).join(' · ');
  const items = results[0]!.lines.map((l) => l.item.replace(/^SES e-mail$/, 'SES e-mail / SMS'));
  const table = [
    `| per 10,000 surveys | ${results.map((r) => r.label).join(' | ')} |`,
    `| --- | ${results.map(() => '---').join(' | ')} |`,
    ...items.map((item, i) => `| ${item} | ${results.map((r) => `${usd(r.lines[i]!.usd)}${r.lines[i]!.price.confirmed ? '' : ' *'}`).join(' | ')} |`),
    `| **total** | ${results.map((r) => `**${usd(r.total)}**`).join(' | ')} |`,
  ];
  const own = results.map((r) => `${r.label} ${usd(ownShare(r))} (Standard-IA: ${usd(withStandardIa(r.lines) - messagesOf(r.lines))})`).join(' · ');
  // Invocations and logs, measured; the cold starts at each function's rate of calls (bench/cold-starts.ts).
  const calls = results
    .map((r) => {
      const init = r.lines.find((l) => l.item.startsWith('Lambda INIT'))!.usd;
      const coldLogs = ((r.coldStarts * m.coldStartLogBytes!) / 2 ** 30) * PRICES[r.region].logsIngestGb.usd;
      return `${r.label}: ${(r.invocations / 1000).toFixed(0)}k invocations, ${(r.coldStarts / 1000).toFixed(1)}k of them cold (${usd(init + coldLogs)} of INIT and its log lines), ${(r.logBytes / 2 ** 20).toFixed(1)} MiB of logs`;
    })
    .join('; ');
  return { results, headline, own, table, calls };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = readResults();
  const m = measuredInputs(text);
  const busy = scenario(m, ASSUMPTIONS.busyShopPerMonth);
  // The quiet shop (one stream record per batch), when bench:figures measured it.
  const quietInputs = sectionOf(text, 'wcu-quiet') ? measuredInputs(text, 'wcu-quiet') : undefined;
  const quiet = quietInputs ? scenario(quietInputs, 'trickle') : undefined;
  // A shop of 10,000 e-mail surveys a month: the quiet run with bench:month's page writes and calls at that volume.
  const monthInputs = sectionOf(text, 'month') ? measuredInputs(text, 'month') : undefined;
  const emailCases = CASES.filter((c) => c.channel === 'email');
  const shop = quietInputs && monthInputs ? scenario(shopOfMonth(quietInputs, monthInputs, '10000'), 10_000, emailCases) : undefined;
  // The own share by monthly volume: each of bench:month's volumes priced as the 10,000 one is.
  const byVolume =
    quietInputs && monthInputs
      ? (['1000', '10000', '100000'] as const).map((row) => {
          const inputs = shopOfMonth(quietInputs, monthInputs, row);
          const cells = emailCases.map((c) => usd(ownShare(costOf(c.channel, c.region, inputs, Number(row)))));
          return `| ${Number(row).toLocaleString('en-US')} a month | ${cells.join(' | ')} |`;
        })
      : [];
  const { results, headline, own, table, calls } = busy;
  // What a short custom domain for links would change: the SMS is billed per part.
  const shortParts = (['pl', 'en'] as const).map((language) => {
    const text = renderSurveySms({ metric: 'csat', language, brand: 'ankieta shop', link: 'https://ank.example/s/AbCdEfGh12' });
    return `${language} ${smsSegments(text).segments} (${smsSegments(text).encoding}, ${smsSegments(text).length} units)`;
  });
  const smsRow = results
    .filter((r) => r.channel === 'sms')
    .map((r) => `${r.label}: ${r.smsParts} part(s)`)
    .join('; ');
  const body = `
A busy shop (stream batches of a burst: its 300 s windows fill, as at ${ASSUMPTIONS.busyShopPerMonth.toLocaleString('en-US')} surveys a month or more; the wcu section), cost per 10,000 surveys: ${headline}

the pipeline's own share (all but the messages), table class Standard: ${own}
${
  quiet
    ? `
A quiet shop (one stream record per batch and every call a cold start: the most a trickle can cost; the wcu-quiet section), cost per 10,000 surveys: ${quiet.headline}

the pipeline's own share, table class Standard: ${quiet.own}

A real shop lies between the two: a small one's windows hold a few records of different surveys (docs/cost.md).
`
    : ''
}${
  shop
    ? `
A shop sending 10,000 e-mail surveys a month (the quiet run with the page writes and page-writer calls that \`npm run bench:month\`
counts at that volume, at its 15 % response rate; the other stream consumers one record a call, as in the quiet run), per 10,000 surveys: ${shop.headline}

the pipeline's own share, table class Standard: ${shop.own}

The pipeline's own share per 10,000 e-mail surveys by the shop's monthly volume (priced the same way):

| e-mail surveys sent | ${emailCases.map((c) => c.label).join(' | ')} |
| --- | ${emailCases.map(() => '---').join(' | ')} |
${byVolume.join('\n')}
`
    : ''
}
${(ASSUMPTIONS.responseRate * 100).toFixed(0)} % answered, ${ASSUMPTIONS.scannerFetchesPerEmail} scanner fetch per e-mail; list prices of ${PRICES_TAKEN}, no free tier, USD.
Units from the wcu section above (\`wcuSendSide\` ${m.wcuSendSide}, \`wcuAnswerSide\` ${m.wcuAnswerSide} WCU, …). \\* = a price not confirmed
from a source on ${PRICES_TAKEN} (an assumption, listed in \`bench/cost-model.ts\` and docs/cost.md). SMS lengths from the real
template (${smsRow}); with a short custom link domain (https://ank.example/s/…): ${shortParts.join(', ')} parts.

The busy shop, item by item:

${table.join('\n')}
${shop ? `\nThe shop of 10,000 e-mail surveys a month, item by item:\n\n${shop.table.join('\n')}\n` : ''}${quiet ? `\nThe quiet shop, item by item:\n\n${quiet.table.join('\n')}\n` : ''}
Lambda requests, duration, CloudWatch Logs and X-Ray from what the wcu sections measured per function: every handler call
(the stream consumers per batch as the scenario has them; the SES delivery event; the sweeps apart, fixed per month),
the handlers' own time, the bytes of their lines at INFO and of Lambda's START/END/REPORT lines. Cold starts: each function's
calls taken as a Poisson stream at its own rate in that shop, cold when it had no call in the ${ASSUMPTIONS.idleEnvironmentMinutes} minutes before (AWS does not say
how long an idle environment is kept; bench/cold-starts.ts), every call in the quiet shop. Each adds INIT_START and Init Duration
to the logs (\`coldStartLogBytes\` ${m.coldStartLogBytes} bytes) and ${ASSUMPTIONS.initSeconds} s of billed INIT at ${ASSUMPTIONS.lambdaMemoryGb * 1024} MB (Lambda bills the INIT phase of
ZIP functions on managed runtimes since 1 August 2025; the ${ASSUMPTIONS.initSeconds} s is assumed from bench:bundles, to confirm on AWS).
Busy: ${calls}.${shop ? ` 10,000 a month: ${shop.calls}.` : ''}${quiet ? ` Quiet: ${quiet.calls}.` : ''}

Prices used (USD; \\* = not confirmed, an assumption):

| price | eu-central-1 | us-east-1 |
| --- | --- | --- |
${(Object.keys(PRICES['us-east-1']) as Array<keyof PriceTable>).map((k) => `| ${k} | ${PRICES['eu-central-1'][k].usd}${PRICES['eu-central-1'][k].confirmed ? '' : ' \\*'} | ${PRICES['us-east-1'][k].usd}${PRICES['us-east-1'][k].confirmed ? '' : ' \\*'} |`).join('\n')}

Table class: Standard. Standard-IA (requests × ${STANDARD_IA.requestFactor.usd}, storage × ${STANDARD_IA.storageFactor.usd}${STANDARD_IA.storageFactor.confirmed ? '' : ' \\*'},
point-in-time recovery unchanged) is the figure in brackets above: it pays only when storage costs more than ${((STANDARD_IA.requestFactor.usd - 1) / (1 - STANDARD_IA.storageFactor.usd)).toFixed(2)} × the DynamoDB requests.

Fixed per month whatever the volume (schedules every minute, the link secret, an SMS origination number in the US):
eu-central-1 ${usd(fixedPerMonth('eu-central-1', m))}, us-east-1 ${usd(fixedPerMonth('us-east-1', m) + PRICES['us-east-1'].smsFixedMonth.usd)} (with SMS). The model is explained in docs/cost.md.
`;
  console.log(body);
  writeSection('cost', 'npm run bench:cost', body);
}
