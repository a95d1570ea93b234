/**
 * GDPR erasure against DynamoDB Local, through the real adapters: a customer with a profile, two
 * answered invitations (one with a comment and a detractor alert), link opens, e-mail lookups and a
 * suppression entry; a second customer sharing the address; a stranger who must stay untouched. Then
 * the stream after erasure: no stream consumer (aggregator, alerts, health) receives anything, so the
 * scores keep their counts. And the retention TTL of raw responses.
 */
import { DynamoTriggerStore } from '../../functions/adapters/dynamodb/trigger-store.ts';
import { DynamoResponseStore } from '../../functions/adapters/dynamodb/response-store.ts';
import { parseEnv } from '../../functions/shared/env.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { STREAM_CONSUMERS } from '../../functions/manifest.ts';
import { DynamoErasureStore } from '../../functions/adapters/dynamodb/erasure-store.ts';
import { DynamoLinkActivityStore } from '../../functions/adapters/dynamodb/link-activity-store.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { surveyPorts } from '../support/stores.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import type { Invitation, SurveyResponse } from '../../surveys/model.ts';
import type { CustomerProfile } from '../../surveys/ports.ts';
import { eraseCustomer } from '../../surveys/use-cases/erase-customer.ts';
import { newInvitationId } from '../../surveys/use-cases/trigger-survey.ts';
import { freshTable } from '../support/table.ts';
import { configureFor } from '../support/functions.ts';

type Table = Awaited<ReturnType<typeof freshTable>>;
const T0 = '2026-11-20T10:00:00.000Z';

function invitationFactory(customerId: string, i: number): Invitation {
  return {
    id: newInvitationId(),
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    channel: 'email',
    customerId,
    locale: 'pl',
    eventId: `evt-${customerId}-${i}`,
    eventType: 'order.delivered',
    subjectRef: `o-${customerId}-${i}`,
    segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: 'web' },
    status: 'scheduled',
    createdAt: T0,
    sendAt: T0,
  };
}

function responseOf(invitation: Invitation, score: number, comment?: string): SurveyResponse {
  return {
    invitationId: invitation.id,
    surveyId: invitation.surveyId,
    metric: invitation.metric,
    customerId: invitation.customerId,
    score,
    ...(comment ? { comment } : {}),
    segments: invitation.segments,
    locale: invitation.locale,
    subjectRef: invitation.subjectRef,
    status: 'final',
    version: 1,
    answeredAt: '2026-11-23T12:00:00.000Z',
    updatedAt: '2026-11-23T12:00:00.000Z',
  };
}

/** A customer as the pipeline leaves them: trigger (real adapter), sent, answered, opened, alerted. */
async function seedCustomer(table: Table, customerId: string, email: string, phone: string, answers: Array<{ score: number; comment?: string }>) {
  const store = surveyPorts(table.doc, table.tableName);
  const activity = new DynamoLinkActivityStore(table.doc, table.tableName);
  // Loosely typed: the trigger record grows with other features; erasure needs what every version writes.
  const recordTrigger = store.recordTrigger.bind(store) as unknown as (record: Record<string, unknown>) => Promise<void>;
  const invitations: Invitation[] = [];
  let profile: CustomerProfile = { customerId, email, name: 'Ala Kowalska', phone, locale: 'pl-PL', version: 0 };
  for (const [i, answer] of answers.entries()) {
    const invitation = invitationFactory(customerId, i);
    await recordTrigger({ eventKey: `shop.example#${invitation.eventId}`, invitation, profile, subject: `order#${invitation.subjectRef}` });
    profile = { ...profile, version: profile.version + 1 };
    await store.claim(invitation.id, T0);
    await store.markSent(invitation.id, T0, '2026-12-20T10:00:00.000Z');
    await activity.noteOpen(invitation.id, answer.score, new Date('2026-11-23T11:59:50.000Z'), new Date('2026-12-21T10:00:00.000Z'));
    await store.putResponse(responseOf(invitation, answer.score, answer.comment), 0);
    await table.doc.send(
      new PutCommand({ TableName: table.tableName, Item: { ...keys.smsThread(profile.phone!), entity: 'sms-thread', invitationId: invitation.id } }),
    );
    if (answer.score <= 6) {
      await store.createAlert({
        id: `detractor-${invitation.id}`,
        kind: 'detractor',
        customerId,
        survey: invitation.surveyId,
        metric: 'nps',
        score: answer.score,
        ...(answer.comment ? { comment: answer.comment } : {}),
        segments: invitation.segments,
        subjectRef: invitation.subjectRef,
        status: 'open',
        createdAt: '2026-11-23T12:00:01.000Z',
      });
    }
    invitations.push(invitation);
  }
  return invitations;
}

