/**
 * fast-check arbitraries for the edges' inputs: valid inputs as the contracts describe them
 * (DESIGN.md "Events in", docs/webhooks.md, the SMS reply JSON, a Delighted-style CSV), the same
 * inputs with one field broken (and the field a 400 must name), and junk. Each generated case says
 * what it is meant to be, so a property can tell "refused, as it should" from "lost".
 */
import fc from 'fast-check';
import { SCALES } from '../../surveys/scales.ts';
import type { Metric } from '../../surveys/model.ts';
import { STOP_WORDS } from '../../surveys/use-cases/sms-reply.ts';

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/** Any text up to `max` UTF-16 units: ASCII, Polish, emoji, controls, lone surrogates, markup. */
export function text(max: number, min = 0): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.string({ minLength: min, maxLength: max }),
      fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
      fc.string({ unit: 'binary', minLength: min, maxLength: max }),
      fc.constantFrom('Zażółć gęślą jaźń', '<script>alert(1)</script>', '"quoted", comma', 'line\nbreak', '😀👍🏽', '=1+1', "O'Brien", ' ', '\u0000'),
    )
    .map((s) => s.slice(0, max))
    .filter((s) => s.length >= min);
}

/** An identifier as other systems make them: uuids, numbers, slugs, or any text. */
export function identifier(max = 128): fc.Arbitrary<string> {
  return fc.oneof(fc.uuid(), fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String), fc.stringMatching(/^[a-z]{1,3}-[0-9a-f]{4,12}$/), text(max, 1));
}

