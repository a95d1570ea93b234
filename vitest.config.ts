import { defineConfig } from 'vitest/config';
import SlowestFirstSequencer from './test/support/slowest-first-sequencer.ts';

// Node 20 here, Node 24 on Lambda: the SDK's notice about Node 22 is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Two groups, one after the other. The first is CPU-bound (unit, infra synth, fuzz, DynamoDB Local
 * integration): one file per core (vitest's default would leave one of two cores idle). The end-to-end
 * files mostly wait (timers of the local runtime, a person's dwell on a page, sweeps), so three run at
 * a time, longest-waiting first (four at a time failed on a loaded machine), and within a file the people
 * on invitations of their own wait side by side (it.concurrent) unless time is what the product judges.
 * Each group shares one DynamoDB Local, a table each (test/support/global-setup.ts, test/support/runtime.ts).
 * docs/architecture.md "How the tests run".
 */
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    // The key of the contact hashes handed to the table module, as the functions' middleware does (keys.ts reads no environment).
    setupFiles: ['test/support/contact-hash-key.ts'],
    // The end-to-end files that wait longest start first (a clean clone has no durations cached for vitest to go by).
    sequence: { sequencer: SlowestFirstSequencer },
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      // The key of the contact hashes (functions/adapters/dynamodb/table/keys.ts): a fixed test value, no secret.
      CONTACT_HASH_KEY: 'test-contact-hash-key-0123456789abcdef',
    },
    projects: [
      {
        extends: true,
        test: { name: 'core', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/infra/**'], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // CDK assertions beside core. One process runs file after file (no fresh module graph per file): the
        // first synth in a process is 5x the next (aws-cdk-lib loads lazily), and these files only read templates.
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], isolate: false, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // 60 s a test: several of them wait out real seconds of the product's rules, then a browser on a loaded machine.
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], maxWorkers: 3, testTimeout: 60_000, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