async function partition(table: Table, pk: string) {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': pk }, ConsistentRead: true }),
  );
  return Items;
}

async function item(table: Table, key: { pk: string; sk: string }) {
  return (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;
}

/** What each stream consumer of the manifest would receive, with its own filter(s). */
function streamTap(table: Table) {
  const received = new Map<string, DynamoDBRecord[]>();
  const reader = new StreamReader({
    endpoint: table.endpoint,
    streamArn: table.streamArn,
    consumers: STREAM_CONSUMERS.map((c) => ({
      name: c.fn,
      filter: c.filter,
      handler: async (event) => void received.set(c.fn, [...(received.get(c.fn) ?? []), ...(event as { Records: DynamoDBRecord[] }).Records]),
    })),
  });
  return { received, reader };
}

describe('erasing a customer', () => {
  let table: Table;
  let ala: Invitation[];
  let alaTwin: Invitation[];
  let stranger: Invitation[];
  const bucketKey = { pk: 'AGG#nps#all', sk: 'DAY#2026-11-23' }; // an aggregate item: erasure never reads AGG# partitions
  const suppression = keys.suppression('email', 'ala@example.com');
  let tap: ReturnType<typeof streamTap>;
  /** Responses the aggregator received before erasure: the tap works. */
  let aggregatedBefore = 0;

  beforeAll(async () => {
    table = await freshTable();
    ala = await seedCustomer(table, 'c-ala', 'Ala@Example.com', '+48600100001', [
      { score: 2, comment: 'Paczka przyszła zniszczona, dzwoniłam 3 razy' },
      { score: 9 },
    ]);
    alaTwin = await seedCustomer(table, 'c-ala-guest', 'ala@example.com', '+48600100002', [{ score: 7 }]);
    // Ola shares Ala's phone number, and was texted last: that SMS thread is Ola's and must stay.
    stranger = await seedCustomer(table, 'c-ola', 'ola@example.com', '+48600100001', [{ score: 1, comment: 'nie' }]);
    // Anonymous counts and a hashed suppression entry, as the aggregator and unsubscribe leave them.
    await table.doc.send(new PutCommand({ TableName: table.tableName, Item: { ...bucketKey, entity: 'bucket', s2: 1, s9: 1, s7: 1, s1: 1 } }));
    await table.doc.send(new PutCommand({ TableName: table.tableName, Item: { ...suppression, entity: 'suppression', reason: 'unsubscribed' } }));
    tap = streamTap(table);
    await tap.reader.drain(); // everything written so far
    aggregatedBefore = tap.received.get('aggregateScores')?.length ?? 0;
    tap.received.clear();
  }, 60_000);

  afterAll(async () => {
    await tap?.reader.stop();
  });

  it('Should find every customer who used the address, whatever its case', async () => {
    // Act
    const ids = await new DynamoErasureStore(table.doc, table.tableName).customerIdsByEmail(' ALA@example.COM ');

    // Assess
    expect(ids.sort()).toEqual(['c-ala', 'c-ala-guest']);
  });

  it('Should delete profiles, invitations, responses with comments, link opens, alerts and lookups, and count them', async () => {
    // Act
    const report = await eraseCustomer({ email: 'ala@example.com' }, { store: new DynamoErasureStore(table.doc, table.tableName) });

    // Assess
    expect(report).toMatchObject({ by: 'email', found: true });
    expect(report.customers.find((c) => c.customerId === 'c-ala')).toMatchObject({
      profiles: 1,
      invitations: 2,
      responses: 2,
      alerts: 1,
      eventMarkersAnonymized: 2,
    });
    expect(report.customers.find((c) => c.customerId === 'c-ala-guest')).toMatchObject({
      profiles: 1,
      invitations: 1,
      responses: 1,
      alerts: 0,
      eventMarkersAnonymized: 1,
    });
    for (const customerId of ['c-ala', 'c-ala-guest']) expect(await partition(table, `CUST#${customerId}`)).toEqual([]);
    for (const invitation of [...ala, ...alaTwin]) {
      expect(await partition(table, `INV#${invitation.id}`)).toEqual([]);
      expect(await partition(table, `ALERT#detractor-${invitation.id}`)).toEqual([]);
    }
    expect(await partition(table, keys.emailLookup('ala@example.com', '').pk)).toEqual([]);
    expect(await item(table, keys.subject(`order#${ala[0]!.subjectRef}`, ala[0]!.id))).toBeUndefined();
    expect(await item(table, keys.smsThread('+48600100002'))).toBeUndefined();
  });

  it('Should keep event markers as duplicates, without the customer or the order', async () => {
    // Act
    const marker = await item(table, keys.event(`shop.example#${ala[0]!.eventId}`));

    // Assess
    expect(marker).toMatchObject({ entity: 'event', erased: true, invitationId: ala[0]!.id });
    expect(marker).not.toHaveProperty('customerId');
    expect(marker).not.toHaveProperty('subjectRef');
  });

  it('Should leave the anonymous counts, the hashed suppression entry and the other customer untouched', async () => {
    // Act
    const bucket = await item(table, bucketKey);
    const suppressed = await item(table, suppression);

    // Assess
    expect(bucket).toMatchObject({ s2: 1, s9: 1, s7: 1, s1: 1 });
    expect(suppressed).toMatchObject({ reason: 'unsubscribed' });
    expect(JSON.stringify(suppressed)).not.toMatch(/ala/i);
    expect(await item(table, keys.profile('c-ola'))).toMatchObject({ email: 'ola@example.com' });
    expect((await partition(table, `INV#${stranger[0]!.id}`)).map((i) => i.sk).sort()).toEqual(['INVITATION', 'OPENS', 'RESPONSE']);
    expect(await item(table, keys.alert(`detractor-${stranger[0]!.id}`))).toMatchObject({ comment: 'nie' });
    expect(await item(table, keys.smsThread('+48600100001'))).toMatchObject({ invitationId: stranger[0]!.id });
    expect(await item(table, keys.subject(`order#${stranger[0]!.subjectRef}`, stranger[0]!.id))).toMatchObject({ invitationId: stranger[0]!.id });
  });

  it('Should give no stream consumer anything to count or alert on, so scores keep their counts', async () => {
    // Act
    await tap.reader.drain();

    // Assess
    expect(aggregatedBefore).toBe(4);
    for (const consumer of STREAM_CONSUMERS) expect(tap.received.get(consumer.fn) ?? [], consumer.fn).toEqual([]);
  });

  it('Should find nothing the second time, and say so', async () => {
    // Act
    const byEmail = await eraseCustomer({ email: 'ala@example.com' }, { store: new DynamoErasureStore(table.doc, table.tableName) });
    const byId = await eraseCustomer({ customerId: 'c-ala' }, { store: new DynamoErasureStore(table.doc, table.tableName) });

    // Assess
    expect(byEmail).toEqual({ by: 'email', customers: [], found: false });
    expect(byId).toEqual({
      by: 'customerId',
      found: false,
      customers: [{ customerId: 'c-ala', profiles: 0, invitations: 0, responses: 0, alerts: 0, eventMarkersAnonymized: 0, otherItems: 0 }],
    });
  });

  it('Should erase by customer id through the API handler, answering counts and 400 for bad input', async () => {
    // Prepare
    configureFor(table);
    const { handler } = await import('../../functions/privacy-api/handler.ts');
    const call = (routeKey: string, init: { id?: string; body?: string }) =>
      handler(
        {
          routeKey,
          rawPath: '/',
          headers: {},
          body: init.body,
          isBase64Encoded: false,
          pathParameters: init.id ? { id: init.id } : undefined,
          requestContext: { http: { method: 'POST' }, authorizer: { iam: { userArn: 'arn:aws:iam::123456789012:role/backoffice' } } },
        } as never,
        {} as never,
      ) as Promise<{ statusCode: number; body: string }>;

    // Act
    const erased = await call('POST /api/customers/{id}/erase', { id: 'c-ola' });
    const both = await call('POST /api/erasure', { body: JSON.stringify({ customerId: 'c-1', email: 'x@example.com' }) });
    const badEmail = await call('POST /api/erasure', { body: JSON.stringify({ email: 'not-an-address' }) });
    const notJson = await call('POST /api/erasure', { body: '{' });

    // Assess
    expect(erased.statusCode).toBe(200);
    expect(JSON.parse(erased.body)).toMatchObject({
      by: 'customerId',
      found: true,
      customers: [{ customerId: 'c-ola', profiles: 1, invitations: 1, responses: 1, alerts: 1 }],
    });
    expect(await item(table, keys.profile('c-ola'))).toBeUndefined();
    expect(both.statusCode).toBe(400);
    expect(badEmail.statusCode).toBe(400);
    expect(JSON.parse(badEmail.body).details.join()).toMatch(/email/);
    expect(notJson.statusCode).toBe(400);
  });
});

describe('retention of raw responses', () => {
  it.each([
    { setting: undefined, days: 400 },
    { setting: '30', days: 30 },
  ])(
    'Should let responses expire $days days after they were made, and an unsent invitation 90 days after its send time at most that long (RESPONSE_RETENTION_DAYS=$setting)',
    async ({ setting, days }) => {
      // Prepare
      const table = await freshTable();
      // The setting as the composition root reads it (functions/shared/env.ts) and hands it to the stores.
      const { retentionDays } = parseEnv({ TABLE_NAME: table.tableName, ...(setting === undefined ? {} : { RESPONSE_RETENTION_DAYS: setting }) });
      const triggers = new DynamoTriggerStore(table.doc, table.tableName, retentionDays);
      const responses = new DynamoResponseStore(table.doc, table.tableName, retentionDays);
      const invitation = invitationFactory('c-ttl', 0);
      const recordTrigger = triggers.recordTrigger.bind(triggers) as unknown as (record: Record<string, unknown>) => Promise<void>;

      // Act
      await recordTrigger({
        eventKey: `shop.example#${invitation.eventId}`,
        invitation,
        profile: { customerId: 'c-ttl', locale: 'en', version: 0 },
        subject: `order#${invitation.subjectRef}`,
      });
      await responses.putResponse(responseOf(invitation, 8), 0);

      // Assess
      const day = 24 * 3600;
      const unsentUntil = Math.min(Date.parse(invitation.sendAt) / 1000 + 90 * day, Date.parse(T0) / 1000 + days * day);
      expect((await item(table, keys.invitation(invitation.id)))?.expiresAtEpoch).toBe(unsentUntil);
      expect((await item(table, keys.response(invitation.id)))?.expiresAtEpoch).toBe(Date.parse('2026-11-23T12:00:00.000Z') / 1000 + days * day);
    },
  );
});
