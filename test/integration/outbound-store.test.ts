/**
 * Outbound endpoints on DynamoDB Local: endpoints and deliveries, the claim that makes a delivery
 * attempt single under concurrent or repeated queue deliveries, and the emitter's stream filters and
 * parsing on real stream records of alerts and unsubscribes.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactStore } from '../../functions/adapters/dynamodb/contact-store.ts';
import { DynamoEndpointStore } from '../../functions/adapters/dynamodb/endpoint-store.ts';
import { ALERT_CHANGE_FILTER, UNSUBSCRIBE_FILTER } from '../../functions/adapters/dynamodb/outbound-filters.ts';
import { parseOutboundChange } from '../../functions/adapters/dynamodb/outbound-records.ts';
import { DynamoAlertStore } from '../../functions/adapters/dynamodb/alert-store.ts';
import { DynamoCustomerHistory } from '../../functions/adapters/dynamodb/customer-history.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import { FINAL_RESPONSE_FILTER } from '../../functions/adapters/dynamodb/table/filters.ts';
import type { Alert } from '../../surveys/model.ts';
import { emitOutbound } from '../../surveys/outbound/emit.ts';
import type { DeliveryJob } from '../../surveys/outbound/ports.ts';
import { endpoint } from '../support/outbound.ts';
import { freshTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let store: DynamoEndpointStore;

beforeAll(async () => {
  table = await freshTable();
  store = new DynamoEndpointStore(table.doc, table.tableName);
});

const key = (eventId: string) => ({ endpointId: 'ep-claims', eventId, type: 'alert.created' as const });

describe('endpoints', () => {
  it('Should create, list, disable with a reason, and delete an endpoint', async () => {
    // Prepare
    await store.createEndpoint(endpoint({ id: 'ep-a' }));
    await store.createEndpoint(endpoint({ id: 'ep-b', kind: 'slack' }));

    // Act
    await store.disableEndpoint('ep-b', 'the receiver answered 410 Gone', '2026-12-01T10:00:00.000Z');
    const listed = await store.listEndpoints();
    await store.deleteEndpoint('ep-a');
    await store.disableEndpoint('ep-a', 'gone', '2026-12-01T10:00:00.000Z'); // deleted meanwhile: nothing happens

    // Assess
    expect(listed.map((e) => [e.id, e.status])).toEqual([
      ['ep-a', 'active'],
      ['ep-b', 'disabled'],
    ]);
    expect(listed[1]).toMatchObject({ disabledReason: 'the receiver answered 410 Gone' });
    expect(listed[0]).not.toHaveProperty('pk');
    expect(await store.getEndpoint('ep-a')).toBeUndefined();
  });
});

describe('delivery claims', () => {
  it('Should let exactly one of ten concurrent workers attempt a delivery', async () => {
    // Act
    const claims = await Promise.all(Array.from({ length: 10 }, () => store.claimAttempt(key('evt-race'), '2026-12-01T10:00:00.000Z', 30)));

    // Assess
    expect(claims.filter((c) => c.claimed)).toEqual([{ claimed: true, attempt: 1 }]);
    expect(claims.filter((c) => !c.claimed).every((c) => !c.claimed && c.why === 'busy')).toBe(true);
  });

  it('Should number attempts across retries and refuse any attempt once delivered, even when noted pending again', async () => {
    // Prepare
    await store.notePending({ ...key('evt-life'), at: '2026-12-01T10:00:00.000Z' });

    // Act
    const first = await store.claimAttempt(key('evt-life'), '2026-12-01T10:00:01.000Z', 30);
    await store.finishAttempt(key('evt-life'), {
      status: 'retrying',
      at: '2026-12-01T10:00:02.000Z',
      lastError: 'HTTP 503',
      lastStatusCode: 503,
      nextAttemptAt: '2026-12-01T10:00:07.000Z',
    });
    const second = await store.claimAttempt(key('evt-life'), '2026-12-01T10:00:07.000Z', 30);
    await store.finishAttempt(key('evt-life'), { status: 'delivered', at: '2026-12-01T10:00:08.000Z', lastStatusCode: 200 });
    await store.notePending({ ...key('evt-life'), at: '2026-12-01T10:00:09.000Z' }); // a replayed stream record
    const third = await store.claimAttempt(key('evt-life'), '2026-12-01T10:00:10.000Z', 30);
    const [listed] = (await store.listDeliveries('ep-claims', 10)).filter((d) => d.eventId === 'evt-life');

    // Assess
    expect([first, second, third]).toEqual([
      { claimed: true, attempt: 1 },
      { claimed: true, attempt: 2 },
      { claimed: false, why: 'done', status: 'delivered' },
    ]);
    expect(listed).toMatchObject({ status: 'delivered', attempts: 2, lastError: 'HTTP 503', lastStatusCode: 200, deliveredAt: '2026-12-01T10:00:08.000Z' });
    expect(listed).not.toHaveProperty('nextAttemptAt');
    expect(listed).not.toHaveProperty('claimUntil');
  });

  it('Should let a worker take over a claim whose lease has ended (its predecessor crashed)', async () => {
    // Prepare
    await store.claimAttempt(key('evt-crash'), '2026-12-01T10:00:00.000Z', 30);

    // Act
    const during = await store.claimAttempt(key('evt-crash'), '2026-12-01T10:00:10.000Z', 30);
    const after = await store.claimAttempt(key('evt-crash'), '2026-12-01T10:00:31.000Z', 30);

    // Assess
    expect(during).toEqual({ claimed: false, why: 'busy' });
    expect(after).toEqual({ claimed: true, attempt: 2 });
  });
});

describe('the emitter on real stream records', () => {
  it('Should turn an alert being sent and an unsubscribe into alert.created and contact.unsubscribed jobs', async () => {
    // Prepare
    const surveys = new DynamoAlertStore(table.doc, table.tableName, 400);
    const history = new DynamoCustomerHistory(table.doc, table.tableName);
    const contacts = new DynamoContactStore(table.doc, table.tableName);
    const alert: Alert = {
      id: 'detractor-inv-s1',
      kind: 'detractor',
      customerId: 'c-s1',
      segments: { team: 'support' },
      status: 'open',
      createdAt: '2026-12-01T10:00:00.000Z',
      revision: 1,
    };
    await surveys.createAlert(alert);
    await surveys.saveAlert({ ...alert, notifiedAt: '2026-12-01T10:03:00.000Z', revision: 2 }, 1);
    await contacts.suppress({
      channel: 'email',
      contact: 'ala@example.com',
      reason: 'unsubscribed',
      at: '2026-12-01T10:05:00.000Z',
      source: 'unsubscribe:inv-s1',
    });
    await contacts.suppress({ channel: 'email', contact: 'bob@example.com', reason: 'bounced', at: '2026-12-01T10:05:00.000Z', source: 'ses' });
    await store.createEndpoint(endpoint({ id: 'ep-stream' }));
    const records: DynamoDBRecord[] = [];
    const reader = new StreamReader({
      endpoint: table.endpoint,
      streamArn: table.streamArn,
      consumers: [
        {
          name: 'emitOutbound',
          filter: [FINAL_RESPONSE_FILTER, ALERT_CHANGE_FILTER, UNSUBSCRIBE_FILTER],
          handler: async (e) => void records.push(...(e as { Records: DynamoDBRecord[] }).Records),
        },
      ],
    });

    // Act
    await reader.drain();
    await reader.stop();
    const jobs: DeliveryJob[] = [];
    for (const record of records) {
      const parsed = parseOutboundChange(record);
      if (!parsed.ok) throw new Error(parsed.reason);
      await emitOutbound([parsed.change], {
        endpoints: store,
        deliveries: store,
        queue: { enqueue: async (j) => void jobs.push(...j) },
        customers: history,
        dashboardUrl: 'https://x.example/dashboard',
        now: () => new Date('2026-12-01T10:06:00.000Z'),
      });
    }

    // Assess: the bounce is filtered out; the alert's insert makes no event, its sending one
    expect(records).toHaveLength(3);
    expect(jobs.filter((j) => j.endpointId === 'ep-stream').map((j) => j.event.type)).toEqual(['alert.created', 'contact.unsubscribed']);
    expect(JSON.stringify(jobs)).not.toContain('ala@example.com');
  });
});
