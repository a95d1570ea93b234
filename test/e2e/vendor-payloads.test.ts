/**
 * The vendors' own sample payloads (test/fixtures/vendors/) through the local runtime, signed as the
 * vendors sign them: webhook or bus → outcome → a mail, an SMS, or nothing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localContext } from '../../local/lambda-context.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';
import { mailsTo, waitFor } from '../support/http.ts';
import { replaceAll, restamp, setField, vendorText } from '../support/vendor-fixtures.ts';
import { SHOPIFY_SECRET, ZENDESK_SECRET, shopifyHeaders, zendeskHeaders } from '../support/webhooks.ts';

let runtime: Runtime;

beforeAll(async () => {
  process.env.SHOPIFY_WEBHOOK_SECRET = SHOPIFY_SECRET;
  process.env.ZENDESK_WEBHOOK_SECRET = ZENDESK_SECRET;
  // The settings file names the region of phones typed without a country code (docs/settings.md).
  const settingsFile = join(mkdtempSync(join(tmpdir(), 'ankieta-settings-')), 'surveys.settings.json');
  writeFileSync(settingsFile, JSON.stringify({ zendesk: { defaultPhoneRegion: 'PL' } }));
  runtime = await startRuntime({ sweepIntervalMs: 200, streamPollMs: 100, settingsFile });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
  delete process.env.SHOPIFY_WEBHOOK_SECRET;
  delete process.env.ZENDESK_WEBHOOK_SECRET;
});

interface Answer {
  status: string;
  outcome?: string;
  reason?: string;
  sendAt?: string;
  errors?: string[];
  error?: string;
}

async function shopify(topic: string, body: string, eventId = `hdr-${Math.random()}`): Promise<{ code: number; answer: Answer }> {
  const res = await fetch(`${runtime.apiUrl}/webhooks/shopify`, { method: 'POST', headers: shopifyHeaders(body, { topic, eventId }), body });
  return { code: res.status, answer: (await res.json()) as Answer };
}

async function zendesk(body: string): Promise<{ code: number; answer: Answer }> {
  const headers = zendeskHeaders(body, { invocationId: `inv-${Math.random()}` });
  const res = await fetch(`${runtime.apiUrl}/webhooks/zendesk`, { method: 'POST', headers, body });
  return { code: res.status, answer: (await res.json()) as Answer };
}

/** Shopify's SDK order as one customer of this test: own ids and address, times moved to `at`. */
function order(tag: string, orderId: string, at = new Date()): { body: string; email: string } {
  const email = `${tag}@example.com`;
  let body = restamp(vendorText('shopify/orders-create.json'), at);
  body = replaceAll(body, 'bob.norman@hostmail.com', email);
  body = replaceAll(body, '450789469', orderId);
  body = replaceAll(body, '207119551', `${orderId}7`);
  return { body, email };
}

/** An IANA zone where the local hour is between 10 and 18 now. */
function daytimeZone(): string {
  const zones = ['Europe/Warsaw', 'America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu', 'Asia/Tokyo', 'Asia/Kolkata', 'Australia/Sydney'];
  const hour = (zone: string) => Number(new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: zone }).format(new Date()));
  return zones.find((z) => hour(z) >= 10 && hour(z) <= 18) ?? 'Pacific/Kiritimati';
}

const noMailTo = async (email: string) => {
  await runtime.sweep();
  await new Promise((r) => setTimeout(r, 500));
  return mailsTo(runtime.sesUrl, email);
};