/** E-mail addresses the contract accepts (zod's e-mail rule), in several spellings. */
export const validEmail: fc.Arbitrary<string> = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9_+-]{0,14}(\.[a-z0-9_+-]{1,8})?$/),
    fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,6})?$/),
    fc.constantFrom('pl', 'com', 'example', 'co.uk', 'shop'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`)
  .chain((e) => fc.constantFrom(e, e.toUpperCase()));

/** E.164 numbers (the contract's rule); not all are real mobile numbers. */
export const e164: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{6,14}$/)).map(([first, rest]) => `+${first}${rest}`);

/** Polish mobile numbers (+48 5xx-8xx …): valid for SMS. */
export const polishMobile: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('50', '51', '53', '60', '66', '69', '72', '78', '79', '88'), fc.stringMatching(/^\d{7}$/))
  .map(([p, r]) => `+48${p}${r}`);

/** ISO 8601 with an offset (Z or ±hh:mm), optionally with milliseconds, between 2020 and `until`. */
export function isoDateTime(until = new Date()): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: until, noInvalidDate: true }),
      fc.constantFrom('Z', '+01:00', '-05:00', '+05:45'),
      fc.boolean(),
    )
    .map(([d, zone, ms]) => {
      const iso = d.toISOString();
      const base = ms ? iso.slice(0, 23) : iso.slice(0, 19);
      if (zone === 'Z') return `${base}Z`;
      // The same instant written in another zone.
      const sign = zone[0] === '+' ? 1 : -1;
      const minutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
      const shifted = new Date(d.getTime() + minutes * 60_000).toISOString();
      return `${ms ? shifted.slice(0, 23) : shifted.slice(0, 19)}${zone}`;
    });
}

// ---------------------------------------------------------------------------------------------
// Commerce events: POST /events, the bus
// ---------------------------------------------------------------------------------------------

export interface EventCase {
  entry: unknown;
  /** What the generator made: a valid event, a valid one with one field broken, or junk (validity unknown). */
  kind: 'valid' | 'broken' | 'junk';
  /** For broken entries: the field the 400 must name (as describeIssues writes paths, '(root)' for the entry). */
  field?: string;
  /** What broke it, for the report. */
  mutation?: string;
}

const customer = fc
  .record(
    {
      id: identifier(128),
      locale: fc.constantFrom('pl', 'pl-PL', 'en', 'en-GB', 'de-DE', 'xx', 'Polski', 'en_US'),
      name: text(200),
      timezone: fc.constantFrom('Europe/Warsaw', 'America/New_York', 'Asia/Kathmandu', 'UTC', 'Mars/Olympus', 'Warsaw', ''),
      consent: fc.record({ email: fc.boolean(), sms: fc.boolean() }, { requiredKeys: [] }),
    },
    { requiredKeys: ['id'] },
  )
  .chain((c) =>
    fc.oneof(
      validEmail.map((email) => ({ ...c, email })),
      e164.map((phone) => ({ ...c, phone })),
      fc.tuple(validEmail, polishMobile).map(([email, phone]) => ({ ...c, email, phone })),
    ),
  );

const order = fc.record(
  {
    id: identifier(128),
    total: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 1e9, noNaN: true, noDefaultInfinity: true })),
    currency: fc.constantFrom('PLN', 'EUR', 'USD'),
    store: text(64),
    channel: text(64),
  },
  { requiredKeys: ['id'] },
);

const ticket = fc.record({ id: identifier(128), agentId: text(128), team: text(64), channel: text(64), subject: text(500) }, { requiredKeys: ['id'] });

const source = fc.oneof(fc.constantFrom('shop.example', 'helpdesk.example', 'shop-2'), text(256, 1));
const eventId = fc.oneof(fc.uuid(), identifier(256));

export const validEvent: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ source, 'detail-type': fc.constant('order.delivered'), detail: fc.record({ eventId, occurredAt: isoDateTime(), customer, order }) }),
  fc.record({ source, 'detail-type': fc.constant('ticket.solved'), detail: fc.record({ eventId, occurredAt: isoDateTime(), customer, ticket }) }),
  fc.record({
    source,
    'detail-type': fc.constant('order.refunded'),
    detail: fc.record(
      { eventId, occurredAt: isoDateTime(), customer: fc.record({ id: identifier(128) }), order: fc.record({ id: identifier(128) }) },
      { requiredKeys: ['eventId', 'occurredAt', 'order'] },
    ),
  }),
  fc.record({
    source,
    'detail-type': fc.constant('ticket.reopened'),
    detail: fc.record(
      { eventId, occurredAt: isoDateTime(), customer: fc.record({ id: identifier(128) }), ticket: fc.record({ id: identifier(128) }) },
      { requiredKeys: ['eventId', 'occurredAt', 'ticket'] },
    ),
  }),
);

type Json = Record<string, unknown>;
const clone = (v: Json): Json => structuredClone(v);
const detailOf = (e: Json) => e.detail as Json;
const isTrigger = (e: Json) => e['detail-type'] === 'order.delivered' || e['detail-type'] === 'ticket.solved';
const subjectField = (e: Json) => (String(e['detail-type']).startsWith('order') ? 'order' : 'ticket');

/** One field broken, and the path the refusal must name. Each applies to any valid event unless it returns undefined. */
const MUTATIONS: Array<{ name: string; field: (e: Json) => string; apply: (e: Json, junk: unknown) => Json | undefined }> = [
  { name: 'no source', field: () => 'source', apply: (e) => (delete e.source, e) },
  { name: 'empty source', field: () => 'source', apply: (e) => ((e.source = ''), e) },
  { name: 'source too long', field: () => 'source', apply: (e) => ((e.source = 's'.repeat(257)), e) },
  { name: 'no detail-type', field: () => 'detail-type', apply: (e) => (delete e['detail-type'], e) },
  {
    name: 'unknown detail-type',
    field: () => 'detail-type',
    apply: (e, junk) => ((e['detail-type'] = typeof junk === 'string' && junk ? `x.${junk}` : 'order.shipped'), e),
  },
  { name: 'no detail', field: () => 'detail', apply: (e) => (delete e.detail, e) },
  {
    name: 'detail not an object',
    field: () => 'detail',
    apply: (e, junk) => ((e.detail = Array.isArray(junk) || typeof junk !== 'object' || junk === null ? (junk ?? 0) : 7), e),
  },
  { name: 'no eventId', field: () => 'detail.eventId', apply: (e) => (delete detailOf(e).eventId, e) },
  { name: 'eventId a number', field: () => 'detail.eventId', apply: (e) => ((detailOf(e).eventId = 12345), e) },
  { name: 'eventId empty', field: () => 'detail.eventId', apply: (e) => ((detailOf(e).eventId = ''), e) },
  { name: 'eventId too long', field: () => 'detail.eventId', apply: (e) => ((detailOf(e).eventId = 'e'.repeat(257)), e) },
  { name: 'no occurredAt', field: () => 'detail.occurredAt', apply: (e) => (delete detailOf(e).occurredAt, e) },
  {
    name: 'occurredAt not ISO',
    field: () => 'detail.occurredAt',
    apply: (e, junk) => ((detailOf(e).occurredAt = typeof junk === 'string' && !/^\d{4}-/.test(junk) ? junk : 'yesterday'), e),
  },
  { name: 'occurredAt without a zone', field: () => 'detail.occurredAt', apply: (e) => ((detailOf(e).occurredAt = '2026-11-20T10:00:00'), e) },
  { name: 'no customer', field: () => 'detail.customer', apply: (e) => (isTrigger(e) ? (delete detailOf(e).customer, e) : undefined) },
  {
    name: 'customer without id',
    field: () => 'detail.customer.id',
    apply: (e) => (detailOf(e).customer ? (delete (detailOf(e).customer as Json).id, e) : undefined),
  },
  {
    name: 'customer id too long',
    field: () => 'detail.customer.id',
    apply: (e) => (detailOf(e).customer ? (((detailOf(e).customer as Json).id = 'c'.repeat(129)), e) : undefined),
  },
  {
    name: 'customer without email or phone',
    field: () => 'detail.customer',
    apply: (e) => {
      if (!isTrigger(e)) return undefined;
      const c = detailOf(e).customer as Json;
      delete c.email;
      delete c.phone;
      return e;
    },
  },
  {
    name: 'bad email',
    field: () => 'detail.customer.email',
    apply: (e, junk) =>
      isTrigger(e) ? (((detailOf(e).customer as Json).email = typeof junk === 'string' && !junk.includes('@') ? junk : 'not-an-email'), e) : undefined,
  },
  {
    name: 'phone not E.164',
    field: () => 'detail.customer.phone',
    apply: (e) => (isTrigger(e) ? (((detailOf(e).customer as Json).phone = '600 100 200'), e) : undefined),
  },
  {
    name: 'consent not boolean',
    field: () => 'detail.customer.consent.sms',
    apply: (e) => (isTrigger(e) ? (((detailOf(e).customer as Json).consent = { sms: 'yes' }), e) : undefined),
  },
  { name: 'no order or ticket', field: (e) => `detail.${subjectField(e)}`, apply: (e) => (delete detailOf(e)[subjectField(e)], e) },
  { name: 'order or ticket without id', field: (e) => `detail.${subjectField(e)}.id`, apply: (e) => ((detailOf(e)[subjectField(e)] = {}), e) },
  {
    name: 'negative total',
    field: () => 'detail.order.total',
    apply: (e) => (e['detail-type'] === 'order.delivered' ? (((detailOf(e).order as Json).total = -1), e) : undefined),
  },
  {
    name: 'total as text',
    field: () => 'detail.order.total',
    apply: (e) => (e['detail-type'] === 'order.delivered' ? (((detailOf(e).order as Json).total = '199.99'), e) : undefined),
  },
  {
    name: 'currency of 2 letters',
    field: () => 'detail.order.currency',
    apply: (e) => (e['detail-type'] === 'order.delivered' ? (((detailOf(e).order as Json).currency = 'ZL'), e) : undefined),
  },
  {
    name: 'store too long',
    field: () => 'detail.order.store',
    apply: (e) => (e['detail-type'] === 'order.delivered' ? (((detailOf(e).order as Json).store = 'x'.repeat(65)), e) : undefined),
  },
  {
    name: 'team too long',
    field: () => 'detail.ticket.team',
    apply: (e) => (e['detail-type'] === 'ticket.solved' ? (((detailOf(e).ticket as Json).team = 't'.repeat(65)), e) : undefined),
  },
];

export const brokenEvent: fc.Arbitrary<EventCase> = fc
  .tuple(validEvent, fc.integer({ min: 0, max: MUTATIONS.length - 1 }), fc.jsonValue({ maxDepth: 2 }))
  .map(([event, i, junk]) => {
    // Walk from the chosen mutation to the first that applies to this kind of event.
    for (let k = 0; k < MUTATIONS.length; k++) {
      const m = MUTATIONS[(i + k) % MUTATIONS.length]!;
      const mutated = m.apply(clone(event), junk);
      if (mutated) return { entry: mutated, kind: 'broken' as const, field: m.field(mutated), mutation: m.name };
    }
    throw new Error('no mutation applies');
  });

export const junkEvent: fc.Arbitrary<EventCase> = fc
  .oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, 0, '', [], {}, 'order.delivered'))
  .map((entry) => ({ entry, kind: 'junk' as const }));

export const eventCase: fc.Arbitrary<EventCase> = fc.oneof(
  { weight: 5, arbitrary: validEvent.map((entry): EventCase => ({ entry, kind: 'valid' })) },
  { weight: 4, arbitrary: brokenEvent },
  { weight: 1, arbitrary: junkEvent },
);

/** A POST /events request: one entry, an array of entries, or a body that is not a list of events at all. */
export type EventsRequest =
  | { shape: 'one'; entries: [EventCase] }
  | { shape: 'array'; entries: EventCase[] }
  | { shape: 'raw'; body: string | Uint8Array; contentType: string; expect: 400 | 413 };

export const eventsRequest: fc.Arbitrary<EventsRequest> = fc.oneof(
  // A lone entry that is itself an array would be read as a list: lists are the next shape.
  { weight: 3, arbitrary: eventCase.filter((e) => !Array.isArray(e.entry)).map((e): EventsRequest => ({ shape: 'one', entries: [e] })) },
  { weight: 6, arbitrary: fc.array(eventCase, { minLength: 1, maxLength: 6 }).map((entries): EventsRequest => ({ shape: 'array', entries })) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc
        .string({ maxLength: 200 })
        .filter((s) => !isJson(s))
        .map((body): EventsRequest => ({ shape: 'raw', body, contentType: 'application/json', expect: 400 })),
      fc
        .uint8Array({ maxLength: 200 })
        .filter((b) => !isJson(Buffer.from(b).toString('utf8')))
        .map((body): EventsRequest => ({ shape: 'raw', body, contentType: 'application/octet-stream', expect: 400 })),
      fc.constantFrom<EventsRequest>(
        { shape: 'raw', body: '', contentType: 'application/json', expect: 400 },
        { shape: 'raw', body: '[]', contentType: 'application/json', expect: 400 },
        { shape: 'raw', body: `[${'{},'.repeat(100)}{}]`, contentType: 'application/json', expect: 413 },
        { shape: 'raw', body: `{"pad":"${'x'.repeat(300 * 1024)}"}`, contentType: 'application/json', expect: 413 },
      ),
    ),
  },
);

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Webhooks: Shopify-like and Zendesk-like (docs/webhooks.md)
// ---------------------------------------------------------------------------------------------

export interface ShopifyOrder {
  orderId: string;
  customerId: string;
  email: string;
  locale?: string;
  phone?: string | null;
  smsConsent?: 'subscribed' | 'not_subscribed';
}

/** What a signature header carries: the right MAC, a wrong one, one made with another secret, or none. */
export type Signing = 'good' | 'tampered' | 'other-secret' | 'missing' | 'garbage';

export type WebhookCase =
  | {
      source: 'shopify';
      /** valid: a delivery the shop really sends; broken: its JSON with a field made unusable; junk: any body. */
      kind: 'valid-order' | 'valid-refund' | 'other-topic' | 'broken' | 'junk';
      order?: ShopifyOrder;
      refund?: { refundId: string; orderId: string };
      body: string;
      topic: string | undefined;
      eventId: string | undefined;
      shop: string | undefined;
      signing: Signing;
    }
  | {
      source: 'zendesk';
      kind: 'valid-solved' | 'valid-reopened' | 'broken' | 'junk';
      ticket?: { ticketId: string; requesterId: string; email?: string; phone?: string; language?: string; group?: string };
      body: string;
      invocationId: string | undefined;
      /** Seconds between the signature timestamp and now (beyond ±300 is stale), or a timestamp that is no time. */
      skewSeconds: number | 'garbage' | 'missing';
      signing: Signing;
    }
  | { source: 'unknown'; name: string; body: string };

const bigId = fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String);
const signing: fc.Arbitrary<Signing> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Signing>('good') },
  { weight: 1, arbitrary: fc.constantFrom<Signing>('tampered', 'other-secret', 'missing', 'garbage') },
);

export const shopifyOrder: fc.Arbitrary<ShopifyOrder> = fc.record(
  {
    orderId: bigId,
    customerId: bigId,
    email: validEmail.map((e) => e.toLowerCase()),
    locale: fc.constantFrom('pl', 'en', 'pl-PL', 'en-US', 'de'),
    phone: fc.oneof(fc.constant(null), polishMobile, fc.constantFrom('+48 600 100 200', '600100200', 'n/a')),
    smsConsent: fc.constantFrom<'subscribed' | 'not_subscribed'>('subscribed', 'not_subscribed'),
  },
  { requiredKeys: ['orderId', 'customerId', 'email'] },
);

/** Breaks a field of Shopify's JSON so that the payload cannot be mapped (kept in quarantine). */
const SHOPIFY_BREAKS: Array<[string, (body: string) => string]> = [
  ['no updated_at', (b) => b.replace(/"updated_at":"[^"]*",/, '')],
  ['empty order id', (b) => b.replace(/^\{"id":\d+/, '{"id":""')],
  ['customer id an object', (b) => b.replace(/"customer":\{"id":\d+/, '"customer":{"id":{}')],
  ['not JSON', (b) => b.slice(0, Math.max(1, Math.floor(b.length / 2)))],
  ['bad e-mail', (b) => b.replaceAll(/"email":"[^"]*"/g, '"email":"not an address"')],
];

const zendeskTicketFields = fc.record(
  {
    ticketId: fc.oneof(
      fc.integer({ min: 1, max: 10_000_000 }).map(String),
      identifier(64).filter((s) => s.trim().length > 0),
    ),
    requesterId: fc.oneof(
      fc.integer({ min: 1, max: 10_000_000 }).map(String),
      identifier(64).filter((s) => s.trim().length > 0),
    ),
    email: validEmail.map((e) => e.toLowerCase()),
    phone: fc.oneof(polishMobile, fc.constantFrom('', '+48 600 100 200', 'brak')),
    language: fc.constantFrom('Polski', 'English', 'pl', 'en-US', ''),
    group: text(64),
  },
  { requiredKeys: ['ticketId', 'requesterId', 'email'] },
);

const ZENDESK_BREAKS: Array<[string, (payload: Json) => unknown]> = [
  ['unknown event', (p) => ({ ...p, event: 'ticket.closed' })],
  ['no ticket', (p) => ({ ...p, ticket: undefined })],
  ['ticket id empty', (p) => ({ ...p, ticket: { ...(p.ticket as Json), id: '' } })],
  ['requester without contact', (p) => ({ ...p, requester: { id: (p.requester as Json).id, email: '', phone: '' } })],
  ['requester e-mail not an address', (p) => ({ ...p, requester: { ...(p.requester as Json), email: 'nobody' } })],
];

/** Near the 256 KB body limit, multi-byte and control characters (6 bytes each as JSON): what is kept must still fit in one item. */
export const heavyBody = fc.integer({ min: 40_000, max: 85_000 }).map((n) => '€'.repeat(n) + '\u0001'.repeat(Math.max(0, 255_000 - 3 * n)));

const junkBody = fc.oneof(
  {
    weight: 40,
    arbitrary: fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
      fc.constantFrom('', '{}', 'null', '{"id":1e999}', `{"x":"${'€'.repeat(1000)}"}`),
    ),
  },
  { weight: 1, arbitrary: heavyBody },
);

export function webhookCase(
  zendeskBody: (t: {
    event: 'ticket.solved' | 'ticket.reopened';
    ticketId: string;
    requesterId: string;
    email?: string;
    phone?: string;
    language?: string;
    group?: string;
  }) => string,
  shopifyBody: (o: ShopifyOrder) => string,
  refundBody: (r: { refundId: string; orderId: string }) => string,
): fc.Arbitrary<WebhookCase> {
  const shopifyHeadersPart = fc.record({
    eventId: fc.oneof({ weight: 9, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.constantFrom(undefined, '', 'e'.repeat(300)) }),
    shop: fc.oneof(
      { weight: 9, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,20}\.myshopify\.com$/) },
      { weight: 1, arbitrary: fc.constantFrom(undefined, 's'.repeat(300), 'sklep-ąę.myshopify.com') },
    ),
    signing,
  });
  const shopify: fc.Arbitrary<WebhookCase> = fc.oneof(
    fc
      .tuple(shopifyOrder, shopifyHeadersPart)
      .map(([order, h]): WebhookCase => ({ source: 'shopify', kind: 'valid-order', order, body: shopifyBody(order), topic: 'orders/fulfilled', ...h })),
    fc.tuple(bigId, bigId, shopifyHeadersPart).map(
      ([refundId, orderId, h]): WebhookCase => ({
        source: 'shopify',
        kind: 'valid-refund',
        refund: { refundId, orderId },
        body: refundBody({ refundId, orderId }),
        topic: 'refunds/create',
        ...h,
      }),
    ),
    fc
      .tuple(shopifyOrder, fc.constantFrom('orders/create', 'customers/update', 'app/uninstalled', undefined), shopifyHeadersPart)
      .map(([order, topic, h]): WebhookCase => ({ source: 'shopify', kind: 'other-topic', body: shopifyBody(order), topic, ...h })),
    fc.tuple(shopifyOrder, fc.integer({ min: 0, max: SHOPIFY_BREAKS.length - 1 }), shopifyHeadersPart).map(
      ([order, i, h]): WebhookCase => ({
        source: 'shopify',
        kind: 'broken',
        body: SHOPIFY_BREAKS[i]![1](shopifyBody(order)),
        topic: 'orders/fulfilled',
        ...h,
      }),
    ),
    fc
      .tuple(junkBody, fc.constantFrom('orders/fulfilled', 'refunds/create'), shopifyHeadersPart)
      .map(([body, topic, h]): WebhookCase => ({ source: 'shopify', kind: 'junk', body, topic, ...h })),
  );
  const zendeskHeadersPart = fc.record({
    invocationId: fc.oneof({ weight: 9, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.constantFrom(undefined, '') }),
    skewSeconds: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: -250, max: 250 }) },
      { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 320, max: 86_400 }), fc.integer({ min: -86_400, max: -320 })) },
      { weight: 1, arbitrary: fc.constantFrom<'garbage' | 'missing'>('garbage', 'missing') },
    ),
    signing,
  });
  const zendesk: fc.Arbitrary<WebhookCase> = fc.oneof(
    fc
      .tuple(zendeskTicketFields, zendeskHeadersPart)
      .map(([t, h]): WebhookCase => ({ source: 'zendesk', kind: 'valid-solved', ticket: t, body: zendeskBody({ event: 'ticket.solved', ...t }), ...h })),
    fc
      .tuple(zendeskTicketFields, zendeskHeadersPart)
      .map(([t, h]): WebhookCase => ({ source: 'zendesk', kind: 'valid-reopened', ticket: t, body: zendeskBody({ event: 'ticket.reopened', ...t }), ...h })),
    fc.tuple(zendeskTicketFields, fc.integer({ min: 0, max: ZENDESK_BREAKS.length - 1 }), zendeskHeadersPart).map(
      ([t, i, h]): WebhookCase => ({
        source: 'zendesk',
        kind: 'broken',
        body: JSON.stringify(ZENDESK_BREAKS[i]![1](JSON.parse(zendeskBody({ event: 'ticket.solved', ...t })) as Json)),
        ...h,
      }),
    ),
    fc.tuple(junkBody, zendeskHeadersPart).map(([body, h]): WebhookCase => ({ source: 'zendesk', kind: 'junk', body, ...h })),
  );
  const unknown: fc.Arbitrary<WebhookCase> = fc
    .tuple(fc.oneof(fc.constantFrom('github', 'Shopify', 'ZENDESK', '', 'shopify ', '..'), text(30)), junkBody)
    .map(([name, body]) => ({ source: 'unknown', name, body }));
  return fc.oneof({ weight: 5, arbitrary: shopify }, { weight: 5, arbitrary: zendesk }, { weight: 1, arbitrary: unknown });
}

// ---------------------------------------------------------------------------------------------
// SMS replies (the JSON AWS End User Messaging SMS publishes for an inbound message)
// ---------------------------------------------------------------------------------------------

export interface SmsCase {
  /** The SNS event the function gets (or junk instead of one). */
  envelope: 'sns' | 'not-json' | 'junk-event';
  message: unknown;
  junkEvent?: unknown;
}

/** STOP words as people type them: any case, with punctuation and spaces around, with or without Polish letters. */
const stopWord = fc
  .tuple(fc.constantFrom(...STOP_WORDS, 'REZYGNUJĘ', 'nie wysyłaj', 'Wypisz mnie', 'stop sms'), fc.constantFrom('', '!', '.', ' ', '  '), fc.boolean())
  .map(([w, tail, lower]) => ` ${lower ? w.toLowerCase() : w}${tail}`);

function scoreReply(metric: Metric): fc.Arbitrary<string> {
  const { min, max } = SCALES[metric];
  const score = fc.oneof({ weight: 4, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 999 }) });
  return fc
    .tuple(
      score,
      fc.constantFrom('', ' ', '!', '/10', '/5', ' - ', '. ', ', ', ') '),
      fc.oneof({ weight: 2, arbitrary: fc.constant('') }, { weight: 1, arbitrary: text(120) }),
    )
    .map(([n, sep, comment]) => `${n}${sep}${comment}`);
}

export function smsCase(numbers: string[], metric: Metric): fc.Arbitrary<SmsCase> {
  const origination = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...numbers) },
    { weight: 1, arbitrary: fc.constantFrom(...numbers).map((n) => `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6, 9)} ${n.slice(9)}`) },
    { weight: 1, arbitrary: polishMobile },
    { weight: 1, arbitrary: fc.oneof(text(40), fc.constantFrom('', '+48', 'ANKIETA', '+999999999999999')) },
  );
  const body = fc.oneof(
    { weight: 2, arbitrary: stopWord },
    { weight: 5, arbitrary: scoreReply(metric) },
    { weight: 3, arbitrary: text(300) },
    {
      weight: 1,
      arbitrary: fc.oneof({ weight: 9, arbitrary: fc.constantFrom('', ' ', 'x'.repeat(2001), 'ą'.repeat(2000)) }, { weight: 1, arbitrary: heavyBody }),
    },
  );
  const message = fc.record(
    {
      originationNumber: origination,
      destinationNumber: fc.constantFrom('+48732000000', 'ANKIETA'),
      // The keyword AWS matched, if any: mostly the number's default one, sometimes a STOP word, sometimes anything (over 64: no reply).
      messageKeyword: fc.oneof(
        { weight: 8, arbitrary: fc.constant('KEYWORD_123456789012') },
        { weight: 1, arbitrary: fc.constantFrom('STOP', 'nie') },
        { weight: 1, arbitrary: text(70) },
      ),
      messageBody: body,
      inboundMessageId: fc.oneof({ weight: 9, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.oneof(text(140), fc.constant('')) }),
      previousPublishedMessageId: fc.uuid(),
    },
    { requiredKeys: ['originationNumber', 'messageBody', 'inboundMessageId'] },
  );
  return fc.oneof(
    { weight: 12, arbitrary: message.map((m): SmsCase => ({ envelope: 'sns', message: m })) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          message.map((m) => ({ ...m, messageBody: 42 }) as unknown),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .map((m): SmsCase => ({ envelope: 'sns', message: m })),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }).map((m): SmsCase => ({ envelope: 'not-json', message: m })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((j): SmsCase => ({ envelope: 'junk-event', message: undefined, junkEvent: j })) },
  );
}

// ---------------------------------------------------------------------------------------------
// CSV history import (surveys/history-import.ts, scripts/import-history.ts)
// ---------------------------------------------------------------------------------------------

export type CsvColumn = 'score' | 'time' | 'id' | 'email' | 'metric' | 'store' | 'team' | 'agent' | 'channel' | 'locale' | 'comment' | 'name' | 'extra';

/** Header names as exports spell them (Delighted's first), in any case. */
const HEADER_NAMES: Record<CsvColumn, string[]> = {
  score: ['Score', 'score', 'Rating', 'NPS Score'],
  time: ['Response Timestamp', 'created_at', 'Created At', 'Responded At', 'timestamp', 'Date'],
  id: ['Response ID', 'id', 'ID'],
  email: ['Person Email', 'Email', 'email_address'],
  metric: ['Survey Type', 'metric'],
  store: ['Properties: Store', 'Store', 'Person Properties: Shop'],
  team: ['Team', 'Property: Team'],
  agent: ['Agent', 'agent_id', 'Assignee'],
  channel: ['Channel', 'Survey Channel'],
  locale: ['Properties: Locale', 'Language'],
  comment: ['Comment'],
  name: ['Person Name'],
  extra: ['Tags', 'Notes', 'Ąę column', ''],
};

export interface CsvRow {
  cells: Partial<Record<CsvColumn, string>>;
  /** valid: must be imported; invalid: must be refused for `reason`; junk: either, but counted. */
  kind: 'valid' | 'invalid' | 'junk';
  reason?: 'score' | 'time' | 'future' | 'metric';
}

export interface CsvCase {
  columns: CsvColumn[];
  headerNames: string[];
  rows: CsvRow[];
  /** Metric of rows without a survey type (the --metric option). */
  metric: Metric;
  encoding: 'utf8' | 'utf8-bom' | 'latin1' | 'utf16le';
  newline: '\n' | '\r\n';
  trailingNewline: boolean;
}

/** The file's "now": times after it are in the future. */
export const CSV_NOW = new Date('2026-11-20T12:00:00Z');

function timeCell(d: Date): fc.Arbitrary<string> {
  const iso = d.toISOString();
  const seconds = Math.floor(d.getTime() / 1000);
  return fc.constantFrom(
    iso,
    `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`,
    `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
    `${iso.slice(0, 10)}T${iso.slice(11, 19)}Z`,
    String(seconds),
    iso.slice(0, 10),
  );
}

