/**
 * Quarantined input keeps raw payloads (needed to replay them): for QUARANTINE_DAYS only, and erasure
 * reaches those that name the customer by id, e-mail address or phone number, through refs that hold
 * hashes only. A payload naming someone else stays.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoErasureStore } from '../../functions/adapters/dynamodb/erasure-store.ts';
import { DynamoQuarantineStore } from '../../functions/adapters/dynamodb/quarantine-store.ts';
import { DAY_SECONDS, QUARANTINE_DAYS } from '../../functions/adapters/dynamodb/retention.ts';
import { keys, quarantineRefs } from '../../functions/adapters/dynamodb/table/keys.ts';
import { eraseCustomer } from '../../surveys/use-cases/erase-customer.ts';
import { freshTable } from '../support/table.ts';

const NOW = new Date('2026-11-30T10:00:00.000Z');
let table: Awaited<ReturnType<typeof freshTable>>;
const kept: Record<string, { pk: string; sk: string }> = {};

async function item(key: { pk: string; sk: string }) {
  return (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;
}

async function keep(name: string, source: string, payload: unknown) {
  const id = await new DynamoQuarantineStore(table.doc, table.tableName).keep(source, 'bad input', payload, NOW);
  kept[name] = keys.quarantine(NOW.toISOString(), id);
}

beforeAll(async () => {
  table = await freshTable();
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...keys.profile('c-ala'), customerId: 'c-ala', email: 'ala@example.com', phone: '+48600100001', locale: 'pl', version: 1 },
    }),
  );
  await table.doc.send(new PutCommand({ TableName: table.tableName, Item: { ...keys.customerEmail('c-ala', 'ala@example.com'), entity: 'email-lookup' } }));
  // A stream record naming her id, an SNS envelope naming her address, an inbound SMS from her number, and a stranger's event.
  await keep('record', 'raise-alerts', { dynamodb: { NewImage: { customerId: { S: 'c-ala' }, comment: { S: 'Ala Kowalska, ul. Polna 1' } } } });
  await keep('envelope', 'email-feedback', { Records: [{ Sns: { Message: JSON.stringify({ mail: { destination: ['Ala@Example.com'] } }) } }] });
  await keep('sms', 'sms-inbound', { originationNumber: '+48600100001', messageBody: 'Ala, Polna 1' });
  await keep('stranger', 'webhooks', { customer: { id: 'c-ola', email: 'ola@example.com' } });
});

describe('quarantined input', () => {
  it('Should keep a payload for QUARANTINE_DAYS, with refs that hold no address, number or id in clear', async () => {
    // Act
    const quarantined = await item(kept.envelope!);
    const { Items: refs = [] } = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.quarantineRefPartition(quarantineRefs.email('ala@example.com')) },
      }),
    );

    // Assess
    expect(quarantined!.expiresAtEpoch).toBe(NOW.getTime() / 1000 + QUARANTINE_DAYS * DAY_SECONDS);
    expect(refs.map((r) => r.sk)).toEqual([kept.envelope!.sk]);
    expect(JSON.stringify(refs)).not.toMatch(/ala|600100001/i);
  });

  it('Should be erased with the customer it names by id, e-mail address or phone number, and the stranger kept', async () => {
    // Act
    await eraseCustomer({ customerId: 'c-ala' }, { store: new DynamoErasureStore(table.doc, table.tableName) });

    // Assess
    expect(await item(kept.record!)).toBeUndefined();
    expect(await item(kept.envelope!)).toBeUndefined();
    expect(await item(kept.sms!)).toBeUndefined();
    expect(await item(kept.stranger!)).toMatchObject({ source: 'webhooks' });
  });
});
