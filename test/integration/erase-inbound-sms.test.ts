/**
 * Inbound SMS that answered nothing (free text: perhaps an address or a name) is kept for review: it is
 * found and removed by erasure through the number's hash, and it expires after KEPT_INBOUND_SMS_DAYS,
 * as functions/adapters/dynamodb/table/ITEMS.md says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoContactStore } from '../../functions/adapters/dynamodb/contact-store.ts';
import { DynamoErasureStore } from '../../functions/adapters/dynamodb/erasure-store.ts';
import { DAY_SECONDS, KEPT_INBOUND_SMS_DAYS } from '../../functions/adapters/dynamodb/retention.ts';
import { epochSeconds, keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { handleSmsReply } from '../../surveys/use-cases/sms-reply.ts';
import { eraseCustomer } from '../../surveys/use-cases/erase-customer.ts';
import { freshTable } from '../support/table.ts';

const AT = '2026-11-30T10:00:00.000Z';
let table: Awaited<ReturnType<typeof freshTable>>;

async function item(key: { pk: string; sk: string }) {
  return (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;
}

/** A reply from `from` that no survey explains: kept with its reason. */
async function reply(from: string, inboundMessageId: string, messageBody: string) {
  const contacts = new DynamoContactStore(table.doc, table.tableName, 400);
  const outcome = await handleSmsReply(
    { originationNumber: from, destinationNumber: '+48500000000', messageKeyword: 'KEYWORD', messageBody, inboundMessageId },
    { contacts, responses: {} as never, links: {} as never, now: () => new Date(AT) },
  );
  expect(outcome.status).toBe('kept');
}

beforeAll(async () => {
  table = await freshTable();
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...keys.profile('c-ala'), customerId: 'c-ala', phone: '+48600100001', locale: 'pl', version: 1 },
    }),
  );
  await reply('+48600100001', 'm-ala', 'Ala Kowalska, ul. Polna 1, prosze o kontakt');
  await reply('+48600100009', 'm-ola', 'Kto pisze?');
});

describe('inbound SMS kept for review', () => {
  it('Should keep the text no longer than the review window, indexed by a hash and not the number', async () => {
    // Act
    const kept = await item(keys.inboundSms('m-ola'));

    // Assess
    expect(kept).toMatchObject({ entity: 'inbound-sms', body: 'Kto pisze?' });
    expect(kept!.expiresAtEpoch).toBe(epochSeconds(AT) + KEPT_INBOUND_SMS_DAYS * DAY_SECONDS);
    expect(JSON.stringify(kept)).not.toContain('600100009');
  });

  it('Should be removed by the erasure of the customer whose number sent it, and only that one', async () => {
    // Act
    const report = await eraseCustomer({ customerId: 'c-ala' }, { store: new DynamoErasureStore(table.doc, table.tableName) });

    // Assess
    expect(report.found).toBe(true);
    expect(await item(keys.inboundSms('m-ala'))).toBeUndefined();
    expect(await item(keys.inboundSms('m-ola'))).toMatchObject({ body: 'Kto pisze?' });
  });
});
