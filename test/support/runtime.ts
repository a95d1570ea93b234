/**
 * The local runtime as the end-to-end tests start it: on the run's one DynamoDB Local (global setup) in a
 * table of its own, instead of a JVM per file (seconds each, more under load), with fast timers.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../local/runtime.ts';

export function startTestRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  return startRuntime({
    sweepIntervalMs: 200,
    streamPollMs: 100,
    streamWindowSeconds: 1, // the page writers' windows: a test waiting on pages without drainStream waits a second at most
    dynamoEndpoint: options.dataDir ? undefined : inject('dynamoEndpoint'), // kept data needs a database of its own
    tableName: `ankieta-${randomBytes(4).toString('hex')}`,
    ...options,
  });
}
