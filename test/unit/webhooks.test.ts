import { describe, expect, it } from 'vitest';
import { verifyShopify, verifyZendesk, ZENDESK_MAX_AGE_SECONDS } from '../../surveys/webhooks/signatures.ts';
import { mapShopify, parseShopifyJson } from '../../surveys/webhooks/shopify.ts';
import { mapZendesk } from '../../surveys/webhooks/zendesk.ts';
import type { WebhookMapping } from '../../surveys/webhooks/mapping.ts';
import {
  SHOPIFY_SECRET,
  ZENDESK_SECRET,
  shopifyHeaders,
  shopifyOrderFulfilled,
  shopifyRefundCreated,
  zendeskHeaders,
  zendeskTicket,
  zendeskTimestamp,
} from '../support/webhooks.ts';

function eventOf(mapping: WebhookMapping) {
  if (mapping.kind !== 'event') throw new Error(`expected an event, got ${mapping.kind}: ${JSON.stringify(mapping)}`);
  return mapping.event;
}

describe('Shopify signature', () => {
  const body = shopifyOrderFulfilled({ orderId: '820982911946154508', customerId: '115310627314723954', email: 'jon@example.com' });
  const signature = shopifyHeaders(body, { topic: 'orders/fulfilled', eventId: 'e-1' })['x-shopify-hmac-sha256'];

  it.each([
    { name: 'the body as sent', rawBody: body, sig: signature, secret: SHOPIFY_SECRET, expected: { ok: true } },
    { name: 'the body as bytes', rawBody: Buffer.from(body), sig: signature, secret: SHOPIFY_SECRET, expected: { ok: true } },
    {
      name: 'one character changed',
      rawBody: body.replace('403.00', '403.01'),
      sig: signature,
      secret: SHOPIFY_SECRET,
      expected: { ok: false, reason: 'bad-signature' },
    },
    {
      name: 'whitespace added (JSON re-serialized by a proxy)',
      rawBody: `${body} `,
      sig: signature,
      secret: SHOPIFY_SECRET,
      expected: { ok: false, reason: 'bad-signature' },
    },
    { name: 'another secret', rawBody: body, sig: signature, secret: 'not-the-secret', expected: { ok: false, reason: 'bad-signature' } },
    {
      name: 'a signature of another length',
      rawBody: body,
      sig: signature!.slice(0, 20),
      secret: SHOPIFY_SECRET,
      expected: { ok: false, reason: 'bad-signature' },
    },
    {
      name: 'the hex digest instead of base64',
      rawBody: body,
      sig: Buffer.from(signature!, 'base64').toString('hex'),
      secret: SHOPIFY_SECRET,
      expected: { ok: false, reason: 'bad-signature' },
    },
    { name: 'no signature', rawBody: body, sig: undefined, secret: SHOPIFY_SECRET, expected: { ok: false, reason: 'missing-signature' } },
  ])('Should answer $expected.ok for $name', ({ rawBody, sig, secret, expected }) => {
    // Act
    const check = verifyShopify({ rawBody, signature: sig, secret });

    // Assess
    expect(check).toEqual(expected);
  });
});

describe('Zendesk signature', () => {
  const now = new Date('2026-11-20T12:00:00Z');
  const body = zendeskTicket({ event: 'ticket.solved', ticketId: '35436', requesterId: '1', email: 'a@example.com' });
  const signed = (at: Date) => {
    const h = zendeskHeaders(body, { invocationId: 'i-1', timestamp: zendeskTimestamp(at) });
    return { signature: h['x-zendesk-webhook-signature'], timestamp: h['x-zendesk-webhook-signature-timestamp'] };
  };

  it.each([
    { name: 'signed now', at: now, expected: { ok: true } },
    { name: 'signed 4 min 59 s ago', at: new Date(now.getTime() - 299_000), expected: { ok: true } },
    { name: 'signed 5 min 1 s ago (stale: a replay)', at: new Date(now.getTime() - 301_000), expected: { ok: false, reason: 'stale-timestamp' } },
    { name: 'signed an hour ago', at: new Date(now.getTime() - 3600_000), expected: { ok: false, reason: 'stale-timestamp' } },
    { name: 'signed 6 minutes in the future', at: new Date(now.getTime() + 360_000), expected: { ok: false, reason: 'stale-timestamp' } },
  ])('Should answer $expected.ok when $name', ({ at, expected }) => {
    // Prepare
    const { signature, timestamp } = signed(at);

    // Act
    const check = verifyZendesk({ rawBody: body, signature, timestamp, secret: ZENDESK_SECRET, now });

    // Assess
    expect(check).toEqual(expected);
  });

  it.each([
    { name: 'a tampered body', change: { rawBody: body.replace('a@example.com', 'b@example.com') }, reason: 'bad-signature' },
    { name: 'a timestamp moved forward after signing', change: { timestamp: zendeskTimestamp(new Date(now.getTime() + 1000)) }, reason: 'bad-signature' },
    { name: 'another secret', change: { secret: 'other' }, reason: 'bad-signature' },
    { name: 'no timestamp', change: { timestamp: undefined }, reason: 'missing-signature' },
    { name: 'no signature', change: { signature: undefined }, reason: 'missing-signature' },
  ])('Should refuse $name', ({ change, reason }) => {
    // Prepare
    const input = { rawBody: body, ...signed(now), secret: ZENDESK_SECRET, now, ...change };

    // Act
    const check = verifyZendesk(input);

    // Assess
    expect(check).toEqual({ ok: false, reason });
  });

  it('Should be five minutes by default', () => {
    // Assess
    expect(ZENDESK_MAX_AGE_SECONDS).toBe(300);
  });
});

