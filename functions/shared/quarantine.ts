/** Input that cannot be processed is kept with its reason (never dropped): a QUARANTINE item in the table. */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from './clients.ts';
import { env } from './env.ts';
import { keys, epochSeconds } from '../adapters/dynamodb/keys.ts';
import { logger } from './powertools.ts';

/** Bytes of payload kept, so that the item stays under DynamoDB's 400 KB limit: a cut by characters does not (a 256 KB body of € and control characters is over 400 KB as JSON). */
export const MAX_PAYLOAD_BYTES = 300_000;

/** The payload as JSON, cut to MAX_PAYLOAD_BYTES on a character boundary. */
export function keptPayload(payload: unknown): string {
  const text = JSON.stringify(payload) ?? String(payload);
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= MAX_PAYLOAD_BYTES
    ? text
    : bytes
        .subarray(0, MAX_PAYLOAD_BYTES)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
}

export async function quarantine(source: string, reason: string, payload: unknown): Promise<void> {
  const at = new Date().toISOString();
  const id = randomUUID();
  await dynamoDocumentClient().send(
    new PutCommand({
      TableName: env().tableName,
      Item: {
        ...keys.quarantine(at, id),
        entity: 'quarantine',
        source,
        reason,
        payload: keptPayload(payload),
        at,
        expiresAtEpoch: epochSeconds(at) + 30 * 24 * 3600,
      },
    }),
  );
  logger.warn('input quarantined', { source, reason, quarantineId: id });
}
