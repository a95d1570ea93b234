/**
 * The local HTTP API under load, with autocannon, on loopback only and bounded in time:
 *   - POST /events, each request a new event (unique eventId and customer, so each one schedules a survey);
 *   - GET /r/{token}?s=9, the rating page of a real, sent invitation (it reads the invitation and the
 *     answer so far and notes the open).
 * The runtime runs in a child process (this file with --serve), so the load generator and the server
 * do not share an event loop; there the due sweep and the stream consumers are paused (on AWS they are
 * other functions), and the per-address and per-link request limits are raised: one loopback client
 * would otherwise be refused with 429 after 120 requests a minute, which is the limiter working, not
 * the API's throughput. The limiter's counter writes still happen on every request.
 *
 *   npm run bench:load            (LOAD_SECONDS=5 LOAD_CONNECTIONS=10 to change the defaults)
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { writeSection } from './results.ts';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 10);

if (process.argv.includes('--serve')) await serve();
else await measure();

/** Child: the runtime, one sent invitation, then its API URL and rating link on stdout. */
async function serve(): Promise<void> {
  Object.assign(process.env, {
    RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000',
    RATE_LIMIT_LINK_PER_MINUTE: '100000000',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const { startRuntime } = await import('../local/runtime.ts');
  const { mailsTo, orderDelivered, ratingLinks, waitFor } = await import('../test/support/http.ts');
  const runtime = await startRuntime({ background: false, delayScale: 1 / 864_000 }); // the 3-day NPS delay becomes 0.3 s;
  process.on('SIGTERM', () => void runtime.stop().then(() => process.exit(0)));
  const res = await fetch(`${runtime.apiUrl}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(orderDelivered({ eventId: 'load-seed', customerId: 'load-seed', email: 'load-seed@example.com' })),
  });
  if (res.status !== 202) throw new Error(`seed event refused: ${res.status} ${await res.text()}`);
  const [mail] = await waitFor(
    'the seed mail',
    async () => {
      await runtime.sweep();
      const mails = await mailsTo(runtime.sesUrl, 'load-seed@example.com');
      return mails.length ? mails : undefined;
    },
    30_000,
    200,
  );
  console.log(JSON.stringify({ apiUrl: runtime.apiUrl, link: ratingLinks(mail!.body.html!).get(9) }));
}

interface Served {
  apiUrl: string;
  link: string;
}

async function measure(): Promise<void> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url)), fileURLToPath(import.meta.url), '--serve'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.once('exit', () => child.kill('SIGTERM'));
  try {
    const served = await new Promise<Served>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{"apiUrl"'));
        if (line) resolve(JSON.parse(line) as Served);
      });
      child.once('exit', (code) => reject(new Error(`the runtime exited with ${code}`)));
    });
    const api = new URL(served.apiUrl);
    const target = `http://127.0.0.1:${api.port}`; // loopback only
    const page = new URL(served.link);

    let next = 0;
    const event = () =>
      JSON.stringify({
        source: 'shop.example',
        'detail-type': 'order.delivered',
        detail: {
          eventId: `load-${process.pid}-${++next}`,
          occurredAt: new Date().toISOString(),
          customer: { id: `load-${next}`, email: `load-${next}@example.com`, locale: 'pl-PL' },
          order: { id: `o-${next}`, total: 10, currency: 'PLN', store: 'web', channel: 'online' },
        },
      });

    const runs = [
      {
        name: 'POST /events',
        expected: 202,
        options: {
          url: target,
          requests: [
            {
              method: 'POST' as const,
              path: '/events',
              headers: { 'content-type': 'application/json' },
              setupRequest: (req: autocannon.Request) => ({ ...req, body: event() }),
            },
          ],
        },
      },
      {
        name: 'GET /r/{token} (rating page)',
        expected: 200,
        options: {
          url: `${target}${page.pathname}${page.search}`,
          headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' },
        },
      },
    ];

    const load = loadavg()[0]!.toFixed(1); // other work on the machine weighs on every figure below
    const lines: string[] = [];
    const table = ['| endpoint | req/s (mean) | p50 | p99 | max | requests | errors |', '| --- | --- | --- | --- | --- | --- | --- |'];
    for (const run of runs) {
      const statuses = new Map<number, number>();
      const result = await autocannon({
        ...run.options,
        connections: CONNECTIONS,
        duration: SECONDS,
        setupClient: (client) => client.on('response', (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1)),
      });
      const unexpected = [...statuses.entries()].filter(([status]) => status !== run.expected).reduce((s, [, n]) => s + n, 0);
      const errors = unexpected + result.errors + result.timeouts;
      const statusList = [...statuses.entries()].map(([s, n]) => `${n} × ${s}`).join(', ');
      lines.push(`req/s: ${run.name} ${Math.round(result.requests.average)} (p99 ${result.latency.p99} ms, ${errors} errors)`);
      table.push(
        `| ${run.name} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} ms | ${result.latency.p99} ms | ${result.latency.max} ms | ${result.requests.total} (${statusList}) | ${errors} |`,
      );
      if (errors > 0) process.exitCode = 1;
    }
    const body = `
${lines.join('\n')}

autocannon, ${CONNECTIONS} connections, ${SECONDS} s per endpoint, loopback only; the runtime in its own process (handlers,
HTTP server, DynamoDB Local's JVM and autocannon share this machine's cores; load average ${load} when it started). An error is any status other than the
expected one (202 for events, 200 for the page), a socket error or a timeout.

${table.join('\n')}

- POST /events: every request a new event and customer (one transaction each: event dedupe, profile, invitation…).
- The rating page: a real signed link of a sent invitation; each GET reads the invitation and the answer and notes the open.
- Paused in the server process: the due sweep and the stream consumers. Request limits raised (see \`bench/http-load.ts\`).
`;
    console.log(body);
    writeSection('load', 'npm run bench:load', body);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
