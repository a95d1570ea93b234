/**
 * The esbuild options of every Lambda bundle, in one place: the stack (house-function.ts, through
 * NodejsFunction's bundling props) and `npm run bench:bundles` / the staleness check
 * (bench/bundle-build.ts) both read them, so the bench measures the bytes that are deployed.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: manifest entries, package-lock.json and tsconfig.json are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * ESM bundles have no `require`; a few CommonJS dependencies still call it for Node built-ins.
 * The aliased import cannot collide with a `createRequire` binding inside the bundle.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __ankietaCreateRequire } from 'node:module'; const require = __ankietaCreateRequire(import.meta.url);";

/** Replaces @aws-sdk/credential-provider-node in bundles (see that file for why). */
export const LAMBDA_CREDENTIALS = path.join(REPO_ROOT, 'functions/shared/lambda-credentials.ts');

/** Replaces @nlpjs/core's entry point in bundles with the three classes the stemmers use (see that file). */
export const NLPJS_CORE = path.join(REPO_ROOT, 'functions/shared/nlpjs-core.cjs');

/** What NodejsFunction and the bench pass to esbuild alike (target, source maps and `define` are per caller). */
export const BUNDLE_OPTIONS = {
  minify: true,
  format: 'esm',
  mainFields: ['module', 'main'], // prefer the ESM builds of dependencies: better tree shaking
  banner: ESM_REQUIRE_BANNER,
  // Lambda credentials come from the environment: drop the SDK's default provider chain.
  // @nlpjs/core: only what the stemmers and tokenizers use (~8 KB less in the functions that classify comments).
  alias: { '@aws-sdk/credential-provider-node': LAMBDA_CREDENTIALS, '@nlpjs/core': NLPJS_CORE },
  // The licence comments of the SDK and its dependencies (esbuild keeps them at the end by default):
  // they are in node_modules and package-lock.json, the function does not need a copy.
  legalComments: 'none',
  // Polish texts as UTF-8 bytes instead of \u escapes (2 bytes a letter instead of 6).
  charset: 'utf8',
} as const;
