/**
 * Figures that never go stale: the bundle size of every handler in bench/RESULTS.md must be what
 * bench/bundle-build.ts (the stack's esbuild options) builds today, within 2 KB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildHandler } from '../../bench/bundle-build.ts';
import { FUNCTIONS, type FunctionName } from '../../functions/manifest.ts';
import { resultsSection, tableRows } from '../support/bench-results.ts';

const TOLERANCE_KB = 2;
const out = mkdtempSync(join(tmpdir(), 'ankieta-bundle-check-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('bench/RESULTS.md bundle sizes', () => {
  it('lists every handler with the size it builds to today (else run `npm run bench:figures`)', { timeout: 180_000 }, async () => {
    // Prepare
    const recorded = new Map(
      tableRows(resultsSection('bundles'))
        .filter((cells) => cells[0]! in FUNCTIONS)
        .map((cells) => [cells[0]!, Number.parseFloat(cells[1]!)]),
    );
    // Act
    const built = await Promise.all(
      (Object.keys(FUNCTIONS) as FunctionName[]).map(
        async (name) => [name, (await buildHandler(FUNCTIONS[name].entry, join(out, `${name}.mjs`))).bytes / 1024] as const,
      ),
    );
    // Assess
    const stale = built
      .filter(([name, kb]) => !recorded.has(name) || Math.abs(recorded.get(name)! - kb) > TOLERANCE_KB)
      .map(([name, kb]) => `${name}: builds to ${kb.toFixed(0)} KB, bench/RESULTS.md says ${recorded.get(name) ?? 'nothing'}`);
    expect(stale, 'bundle sizes moved: run `npm run bench:figures` and commit bench/RESULTS.md').toEqual([]);
  });
});
