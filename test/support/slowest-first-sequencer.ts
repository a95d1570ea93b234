/**
 * Starts the files that take longest first, so no long file starts last and runs alone at the end.
 * Vitest orders files by the durations it cached in an earlier run, and in a clean clone (CI) by size,
 * largest first: there the fuzz files (30 lines that run for a minute) and the short dwell file, a
 * minute of real waiting, started last. Files named here go first in this order; every other file keeps
 * vitest's order after them. Groups (projects' groupOrder) still run one after the other.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest first, from `npx vitest run --project core --project infra` durations (docs/architecture.md
 * "How the tests run"). The infra files stay together: their project shares one worker process
 * between files (isolate: false), which vitest keeps only while the next file queued is also infra.
 */
export const SLOWEST_CORE = [
  'test/infra/survey-pipeline-stack.test.ts', // the one synth that runs esbuild for every function
  'test/infra/operations.test.ts',
  'test/infra/cost-settings.test.ts',
  'test/infra/settings-parameter.test.ts',
  'test/infra/outbound-delivery.test.ts',
  'test/infra/least-privilege.test.ts',
  'test/infra/cdk-nag.test.ts',
  'test/infra/lead-identities.test.ts',
  'test/infra/deploy-parameters.test.ts',
  'test/fuzz/csv-import.test.ts',
  'test/fuzz/events.test.ts',
  'test/integration/bench-wcu-figure.test.ts',
  'test/fuzz/webhooks.test.ts',
  'test/fuzz/sms-replies.test.ts',
  'test/faults/aggregate-throttling.test.ts',
  'test/integration/runtime-stop.test.ts',
  'test/faults/crash-between-writes.test.ts',
  'test/unit/bench-bundle-figures.test.ts',
];

/**
 * Longest first, from `npx vitest run --project e2e` durations (docs/architecture.md "How the tests run"), as
 * they are since funnel, browser-responses, scanners and alerts-lifecycle wait side by side or once (those
 * four were the longest, now 35-60 s at load 6-10 against 65-115 s for the first four below at load 15-20).
 */
export const SLOWEST_E2E = [
  'test/e2e/dashboard.test.ts',
  'test/e2e/alerts-dashboard.test.ts',
  'test/e2e/insights.test.ts',
  'test/e2e/dwell.test.ts',
  'test/e2e/scanners.test.ts',
  'test/e2e/funnel.test.ts',
  'test/e2e/quarantine.test.ts',
  'test/e2e/browser-responses.test.ts',
  'test/e2e/alerts-lifecycle.test.ts',
  'test/e2e/respond-fuzz.test.ts',
];

const SLOWEST = [...SLOWEST_CORE, ...SLOWEST_E2E];

const rank = (spec: TestSpecification) => {
  const index = SLOWEST.findIndex((file) => spec.moduleId.endsWith(file));
  return index === -1 ? SLOWEST.length : index;
};

export default class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const position = new Map(sorted.map((spec, i) => [spec, i]));
    // One order for all files: vitest then splits it by groupOrder, keeping the order within each group.
    return [...sorted].sort((a, b) => rank(a) - rank(b) || position.get(a)! - position.get(b)!);
  }
}
