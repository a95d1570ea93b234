/**
 * Signed webhooks against the local runtime: Shopify and Zendesk deliveries shaped like the providers'
 * examples — valid, tampered, signed with another secret, stale, replayed — and what each leads to.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configure } from '../../functions/shared/env.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { mailsTo, waitFor } from '../support/http.ts';
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

let runtime: Runtime;
let runtimeDelayScale: string | undefined;
const CSAT_DELAY_SECONDS = 5;

beforeAll(async () => {
  process.env.SHOPIFY_WEBHOOK_SECRET = SHOPIFY_SECRET;
  process.env.ZENDESK_WEBHOOK_SECRET = ZENDESK_SECRET;
  runtime = await startTestRuntime();
  runtimeDelayScale = process.env.SURVEY_DELAY_SCALE;
}, 120_000);
afterEach(() => {
  process.env.SURVEY_DELAY_SCALE = runtimeDelayScale; // a test may have set its own
  configure();
});
afterAll(async () => {
  await runtime?.stop();
  delete process.env.SHOPIFY_WEBHOOK_SECRET;
  delete process.env.ZENDESK_WEBHOOK_SECRET;
});

interface WebhookAnswer {
  status: string;
  eventId?: string;
  detailType?: string;
  outcome?: string;
  reason?: string;
  error?: string;
  errors?: string[];
}

async function deliver(source: string, body: string, headers: Record<string, string>): Promise<{ code: number; answer: WebhookAnswer }> {
  const res = await fetch(`${runtime.apiUrl}/webhooks/${source}`, { method: 'POST', headers, body });
  return { code: res.status, answer: (await res.json()) as WebhookAnswer };
}

describe('Shopify', () => {
  it('turns a signed orders/fulfilled delivery into an NPS survey, keyed on the event id, with the 64-bit ids intact', async () => {
    // Prepare
    const body = shopifyOrderFulfilled({ orderId: '820982911946154508', customerId: '115310627314723954', email: 'jan@example.com' });

    // Act
    const first = await deliver('shopify', body, shopifyHeaders(body, { topic: 'orders/fulfilled', eventId: 'evt-shop-1' }));
    const replayed = await deliver('shopify', body, shopifyHeaders(body, { topic: 'orders/fulfilled', eventId: 'evt-shop-1' }));

    // Assess: one survey, in Polish; the replay is a duplicate
    expect(first).toMatchObject({ code: 200, answer: { status: 'accepted', detailType: 'order.delivered', outcome: 'scheduled' } });
    expect(replayed).toMatchObject({ code: 200, answer: { status: 'accepted', outcome: 'duplicate' } });
    const [mail] = await waitFor('the NPS mail', async () => {
      const mails = await mailsTo(runtime.sesUrl, 'jan@example.com');
      return mails.length ? mails : undefined;
    });
    expect(mail!.subject).toMatch(/poleci/i);
    expect(mail!.body.text).toContain('Jan');
  });

  it('cancels the pending survey of an order refunded before it was sent (refunds/create)', async () => {
    // Prepare: two orders whose ids differ only past the 16th digit (JSON.parse would make them one)
    // The survey is due 3 s (3 days locally) after the order's updated_at: the refund follows at once.
    const other = shopifyOrderFulfilled({ orderId: '820982911946154602', customerId: '115310627314723802', email: 'kept@example.com' });
    await deliver('shopify', other, shopifyHeaders(other, { topic: 'orders/fulfilled', eventId: 'evt-shop-3' }));
    const order = shopifyOrderFulfilled({ orderId: '820982911946154601', customerId: '115310627314723801', email: 'refunded@example.com' });
    await deliver('shopify', order, shopifyHeaders(order, { topic: 'orders/fulfilled', eventId: 'evt-shop-2' }));
    const refund = shopifyRefundCreated({ refundId: '929361462', orderId: '820982911946154601' });

    // Act
    const cancelled = await deliver('shopify', refund, shopifyHeaders(refund, { topic: 'refunds/create', eventId: 'evt-shop-4' }));

    // Assess
    expect(cancelled).toMatchObject({ code: 200, answer: { detailType: 'order.refunded', outcome: 'cancelled' } });
    await waitFor('the other order survey', async () => ((await mailsTo(runtime.sesUrl, 'kept@example.com')).length ? true : undefined));
    expect(await mailsTo(runtime.sesUrl, 'refunded@example.com')).toHaveLength(0);
  });

  describe.each([
    { name: 'a tampered body', tamper: (body: string) => body.replace('403.00', '4.00'), secret: SHOPIFY_SECRET, reason: 'bad-signature' },
    { name: 'a signature made with another secret', tamper: (body: string) => body, secret: 'someone-elses-secret', reason: 'bad-signature' },
  ])('$name', ({ tamper, secret, reason }) => {
    it('Should refuse it with 401 and schedule nothing', async () => {
      // Prepare
      const body = shopifyOrderFulfilled({ orderId: '820982911946154700', customerId: '115310627314723700', email: 'forged@example.com' });
      const headers = shopifyHeaders(body, { topic: 'orders/fulfilled', eventId: `evt-forged-${reason}-${secret.length}`, secret });

      // Act
      const answer = await deliver('shopify', tamper(body), headers);

      // Assess
      expect(answer.code).toBe(401);
      expect(answer.answer.error).toContain(reason);
    });
  });

  it('acknowledges a topic it does not use, so Shopify does not retry it', async () => {
    // Prepare
    const body = '{"id":1,"title":"IPod Nano"}';

    // Act
    const answer = await deliver('shopify', body, shopifyHeaders(body, { topic: 'products/update', eventId: 'evt-shop-5' }));

    // Assess
    expect(answer).toMatchObject({ code: 200, answer: { status: 'ignored' } });
  });
});

describe('Zendesk', () => {
  it('turns a signed ticket.solved trigger into a CSAT survey and answers a replayed invocation as a duplicate', async () => {
    // Prepare
    const body = zendeskTicket({ event: 'ticket.solved', ticketId: '35436', requesterId: '6596848315901', email: 'anna@example.com' });

    // Act
    const first = await deliver('zendesk', body, zendeskHeaders(body, { invocationId: '8350205582' }));
    const replayed = await deliver('zendesk', body, zendeskHeaders(body, { invocationId: '8350205582' }));

    // Assess
    expect(first).toMatchObject({ code: 200, answer: { status: 'accepted', detailType: 'ticket.solved', outcome: 'scheduled' } });
    expect(replayed).toMatchObject({ code: 200, answer: { outcome: 'duplicate' } });
    const [mail] = await waitFor('the CSAT mail', async () => {
      const mails = await mailsTo(runtime.sesUrl, 'anna@example.com');
      return mails.length ? mails : undefined;
    });
    expect(mail!.subject).toContain('jak oceniasz naszą pomoc?');
  });

  it('refuses a correctly signed delivery older than five minutes (a replay of a captured request)', async () => {
    // Prepare
    const body = zendeskTicket({ event: 'ticket.solved', ticketId: '35437', requesterId: '6596848315902', email: 'stale@example.com' });
    const headers = zendeskHeaders(body, { invocationId: '8350205583', timestamp: zendeskTimestamp(new Date(Date.now() - 6 * 60_000)) });

    // Act
    const answer = await deliver('zendesk', body, headers);

    // Assess
    expect(answer.code).toBe(401);
    expect(answer.answer.error).toContain('stale-timestamp');
  });

  it('refuses a tampered body and a missing signature', async () => {
    // Prepare
    const body = zendeskTicket({ event: 'ticket.solved', ticketId: '35438', requesterId: '6596848315903', email: 'tampered@example.com' });
    const headers = zendeskHeaders(body, { invocationId: '8350205584' });
    const { 'x-zendesk-webhook-signature': _dropped, ...unsigned } = headers;

    // Act
    const tampered = await deliver('zendesk', body.replace('tampered@', 'attacker@'), headers);
    const missing = await deliver('zendesk', body, unsigned);

    // Assess
    expect(tampered.code).toBe(401);
    expect(tampered.answer.error).toContain('bad-signature');
    expect(missing.code).toBe(401);
    expect(missing.answer.error).toContain('missing-signature');
  });

  it('cancels the pending survey of a reopened ticket', async () => {
    // Prepare: a CSAT delay of 5 s (1 day × 5/86 400) for this test, not the runtime's 1 s: the reopening must come
    // before the survey is sent, and two signed deliveries can take longer than a second on a loaded machine.
    process.env.SURVEY_DELAY_SCALE = String(CSAT_DELAY_SECONDS / 86_400);
    configure();
    // Solved now, to the millisecond (the signature timestamp has whole seconds): the CSAT is due CSAT_DELAY_SECONDS later.
    const solved = zendeskTicket({
      event: 'ticket.solved',
      ticketId: '35440',
      requesterId: '6596848315905',
      email: 'reopened@example.com',
      occurredAt: new Date().toISOString(),
    });
    await deliver('zendesk', solved, zendeskHeaders(solved, { invocationId: '8350205590' }));
    const reopened = zendeskTicket({ event: 'ticket.reopened', ticketId: '35440', requesterId: '6596848315905' });

    // Act
    const answer = await deliver('zendesk', reopened, zendeskHeaders(reopened, { invocationId: '8350205591' }));
    await new Promise((r) => setTimeout(r, CSAT_DELAY_SECONDS * 1000 + 500)); // past the CSAT's send time
    await runtime.sweep(); // and a whole sweep after it, awaited: the interval's may lag on a loaded machine

    // Assess
    expect(answer).toMatchObject({ code: 200, answer: { detailType: 'ticket.reopened', outcome: 'cancelled' } });
    expect(await mailsTo(runtime.sesUrl, 'reopened@example.com')).toHaveLength(0);
  });

  it('keeps a signed body it cannot use in quarantine, naming the field, with 202 so Zendesk does not retry', async () => {
    // Prepare
    const body = JSON.stringify({ event: 'ticket.solved', ticket: { id: '' } });

    // Act
    const answer = await deliver('zendesk', body, zendeskHeaders(body, { invocationId: '8350205592' }));

    // Assess
    expect(answer.code).toBe(202);
    expect(answer.answer.status).toBe('quarantined');
    expect(answer.answer.errors!.join()).toContain('ticket.id');
  });
});

it('answers 404 for a webhook source it does not know', async () => {
  // Act
  const answer = await deliver('stripe', '{}', { 'content-type': 'application/json' });

  // Assess
  expect(answer.code).toBe(404);
});
