/**
 * The mappings against the vendors' own sample payloads (test/fixtures/vendors/README.md): what each
 * real body becomes, from the signed body only.
 */
import { describe, expect, it } from 'vitest';
import { entryEnvelopeHint, requestEnvelopeHint } from '../../surveys/event-envelope.ts';
import type { WebhookMapping } from '../../surveys/webhooks/mapping.ts';
import { fromShopifyEventBridge, mapShopify, parseShopifyJson } from '../../surveys/webhooks/shopify.ts';
import { mapZendesk } from '../../surveys/webhooks/zendesk.ts';
import { replaceAll, restamp, setField, vendorText } from '../support/vendor-fixtures.ts';

const now = new Date('2026-11-20T12:00:00.000Z');
const shopify = (topic: string, text: string): WebhookMapping => mapShopify({ topic, payload: parseShopifyJson(text), rawBody: text });
const zendesk = (text: string, defaultRegion?: 'PL') =>
  mapZendesk({ accountId: '12514403', invocationId: 'inv-1', timestamp: now.toISOString(), payload: JSON.parse(text), rawBody: text, defaultRegion });

describe("Shopify's sample payloads", () => {
  it('Should skip the "Send test notification" body as test-notification, whatever the topic', () => {
    // Prepare
    const body = vendorText('shopify/orders-fulfilled.test-notification.json');

    // Act
    const outcomes = ['orders/fulfilled', 'orders/create'].map((topic) => shopify(topic, body));

    // Assess
    for (const mapping of outcomes) {
      expect(mapping).toMatchObject({ kind: 'skipped', reason: 'test-notification', detail: expect.stringContaining('820982911946154508') });
    }
  });

  it('Should map a real orders/fulfilled body to order.delivered keyed on topic, order id and updated_at, at its fulfilment time', () => {
    // Prepare
    const body = vendorText('shopify/orders-create.json');

    // Act
    const mapping = shopify('orders/fulfilled', body);

    // Assess
    expect(mapping).toMatchObject({
      kind: 'event',
      event: {
        source: 'shopify',
        'detail-type': 'order.delivered',
        detail: {
          eventId: 'orders/fulfilled:450789469:2008-01-10T11:00:00-05:00',
          occurredAt: '2014-01-22T15:58:27-05:00',
          customer: { id: '207119551', email: 'bob.norman@hostmail.com', name: 'Bob' },
          order: { id: '450789469', total: 409.94, currency: 'USD', channel: 'web' },
        },
      },
      remember: { customer: { id: '207119551' }, order: { id: '450789469' } },
    });
  });

  it('Should take the store segment from the signed order_status_url, never from a header', () => {
    // Prepare
    const body = setField(vendorText('shopify/orders-fulfilled.test-notification.json'), 'test', false);

    // Act
    const mapping = shopify('orders/fulfilled', body);

    // Assess
    expect(mapping).toMatchObject({ kind: 'event', event: { detail: { order: { store: 'apple.myshopify.com', id: '820982911946154508' } } } });
  });

  it('Should remember the customer of orders/create without surveying', () => {
    // Act
    const mapping = shopify('orders/create', vendorText('shopify/orders-create.json'));

    // Assess
    expect(mapping).toMatchObject({ kind: 'ignored', remember: { source: 'shopify', customer: { email: 'bob.norman@hostmail.com' } } });
  });

  it('Should map refunds/create to order.refunded keyed on the order and the refund', () => {
    // Act
    const mapping = shopify('refunds/create', vendorText('shopify/refunds-create.json'));

    // Assess
    expect(mapping).toMatchObject({
      kind: 'event',
      event: { 'detail-type': 'order.refunded', detail: { eventId: 'refunds/create:450789469:509562969', order: { id: '450789469' } } },
    });
  });

  it.each([
    { name: 'a label printed', status: 'label_printed', kind: 'ignored' },
    { name: 'a delivery', status: 'delivered', kind: 'delivered' },
  ])('Should read fulfillment_events/create with $name as $kind', ({ status, kind }) => {
    // Prepare
    const body = setField(vendorText('shopify/fulfillment-events-create.json'), 'status', status);

    // Act
    const mapping = shopify('fulfillment_events/create', body);

    // Assess
    expect(mapping.kind).toBe(kind);
    if (mapping.kind === 'delivered') {
      expect(mapping).toMatchObject({
        orderId: '2776493818019',
        occurredAt: '2021-01-25T16:32:23-05:00',
        eventId: 'fulfillment_events/create:2776493818019:12584341209251',
      });
    }
  });

  it('Should read fulfillments/update with shipment_status delivered as the delivered moment', () => {
    // Prepare
    const body = vendorText('shopify/fulfillments-update.json').replace('"status": "pending"', '"status": "success", "shipment_status": "delivered"');

    // Act
    const mapping = shopify('fulfillments/update', body);

    // Assess
    expect(mapping).toMatchObject({ kind: 'delivered', orderId: '450789469', occurredAt: '2013-11-01T16:06:08-04:00' });
  });

  it('Should name an unused topic in the reason it is ignored', () => {
    // Act
    const mapping = shopify('customers/update', vendorText('shopify/orders-create.json'));

    // Assess
    expect(mapping).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('topic customers/update is not used by ankieta') });
  });

  it('Should tell the admin to switch an XML webhook to JSON', () => {
    // Prepare
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<order><id type="integer">450789469</id></order>';

    // Act
    const mapping = shopify('orders/fulfilled', xml);

    // Assess
    expect(mapping.kind).toBe('invalid');
    if (mapping.kind === 'invalid') expect(mapping.error.issues[0]!.message).toMatch(/XML: set the webhook format to JSON/);
  });

  it('Should accept the same order from the EventBridge partner source, exact ids even after JSON.parse rounded them', () => {
    // Prepare: Lambda parses the event with JSON.parse; a 64-bit order id would round, its GraphQL id does not
    const text = replaceAll(
      replaceAll(vendorText('shopify/eventbridge-orders-fulfilled.json'), '"id": 450789469', '"id": 820982911946154508'),
      '"name": "#1001"',
      '"name": "#1001", "admin_graphql_api_id": "gid://shopify/Order/820982911946154508"',
    );
    const event = JSON.parse(text);

    // Act
    const delivery = fromShopifyEventBridge(event);
    const mapping = delivery && mapShopify(delivery);

    // Assess
    expect(delivery?.topic).toBe('orders/fulfilled');
    expect(mapping).toMatchObject({ kind: 'event', event: { source: 'shopify', detail: { order: { id: '820982911946154508' } } } });
  });

  it('Should not take a commerce event of the contract for a Shopify partner event', () => {
    // Act + Assess
    expect(fromShopifyEventBridge({ source: 'shop.example', 'detail-type': 'order.delivered', detail: {} })).toBeUndefined();
  });
});

