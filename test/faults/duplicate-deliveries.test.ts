/**
 * At-least-once delivery upstream: EventBridge may invoke the trigger twice with one event, a provider
 * retries a webhook it thinks failed, a shop sends the same event by two ways. Through the real
 * handlers on DynamoDB Local, one after the other and all at once: one survey per event.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { localContext } from '../../local/lambda-context.ts';
import { callHttp, type HttpHandler } from '../support/api-gateway.ts';
import { orderDelivered } from '../support/http.ts';
import { freshTable, invitationsOf } from '../support/table.ts';
import { configureFor, handlerOf } from '../support/functions.ts';
import { SHOPIFY_SECRET, ZENDESK_SECRET, shopifyHeaders, shopifyOrderFulfilled, zendeskHeaders, zendeskTicket, zendeskTimestamp } from '../support/webhooks.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
let table: Awaited<ReturnType<typeof freshTable>>;
let triggerSurvey: Handler;
let ingestEvents: HttpHandler;
let webhooks: HttpHandler;

beforeAll(async () => {
  table = await freshTable();
  configureFor(table, {
    SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
    ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET,
  });
  triggerSurvey = await handlerOf<Handler>('trigger-survey');
  ingestEvents = await handlerOf<HttpHandler>('ingest-events');
  webhooks = await handlerOf<HttpHandler>('webhooks');
});

/** Every survey ever created for the customer, whatever its status. */
const surveysOf = (customerId: string) => invitationsOf(table, customerId);

const bus = (event: unknown) => triggerSurvey(event, localContext('triggerSurvey')) as Promise<{ status: string }>;
const times = <T>(n: number, f: () => Promise<T>) => Promise.all(Array.from({ length: n }, f));
const statuses = (outcomes: Array<{ status: string }>) => outcomes.map((o) => o.status).sort();

describe('EventBridge delivering one event more than once', () => {
  it('Should schedule one survey when the trigger is invoked twice in a row', async () => {
    // Prepare
    const event = orderDelivered({ eventId: 'evt-bus-twice', customerId: 'c-bus-twice' });

    // Act
    const outcomes = [await bus(event), await bus(event)];

    // Assess
    expect(statuses(outcomes)).toEqual(['duplicate', 'scheduled']);
    expect(await surveysOf('c-bus-twice')).toHaveLength(1);
  });

  it('Should schedule one survey when five invocations with the same event run at once', async () => {
    // Prepare
    const event = orderDelivered({ eventId: 'evt-bus-burst', customerId: 'c-bus-burst' });

    // Act
    const outcomes = await times(5, () => bus(event));

    // Assess
    expect(statuses(outcomes)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'scheduled']);
    expect(await surveysOf('c-bus-burst')).toHaveLength(1);
  });

  it('Should schedule one survey when the same event comes by the bus and by POST /events at once', async () => {
    // Prepare
    const event = orderDelivered({ eventId: 'evt-two-ways', customerId: 'c-two-ways' });
    const post = () =>
      callHttp<{ results: Array<{ outcome: string }> }>(ingestEvents, 'ingestEvents', {
        method: 'POST',
        route: '/events',
        path: '/events',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });

    // Act
    const [viaBus, viaApi] = await Promise.all([bus(event), post()]);

    // Assess
    expect([viaBus.status, viaApi.body.results[0]!.outcome].sort()).toEqual(['duplicate', 'scheduled']);
    expect(viaApi.status).toBe(202); // a duplicate is accepted: the sender need not retry
    expect(await surveysOf('c-two-ways')).toHaveLength(1);
  });
});

describe('a provider retrying a signed webhook', () => {
  const shopify = (body: string, eventId: string) =>
    callHttp<{ status: string; outcome?: string }>(webhooks, 'webhooks', {
      method: 'POST',
      route: '/webhooks/{source}',
      path: '/webhooks/shopify',
      pathParameters: { source: 'shopify' },
      headers: shopifyHeaders(body, { topic: 'orders/fulfilled', eventId }),
      body,
    });
  // Zendesk signs each retry anew: a new timestamp and signature, the same invocation id.
  const zendesk = (body: string, invocationId: string, at: Date) =>
    callHttp<{ status: string; outcome?: string }>(webhooks, 'webhooks', {
      method: 'POST',
      route: '/webhooks/{source}',
      path: '/webhooks/zendesk',
      pathParameters: { source: 'zendesk' },
      headers: zendeskHeaders(body, { invocationId, timestamp: zendeskTimestamp(at) }),
      body,
    });

  it.each([
    ['one after the other', false],
    ['all at once', true],
  ])('Should create one survey from four deliveries of one Shopify event, %s', async (_name, concurrent) => {
    // Prepare
    const customerId = concurrent ? '7000000000000000002' : '7000000000000000001';
    const body = shopifyOrderFulfilled({ orderId: `45000000000000000${concurrent ? 2 : 1}`, customerId, email: `shop-${customerId}@example.com` });
    const eventId = `shopify-evt-${customerId}`;

    // Act
    const answers = concurrent
      ? await times(4, () => shopify(body, eventId))
      : [await shopify(body, eventId), await shopify(body, eventId), await shopify(body, eventId), await shopify(body, eventId)];

    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => a.body.outcome).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'scheduled']);
    expect(await surveysOf(customerId)).toHaveLength(1);
  });

  it.each([
    ['one after the other', false],
    ['all at once', true],
  ])('Should create one survey from three deliveries of one Zendesk invocation, each signed anew, %s', async (_name, concurrent) => {
    // Prepare
    const requesterId = concurrent ? 'zd-req-2' : 'zd-req-1';
    const body = zendeskTicket({ event: 'ticket.solved', ticketId: `90${concurrent ? 2 : 1}`, requesterId, email: `${requesterId}@example.com` });
    const invocationId = `inv-${requesterId}`;
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000);

    // Act
    const answers = concurrent
      ? await Promise.all([zendesk(body, invocationId, at(120)), zendesk(body, invocationId, at(60)), zendesk(body, invocationId, at(0))])
      : [await zendesk(body, invocationId, at(120)), await zendesk(body, invocationId, at(60)), await zendesk(body, invocationId, at(0))];

    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body.outcome).sort()).toEqual(['duplicate', 'duplicate', 'scheduled']);
    expect(await surveysOf(requesterId)).toHaveLength(1);
  });
});
