/**
 * Builds one handler the way the CDK stack builds it (infra/constructs/house-function.ts: minified ESM,
 * SDK v3 bundled and tree-shaken, the Lambda credential provider). Shared by `npm run bench:bundles`
 * and the staleness check (test/unit/bench-figures.test.ts) so both measure the same bytes.
 */
import { build, type Metafile } from 'esbuild';
import { ESM_REQUIRE_BANNER, LAMBDA_CREDENTIALS } from '../infra/constructs/house-function.ts';

export const BUDGET = { kb: 400, initMs: 150 };

/** Writes the bundle of `entry` to `outfile`; returns its size in bytes and the metafile. */
export async function buildHandler(entry: string, outfile: string): Promise<{ bytes: number; metafile: Metafile }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20', // the stack targets node24; node20 here so this machine can import the bundle
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    alias: { '@aws-sdk/credential-provider-node': LAMBDA_CREDENTIALS },
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
  return { bytes, metafile: result.metafile };
}
