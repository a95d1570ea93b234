/**
 * Builds one handler the way the CDK stack builds it (infra/constructs/bundle-options.ts, the options
 * house-function.ts gives NodejsFunction: minified ESM, SDK v3 bundled and tree-shaken, the Lambda
 * credential provider). Shared by `npm run bench:bundles`, bench/bundle-contents.ts and the staleness
 * check (test/unit/bench-bundle-figures.test.ts) so all of them measure the same bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { BUNDLE_OPTIONS } from '../infra/constructs/bundle-options.ts';
import { DEFAULT_SETTINGS_FILE } from '../infra/deploy-parameters.ts';
import { parseSettings } from '../surveys/settings/load.ts';

export const BUDGET = { kb: 400, initMs: 150 };

/** The settings the stack bundles when no `settings` context is given (house-function.ts: the constant __ANKIETA_SETTINGS__). */
const SETTINGS_JSON = JSON.stringify(
  existsSync(DEFAULT_SETTINGS_FILE) ? parseSettings(readFileSync(DEFAULT_SETTINGS_FILE, 'utf8'), DEFAULT_SETTINGS_FILE) : parseSettings('{}'),
);

/** Writes the bundle of `entry` to `outfile`; returns its size in bytes and the metafile. */
const OPTIONS = {
  ...BUNDLE_OPTIONS,
  mainFields: [...BUNDLE_OPTIONS.mainFields],
  banner: { js: BUNDLE_OPTIONS.banner },
  bundle: true,
  platform: 'node',
  target: 'node20', // the stack targets node24; node20 here so this machine can import the bundle
  logLevel: 'error',
  define: { __ANKIETA_SETTINGS__: JSON.stringify(SETTINGS_JSON) },
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