describe('parseShopifyJson', () => {
  it('Should keep 64-bit ids exact as strings and leave strings and small numbers alone', () => {
    // Prepare
    const text = '{"id": 820982911946154508, "n": -5, "price": 1.5e3, "note": "ring: 123456789012345678, \\"now\\"", "ids": [115310627314723954, 2]}';

    // Act
    const parsed = parseShopifyJson(text);

    // Assess
    expect(parsed).toEqual({ id: '820982911946154508', n: -5, price: 1500, note: 'ring: 123456789012345678, "now"', ids: ['115310627314723954', 2] });
  });

  it('Should tell two ids apart that JSON.parse would merge', () => {
    // Prepare
    const a = '{"id": 820982911946154601}';
    const b = '{"id": 820982911946154602}';

    // Act / Assess
    expect(JSON.parse(a)).toEqual(JSON.parse(b));
    expect(parseShopifyJson(a)).not.toEqual(parseShopifyJson(b));
  });

  it('Should give undefined for a body that is not JSON', () => {
    // Assess
    expect(parseShopifyJson('{"id": ')).toBeUndefined();
  });

  it.each(['-', '[-]', '{"a": -}', '- 1'])('Should give undefined, not throw, for a lone minus: %s', (text) => {
    expect(parseShopifyJson(text)).toBeUndefined();
  });
});

describe('Shopify mapping', () => {
  const delivery = (topic: string, body: string) => ({ topic, payload: parseShopifyJson(body) });

  it('Should map orders/fulfilled to order.delivered with the customer, locale, order and the shop of the signed body', () => {
    // Prepare
    const body = shopifyOrderFulfilled({
      orderId: '820982911946154508',
      customerId: '115310627314723954',
      email: 'jon@example.com',
      locale: 'pl-PL',
      phone: '+48 600 100 200',
      smsConsent: 'subscribed',
    });

    // Act
    const event = eventOf(mapShopify(delivery('orders/fulfilled', body)));

    // Assess
    expect(event).toMatchObject({
      source: 'shopify',
      'detail-type': 'order.delivered',
      detail: {
        eventId: expect.stringMatching(/^orders\/fulfilled:820982911946154508:/),
        customer: { id: '115310627314723954', email: 'jon@example.com', phone: '+48600100200', locale: 'pl-PL', name: 'Jan', consent: { sms: true } },
        order: { id: '820982911946154508', total: 403, currency: 'PLN', store: 'ankieta-test.myshopify.com', channel: 'web' },
      },
    });
  });

  it.each([
    { name: 'no SMS consent record', smsConsent: undefined, phone: '+48600100200', expected: { consent: { sms: false }, phone: '+48600100200' } },
    { name: 'SMS consent not subscribed', smsConsent: 'not_subscribed' as const, phone: '+48600100200', expected: { consent: { sms: false } } },
    { name: 'a phone that is no phone number', smsConsent: 'subscribed' as const, phone: '12', expected: { consent: { sms: true } } },
  ])('Should map $name', ({ smsConsent, phone, expected }) => {
    // Prepare
    const body = shopifyOrderFulfilled({ orderId: '1', customerId: '2', email: 'jon@example.com', phone, smsConsent });

    // Act
    const event = eventOf(mapShopify(delivery('orders/fulfilled', body)));

    // Assess
    expect(event.detail.customer).toMatchObject(expected);
    if (phone === '12') expect(event.detail.customer).not.toHaveProperty('phone');
  });

  it('Should map refunds/create to order.refunded of its order', () => {
    // Prepare
    const body = shopifyRefundCreated({ refundId: '929361462', orderId: '820982911946154508' });

    // Act
    const event = eventOf(mapShopify(delivery('refunds/create', body)));

    // Assess
    expect(event).toMatchObject({
      'detail-type': 'order.refunded',
      detail: { eventId: 'refunds/create:820982911946154508:929361462', order: { id: '820982911946154508' } },
    });
  });

  it.each(['products/update', 'customers/create', undefined])('Should ignore the topic %s, naming it', (topic) => {
    // Act
    const mapping = mapShopify({ topic, payload: {} });

    // Assess
    expect(mapping).toMatchObject({ kind: 'ignored', reason: expect.stringContaining(`topic ${topic ?? '(none)'} is not used by ankieta`) });
  });

  it('Should ignore an order without a customer record', () => {
    // Prepare
    const body = shopifyOrderFulfilled({ orderId: '1', customerId: '2', email: 'a@example.com' }).replace(/"customer":\{[^}]*\{?[^}]*\}?\}/, '"customer":null');

    // Act
    const mapping = mapShopify(delivery('orders/fulfilled', body));

    // Assess
    expect(mapping).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('no customer') });
  });

  it.each([
    { name: 'no order id', payload: { updated_at: '2026-11-20T10:00:00Z', customer: { id: 1, email: 'a@example.com' } }, field: 'id' },
    { name: 'a customer without e-mail or phone', payload: { id: 1, updated_at: '2026-11-20T10:00:00Z', customer: { id: 1 } }, field: 'detail.customer' },
    { name: 'a body that is not JSON', payload: undefined, field: '(root)' },
  ])('Should call $name invalid, naming the field', ({ payload, field }) => {
    // Act
    const mapping = mapShopify({ topic: 'orders/fulfilled', payload });

    // Assess
    expect(mapping.kind).toBe('invalid');
    if (mapping.kind === 'invalid') expect(mapping.error.issues.map((i) => i.path.join('.') || '(root)').join()).toContain(field);
  });
});

