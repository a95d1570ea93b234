/**
 * Contact hashes are keyed (HMAC-SHA-256 with CONTACT_HASH_KEY), so a copy of the table does not give
 * numbers back by enumeration; entries written before under the plain SHA-256 are still honoured and
 * moved to their keyed hash when read (the migration path), and erasure by e-mail still finds them.
 */
import { createHash, createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoContactStore } from '../../functions/adapters/dynamodb/contact-store.ts';
import { DynamoErasureStore } from '../../functions/adapters/dynamodb/erasure-store.ts';
import { contactHash, keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { freshTable } from '../support/table.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
let table: Awaited<ReturnType<typeof freshTable>>;

async function item(key: { pk: string; sk: string }) {
  return (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;
}

beforeAll(async () => {
  table = await freshTable();
});

describe('keyed contact hashes', () => {
  it('Should hash a normalized contact with HMAC-SHA-256 under the configured key, never the plain SHA-256', () => {
    // Act
    const hash = contactHash(' +48600100200 ');

    // Assess
    expect(hash).toBe(createHmac('sha256', process.env.CONTACT_HASH_KEY!).update('+48600100200').digest('hex'));
    expect(hash).not.toBe(sha256('+48600100200'));
    expect(keys.suppression('sms', '+48600100200').pk).not.toContain(sha256('+48600100200'));
  });

  it('Should honour a suppression stored under the plain hash and move it to the keyed hash', async () => {
    // Prepare
    const legacy = keys.suppressionByHash('sms', sha256('+48600100200'));
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...legacy, entity: 'suppression', channel: 'sms', reason: 'stop', at: '2026-01-01T00:00:00.000Z' },
      }),
    );
    const store = new DynamoContactStore(table.doc, table.tableName);

    // Act
    const first = await store.suppressionsFor({ phone: '+48600100200' });
    const again = await store.suppressionsFor({ phone: '+48600100200' });

    // Assess
    expect(first).toEqual({ sms: 'stop' });
    expect(again).toEqual({ sms: 'stop' });
    expect(await item(legacy)).toBeUndefined();
    expect(await item(keys.suppression('sms', '+48600100200'))).toMatchObject({ reason: 'stop', at: '2026-01-01T00:00:00.000Z' });
  });

  it('Should find a customer for erasure through an e-mail lookup written under the plain hash', async () => {
    // Prepare
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: `EMAIL#${sha256('old@example.com')}`, sk: 'CUST#c-old', entity: 'email-lookup', customerId: 'c-old' },
      }),
    );

    // Act
    const ids = await new DynamoErasureStore(table.doc, table.tableName).customerIdsByEmail('Old@Example.com');

    // Assess
    expect(ids).toEqual(['c-old']);
  });
});
