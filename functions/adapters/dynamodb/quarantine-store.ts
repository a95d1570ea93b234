/** Input that cannot be processed is kept with its reason (never dropped): a QUARANTINE item in the table. */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#functions/adapters/dynamodb/table/keys.ts';

/** Bytes of payload kept, so that the item stays under DynamoDB's 400 KB limit: a cut by characters does not (a 256 KB body of € and control characters is over 400 KB as JSON). */
export const MAX_PAYLOAD_BYTES = 300_000;

/** Quarantine items expire after 30 days: long enough to replay, short for the personal data they may hold. */
const KEEP_SECONDS = 30 * 24 * 3600;

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

export class DynamoQuarantineStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Keeps the payload with its reason; answers the item's id (for the log). */
  async keep(source: string, reason: string, payload: unknown, now = new Date()): Promise<string> {
    const at = now.toISOString();
    const id = randomUUID();
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.quarantine(at, id),
          entity: 'quarantine',
          source,
          reason,
          payload: keptPayload(payload),
          at,
          expiresAtEpoch: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
        },
      }),
    );
    return id;
  }
}
