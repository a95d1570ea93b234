/**
 * `npm run bench`: every `bench:*` script of package.json, one after the other (they share this
 * machine's cores, so never in parallel), in a fixed order where it matters — the month after the WCU runs,
 * whose sections it reads, and the cost model last, as it reads what both wrote — then any other bench script in name order. A failing benchmark
 * does not stop the others; the summary lists it and the exit code is 1.
 *
 *   npm run bench                      every benchmark
 *   npm run bench -- wcu cost          only these (by the name after "bench:")
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ORDER = ['bundles', 'flow', 'aggregate', 'alerts', 'wcu', 'wcu-quiet', 'month', 'load', 'fuzz'];
const LAST = ['cost'];

const scripts = Object.keys((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts)
  .filter((name) => name.startsWith('bench:'))
  .map((name) => name.slice('bench:'.length));
const rank = (name: string) => (LAST.includes(name) ? 1000 + LAST.indexOf(name) : ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !scripts.includes(name));
if (unknown.length) {
  console.error(`no such benchmark: ${unknown.join(', ')} (there are: ${scripts.join(', ')})`);
  process.exit(2);
}
const plan = scripts.filter((name) => !wanted.length || wanted.includes(name)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

const outcomes: Array<{ name: string; ok: boolean; seconds: number }> = [];
for (const name of plan) {
  console.log(`\n=== npm run bench:${name}`);
  const started = Date.now();
  const run = spawnSync('npm', ['run', '--silent', `bench:${name}`], { stdio: 'inherit' });
  outcomes.push({ name, ok: run.status === 0, seconds: (Date.now() - started) / 1000 });
}

console.log('\nbenchmarks:');
for (const o of outcomes) console.log(`  ${o.ok ? 'ok    ' : 'FAILED'} bench:${o.name} (${o.seconds.toFixed(0)} s)`);
const failed = outcomes.filter((o) => !o.ok);
console.log(
  failed.length
    ? `${failed.length} of ${outcomes.length} failed: ${failed.map((o) => o.name).join(', ')}`
    : `all ${outcomes.length} passed; figures in bench/RESULTS.md`,
);
process.exitCode = failed.length ? 1 : 0;
