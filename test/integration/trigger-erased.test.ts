/**
 * Erasure that stays erased, at the front door: a commerce event of an erased customer that arrives
 * late (EventBridge retries, a redriven DLQ message, a quarantine replay) surveys nobody and writes
 * nothing, not even a profile, whether the tombstone is on the customer id or on the address. The
 * real trigger handler on DynamoDB Local; a stranger's event in the same run is scheduled as usual.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoErasureLedger } from '../../functions/adapters/dynamodb/erasure-ledger.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { localContext } from '../../local/lambda-context.ts';
import { freshTable } from '../support/table.ts';
import { configureFor, handlerOf } from '../support/functions.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let trigger: (event: unknown, context: unknown) => Promise<{ status: string; reason?: string }>;

const delivered = (eventId: string, customer: Record<string, unknown>) => ({
  source: 'shop.example',
  'detail-type': 'order.delivered',
  detail: {
    eventId,
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    customer: { locale: 'pl-PL', name: 'Ala', ...customer },
    order: { id: `o-${eventId}`, total: 10, currency: 'PLN', store: 'web', channel: 'online' },
  },
});

const profile = async (customerId: string) =>
  (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.profile(customerId), ConsistentRead: true }))).Item;

beforeAll(async () => {
  table = await freshTable();
  configureFor(table);
  trigger = await handlerOf<typeof trigger>('trigger-survey');
  const ledger = new DynamoErasureLedger(table.doc, table.tableName);
  await ledger.recordErasure({ customerId: 'c-erased', email: 'erased@example.com' }, new Date().toISOString());
  await ledger.recordErasure({ email: 'gone@example.com' }, new Date().toISOString());
});

describe('a late commerce event of an erased customer', () => {
  it('Should survey nobody and write no profile when the customer id was erased', async () => {
    // Act
    const outcome = await trigger(delivered('e-1', { id: 'c-erased', email: 'erased@example.com' }), localContext('triggerSurvey'));

    // Assess
    expect(outcome.status).toBe('erased');
    expect(await profile('c-erased')).toBeUndefined();
  });

  it('Should survey nobody when only the address was erased (the shop gave the customer a new id)', async () => {
    // Act
    const outcome = await trigger(delivered('e-2', { id: 'c-new-id', email: 'Gone@Example.com' }), localContext('triggerSurvey'));

    // Assess
    expect(outcome.status).toBe('erased');
    expect(await profile('c-new-id')).toBeUndefined();
  });

  it('Should still survey a customer nobody erased', async () => {
    // Act
    const outcome = await trigger(delivered('e-3', { id: 'c-stranger', email: 'stranger@example.com' }), localContext('triggerSurvey'));

    // Assess
    expect(outcome.status).toBe('scheduled');
    expect(await profile('c-stranger')).toMatchObject({ pk: 'CUST#c-stranger', email: 'stranger@example.com' });
  });
});
