/**
 * Erasure by customer id finds every e-mail lookup of the customer: through the profile — its address,
 * and the hashes of the addresses it had before (`emailHashes`, written only when an event brings a new
 * one) — and through the mirror items `CUST#<id>` / `EMAIL#<hash>` that tables written before that set
 * still hold. DynamoDB Local, the real trigger and erasure adapters.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCancellationStore } from '../../functions/adapters/dynamodb/cancellation-store.ts';
import { DynamoContactStore } from '../../functions/adapters/dynamodb/contact-store.ts';
import { DynamoErasureStore } from '../../functions/adapters/dynamodb/erasure-store.ts';
import { DynamoTriggerStore } from '../../functions/adapters/dynamodb/trigger-store.ts';
import { contactHash, keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import type { CommerceEvent } from '../../surveys/model.ts';
import { eraseCustomer } from '../../surveys/use-cases/erase-customer.ts';
import { triggerSurvey } from '../../surveys/use-cases/trigger-survey.ts';
import { freshTable } from '../support/table.ts';

const T0 = new Date('2026-11-20T12:00:00.000Z');
let table: Awaited<ReturnType<typeof freshTable>>;

const delivered = (eventId: string, customerId: string, email: string): CommerceEvent => ({
  source: 'shop.example',
  'detail-type': 'order.delivered',
  detail: {
    eventId,
    occurredAt: T0.toISOString(),
    customer: { id: customerId, email, locale: 'pl-PL' },
    order: { id: `o-${eventId}`, total: 10, currency: 'PLN', store: 'web', channel: 'online' },
  },
});

function trigger(event: CommerceEvent) {
  return triggerSurvey(event, {
    store: new DynamoTriggerStore(table.doc, table.tableName),
    suppressions: new DynamoContactStore(table.doc, table.tableName),
    cancellations: new DynamoCancellationStore(table.doc, table.tableName),
    now: () => T0,
  });
}

const lookupsOf = async (email: string) =>
  (
    await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.emailLookupPartition(email) },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

beforeAll(async () => void (table = await freshTable()));

describe("the e-mail lookups' mirror: the profile", () => {
  it('Should keep on the profile the hash of every address the customer had before the current one, none while it keeps one, and write no mirror item', async () => {
    // Act: the same customer with one address twice, then a second; another customer sharing the first
    const profileOf = async (customerId: string) => (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.profile(customerId) }))).Item;
    await trigger(delivered('e-1', 'c-two', 'first@example.com'));
    await trigger(delivered('e-1b', 'c-two', 'first@example.com'));
    const oneAddress = await profileOf('c-two');
    await trigger(delivered('e-2', 'c-two', 'second@example.com'));
    await trigger(delivered('e-3', 'c-other', 'first@example.com'));

    // Assess
    expect(oneAddress?.email).toBe('first@example.com');
    expect(oneAddress).not.toHaveProperty('emailHashes');
    const profile = await profileOf('c-two');
    expect(profile?.emailHashes).toEqual(new Set([contactHash('first@example.com')]));
    expect(profile?.email).toBe('second@example.com');
    expect(await profileOf('c-other')).not.toHaveProperty('emailHashes');
    const { Item: mirror } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.customerEmail('c-two', 'first@example.com') }));
    expect(mirror).toBeUndefined();
    expect((await lookupsOf('first@example.com')).map((i) => i.sk).sort()).toEqual(['CUST#c-other', 'CUST#c-two']);
  });

  it("Should delete every lookup of the customer erased by id — from the profile's hashes and from a mirror item of an older table — and no one else's", async () => {
    // Prepare: an address the customer used before the hashes moved onto the profile (lookup and mirror items)
    for (const item of [keys.emailLookup('older@example.com', 'c-two'), keys.customerEmail('c-two', 'older@example.com')]) {
      await table.doc.send(new PutCommand({ TableName: table.tableName, Item: { ...item, entity: 'email-lookup', customerId: 'c-two' } }));
    }

    // Act
    const report = await eraseCustomer({ customerId: 'c-two' }, { store: new DynamoErasureStore(table.doc, table.tableName) });

    // Assess
    expect(report).toMatchObject({ by: 'customerId', found: true });
    expect(await lookupsOf('second@example.com')).toEqual([]);
    expect(await lookupsOf('older@example.com')).toEqual([]);
    expect((await lookupsOf('first@example.com')).map((i) => i.sk)).toEqual(['CUST#c-other']);
  });

  it("Should leave no lookup of a customer erased by id, whatever addresses their events brought, and keep everyone else's", async () => {
    const addresses = ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...addresses), { minLength: 1, maxLength: 6 }), fc.constantFrom(...addresses), async (used, neighbours) => {
        // Prepare: the customer's events, each with one of the addresses; a neighbour sharing one of them
        run++;
        const [customer, neighbour] = [`c-prop-${run}`, `c-next-${run}`];
        for (const [i, email] of used.entries()) await trigger(delivered(`p${run}-${i}`, customer, email));
        await trigger(delivered(`p${run}-n`, neighbour, neighbours));

        // Act
        await eraseCustomer({ customerId: customer }, { store: new DynamoErasureStore(table.doc, table.tableName) });

        // Assess
        for (const email of addresses) {
          const left = (await lookupsOf(email)).map((i) => i.sk);
          expect(left, email).not.toContain(`CUST#${customer}`);
          expect(left.includes(`CUST#${neighbour}`), email).toBe(email === neighbours);
        }
      }),
      { numRuns: 12 },
    );
  });
});
