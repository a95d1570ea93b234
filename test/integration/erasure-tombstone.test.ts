/**
 * Erasure that stays erased: a customer answers (a detractor, with a comment, and writes about cancelling)
 * and is erased before the stream consumers ran. Then the answer's stream records reach raise-alerts
 * and track-health (the real handlers, SNS mocked), and an alert written by a consumer that raced the
 * erasure reaches the alert sweep: nothing about the erased customer is written or sent, in any order.
 * A stranger in the same batches is handled as usual (the consumers do work).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { STREAM_CONSUMERS } from '../../functions/manifest.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import { localContext } from '../../local/lambda-context.ts';
import { GSI1, keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { ERASURE_TOMBSTONE_DAYS } from '../../functions/adapters/dynamodb/retention.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import { surveyPorts, type SurveyPorts } from '../support/stores.ts';
import { freshTable } from '../support/table.ts';
import { configureFor, handlerOf } from '../support/functions.ts';

const sns = mockClient(SNSClient);
let table: Awaited<ReturnType<typeof freshTable>>;
let store: SurveyPorts;
type Handler = (event: unknown, context: unknown) => Promise<{ batchItemFailures?: unknown[]; statusCode?: number; body?: string }>;
let handlers: Record<'raiseAlerts' | 'trackHealth' | 'alertSweep' | 'privacyApi', Handler>;

const AT = new Date(Date.now() - 60_000).toISOString();

function answer(customerId: string, invitationId: string, score: number, comment: string): SurveyResponse {
  return {
    invitationId,
    surveyId: 'csat-post-ticket',
    metric: 'csat',
    customerId,
    score,
    comment,
    segments: { survey: 'csat-post-ticket', team: 'billing' },
    locale: 'en',
    subjectRef: `t-${invitationId}`,
    status: 'final',
    version: 1,
    answeredAt: AT,
    updatedAt: AT,
  };
}

async function capture(fn: string): Promise<DynamoDBRecord[]> {
  const records: DynamoDBRecord[] = [];
  const filter = STREAM_CONSUMERS.find((c) => c.fn === fn)!.filter;
  const reader = new StreamReader({
    endpoint: table.endpoint,
    streamArn: table.streamArn,
    consumers: [{ name: fn, filter, handler: async (e) => void records.push(...(e as { Records: DynamoDBRecord[] }).Records) }],
  });
  await reader.drain();
  await reader.stop();
  return records;
}

async function item(key: { pk: string; sk: string }) {
  return (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;
}

const publishedAbout = (customerId: string) =>
  sns.commandCalls(PublishCommand).filter((c) => JSON.stringify(c.args[0].input).includes(customerId) || c.args[0].input.Message?.includes('Kowalska'));

beforeAll(async () => {
  table = await freshTable();
  store = surveyPorts(table.doc, table.tableName);
  configureFor(table, { ALERT_COMMENT_WAIT_SECONDS: '0' });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  handlers = {
    raiseAlerts: await handlerOf<Handler>('raise-alerts'),
    trackHealth: await handlerOf<Handler>('track-health'),
    alertSweep: await handlerOf<Handler>('alert-sweep'),
    privacyApi: await handlerOf<Handler>('privacy-api'),
  };
  // Ala (to be erased) and Ola (a stranger) answer CSAT 1 with a comment; Ala also had a refund.
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...keys.profile('c-ala'), customerId: 'c-ala', name: 'Ala Kowalska', email: 'ala@example.com', phone: '+48600100001', locale: 'en', version: 1 },
    }),
  );
  await store.putResponse(answer('c-ala', 'inv-ala', 1, 'I will cancel my subscription, Ala Kowalska, ul. Polna 1'), 0);
  await store.putResponse(answer('c-ola', 'inv-ola', 1, 'Slow'), 0);
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...keys.event('shop#refund-ala'), entity: 'event', eventType: 'order.refunded', customerId: 'c-ala', subjectRef: 'o-1', receivedAt: AT },
    }),
  );
});
afterAll(() => sns.restore());

describe('a customer erased while their answer is in flight', () => {
  it('Should write no alert, no health profile and send nothing when the stream records arrive after the erasure, in any order', async () => {
    // Prepare: the records as Lambda would deliver them, read before the erasure
    const alertRecords = await capture('raiseAlerts');
    const healthRecords = await capture('trackHealth');
    expect(alertRecords.length).toBe(2);
    expect(healthRecords.length).toBe(3);

    // Act: erase, then deliver, redeliver and reverse
    const erased = await handlers.privacyApi(
      {
        routeKey: 'POST /api/customers/{id}/erase',
        rawPath: '/',
        headers: {},
        isBase64Encoded: false,
        pathParameters: { id: 'c-ala' },
        requestContext: { http: { method: 'POST' }, authorizer: { iam: { userArn: 'arn:aws:iam::123456789012:role/backoffice' } } },
      },
      {},
    );
    for (const batch of [alertRecords, [...alertRecords].reverse()]) await handlers.raiseAlerts({ Records: batch }, localContext('raiseAlerts'));
    for (const batch of [healthRecords, [...healthRecords].reverse()]) await handlers.trackHealth({ Records: batch }, localContext('trackHealth'));

    // Assess
    expect(erased.statusCode).toBe(200);
    expect(await item(keys.alert('detractor-inv-ala'))).toBeUndefined();
    expect(await item(keys.health('c-ala'))).toBeUndefined();
    const churn = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: GSI1.name,
        KeyConditionExpression: 'gsi1pk = :p',
        FilterExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':p': 'ALERTS#open', ':c': 'c-ala' },
      }),
    );
    expect(churn.Items).toEqual([]);
    expect(publishedAbout('c-ala')).toEqual([]);
    // The stranger in the same batches was alerted as usual.
    expect(await item(keys.alert('detractor-inv-ola'))).toMatchObject({ customerId: 'c-ola' });
    expect(publishedAbout('c-ola').length).toBeGreaterThan(0);
  });

  it('Should not send, and delete, an alert a consumer wrote while the erasure ran', async () => {
    // Prepare: the alert a raced consumer left behind, due now
    await store.createAlert({
      id: 'detractor-inv-ala-raced',
      kind: 'detractor',
      customerId: 'c-ala',
      survey: 'csat-post-ticket',
      metric: 'csat',
      score: 1,
      comment: 'I will cancel my subscription, Ala Kowalska',
      segments: {},
      status: 'open',
      createdAt: AT,
      notifyAfter: AT,
      dueAt: AT,
      revision: 1,
    });
    sns.resetHistory();

    // Act
    await handlers.alertSweep({}, localContext('alertSweep'));

    // Assess
    expect(publishedAbout('c-ala')).toEqual([]);
    expect(await item(keys.alert('detractor-inv-ala-raced'))).toBeUndefined();
  });

  it('Should keep tombstones that hold only keyed hashes and a time, expiring after the longest replay window', async () => {
    // Act
    const tombstones = await Promise.all([
      item(keys.erasedCustomer('c-ala')),
      item(keys.erasedContact('email', 'ala@example.com')),
      item(keys.erasedContact('sms', '+48600100001')),
    ]);

    // Assess
    for (const tombstone of tombstones) {
      expect(tombstone).toBeDefined();
      expect(Object.keys(tombstone!).sort()).toEqual(['at', 'entity', 'expiresAtEpoch', 'pk', 'sk']);
      expect(JSON.stringify(tombstone)).not.toMatch(/ala|600100001/i);
      expect(tombstone!.expiresAtEpoch - Math.floor(Date.parse(tombstone!.at) / 1000)).toBe(ERASURE_TOMBSTONE_DAYS * 24 * 3600);
    }
  });
});
