/** Input that cannot be processed is kept with its reason (never dropped): a QUARANTINE item in the table. */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from './clients.ts';
import { env } from './env.ts';
import { keys, epochSeconds } from '../adapters/dynamodb/keys.ts';
import { logger } from './powertools.ts';

export async function quarantine(source: string, reason: string, payload: unknown): Promise<void> {
  const at = new Date().toISOString();
  const id = randomUUID();
  await dynamoDocumentClient().send(
    new PutCommand({
      TableName: env().tableName,
      Item: { ...keys.quarantine(at, id), entity: 'quarantine', source, reason, payload: JSON.stringify(payload).slice(0, 300_000), at, expiresAtEpoch: epochSeconds(at) + 30 * 24 * 3600 },
    }),
  );
  logger.warn('input quarantined', { source, reason, quarantineId: id });
}