const pastTime = fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2026-11-18T00:00:00Z'), noInvalidDate: true }).chain(timeCell);
const badTime = fc.constantFrom('yesterday', '01/05/2024', '2024-13-45 10:00:00', '2024-05-01T25:00:00Z', 'n/a', '12345678');
const futureTime = fc.date({ min: new Date('2027-01-01T00:00:00Z'), max: new Date('2099-01-01T00:00:00Z'), noInvalidDate: true }).chain(timeCell);

function csvRow(columns: CsvColumn[], fileMetric: Metric): fc.Arbitrary<CsvRow> {
  const rowMetric: fc.Arbitrary<{ cell?: string; metric: Metric }> = columns.includes('metric')
    ? fc
        .constantFrom<Metric>('nps', 'csat', 'ces')
        .chain((m) => fc.constantFrom({ cell: m, metric: m }, { cell: m.toUpperCase(), metric: m }, { cell: `${m} survey`, metric: m }))
    : fc.constant({ metric: fileMetric });
  const extras = fc.record({
    id: fc.uuid(),
    email: fc.oneof(validEmail, fc.constant('')),
    store: text(80),
    team: text(40),
    agent: text(40),
    channel: fc.constantFrom('email', 'SMS', 'web', ''),
    locale: fc.constantFrom('pl', 'en-GB', 'Polski', '', 'xx'),
    comment: text(200),
    name: text(40),
    extra: text(20),
  });
  const valid = fc
    .tuple(rowMetric, extras, pastTime)
    .chain(([m, rest, time]) =>
      fc
        .integer({ min: SCALES[m.metric].min, max: SCALES[m.metric].max })
        .map((score): CsvRow => ({ kind: 'valid', cells: { ...rest, metric: m.cell, score: String(score), time } })),
    );
  const invalid = fc
    .tuple(rowMetric, extras, pastTime, fc.constantFrom<NonNullable<CsvRow['reason']>>('score', 'time', 'future', 'metric'))
    .chain(([m, rest, time, reason]) => {
      const { max } = SCALES[m.metric];
      const goodScore = String(max);
      if (reason === 'score')
        return fc
          .constantFrom(String(max + 1), '-1', '7.5', 'ten', '', 'N/A')
          .map((score): CsvRow => ({ kind: 'invalid', reason, cells: { ...rest, metric: m.cell, score, time } }));
      if (reason === 'time')
        return fc
          .oneof(badTime, fc.constant(''))
          .map((t): CsvRow => ({ kind: 'invalid', reason, cells: { ...rest, metric: m.cell, score: goodScore, time: t } }));
      if (reason === 'future')
        return futureTime.map((t): CsvRow => ({ kind: 'invalid', reason, cells: { ...rest, metric: m.cell, score: goodScore, time: t } }));
      if (!columns.includes('metric')) return fc.constant<CsvRow>({ kind: 'invalid', reason: 'score', cells: { ...rest, score: 'bad', time } });
      return fc
        .constantFrom('promoter score', 'survey', 'csat2')
        .map((cell): CsvRow => ({ kind: 'invalid', reason, cells: { ...rest, metric: cell, score: goodScore, time } }));
    });
  const junk = fc.dictionary(fc.constantFrom(...columns), text(30)).map((cells): CsvRow => ({ kind: 'junk', cells }));
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 3, arbitrary: invalid }, { weight: 1, arbitrary: junk });
}

