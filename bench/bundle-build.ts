/**
 * Builds one handler the way the CDK stack builds it (infra/constructs/house-function.ts: minified ESM,
 * SDK v3 bundled and tree-shaken, the Lambda credential provider). Shared by `npm run bench:bundles`
 * and the staleness check (test/unit/bench-bundle-figures.test.ts) so both measure the same bytes.
 */
import { basename } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { ESM_REQUIRE_BANNER, LAMBDA_CREDENTIALS } from '../infra/constructs/house-function.ts';

export const BUDGET = { kb: 400, initMs: 150 };

/** Writes the bundle of `entry` to `outfile`; returns its size in bytes and the metafile. */
const OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20', // the stack targets node24; node20 here so this machine can import the bundle
  minify: true,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  alias: { '@aws-sdk/credential-provider-node': LAMBDA_CREDENTIALS },
  logLevel: 'error',
} satisfies BuildOptions;

export async function buildHandler(entry: string, outfile: string): Promise<{ bytes: number; metafile: Metafile }> {
  const result = await build({ ...OPTIONS, entryPoints: [entry], outfile, metafile: true });
  const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
  return { bytes, metafile: result.metafile };
}

/**
 * The size in bytes of every handler's bundle, built in one esbuild run (nothing written): each
 * bundle is the same as buildHandler's (no code splitting), but the modules they share are parsed
 * once, so the staleness check in `npm test` costs seconds, not a build per handler.
 */
export async function bundleSizes(entries: Record<string, string>): Promise<Map<string, number>> {
  const result = await build({ ...OPTIONS, entryPoints: entries, outdir: 'bundles', outExtension: { '.js': '.mjs' }, write: false });
  return new Map(result.outputFiles.map((f) => [basename(f.path, '.mjs'), f.contents.byteLength]));
}
