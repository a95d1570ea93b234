/**
 * The bundles alias @nlpjs/core to the three classes the stemmers use (functions/shared/nlpjs-core.cjs,
 * infra/constructs/bundle-options.ts): the comment classifier built that way must give the answers of
 * the classifier on the package itself, as tests and the local runtime run it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_OPTIONS } from '../../infra/constructs/bundle-options.ts';
import { createClassifier } from '../../surveys/insights/classify.ts';

const out = mkdtempSync(join(tmpdir(), 'ankieta-nlpjs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const COMMENTS = [
  ['Kurier spóźnił się dwa dni, paczka przyszła uszkodzona. Nie polecam.', 'pl'],
  ['Obsługa była bardzo miła i szybko rozwiązała problem z płatnością', 'pl'],
  ['nie dostalem maila z potwierdzeniem, ale produkt swietny', 'pl'],
  ['The delivery was late and the refund took weeks, but support was friendly', 'en'],
  ['Great quality, terrible packaging. Would not recommend the courier.', 'en'],
] as const;

describe('the bundles’ slim @nlpjs/core', () => {
  it('Should classify comments exactly as the package does', { timeout: 60_000 }, async () => {
    // Prepare
    const outfile = join(out, 'classify.mjs');
    await build({
      ...BUNDLE_OPTIONS,
      mainFields: [...BUNDLE_OPTIONS.mainFields],
      banner: { js: BUNDLE_OPTIONS.banner },
      entryPoints: ['surveys/insights/classify.ts'],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile,
      metafile: true,
      logLevel: 'error',
    }).then((result) => {
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.some((i) => i.endsWith('nlpjs-core.cjs'))).toBe(true);
      expect(inputs.some((i) => i.includes('@nlpjs/core/src/container-bootstrap'))).toBe(false);
    });
    const bundled = (await import(pathToFileURL(outfile).href)) as typeof import('../../surveys/insights/classify.ts');

    // Act
    const fromBundle = COMMENTS.map(([text, locale]) => bundled.createClassifier().classify(text, locale));
    const fromPackage = COMMENTS.map(([text, locale]) => createClassifier().classify(text, locale));

    // Assess
    expect(fromBundle).toEqual(fromPackage);
    expect(fromPackage.some((c) => c.topics.length > 0)).toBe(true);
  });
});
