/**
 * Starts one DynamoDB Local (in memory, on a free port) for the integration tests and stops it at
 * teardown — and on signals, so an interrupted run leaves no JVM behind (the guard in
 * local/dynamodb.ts also kills it if this process dies outright).
 *
 * Vitest runs the global setup once per project (and once for the root config), one after the other before
 * the first test file, each in a module graph of its own: four JVM starts of 3-7 s each. The JVMs are kept
 * on globalThis instead, one per group of projects that run together (vitest.config.ts groupOrder: core
 * and infra, then e2e, which starts on a database without the first group's thousands of fuzz items), and
 * the last teardown of a group stops its JVM.
 */
import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

interface Shared {
  dynamo: Promise<DynamoDbLocal>;
  users: number;
}
const SHARED = Symbol.for('ankieta.test.dynamoDbLocal');
const holder = globalThis as typeof globalThis & { [SHARED]?: Map<number, Shared> };

function shared(group: number): Shared {
  if (!holder[SHARED]) {
    const groups = new Map<number, Shared>();
    holder[SHARED] = groups;
    const stopAll = () => void Promise.all([...groups.values()].map(async (db) => (await db.dynamo).stop())).then(() => process.exit(130));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stopAll);
  }
  const groups = holder[SHARED];
  let db = groups.get(group);
  if (!db) {
    db = { dynamo: startDynamoDbLocal(), users: 0 };
    groups.set(group, db);
  }
  return db;
}

export default async function setup(project: TestProject) {
  const group = project.config.sequence.groupOrder ?? 0;
  const db = shared(group);
  db.users++;
  project.provide('dynamoEndpoint', (await db.dynamo).endpoint);
  return async () => {
    if (--db.users > 0) return;
    holder[SHARED]?.delete(group);
    await (await db.dynamo).stop();
  };
}
