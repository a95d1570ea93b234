/**
 * Starts the end-to-end files that wait longest first. Vitest orders files by the durations it cached in
 * an earlier run, and in a clean clone (CI) by size, largest first: there the short dwell file, a minute of
 * real waiting, started last and ran alone at the end. Files named here go first in this order; every
 * other file keeps vitest's order after them.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, from `npx vitest run --project e2e` durations (docs/architecture.md "How the tests run"). */
export const SLOWEST_E2E = [
  'test/e2e/funnel.test.ts',
  'test/e2e/browser-responses.test.ts',
  'test/e2e/scanners.test.ts',
  'test/e2e/dashboard.test.ts',
  'test/e2e/alerts-lifecycle.test.ts',
  'test/e2e/alerts-dashboard.test.ts',
  'test/e2e/respond-fuzz.test.ts',
  'test/e2e/dwell.test.ts',
];

const rank = (spec: TestSpecification) => {
  const index = SLOWEST_E2E.findIndex((file) => spec.moduleId.endsWith(file));
  return index === -1 ? SLOWEST_E2E.length : index;
};

export default class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const position = new Map(sorted.map((spec, i) => [spec, i]));
    // Within a project only: the groups still run one after the other, in their order.
    return [...sorted].sort((a, b) =>
      a.project.name === b.project.name ? rank(a) - rank(b) || position.get(a)! - position.get(b)! : position.get(a)! - position.get(b)!,
    );
  }
}
