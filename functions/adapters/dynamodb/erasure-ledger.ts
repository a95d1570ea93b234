/**
 * Erasure tombstones (the ErasureLedger port): `ERASED#cust#<hash>` and `ERASED#<email|sms>#<hash>`,
 * each holding the time of the erasure only, expiring after ERASURE_TOMBSTONE_DAYS. Read consistently:
 * a consumer that runs a moment after the erasure must see its tombstone.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ErasedSubject, ErasureLedger } from '#surveys/ports.ts';
import { DAY_SECONDS, ERASURE_TOMBSTONE_DAYS } from './retention.ts';
import { epochSeconds, keys } from './table/keys.ts';

export function tombstoneKeys(subject: ErasedSubject): Array<{ pk: string; sk: string }> {
  return [
    ...(subject.customerId ? [keys.erasedCustomer(subject.customerId)] : []),
    ...(subject.email ? [keys.erasedContact('email', subject.email)] : []),
    ...(subject.phone ? [keys.erasedContact('sms', subject.phone)] : []),
  ];
}

export class DynamoErasureLedger implements ErasureLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordErasure(subject: ErasedSubject, at: string): Promise<void> {
    const items = tombstoneKeys(subject).map((key) => ({
      PutRequest: { Item: { ...key, entity: 'erased', at, expiresAtEpoch: epochSeconds(at) + ERASURE_TOMBSTONE_DAYS * DAY_SECONDS } },
    }));
    let requests = items;
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error('erasure: tombstones still unprocessed after retries; run the erasure again');
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2000)));
      const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
      requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
    }
  }

  async isErased(subject: ErasedSubject): Promise<boolean> {
    let wanted = tombstoneKeys(subject);
    for (let attempt = 0; wanted.length > 0; attempt++) {
      if (attempt > 8) throw new Error('erasure ledger: tombstones unreadable after retries');
      const result = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted, ConsistentRead: true, ProjectionExpression: 'pk, expiresAtEpoch' } } }),
      );
      // TTL deletes lazily (within days): a tombstone past its time no longer counts.
      const now = Date.now() / 1000;
      if ((result.Responses?.[this.tableName] ?? []).some((i) => Number(i.expiresAtEpoch) > now)) return true;
      wanted = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as typeof wanted;
    }
    return false;
  }
}
