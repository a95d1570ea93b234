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
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/survey-links.ts';
import { withDemoLogin } from '../support/browser-login.ts';
import { QUARANTINE_TEXTS } from '../../surveys/texts/quarantine-dashboard.ts';

let runtime: Runtime;
let browser: Browser;

beforeAll(async () => {
  process.env.SHOPIFY_WEBHOOK_SECRET = SHOPIFY_SECRET;
  runtime = await startTestRuntime();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  delete process.env.SHOPIFY_WEBHOOK_SECRET;
});

/** The rejected-input panel as an admin sees it on the dashboard (English): its text once drawn. */
async function panelFor(selector: string): Promise<{ text: string; rows: string[][] }> {
  const page = await withDemoLogin(await browser.newPage(), runtime); // adam is an admin
  try {
    await page.goto(`${runtime.apiUrl}/dashboard?lang=en`);
    await page.waitForSelector(`#quarantine ${selector}`);
    const rows = await page.locator('#quarantine-reasons tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
    return { text: (await page.textContent('#quarantine')) ?? '', rows };
  } finally {
    await page.close();
  }
}

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
  it('Should tell an admin on the dashboard that nothing was rejected, before anything was', async () => {
    // Act
    const panel = await panelFor('p.empty');

    // Assess
    expect(panel.text).toContain(QUARANTINE_TEXTS.en.none.replace('{days}', '14'));
    expect(panel.text).toContain(QUARANTINE_TEXTS.en.listCommand);
    expect(panel.rows).toEqual([]);
  });

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

  it('Should draw the counts by source and reason for an admin, reasons as text', async () => {
    // Prepare
    const stats = await getJson<{ total: number; byReason: { source: string; reason: string; count: number }[] }>('/api/quarantine/stats');

    // Act
    const panel = await panelFor('#quarantine-reasons');

    // Assess
    expect(panel.text).toContain(QUARANTINE_TEXTS.en.total.replace('{count}', String(stats.total)).replace('{days}', '14'));
    expect(panel.rows).toEqual(stats.byReason.map((r) => [r.source, r.reason, String(r.count)]));
    expect(panel.rows[0]?.[0]).toBe('webhook:shopify');
  });
});