describe('Zendesk mapping', () => {
  const delivery = (body: string) => ({ accountId: '12514403', invocationId: '8350205582', timestamp: '2026-11-20T12:00:00Z', payload: JSON.parse(body) });

  it('Should map a solved ticket to ticket.solved with the requester, team and agent, dropping empty placeholders', () => {
    // Prepare
    const body = zendeskTicket({ event: 'ticket.solved', ticketId: '35436', requesterId: '6596848315901', email: 'anna@example.com', phone: '' });

    // Act
    const event = eventOf(mapZendesk(delivery(body)));

    // Assess
    expect(event).toEqual({
      source: 'zendesk:12514403',
      'detail-type': 'ticket.solved',
      detail: {
        eventId: '8350205582',
        occurredAt: '2026-11-20T12:00:00Z',
        customer: { id: '6596848315901', email: 'anna@example.com', locale: 'pl', name: 'Anna', consent: { sms: false } },
        ticket: { id: '35436', agentId: '376532114', team: 'Billing', channel: 'Mail' },
      },
    });
  });

  it.each([
    { language: 'English', locale: 'en' },
    { language: 'pl-PL', locale: 'pl-PL' },
    { language: 'pl_PL', locale: 'pl-PL' },
    { language: 'Deutsch', locale: 'Deutsch' }, // unknown: kept, the texts fall back to English
  ])('Should read the requester language $language as $locale', ({ language, locale }) => {
    // Prepare
    const body = zendeskTicket({ event: 'ticket.solved', ticketId: '1', requesterId: '2', email: 'a@example.com', language });

    // Act
    const event = eventOf(mapZendesk(delivery(body)));

    // Assess
    expect(event.detail.customer).toMatchObject({ locale });
  });

  it('Should keep an IANA time zone and SMS consent given as text', () => {
    // Prepare
    const body = JSON.stringify({
      event: 'ticket.solved',
      ticket: { id: '1' },
      requester: { id: '2', phone: '+48 600 100 200', time_zone: 'Europe/Warsaw', sms_consent: 'true' },
    });

    // Act
    const event = eventOf(mapZendesk(delivery(body)));

    // Assess
    expect(event.detail.customer).toMatchObject({ phone: '+48600100200', timezone: 'Europe/Warsaw', consent: { sms: true } });
  });

  it('Should map a reopened ticket to ticket.reopened with no contact data', () => {
    // Prepare
    const body = zendeskTicket({ event: 'ticket.reopened', ticketId: '35436', requesterId: '6596848315901', email: 'anna@example.com' });

    // Act
    const event = eventOf(mapZendesk(delivery(body)));

    // Assess
    expect(event).toEqual({
      source: 'zendesk:12514403',
      'detail-type': 'ticket.reopened',
      detail: { eventId: '8350205582', occurredAt: '2026-11-20T12:00:00Z', customer: { id: '6596848315901' }, ticket: { id: '35436' } },
    });
  });

  it.each([
    { name: 'an unknown event', payload: { event: 'ticket.created', ticket: { id: '1' } }, field: 'event' },
    { name: 'a solved ticket without requester', payload: { event: 'ticket.solved', ticket: { id: '1' } }, field: 'detail.customer' },
    {
      name: 'a requester without e-mail or phone',
      payload: { event: 'ticket.solved', ticket: { id: '1' }, requester: { id: '2', email: '' } },
      field: 'detail.customer',
    },
    { name: 'an empty ticket id placeholder', payload: { event: 'ticket.solved', ticket: { id: '' } }, field: 'ticket.id' },
  ])('Should call $name invalid, naming the field', ({ payload, field }) => {
    // Act
    const mapping = mapZendesk({ accountId: '1', invocationId: 'i', timestamp: '2026-11-20T12:00:00Z', payload });

    // Assess
    expect(mapping.kind).toBe('invalid');
    if (mapping.kind === 'invalid') expect(mapping.error.issues.map((i) => i.path.join('.')).join()).toContain(field);
  });
});
