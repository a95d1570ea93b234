/**
 * The rejected-input routes through the local runtime (the npm start path): a Shopify delivery event
 * for an order never seen is quarantined; GET /api/quarantine lists it as JSON; once orders/create has
 * told ankieta the customer, the replay sends the survey mail once, however often it is replayed; the
 * dashboard carries the panel and the counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { mailsTo, waitFor } from '../support/http.ts';
import { replaceAll, restamp, setField, vendorText } from '../support/vendor-fixtures.ts';
import { SHOPIFY_SECRET, shopifyHeaders } from '../support/webhooks.ts';

let runtime: Runtime;

beforeAll(async () => {
  process.env.SHOPIFY_WEBHOOK_SECRET = SHOPIFY_SECRET;
  runtime = await startTestRuntime();
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
  delete process.env.SHOPIFY_WEBHOOK_SECRET;
});

async function shopify(topic: string, body: string): Promise<{ code: number; answer: Record<string, unknown> }> {
  const res = await fetch(`${runtime.apiUrl}/webhooks/shopify`, {
    method: 'POST',
    headers: shopifyHeaders(body, { topic, eventId: `hdr-${Math.random()}` }),
    body,
  });
  return { code: res.status, answer: (await res.json()) as Record<string, unknown> };
}

const getJson = async <T>(path: string, init?: RequestInit) => (await (await fetch(`${runtime.apiUrl}${path}`, init)).json()) as T;

describe('rejected input on the local runtime', () => {
  it('Should list a quarantined delivery and send one survey mail when it is replayed, twice, after orders/create', async () => {
    // Prepare
    const email = 'replay-e2e@example.com';
    const created = replaceAll(
      replaceAll(replaceAll(restamp(vendorText('shopify/orders-create.json'), new Date()), 'bob.norman@hostmail.com', email), '450789469', '8880001'),
      '207119551',
      '88800017',
    );
    const delivered = setField(setField(restamp(vendorText('shopify/fulfillment-events-create.json'), new Date()), 'status', 'delivered'), 'order_id', 8880001);
    const rejected = await shopify('fulfillment_events/create', delivered);
    const list = await getJson<{ id: string; reason: string; size: number }[]>('/api/quarantine?source=webhook:shopify');
    const item = list.find((i) => i.reason.includes('8880001'))!;
    await shopify('orders/create', created);

    // Act
    const first = await getJson(`/api/quarantine/${item.id}/replay`, { method: 'POST' });
    const second = await getJson(`/api/quarantine/${item.id}/replay`, { method: 'POST' });

    // Assess
    expect(rejected).toMatchObject({ code: 202, answer: { status: 'quarantined' } });
    expect(item.size).toBeGreaterThan(0);
    expect(first).toMatchObject({ replay: { result: 'accepted', outcome: 'scheduled' }, repeated: false });
    expect(second).toMatchObject({ replay: { result: 'accepted', outcome: 'scheduled' }, repeated: true });
    await waitFor('the NPS mail', async () => ((await mailsTo(runtime.sesUrl, email)).length ? true : undefined));
    await runtime.sweep();
    expect(await mailsTo(runtime.sesUrl, email)).toHaveLength(1);
  }, 90_000); // two machines' worth of work on a shared CPU

  it('Should show the rejected-input panel on the dashboard in both languages, with the counts behind it', async () => {
    // Act
    const en = await (await fetch(`${runtime.apiUrl}/dashboard?lang=en`)).text();
    const pl = await (await fetch(`${runtime.apiUrl}/dashboard?lang=pl`)).text();
    const stats = await getJson<{ total: number; days: number; bySource: Record<string, number> }>('/api/quarantine/stats');

    // Assess
    expect(en).toContain('Rejected input');
    expect(pl).toContain('Odrzucone dane');
    expect(stats).toMatchObject({ days: 14, bySource: { 'webhook:shopify': 1 } });
  });
});
