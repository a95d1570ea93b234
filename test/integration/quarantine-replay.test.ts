/**
 * Rejected input made visible and replayable, against DynamoDB Local with the real handlers: a Shopify
 * delivery event for an order ankieta never saw is quarantined; the list shows it (no payload); the
 * cause is fixed (orders/create arrives); the replay schedules one survey, and a second replay runs
 * nothing. A delivery kept without its signature is never replayed, and a replay re-checks the signature.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { localContext } from '../../local/lambda-context.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoQuarantineStore } from '../../functions/adapters/dynamodb/quarantine-store.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { asSignedIn, callHttp, type HttpHandler } from '../support/api-gateway.ts';
import { restamp, setField, vendorText } from '../support/vendor-fixtures.ts';
import { SHOPIFY_SECRET, shopifyHeaders } from '../support/webhooks.ts';
import { freshTable } from '../support/table.ts';
import { configureFor, handlerOf } from '../support/functions.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let webhooks: HttpHandler;
let quarantineApi: HttpHandler;

beforeAll(async () => {
  table = await freshTable();
  configureFor(table, {
    SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
    CONTACT_HASH_KEY: 'quarantine-replay-test-key-0123456789abcdef',
  });
  webhooks = await handlerOf<HttpHandler>('webhooks');
  quarantineApi = asSignedIn(await handlerOf<HttpHandler>('quarantine-api')); // an admin's route
});

const shopify = (topic: string, body: string) =>
  callHttp(webhooks, 'webhooks', {
    method: 'POST',
    route: '/webhooks/{source}',
    path: '/webhooks/shopify',
    pathParameters: { source: 'shopify' },
    headers: shopifyHeaders(body, { topic, eventId: `hdr-${Math.random()}` }),
    body,
  });

const api = <T = Record<string, unknown>>(method: string, route: string, o: { id?: string; query?: Record<string, string> } = {}) =>
  callHttp<T>(quarantineApi, 'quarantineApi', {
    method,
    route,
    path: route.replace('{id}', o.id ?? ''),
    ...(o.id ? { pathParameters: { id: o.id } } : {}),
    ...(o.query ? { query: o.query } : {}),
  });

function orderCreated(orderId: string, email: string): string {
  const body = restamp(vendorText('shopify/orders-create.json'), new Date());
  // Own order, customer and address: tests share no customer (a second survey would merge into the first).
  return body.split('bob.norman@hostmail.com').join(email).split('450789469').join(orderId).split('207119551').join(`${orderId}7`);
}

const deliveredEvent = (orderId: number) =>
  setField(setField(restamp(vendorText('shopify/fulfillment-events-create.json'), new Date()), 'status', 'delivered'), 'order_id', orderId);

async function invitationsAbout(orderId: string) {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.subject(`order#${orderId}`, '').pk },
    }),
  );
  return Items;
}

interface Listed {
  id: string;
  source: string;
  reason: string;
  at: string;
  size: number;
  replay: null | { result: string };
  payload?: unknown;
}

describe('quarantine → list → fix the cause → replay', () => {
  it('Should schedule one survey when the delivery is replayed after orders/create, and run nothing on a second replay', async () => {
    // Prepare: the delivery arrives before ankieta knows the order's customer
    const rejected = await shopify('fulfillment_events/create', deliveredEvent(7770001));
    expect(rejected).toMatchObject({ status: 202, body: { status: 'quarantined' } });
    const list = await api<Listed[]>('GET', '/api/quarantine', { query: { source: 'webhook:shopify' } });
    const item = list.body.find((i) => /order 7770001/.test(i.reason))!;
    expect(item).toMatchObject({ source: 'webhook:shopify', replay: null, size: expect.any(Number) });
    expect(item).not.toHaveProperty('payload');
    const fixed = await shopify('orders/create', orderCreated('7770001', 'replayed@example.com'));
    expect(fixed).toMatchObject({ status: 200, body: { status: 'ignored' } });

    // Act
    const first = await api('POST', '/api/quarantine/{id}/replay', { id: item.id });
    const second = await api('POST', '/api/quarantine/{id}/replay', { id: item.id });

    // Assess
    expect(first).toMatchObject({ status: 200, body: { replay: { result: 'accepted', outcome: 'scheduled' }, repeated: false } });
    expect(second).toMatchObject({ status: 200, body: { replay: first.body.replay, repeated: true } });
    const invitations = await invitationsAbout('7770001');
    expect(invitations).toHaveLength(1);
    const after = await api<Listed>('GET', '/api/quarantine/{id}', { id: item.id });
    expect(after.body.replay).toMatchObject({ result: 'accepted' });
  });

  it('Should record "still rejected" with the new reason when the cause is not fixed, and allow another replay later', async () => {
    // Prepare
    await shopify('fulfillment_events/create', deliveredEvent(7770002));
    const { body: items } = await api<Listed[]>('GET', '/api/quarantine');
    const item = items.find((i) => /order 7770002/.test(i.reason))!;

    // Act
    const first = await api('POST', '/api/quarantine/{id}/replay', { id: item.id });
    await shopify('orders/create', orderCreated('7770002', 'later@example.com'));
    const second = await api('POST', '/api/quarantine/{id}/replay', { id: item.id });

    // Assess
    expect(first).toMatchObject({
      status: 200,
      body: { replay: { result: 'rejected', reason: expect.stringMatching(/order 7770002.*subscribe orders\/create/) } },
    });
    expect(second).toMatchObject({ status: 200, body: { replay: { result: 'accepted', outcome: 'scheduled' }, repeated: false } });
  });

  it('Should show the payload only when asked for by name', async () => {
    // Prepare
    const { body: items } = await api<Listed[]>('GET', '/api/quarantine', { query: { source: 'webhook:shopify' } });

    // Act
    const plain = await api<Listed>('GET', '/api/quarantine/{id}', { id: items[0]!.id });
    const full = await api<Listed>('GET', '/api/quarantine/{id}', { id: items[0]!.id, query: { include: 'payload' } });

    // Assess
    expect(plain.body).not.toHaveProperty('payload');
    expect(full.body.payload).toMatchObject({ body: expect.stringContaining('"order_id"'), headers: { 'x-shopify-topic': 'fulfillment_events/create' } });
  });

  it('Should refuse to replay a delivery kept without its signature, saying why', async () => {
    // Prepare: kept as before replay existed (the body only)
    const id = await new DynamoQuarantineStore(table.doc, table.tableName).keep('webhook:shopify', 'old', { eventId: 'e', body: deliveredEvent(7770003) });

    // Act
    const answer = await api('POST', '/api/quarantine/{id}/replay', { id });

    // Assess
    expect(answer).toMatchObject({ status: 409, body: { error: expect.stringMatching(/signature .*cannot be verified/) } });
    expect(await invitationsAbout('7770003')).toHaveLength(0);
  });

  it('Should reject a replay whose kept body no longer matches its signature', async () => {
    // Prepare: a signed delivery, its body changed in the table
    const body = deliveredEvent(7770004);
    const headers = shopifyHeaders(body, { topic: 'fulfillment_events/create', eventId: 'x' });
    const tampered = body.replace('7770004', '7770005');
    const id = await new DynamoQuarantineStore(table.doc, table.tableName).keep('webhook:shopify', 'old', {
      eventId: 'x',
      body: tampered,
      headers: { 'x-shopify-topic': headers['x-shopify-topic']!, 'x-shopify-hmac-sha256': headers['x-shopify-hmac-sha256']! },
    });

    // Act
    const answer = await api('POST', '/api/quarantine/{id}/replay', { id });

    // Assess
    expect(answer).toMatchObject({ status: 200, body: { replay: { result: 'rejected', reason: 'shopify webhook refused: bad-signature' } } });
  });

  it('Should page the list newest first with the exports cursor convention', async () => {
    // Prepare
    const store = new DynamoQuarantineStore(table.doc, table.tableName);
    for (let i = 0; i < 5; i++) await store.keep('paging', `reason ${i}`, { i }, new Date(Date.now() - (5 - i) * 3_600_000));

    // Act
    const first = await api<Listed[]>('GET', '/api/quarantine', { query: { source: 'paging', limit: '3' } });
    const next = first.raw.headers?.['x-next-cursor'] as string;
    const second = await api<Listed[]>('GET', '/api/quarantine', { query: { source: 'paging', limit: '3', cursor: next } });

    // Assess
    expect(first.body.map((i) => i.reason)).toEqual(['reason 4', 'reason 3', 'reason 2']);
    expect(first.raw.headers?.link).toMatch(/^<\/api\/quarantine\?.*cursor=.*>; rel="next"$/);
    expect(second.body.map((i) => i.reason)).toEqual(['reason 1', 'reason 0']);
    expect(second.raw.headers?.['x-next-cursor']).toBeUndefined();
  });

  it('Should count the last 14 days by source and reason for the dashboard', async () => {
    // Act
    const stats = await api<{ total: number; bySource: Record<string, number>; byReason: { source: string; reason: string; count: number }[] }>(
      'GET',
      '/api/quarantine/stats',
    );

    // Assess: the delivery events of several orders are one reason
    expect(stats.body.bySource.paging).toBe(5);
    const deliveries = stats.body.byReason.find((r) => r.source === 'webhook:shopify' && r.reason.startsWith('order …'));
    expect(deliveries?.count).toBe(2);
  });
});

describe('a queued delivery job that is not one', () => {
  it('Should keep it with every bad field named in its reason', async () => {
    // Prepare
    const deliverOutbound = await handlerOf<(event: SQSEvent, context: unknown) => Promise<unknown>>('deliver-outbound');
    const body = JSON.stringify({ endpointId: '', event: { id: 'evt-q1', type: 'order.shipped', timestamp: '2026-12-01T10:00:00Z', data: {} } });
    const record = { messageId: 'm-q1', receiptHandle: 'r-q1', body } as SQSRecord;

    // Act
    await deliverOutbound({ Records: [record] }, localContext('deliverOutbound'));

    // Assess
    const { body: items } = await api<Listed[]>('GET', '/api/quarantine', { query: { source: 'deliver-outbound' } });
    expect(items).toHaveLength(1);
    expect(items[0]!.reason).toMatch(/^not a delivery job: endpointId: .+; event\.type: Invalid option: expected one of "/);
  });
});
