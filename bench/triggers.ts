/**
 * Triggers on the local runtime: how long a signed webhook takes to be verified, mapped, deduped and
 * recorded (sequential and concurrent), how long a replay takes, how long from the webhook to the mail
 * in the local SES store, and how many SMS segments each invitation costs. Writes its section of
 * bench/RESULTS.md. `npm run bench:triggers`
 */
import { createHmac } from 'node:crypto';
import { startRuntime } from '../local/runtime.ts';
import { METRICS, SUPPORTED_LOCALES } from '../surveys/model.ts';
import { renderSurveySms, smsSegments } from '../surveys/templates/sms.ts';
import { writeSection } from './results.ts';

const SECRET = 'bench-shopify-secret';
process.env.SHOPIFY_WEBHOOK_SECRET = SECRET;
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

const RUNS = ['warm', 'seq', 'par', 'mail'];

function order(i: number, run: string) {
  // Built as text: Shopify ids are 64-bit, beyond what a JavaScript number holds exactly.
  const email = `bench-${run}-${i}@example.com`;
  const runCode = RUNS.indexOf(run); // each run its own customers: a repeated customer would be fatigued, not mailed
  const customerId = `8${String(i).padStart(16, '0')}${runCode}`;
  const body =
    `{"id":9${String(i).padStart(16, '0')}${runCode},"email":"${email}","updated_at":"${new Date().toISOString()}","currency":"PLN",` +
    `"total_price":"99.00","customer_locale":"pl","source_name":"web","customer":{"id":${customerId},"email":"${email}","first_name":"Ala"}}`;
  const headers = {
    'content-type': 'application/json',
    'x-shopify-topic': 'orders/fulfilled',
    'x-shopify-shop-domain': 'bench.myshopify.com',
    'x-shopify-event-id': `bench-${run}-${i}`,
    'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
  };
  return { body, headers };
}

async function timed(url: string, delivery: { body: string; headers: Record<string, string> }): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  return performance.now() - started;
}

async function main() {
  const runtime = await startRuntime({ delayScale: 1e-9 }); // send at once: the sweep every second is the only wait
  const url = `${runtime.apiUrl}/webhooks/shopify`;
  try {
    for (let i = 0; i < 10; i++) await timed(url, order(i, 'warm'));

    const sequential: number[] = [];
    for (let i = 0; i < 200; i++) sequential.push(await timed(url, order(i, 'seq')));

    const replays: number[] = [];
    for (let i = 0; i < 100; i++) replays.push(await timed(url, order(i, 'seq')));

    const concurrent: number[] = [];
    const started = performance.now();
    for (let batch = 0; batch < 25; batch++) {
      concurrent.push(...(await Promise.all(Array.from({ length: 8 }, (_, j) => timed(url, order(batch * 8 + j, 'par'))))));
    }
    const perSecond = (200 / (performance.now() - started)) * 1000;

    // Webhook → mail in the local SES store (the due sweep runs every second locally, every minute on AWS).
    const toMail: number[] = [];
    for (let i = 0; i < 10; i++) {
      const delivery = order(i, 'mail');
      const address = `bench-mail-${i}@example.com`; // as order() builds it
      const begun = performance.now();
      await timed(url, delivery);
      for (const deadline = begun + 30_000; ; ) {
        if (performance.now() > deadline) throw new Error(`no mail for ${address} within 30 s`);
        const store = (await (await fetch(`${runtime.sesUrl}/store`)).json()) as { emails: Array<{ destination: { to: string[] } }> };
        if (store.emails.some((e) => e.destination.to.includes(address))) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      toMail.push(performance.now() - begun);
    }

    const links = {
      'custom domain (37 chars)': 'https://ankieta.example/s/Ab3dE5gH7k',
      'API Gateway URL (71 chars)': 'https://abcdef1234.execute-api.eu-central-1.amazonaws.com/s/Ab3dE5gH7k',
    };
    const smsRows = METRICS.flatMap((metric) =>
      SUPPORTED_LOCALES.map((language) => {
        const cells = Object.values(links).map((link) => {
          const s = smsSegments(renderSurveySms({ metric, language, brand: 'ankieta shop', link }));
          return `${s.segments} (${s.encoding}, ${s.length})`;
        });
        return `| ${metric} | ${language} | ${cells.join(' | ')} |`;
      }),
    );

    const body = `
Signed Shopify \`orders/fulfilled\` deliveries to \`POST /webhooks/shopify\` on the local runtime (HMAC check,
mapping, dedupe transaction with the SUBJECT item, DynamoDB Local), each a new customer:

| | p50 | p95 | max |
| --- | --- | --- | --- |
| sequential, 200 | ${ms(percentile(sequential, 50))} | ${ms(percentile(sequential, 95))} | ${ms(Math.max(...sequential))} |
| replays (duplicates), 100 | ${ms(percentile(replays, 50))} | ${ms(percentile(replays, 95))} | ${ms(Math.max(...replays))} |
| 8 at a time, 200 | ${ms(percentile(concurrent, 50))} | ${ms(percentile(concurrent, 95))} | ${ms(Math.max(...concurrent))} |

Throughput 8 at a time: ${perSecond.toFixed(0)} deliveries/s. Webhook → mail in the local SES store (delay 0, sweep every
second): p50 ${ms(percentile(toMail, 50))}, max ${ms(Math.max(...toMail))} over 10 (on AWS the sweep runs every minute).

SMS segments of the invitation (segments, encoding, length) for the short links ankieta sends:

| survey | language | ${Object.keys(links).join(' | ')} |
| --- | --- | --- | --- |
${smsRows.join('\n')}
`;
    writeSection('triggers', 'npm run bench:triggers', body);
    console.log(body);
  } finally {
    await runtime.stop();
  }
}

await main();