describe("Zendesk's sample payloads", () => {
  it('Should map an event subscription OPEN → SOLVED to ticket.solved needing the stored contact of the requester', () => {
    // Act
    const mapping = zendesk(vendorText('zendesk/ticket-status-changed.json'));

    // Assess
    expect(mapping).toMatchObject({
      kind: 'needs-contact',
      candidate: {
        source: 'zendesk:12514403',
        'detail-type': 'ticket.solved',
        detail: {
          eventId: '2b24ef10-19d4-4740-93cf-8f98ec4776c0',
          occurredAt: '2099-07-04T05:33:18Z',
          customer: { id: '6596848315901' },
          ticket: { id: '35436', agentId: '376532114', team: '360004077472', channel: 'web_service' },
        },
      },
    });
  });

  it.each([
    { previous: 'SOLVED', current: 'OPEN', kind: 'event' },
    { previous: 'CLOSED', current: 'PENDING', kind: 'event' },
    { previous: 'NEW', current: 'OPEN', kind: 'ignored' },
  ])('Should read $previous → $current as $kind', ({ previous, current, kind }) => {
    // Prepare
    const body = vendorText('zendesk/ticket-status-changed.json')
      .replace('"current": "SOLVED"', `"current": "${current}"`)
      .replace('"previous": "OPEN"', `"previous": "${previous}"`);

    // Act
    const mapping = zendesk(body);

    // Assess
    expect(mapping.kind).toBe(kind);
    if (mapping.kind === 'event') expect(mapping.event).toMatchObject({ 'detail-type': 'ticket.reopened', detail: { ticket: { id: '35436' } } });
  });

  it('Should read a phone typed in national format in the configured region, and drop it without one', () => {
    // Prepare
    const body = vendorText('zendesk/trigger-ticket-solved.json');

    // Act
    const withRegion = zendesk(body, 'PL');
    const without = zendesk(body);

    // Assess
    expect(withRegion).toMatchObject({ kind: 'event', event: { detail: { customer: { phone: '+48600100200', consent: { sms: true }, locale: 'pl' } } } });
    expect(without.kind).toBe('invalid'); // no e-mail, and no usable phone: the customer cannot be reached
  });

  it('Should ignore another event type, naming it', () => {
    // Prepare
    const body = vendorText('zendesk/ticket-status-changed.json').replace('ticket.status_changed', 'ticket.priority_changed');

    // Act
    const mapping = zendesk(body);

    // Assess
    expect(mapping).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('zen:event-type:ticket.priority_changed') });
  });
});

describe('POST /events envelope hints', () => {
  it('Should name the expected envelope for a PutEvents request body and for PutEvents entries', () => {
    // Prepare
    const entry = { Source: 'shop.example', DetailType: 'order.delivered', Detail: '{"eventId":"e-1"}', EventBusName: 'ankieta' };

    // Act
    const whole = requestEnvelopeHint({ Entries: [entry] });
    const one = entryEnvelopeHint(entry);

    // Assess
    expect(whole).toMatch(/PutEvents request body .*"source", "detail-type", "detail"/);
    expect(one).toMatch(/PutEvents' field names/);
    expect(requestEnvelopeHint([{ source: 's' }])).toBeUndefined();
  });
});

it('Should keep the fixtures stale as published: their times are years old', () => {
  // Prepare + Act
  const restamped = restamp(vendorText('shopify/orders-create.json'), now);

  // Assess: restamp moves every time, and leaves the rest as it was
  expect(restamped).not.toMatch(/2008-|2014-/);
  expect(restamped.length).toBeGreaterThan(1000);
});
