/** Input that cannot be processed is kept with its reason (never dropped): a QUARANTINE item in the table. */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys, quarantineRefs } from '#functions/adapters/dynamodb/table/keys.ts';
import { DAY_SECONDS, QUARANTINE_DAYS } from '#functions/adapters/dynamodb/retention.ts';

/** Bytes of payload kept, so that the item stays under DynamoDB's 400 KB limit: a cut by characters does not (a 256 KB body of € and control characters is over 400 KB as JSON). */
export const MAX_PAYLOAD_BYTES = 300_000;

/** Quarantine items expire after QUARANTINE_DAYS (as long as a DLQ keeps a message): long enough to replay, short for the personal data they may hold. */
const KEEP_SECONDS = QUARANTINE_DAYS * DAY_SECONDS;
/** Refs kept per item at most: a payload naming more people is still kept, erasure finds it by the first ones. */
const MAX_REFS = 8;

// Bounded quantifiers: linear on a 300 KB payload (an unbounded `[…]+@` is quadratic on a long run without `@`).
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;
const PHONE = /\+[1-9]\d{7,14}\b/g;
/** `"customerId":"c-1"`, also inside a JSON string (`\"`) and a DynamoDB image (`{"S":"c-1"}`). */
const CUSTOMER_ID = /customerId\\*"\s*:\s*(?:\{\s*\\*"S\\*"\s*:\s*)?\\*"([^"\\]{1,128})/g;

/** Who a payload names, as refs (hashes only): its customer ids, e-mail addresses and phone numbers. */
export function payloadRefs(text: string): string[] {
  const refs = new Set<string>();
  for (const m of text.matchAll(CUSTOMER_ID)) refs.add(quarantineRefs.customer(m[1]!));
  for (const m of text.matchAll(EMAIL)) refs.add(quarantineRefs.email(m[0]));
  for (const m of text.matchAll(PHONE)) refs.add(quarantineRefs.sms(m[0]));
  return [...refs].slice(0, MAX_REFS);
}

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
    const kept = keptPayload(payload);
    const expiresAtEpoch = Math.floor(now.getTime() / 1000) + KEEP_SECONDS;
    // The refs first: a crash between the two writes leaves a pointer to nothing, never an unfindable payload.
    const refs = payloadRefs(kept).map((ref) => ({ PutRequest: { Item: { ...keys.quarantineRef(ref, at, id), entity: 'quarantine-ref', expiresAtEpoch } } }));
    if (refs.length) await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: refs } }));
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.quarantine(at, id),
          entity: 'quarantine',
          source,
          reason,
          payload: kept,
          at,
          expiresAtEpoch,
        },
      }),
    );
    return id;
  }
}
