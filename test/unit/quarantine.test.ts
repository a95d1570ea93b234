/**
 * Rejected input: counting by reason kind, and the replay use case's decisions that need no table —
 * what is never replayed, what is answered again without running, a replay racing another.
 */
import { describe, expect, it } from 'vitest';
import { reasonKind, summarize, type QuarantinedItem, type ReplayRecord } from '../../surveys/quarantine/model.ts';
import { replayQuarantined, type QuarantineBook, type ReplayDeps } from '../../surveys/quarantine/replay.ts';
import { decodeCursor, encodeCursor, quarantineId, receivedAtOf } from '../../functions/adapters/dynamodb/quarantine-ids.ts';
import { WebhookNotConfigured } from '../../surveys/webhooks/inbound.ts';
import { SHOPIFY_SECRET, shopifyHeaders } from '../support/webhooks.ts';

const AT = '2026-11-30T10:00:00.000Z';
const NOW = new Date('2026-12-01T09:00:00.000Z');

function book(item: (QuarantinedItem & { payload?: string }) | undefined, stored?: ReplayRecord) {
  const recorded: ReplayRecord[] = [];
  const fake: QuarantineBook = {
    get: async () => item,
    recordReplay: async (_id, _at, replay) => {
      recorded.push(replay);
      return stored ?? replay;
    },
  };
  return { fake, recorded };
}

function item(source: string, payload: unknown, extra: Partial<QuarantinedItem> = {}): QuarantinedItem & { payload: string } {
  return {
    id: quarantineId(AT, '0f8fad5b-d9cb-469f-a165-70867728950e'),
    source,
    reason: 'r',
    receivedAt: AT,
    truncated: false,
    payload: JSON.stringify(payload),
    ...extra,
  };
}

/** Only what the paths under test reach: nothing here may receive an event. */
function deps(b: QuarantineBook, secret: ReplayDeps['secret'] = async () => SHOPIFY_SECRET): ReplayDeps {
  const unreachable = () => {
    throw new Error('an event was received');
  };
  return { book: b, secret, now: () => NOW, store: new Proxy({}, { get: unreachable }), orders: new Proxy({}, { get: unreachable }) } as unknown as ReplayDeps;
}

describe('reason kinds', () => {
  it.each([
    ['order 820982911946154508: a delivery event names only the order; subscribe orders/create', 'order …: a delivery event names only the order'],
    ['customer c-1: the event names the requester by id only', 'customer …: the event names the requester by id only'],
    ['detail.customer.email: Invalid email address', 'detail.customer.email: Invalid email address'],
    [
      'not a delivery job: event.type: Invalid option: expected one of "response.created"|"alert.created"; endpointId: Too small',
      'not a delivery job: event.type: Invalid option: expected one of "…"|"…"',
    ],
  ])('Should count "%s" as "%s"', (reason, kind) => {
    // Act & Assess
    expect(reasonKind(reason)).toBe(kind);
  });

  it('Should count items of several orders with one reason once per source, the most frequent first', () => {
    // Prepare
    const items = [
      { source: 'webhook:shopify', reason: 'order 1: no customer' },
      { source: 'webhook:shopify', reason: 'order 2: no customer' },
      { source: 'eventbridge', reason: 'detail.eventId: Required' },
    ];

    // Act
    const summary = summarize(items, 14);

    // Assess
    expect(summary).toEqual({
      days: 14,
      total: 3,
      bySource: { 'webhook:shopify': 2, eventbridge: 1 },
      byReason: [
        { source: 'webhook:shopify', reason: 'order …: no customer', count: 2 },
        { source: 'eventbridge', reason: 'detail.eventId: Required', count: 1 },
      ],
    });
  });
});

describe('quarantine ids and cursors', () => {
  it('Should carry the time the item was kept, and read it back', () => {
    // Act
    const id = quarantineId(AT, '0f8fad5b-d9cb-469f-a165-70867728950e');

    // Assess
    expect(id).toBe('20261130T100000000Z-0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(receivedAtOf(id)).toBe(AT);
    expect(receivedAtOf('20261330T100000000Z-0f8fad5b-d9cb-469f-a165-70867728950e')).toBeUndefined();
  });

  it('Should decode only cursors it gave out', () => {
    // Prepare
    const cursor = { day: '2026-11-30', sk: `${AT}#x` };

    // Act & Assess
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor('bm90IGEgY3Vyc29y')).toBeUndefined();
    expect(decodeCursor(Buffer.from(JSON.stringify(['2026-11-30', 'QUARANTINE#other'])).toString('base64url'))).toBeUndefined();
  });
});

describe('replaying a quarantined item', () => {
  it('Should answer a settled outcome again without running anything', async () => {
    // Prepare
    const settled: ReplayRecord = { at: AT, result: 'accepted', outcome: 'scheduled', eventId: 'e-1' };
    const b = book(item('eventbridge', { bad: true }, { replay: settled }));

    // Act
    const answer = await replayQuarantined('id', deps(b.fake));

    // Assess
    expect(answer).toMatchObject({ status: 'replayed', replay: settled, repeated: true });
    expect(b.recorded).toEqual([]);
  });

  it.each([
    ['a cut payload', item('webhook:shopify', {}, { truncated: true }), /cut to fit the table/],
    ['a stream record', item('raise-alerts', { dynamodb: {} }), /not replayed from here/],
    ['a webhook body kept without its signature', item('webhook:shopify', { eventId: 'e', body: '{}' }), /cannot be verified, so it is not replayed/],
  ])('Should never replay %s, and say why', async (_what, kept, reason) => {
    // Prepare
    const b = book(kept);

    // Act
    const answer = await replayQuarantined('id', deps(b.fake));

    // Assess
    expect(answer).toEqual({ status: 'unreplayable', reason: expect.stringMatching(reason) });
    expect(b.recorded).toEqual([]);
  });

  it('Should record a webhook whose secret is still not set as rejected, naming the cause', async () => {
    // Prepare
    const body = '{"id":1}';
    const headers = shopifyHeaders(body, { topic: 'orders/create', eventId: 'e' });
    const b = book(item('webhook:shopify', { eventId: 'e', body, headers: { 'x-shopify-hmac-sha256': headers['x-shopify-hmac-sha256'] } }));
    const missing = async () => {
      throw new WebhookNotConfigured('SHOPIFY_WEBHOOK_SECRET is not set');
    };

    // Act
    const answer = await replayQuarantined('id', deps(b.fake, missing));

    // Assess
    expect(answer).toMatchObject({ status: 'replayed', replay: { result: 'rejected', reason: /not configured: SHOPIFY_WEBHOOK_SECRET/ }, repeated: false });
    expect(b.recorded).toHaveLength(1);
  });

  it('Should answer the outcome of a replay that settled the item first, when two run at once', async () => {
    // Prepare: this run's event is still invalid, the other one was accepted meanwhile
    const other: ReplayRecord = { at: '2026-12-01T08:59:59.000Z', result: 'accepted', outcome: 'scheduled' };
    const b = book(item('eventbridge', { source: 'shop', 'detail-type': 'order.delivered', detail: {} }), other);

    // Act
    const answer = await replayQuarantined('id', deps(b.fake));

    // Assess
    expect(b.recorded[0]).toMatchObject({ result: 'rejected' });
    expect(answer).toMatchObject({ status: 'replayed', replay: other, repeated: true });
  });
});