export const csvCase: fc.Arbitrary<CsvCase> = fc
  .tuple(
    fc.subarray(['id', 'email', 'metric', 'store', 'team', 'agent', 'channel', 'locale', 'comment', 'name', 'extra'] as CsvColumn[]),
    fc.constantFrom<Metric>('nps', 'csat', 'ces'),
    // Now and then a file without its score or time column: refused as a whole, with the reason.
    fc.oneof(
      { weight: 15, arbitrary: fc.constant<CsvColumn[]>(['score', 'time']) },
      { weight: 1, arbitrary: fc.constantFrom<CsvColumn[]>(['score'], ['time']) },
    ),
  )
  .chain(([optional, metric, required]) =>
    fc.shuffledSubarray([...required, ...optional], { minLength: required.length + optional.length }).chain((columns) =>
      fc.record({
        columns: fc.constant(columns),
        headerNames: fc.tuple(...columns.map((c) => fc.constantFrom(...HEADER_NAMES[c]).chain((n) => fc.constantFrom(n, n.toUpperCase(), ` ${n} `)))),
        rows: fc.array(csvRow(columns, metric), { maxLength: 25 }),
        metric: fc.constant(metric),
        encoding: fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom<CsvCase['encoding']>('utf8', 'utf8-bom') },
          { weight: 1, arbitrary: fc.constantFrom<CsvCase['encoding']>('latin1', 'utf16le') },
        ),
        newline: fc.constantFrom<CsvCase['newline']>('\n', '\r\n'),
        trailingNewline: fc.boolean(),
      }),
    ),
  );

