/**
 * Delighted's unsubscribed and bounced people (their API's example answers, test/fixtures/vendors/
 * delighted/) imported onto the suppression list on DynamoDB Local: the trigger never surveys them,
 * a second import changes nothing, bad entries are refused with their reason, a dry run writes nothing.
 */
import { fileURLToPath } from 'node:url';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactStore } from '../../functions/adapters/dynamodb/contact-store.ts';
import { formatPeopleSummary, runPeopleImport } from '../../scripts/import-people.ts';
import { commerceEventSchema } from '../../surveys/model.ts';
import { triggerSurvey } from '../../surveys/use-cases/trigger-survey.ts';
import { surveyPorts } from '../support/stores.ts';
import { freshTable } from '../support/table.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/vendors/delighted/${name}`, import.meta.url));
const now = new Date('2026-11-20T12:00:00Z');

let table: Awaited<ReturnType<typeof freshTable>>;
let contacts: DynamoContactStore;

beforeAll(async () => {
  table = await freshTable();
  contacts = new DynamoContactStore(table.doc, table.tableName);
});

function delivered(eventId: string, customerId: string, email: string) {
  return commerceEventSchema.parse({
    source: 'shop.example',
    'detail-type': 'order.delivered',
    detail: { eventId, occurredAt: '2026-11-20T10:00:00Z', customer: { id: customerId, email, locale: 'en-US' }, order: { id: `o-${eventId}`, store: 'web' } },
  });
}

describe('people import', () => {
  it('Should suppress the unsubscribed people so that the trigger does not survey them', async () => {
    // Prepare
    const store = surveyPorts(table.doc, table.tableName);

    // Act
    const summary = await runPeopleImport({ file: fixture('unsubscribes.json'), suppressions: contacts, source: 'delighted', now });
    const outcome = await triggerSurvey(delivered('p-1', 'c-leslie', 'Leslie.Wong@example.com'), {
      store,
      suppressions: contacts,
      cancellations: store,
      now: () => now,
    });

    // Assess
    expect(summary).toMatchObject({ kind: 'unsubscribed', people: 2, suppressed: { email: 2, sms: 0 }, refused: [] });
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'suppressed: email suppressed: unsubscribed' });
  });

  it('Should keep the first reason when the bounces name an unsubscribed person again', async () => {
    // Act
    const summary = await runPeopleImport({ file: fixture('bounces.json'), suppressions: contacts, source: 'delighted', now });

    // Assess
    expect(summary).toMatchObject({ kind: 'bounced', suppressed: { email: 2 } });
    expect(await contacts.suppressionsFor({ email: 'jrryonk@example.com' })).toEqual({ email: 'unsubscribed' });
  });

  it('Should suppress a phone-only person of a CSV and refuse a bad address with its reason', async () => {
    // Act
    const summary = await runPeopleImport({ file: fixture('unsubscribes.csv'), suppressions: contacts, source: 'delighted', now });

    // Assess
    expect(summary).toMatchObject({ kind: 'unsubscribed', people: 3, suppressed: { email: 1, sms: 1 } });
    expect(summary.refused).toEqual([{ reason: 'e-mail "…" is not an address', rows: 1 }]);
    expect(summary.examples).toEqual([{ entry: 3, reason: 'e-mail "not…" is not an address' }]);
    expect(await contacts.suppressionsFor({ phone: '+17132746524' })).toEqual({ sms: 'unsubscribed' });
    expect(formatPeopleSummary(summary, false)).toContain('1 e-mail addresses, 1 phone numbers');
  });

  it('Should write nothing on a dry run, and store no address', async () => {
    // Prepare
    const fresh = await freshTable();

    // Act
    const summary = await runPeopleImport({
      file: fixture('bounces.json'),
      suppressions: new DynamoContactStore(fresh.doc, fresh.tableName),
      source: 'delighted',
      now,
      dryRun: true,
    });

    // Assess
    expect(summary.suppressed.email).toBe(2);
    expect((await fresh.doc.send(new ScanCommand({ TableName: fresh.tableName }))).Items).toEqual([]);
    const items = (await table.doc.send(new ScanCommand({ TableName: table.tableName }))).Items ?? [];
    const suppressions = items.filter((i) => i.entity === 'suppression');
    expect(suppressions.length).toBe(3); // two addresses (unsubscribed, then bounced: one entry each) and a number
    expect(JSON.stringify(suppressions)).not.toMatch(/@example\.com|\+1713/);
  });
});
