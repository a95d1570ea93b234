/**
 * How long the local pipeline takes, as a person sees it: `npm start` to ready, event to e-mail,
 * click to score and click to alert (local delays: the 3-day NPS delay is 3 s, the sweep runs every
 * second, the stream is polled every 250 ms, the score pages are written at the end of a 5 s window
 * (LOCAL_STREAM_WINDOW_SECONDS) — these dominate the figures).
 *
 *   npm run bench:flow
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../local/ports.ts';
import { mailsTo, orderDelivered, postForm, ratingLinks, waitFor } from '../test/support/http.ts';
import { writeSection } from './results.ts';

const ROUNDS = 5;
const repo = fileURLToPath(new URL('..', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'ankieta-flow-'));
const [port, sesPort, dynamoPort] = [await freePort(), await freePort(), await freePort()];
const started = Date.now();
const child = spawn(process.execPath, [join(repo, 'node_modules/tsx/dist/cli.mjs'), join(repo, 'local/start.ts'), '--clean'], {
  cwd,
  env: { ...process.env, PORT: String(port), SES_PORT: String(sesPort), DYNAMODB_PORT: String(dynamoPort) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const stop = () => child.kill('SIGINT');
process.on('exit', stop);

try {
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ankieta is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
  });
  const ready = (Date.now() - started) / 1000;
  const api = `http://localhost:${port}`;
  const ses = `http://localhost:${sesPort}`;
  const toMail: number[] = [];
  const toScore: number[] = [];
  const toAlert: number[] = [];
  const responsesCounted = async () => ((await (await fetch(`${api}/api/scores?metric=nps&window=7d`)).json()) as { responses: number }).responses;
  const alertsListed = async () => ((await (await fetch(`${api}/api/alerts`)).json()) as unknown[]).length;
  /** Polls `count` until it passes `before`, then notes the seconds since `since` in `into`. */
  const timedUntilAbove = async (name: string, count: () => Promise<number>, before: number, since: number, into: number[]) => {
    await waitFor(name, async () => ((await count()) > before ? true : undefined), 30_000, 50);
    into.push((Date.now() - since) / 1000);
  };
  for (let i = 0; i < ROUNDS; i++) {
    const email = `flow-${i}@example.com`;
    const t0 = Date.now();
    await fetch(`${api}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(orderDelivered({ eventId: `flow-${i}`, customerId: `flow-${i}`, email })),
    });
    const [mail] = await waitFor(
      'mail',
      async () => {
        const mails = await mailsTo(ses, email);
        return mails.length ? mails : undefined;
      },
      30_000,
      50,
    );
    toMail.push((Date.now() - t0) / 1000);
    await new Promise((r) => setTimeout(r, 2100)); // answers within 2 s of sending are treated as scanners
    const link = ratingLinks(mail!.body.html!).get(1)!.split('?')[0]!;
    const [before, alertsBefore] = [await responsesCounted(), await alertsListed()];
    const t1 = Date.now();
    await postForm(link, { score: '1', evidence: 'button' });
    // Each timed from the click on its own: the alert does not wait for the score's page window.
    await Promise.all([timedUntilAbove('score', responsesCounted, before, t1, toScore), timedUntilAbove('alert', alertsListed, alertsBefore, t1, toAlert)]);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);
  const lines = [
    `| step | median of ${ROUNDS} (s) | max (s) |`,
    '| --- | --- | --- |',
    `| \`npm start\` to ready (fresh data, JVM start included) | ${ready.toFixed(1)} | — |`,
    `| event to e-mail in the local mailbox (3 s NPS delay + 1 s sweep) | ${med(toMail)} | ${Math.max(...toMail).toFixed(1)} |`,
    `| click (answer posted) to score in /api/scores (the page writers' 5 s window) | ${med(toScore)} | ${Math.max(...toScore).toFixed(1)} |`,
    `| click to alert in /api/alerts | ${med(toAlert)} | ${Math.max(...toAlert).toFixed(1)} |`,
  ];
  console.log(lines.join('\n'));
  writeSection('flow', 'npm run bench:flow', lines.join('\n'));
} finally {
  stop();
  await new Promise((r) => child.once('exit', r));
  rmSync(cwd, { recursive: true, force: true });
}
