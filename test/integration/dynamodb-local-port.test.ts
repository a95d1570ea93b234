/**
 * DynamoDB Local's port is looked up free, then bound by the JVM seconds later: on a busy machine another
 * server may take it meanwhile (a CI run met EADDRINUSE). Without a port asked for, startDynamoDbLocal
 * takes another; with one asked for, it says the port is taken. Neither hangs on a server that accepts
 * connections and never answers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb.ts';

const taken = vi.hoisted(() => ({ port: 0, offered: [] as number[] }));
vi.mock('../../local/ports.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../local/ports.ts')>();
  return {
    // The first port offered is the one taken meanwhile; the next ones are free.
    freePort: async () => {
      const port = taken.offered.length === 0 ? taken.port : await real.freePort();
      taken.offered.push(port);
      return port;
    },
  };
});

let squatter: Server;
const sockets: Socket[] = [];
beforeAll(async () => {
  // Accepts and never answers: the worst neighbour for a readiness probe.
  squatter = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => squatter.listen(0, '0.0.0.0', () => resolve()));
  taken.port = (squatter.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => squatter.close(() => resolve()));
});

describe('DynamoDB Local on a port taken before the JVM binds it', () => {
  it('Should start on another free port when no port was asked for', async () => {
    // Act
    const dynamo = await startDynamoDbLocal();

    // Assess
    try {
      expect(taken.offered[0]).toBe(taken.port);
      expect(dynamo.port).not.toBe(taken.port);
      expect(dynamo.port).toBe(taken.offered.at(-1));
      expect((await dynamo.client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    } finally {
      await dynamo.stop();
    }
  }, 120_000);

  it('Should say the port is taken when that port was asked for', async () => {
    // Act
    const started = startDynamoDbLocal({ port: taken.port });

    // Assess
    await expect(started).rejects.toThrow(`is port ${taken.port} taken?`);
  }, 120_000);
});