describe('Shopify', () => {
  it('Should answer the "Send test notification" body as skipped test-notification and survey nobody', async () => {
    // Prepare
    const body = vendorText('shopify/orders-fulfilled.test-notification.json');

    // Act
    const answer = await shopify('orders/fulfilled', body);

    // Assess
    expect(answer).toMatchObject({ code: 200, answer: { status: 'accepted', outcome: 'skipped', reason: expect.stringMatching(/^test-notification/) } });
    expect(await noMailTo('john@test.com')).toHaveLength(0);
    expect(await noMailTo('jon@doe.ca')).toHaveLength(0);
  });

  it('Should survey after a fulfillment event says delivered, with the customer remembered from orders/create', async () => {
    // Prepare
    const { body, email } = order('delivered-only', '5550001');
    const delivered = setField(setField(restamp(vendorText('shopify/fulfillment-events-create.json'), new Date()), 'status', 'delivered'), 'order_id', 5550001);

    // Act
    const created = await shopify('orders/create', body);
    const answer = await shopify('fulfillment_events/create', delivered);

    // Assess
    expect(created).toMatchObject({ code: 200, answer: { status: 'ignored' } });
    expect(answer).toMatchObject({ code: 200, answer: { status: 'accepted', outcome: 'scheduled' } });
    const mails = await waitFor('the NPS mail', async () => ((await mailsTo(runtime.sesUrl, email)).length ? mailsTo(runtime.sesUrl, email) : undefined));
    expect(mails).toHaveLength(1);
  });

  it('Should move the survey of a fulfilled order to delivered + delay when the carrier reports the delivery', async () => {
    // Prepare
    const fulfilledAt = new Date();
    const { body, email } = order('rescheduled', '5550002', fulfilledAt);
    const update = setField(
      vendorText('shopify/fulfillments-update.json').replace('"status": "pending"', '"status": "success", "shipment_status": "delivered"'),
      'order_id',
      5550002,
    );
    const delivered = restamp(update, new Date(fulfilledAt.getTime() + 2000));

    // Act
    const fulfilled = await shopify('orders/fulfilled', body);
    const moved = await shopify('fulfillments/update', delivered);

    // Assess: the send time moved later, and one mail went out
    expect(fulfilled).toMatchObject({ code: 200, answer: { outcome: 'scheduled' } });
    expect(moved).toMatchObject({ code: 200, answer: { outcome: 'rescheduled' } });
    expect(Date.parse(moved.answer.sendAt!)).toBeGreaterThan(Date.parse(fulfilled.answer.sendAt!));
    await waitFor('the NPS mail', async () => ((await mailsTo(runtime.sesUrl, email)).length ? true : undefined));
    expect(await noMailTo(email)).toHaveLength(1);
  });

  it('Should skip the SDK order as published (fulfilled in 2014) as stale-event', async () => {
    // Prepare
    const body = vendorText('shopify/orders-create.json');

    // Act
    const answer = await shopify('orders/fulfilled', body);

    // Assess
    expect(answer).toMatchObject({ code: 200, answer: { outcome: 'skipped', reason: expect.stringMatching(/^stale-event/) } });
    expect(await noMailTo('bob.norman@hostmail.com')).toHaveLength(0);
  });

  it('Should answer a replayed body with another X-Shopify-Event-Id as a duplicate', async () => {
    // Prepare
    const { body } = order('replayed', '5550003');

    // Act
    const first = await shopify('orders/fulfilled', body, 'event-id-1');
    const replay = await shopify('orders/fulfilled', body, 'event-id-2');

    // Assess
    expect(first.answer.outcome).toBe('scheduled');
    expect(replay.answer.outcome).toBe('duplicate');
  });

  it('Should quarantine an XML delivery, telling the admin to switch the format to JSON', async () => {
    // Act
    const answer = await shopify('orders/fulfilled', '<?xml version="1.0" encoding="UTF-8"?><order><id>1</id></order>');

    // Assess
    expect(answer).toMatchObject({ code: 202, answer: { status: 'quarantined', errors: [expect.stringContaining('set the webhook format to JSON')] } });
  });

  it("Should take Shopify's EventBridge delivery on the bus and survey its customer", async () => {
    // Prepare
    const { handler } = await import('../../functions/trigger-survey/handler.ts');
    const email = 'bus@example.com';
    const text = replaceAll(
      replaceAll(restamp(vendorText('shopify/eventbridge-orders-fulfilled.json'), new Date()), 'bob.norman@hostmail.com', email),
      '450789469',
      '5550004',
    );

    // Act
    const outcome = await handler(JSON.parse(text), localContext('triggerSurvey'));

    // Assess
    expect(outcome).toMatchObject({ status: 'accepted', outcome: 'scheduled' });
    await waitFor('the NPS mail', async () => ((await mailsTo(runtime.sesUrl, email)).length ? true : undefined));
  });
});

describe('Zendesk', () => {
  it('Should send the CSAT by SMS to a phone typed in national format, read in the configured region', async () => {
    // Prepare: a time zone where it is daytime now (an SMS in quiet hours waits for the morning)
    const body = vendorText('zendesk/trigger-ticket-solved.json').replace('"time_zone": ""', `"time_zone": "${daytimeZone()}"`);

    // Act
    const answer = await zendesk(body);

    // Assess
    expect(answer).toMatchObject({ code: 200, answer: { status: 'accepted', outcome: 'scheduled' } });
    await waitFor('the SMS', async () => {
      const sms = (await (await fetch(`${runtime.apiUrl}/local/outbox?channel=sms`)).json()) as Array<{ to: string }>;
      return sms.some((m) => m.to === '+48600100200') ? true : undefined;
    });
  });

  it('Should take an event subscription for a requester it knows, with the contact from the stored profile', async () => {
    // Prepare: the requester is known from an earlier trigger body (another ticket)
    const known = vendorText('zendesk/trigger-ticket-solved.json')
      .replace('"email": ""', '"email": "known@example.com"')
      .replace('"phone": "600 100 200"', '"phone": ""');
    const first = await zendesk(replaceAll(replaceAll(known, '6596848315901', '777001'), '"35436"', '"41000"'));
    const event = replaceAll(
      replaceAll(restamp(vendorText('zendesk/ticket-status-changed.json'), new Date()), '6596848315901', '777001'),
      '"35436"',
      '"41001"',
    );

    // Act
    const answer = await zendesk(event);

    // Assess: decided with the contact it has, not quarantined for want of one. The customer was asked
    // seconds ago: the second ticket joins the survey still pending, or meets the 24 h cap once it is sent.
    expect(first.answer.outcome).toBe('scheduled');
    expect(answer).toMatchObject({ code: 200, answer: { status: 'accepted' } });
    const decision = `${answer.answer.outcome} ${answer.answer.reason ?? ''}`;
    expect(decision).toMatch(/^(merged merged: joins the survey pending|skipped hard-cap)/);
  });

  it('Should quarantine an event subscription for a requester without a known contact, saying what to do', async () => {
    // Prepare
    const event = replaceAll(restamp(vendorText('zendesk/ticket-status-changed.json'), new Date()), '6596848315901', '777002');

    // Act
    const answer = await zendesk(event);

    // Assess
    expect(answer).toMatchObject({ code: 202, answer: { status: 'quarantined', errors: [expect.stringContaining('knows no e-mail or phone')] } });
  });
});

it('Should name the expected envelope when POST /events gets a PutEvents request', async () => {
  // Prepare
  const body = { Entries: [{ Source: 'shop.example', DetailType: 'order.delivered', Detail: '{}', EventBusName: 'ankieta' }] };

  // Act
  const res = await fetch(`${runtime.apiUrl}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  // Assess
  expect(res.status).toBe(400);
  expect(((await res.json()) as Answer).error).toMatch(/PutEvents request body .*"source", "detail-type", "detail"/);
});
