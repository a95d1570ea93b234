/**
 * Bundle size and cold init time of every handler, built the way the CDK stack builds them
 * (bench/bundle-build.ts). Cold init: a fresh Node process imports the bundle (module-scope init:
 * SDK, Powertools, middy). The runs are interleaved (round r imports every bundle once, in turn) so
 * that the machine's load falls on all bundles alike, and a minimal DynamoDB-only handler
 * (bench/reference-handler.ts) is timed in the same rounds as the reference. Goal: each ≤ 400 KB and
 * ≤ 150 ms. The sizes are deterministic; `npm test` checks them against this section
 * (test/unit/bench-figures.test.ts).
 *
 *   npm run bench:bundles          (RUNS=20 for more rounds)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTIONS, type FunctionName } from '../functions/manifest.ts';
import { BUDGET, buildHandler } from './bundle-build.ts';
import { writeSection } from './results.ts';

const RUNS = Number(process.env.RUNS ?? 11);
const REFERENCE = 'reference (DynamoDB only)';
const out = mkdtempSync(join(tmpdir(), 'ankieta-bundles-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Milliseconds a fresh Node process takes to import the bundle and find its handler. */
function coldInit(file: string): number {
  const run = () =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t = performance.now(); const m = await import(${JSON.stringify(file)}); if (typeof m.handler !== 'function') throw new Error('no handler'); console.log(performance.now() - t);`,
      ],
      {
        env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'eu-central-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  try {
    return Number(run().trim());
  } catch (error) {
    // Minified bundles print their source with the error: keep the end, where the message is.
    throw new Error(`importing ${file} failed: ${String((error as { stderr?: string }).stderr ?? error).slice(-600)}`);
  }
}

const bundles: Array<{ name: string; file: string; bytes: number; times: number[] }> = [];
let load: number[] = [];
try {
  const entries: Array<[string, string]> = [
    [REFERENCE, 'bench/reference-handler.ts'],
    ...(Object.keys(FUNCTIONS) as FunctionName[]).map((name): [string, string] => [name, FUNCTIONS[name].entry]),
  ];
  for (const [name, entry] of entries) {
    const file = join(out, `${name.split(' ')[0]}.mjs`);
    bundles.push({ name, file, bytes: (await buildHandler(entry, file)).bytes, times: [] });
  }
  const loadBefore = loadavg()[0]!;
  for (let round = 0; round < RUNS; round++) for (const b of bundles) b.times.push(coldInit(b.file));
  load = [loadBefore, loadavg()[0]!];
} finally {
  rmSync(out, { recursive: true, force: true });
}

const reference = median(bundles[0]!.times);
const rows = bundles.map((b) => {
  const kb = b.bytes / 1024;
  const init = median(b.times);
  const within = b.name === REFERENCE ? '—' : kb <= BUDGET.kb && init <= BUDGET.initMs ? 'yes' : 'NO';
  console.log(`${b.name}: ${kb.toFixed(0)} KB, cold init ${init.toFixed(0)} ms (${(init / reference).toFixed(2)} × reference)`);
  return `| ${b.name} | ${kb.toFixed(0)} KB | ${init.toFixed(0)} ms | ${(init / reference).toFixed(2)} | ${within} |`;
});
const over = bundles
  .slice(1)
  .filter((b) => b.bytes / 1024 > BUDGET.kb)
  .map((b) => b.name);

writeSection(
  'bundles',
  'npm run bench:bundles',
  `Minified ESM bundle of each handler (source map not counted; built by \`bench/bundle-build.ts\` with the stack's options) and
cold init: a fresh \`node\` importing the bundle, median of ${RUNS} interleaved rounds (each round imports every bundle once, in
turn), next to a minimal DynamoDB-only handler (\`bench/reference-handler.ts\`) timed in the same rounds. Load average
${load.map((l) => l.toFixed(1)).join(' → ')} on 2 cores during the rounds: the milliseconds are noisy, the ratio less so, the sizes are exact.
${over.length ? `Over ${BUDGET.kb} KB: ${over.join(', ')}.` : `Every handler within ${BUDGET.kb} KB.`}

| function | bundle | cold init | × reference | within ${BUDGET.kb} KB / ${BUDGET.initMs} ms |
| --- | --- | --- | --- | --- |
${rows.join('\n')}`,
);
