/**
 * Figures that never go stale: the bundle size of every handler in bench/RESULTS.md must be what
 * bench/bundle-build.ts (the stack's esbuild options) builds today, within 2 KB. All handlers are
 * built in one esbuild run without writing them (bundleSizes), which keeps this check to seconds.
 */
import { describe, expect, it } from 'vitest';
import { bundleSizes } from '../../bench/bundle-build.ts';
import { FUNCTIONS, type FunctionName } from '../../functions/manifest.ts';
import { resultsSection, tableRows } from '../support/bench-results.ts';

const TOLERANCE_KB = 2;

describe('bench/RESULTS.md bundle sizes', () => {
  it('lists every handler with the size it builds to today (else run `npm run bench:figures`)', { timeout: 120_000 }, async () => {
    // Prepare
    const recorded = new Map(
      tableRows(resultsSection('bundles'))
        .filter((cells) => cells[0]! in FUNCTIONS)
        .map((cells) => [cells[0]!, Number.parseFloat(cells[1]!)]),
    );
    const names = Object.keys(FUNCTIONS) as FunctionName[];
    // Act
    const built = await bundleSizes(Object.fromEntries(names.map((name) => [name, FUNCTIONS[name].entry])));
    // Assess
    const stale = names
      .map((name) => [name, (built.get(name) ?? 0) / 1024] as const)
      .filter(([name, kb]) => !recorded.has(name) || Math.abs(recorded.get(name)! - kb) > TOLERANCE_KB)
      .map(([name, kb]) => `${name}: builds to ${kb.toFixed(0)} KB, bench/RESULTS.md says ${recorded.get(name) ?? 'nothing'}`);
    expect(stale, 'bundle sizes moved: run `npm run bench:figures` and commit bench/RESULTS.md').toEqual([]);
  });
});