/** A CSV field as a spreadsheet writes it: quoted when it holds a comma, a quote, a line break or edge spaces. */
function field(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The file's bytes. */
export function csvBytes(c: CsvCase): Buffer {
  const lines = [c.headerNames.map(field).join(','), ...c.rows.map((r) => c.columns.map((col) => field(r.cells[col] ?? '')).join(','))];
  const textBody = lines.join(c.newline) + (c.trailingNewline ? c.newline : '');
  if (c.encoding === 'utf8-bom') return Buffer.from(`\ufeff${textBody}`, 'utf8');
  // A Latin-1 export writes '?' for what Latin-1 cannot hold (Node would keep only each character's low byte).
  if (c.encoding === 'latin1') return Buffer.from(textBody.replace(/[^\u0000-\u00ff]/g, '?'), 'latin1');
  if (c.encoding === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(textBody, 'utf16le')]);
  return Buffer.from(textBody, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Survey links: GET/HEAD/POST /r/{token}, POST /r/{token}/comment (the shapes of test/e2e/respond-fuzz.test.ts)
// ---------------------------------------------------------------------------------------------

export interface LinkRequest {
  method: 'GET' | 'HEAD' | 'POST';
  comment: boolean;
  token: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** A person's browser: what the property leaves out (a real answer may be written), see respond-fuzz.test.ts. */
export const PERSON_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export function linkRequest(token: string, invitationId: string): fc.Arbitrary<LinkRequest> {
  const tokens = fc.oneof(
    { weight: 4, arbitrary: fc.constant(token) },
    { weight: 1, arbitrary: fc.constant(token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))) },
    { weight: 1, arbitrary: fc.constantFrom(`${invitationId}.`, token.toLowerCase(), `${token}=`, '', '%', '..', `${token}/x`) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/) },
    { weight: 1, arbitrary: text(80) },
  );
  const scoreText = fc.oneof(
    fc.integer({ min: -20, max: 20 }).map(String),
    fc.constantFrom('', ' 5', '5e0', '0x5', '1.5', 'NaN', '-0', '010', '99', '٣'),
    fc.string({ maxLength: 12 }),
  );
  const formBody = fc
    .record(
      {
        score: scoreText,
        evidence: fc.oneof(fc.constantFrom('interaction', 'button', 'none', '', 'BUTTON'), fc.string({ maxLength: 20 })),
        comment: fc.oneof(text(300), fc.constant('<script>alert(1)</script>'), fc.constant('ą'.repeat(2001))),
        extra: fc.string({ maxLength: 30 }),
      },
      { requiredKeys: [] },
    )
    .map((fields) => new URLSearchParams(Object.entries(fields) as Array<[string, string]>).toString());
  return fc.record(
    {
      method: fc.constantFrom<LinkRequest['method']>('GET', 'HEAD', 'POST', 'POST'),
      comment: fc.boolean(),
      token: tokens,
      query: fc.oneof(
        fc.constant(undefined),
        scoreText.map((s) => ({ s })),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
      ),
      headers: fc.record(
        {
          'user-agent': fc.oneof(
            fc.constant(PERSON_AGENT),
            fc.constantFrom('curl/8.4.0', 'Mozilla/5.0 (compatible; bingbot/2.0)', 'node', ''),
            fc.string({ maxLength: 80 }),
          ),
          'content-type': fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'x/y'),
          origin: fc.constantFrom('null', 'https://evil.example', 'http://localhost:3000'),
          'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'same-site', 'none', 'bogus'),
          'accept-language': fc.constantFrom('pl-PL', 'en', 'xx', '*', ''),
        },
        { requiredKeys: [] },
      ),
      body: fc.oneof(
        formBody,
        fc.string({ maxLength: 500 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.constant(`comment=${'x'.repeat(40 * 1024)}`),
        fc.constant('score=1&score=2&evidence=button&evidence=interaction'),
      ),
    },
    { requiredKeys: ['method', 'comment', 'token', 'headers'] },
  );
}
