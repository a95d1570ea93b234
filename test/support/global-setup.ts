/**
 * Starts one DynamoDB Local (in memory, on a free port) for the integration tests and stops it at
 * teardown — and on signals, so an interrupted run leaves no JVM behind (the guard in
 * local/dynamodb.ts also kills it if this process dies outright).
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb.ts';
import { freePort } from '../../local/runtime.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const stop = () => dynamo.stop();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().then(() => process.exit(130)));
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return stop;
}
