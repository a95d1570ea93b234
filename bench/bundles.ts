/**
 * Bundle size and cold init time of every handler, built the way the CDK stack builds them
 * (infra/constructs/house-function.ts: minified ESM, SDK v3 bundled and tree-shaken).
 * Cold init: a fresh Node process imports the bundle (module-scope init: SDK, Powertools, middy),
 * median of 10. Goal: each ≤ 400 KB and ≤ 150 ms.
 *
 *   npm run bench:bundles
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTIONS, type FunctionName } from '../functions/manifest.ts';
import { ESM_REQUIRE_BANNER, LAMBDA_CREDENTIALS } from '../infra/constructs/house-function.ts';
import { writeSection } from './results.ts';

const RUNS = 10;
const out = mkdtempSync(join(tmpdir(), 'ankieta-bundles-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rows: string[] = [];
try {
  for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
    const outfile = join(out, `${name}.mjs`);
    await build({
      entryPoints: [FUNCTIONS[name].entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20', // the stack targets node24; node20 here so this machine can import the bundle
      minify: true,
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      alias: { '@aws-sdk/credential-provider-node': LAMBDA_CREDENTIALS },
      outfile,
      logLevel: 'error',
    });
    const bytes = statSync(outfile).size;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const ms = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const t = performance.now(); const m = await import(${JSON.stringify(outfile)}); if (typeof m.handler !== 'function') throw new Error('no handler'); console.log(performance.now() - t);`,
        ],
        {
          env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'eu-central-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
          encoding: 'utf8',
        },
      );
      times.push(Number(ms.trim()));
    }
    const kb = bytes / 1024;
    const init = median(times);
    rows.push(`| ${name} | ${kb.toFixed(0)} KB | ${init.toFixed(0)} ms | ${kb <= 400 && init <= 150 ? 'yes' : 'NO'} |`);
    console.log(`${name}: ${kb.toFixed(0)} KB, cold init ${init.toFixed(0)} ms`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

writeSection(
  'bundles',
  'npm run bench:bundles',
  `Minified ESM bundle of each handler (source map not counted) and cold init: a fresh \`node\` importing the bundle, median of ${RUNS}.\n\n| function | bundle | cold init | within 400 KB / 150 ms |\n| --- | --- | --- | --- |\n${rows.join('\n')}`,
);
