/**
 * The dashboard in a real browser (Debian's chromium through playwright-core) against the local
 * runtime: the figures on the page are the API's, in English and in Polish, the trend chart is
 * drawn by the bundled uPlot, and the open alerts are listed.
 */
import { launchChromium } from '../support/survey-links.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { localDynamoClient } from '../../local/dynamodb.ts';
import { DynamoResponseStore } from '../../functions/adapters/dynamodb/response-store.ts';
import type { Metric, SurveyResponse } from '../../surveys/model.ts';
import { TEXTS } from '../../surveys/texts/index.ts';
import { waitFor } from '../support/http.ts';
import { withDemoLogin } from '../support/browser-login.ts';

const STORES = ['web', 'krakow', 'gdansk'];

function response(i: number, metric: Metric, score: number): SurveyResponse {
  const at = new Date(Date.now() - i * 1000).toISOString();
  const ticket = metric !== 'nps';
  return {
    invitationId: `e2edash${metric}${String(i).padStart(10, '0')}`,
    surveyId: ticket ? `${metric}-post-ticket` : 'nps-post-purchase',
    metric,
    customerId: `dash-${metric}-${i}`,
    score,
    segments: ticket
      ? { survey: `${metric}-post-ticket`, channel: 'email', locale: 'en', team: i % 2 ? 'billing' : 'returns', agent: `agent-${i % 3}` }
      : { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: STORES[i % 3]! },
    locale: ticket ? 'en' : 'pl',
    subjectRef: `x-${i}`,
    status: 'final',
    version: 1,
    answeredAt: at,
    updatedAt: at,
    evidence: i % 4 === 3 ? 'dwell' : 'interaction',
  };
}

const seeded = [
  ...Array.from({ length: 36 }, (_, i) => response(i, 'nps', [10, 9, 2, 7, 10, 8, 9, 6, 10][i % 9]!)),
  ...Array.from({ length: 12 }, (_, i) => response(i, 'csat', [5, 4, 1, 3][i % 4]!)),
  ...Array.from({ length: 5 }, (_, i) => response(i, 'ces', [7, 6, 2, 5, 4][i]!)),
];

interface Scores {
  value: number | null;
  responses: number;
  marginOfError?: number;
  segments?: Array<{ key: string; value: number | null; responses: number; marginOfError?: number }>;
}

/** A number as the page shows it in `language` ("12,5" in Polish), back to a number. */
const shown = (text: string | null) =>
  Number(
    (text ?? '')
      .replace(/[^\d,.−-]/g, '')
      .replace(',', '.')
      .replace('−', '-'),
  );

describe('dashboard', () => {
  let runtime: Runtime;
  let browser: Browser;
  let page: Page;
  const api = async <T>(path: string) => (await (await fetch(`${runtime.apiUrl}${path}`)).json()) as T;

  beforeAll(async () => {
    runtime = await startTestRuntime();
    const db = DynamoDBDocumentClient.from(localDynamoClient(runtime.dynamoEndpoint), { marshallOptions: { removeUndefinedValues: true } });
    const store = new DynamoResponseStore(db, runtime.tableName);
    for (const r of seeded) await store.putResponse(r, 0);
    await waitFor(
      'every response aggregated',
      async () => {
        const all = await Promise.all((['nps', 'csat', 'ces'] as const).map((m) => api<Scores>(`/api/scores?metric=${m}&window=30d`)));
        return all.reduce((n, s) => n + s.responses, 0) === seeded.length ? all : undefined;
      },
      30_000,
    );
    // The tests compare the page with the API per segment, per evidence and per day: those pages are written by the
    // stream consumers after the overall ones waited for above, so wait until the consumers have caught up.
    await runtime.drainStream();
    browser = await launchChromium();
    page = await withDemoLogin(await browser.newPage(), runtime);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  async function open(language: 'en' | 'pl'): Promise<void> {
    const errors: string[] = [];
    page.removeAllListeners('pageerror');
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${runtime.apiUrl}/dashboard?lang=${language}`);
    await page.waitForSelector('body[data-loaded]', { timeout: 45_000 });
    expect(errors).toEqual([]);
  }

  describe.each(['en', 'pl'] as const)('in %s', (language) => {
    beforeAll(async () => {
      await open(language);
    });

    it('Should show the heading and labels in the language asked for', async () => {
      // Assess
      expect(await page.textContent('h1')).toBe(TEXTS[language].dashboard.title);
      expect(await page.getAttribute('html', 'lang')).toBe(language);
    });

    it.each(['nps', 'csat', 'ces'] as const)("Should show the %s tile with the API's value, margin of error and responses", async (metric) => {
      // Prepare
      const scores = await api<Scores>(`/api/scores?metric=${metric}&window=30d`);
      const tile = page.locator(`[data-testid="tile-${metric}"]`);

      // Assess
      expect(shown(await tile.locator('[data-field="value"]').textContent())).toBe(scores.value);
      expect(shown(await tile.locator('[data-field="moe"]').textContent())).toBe(scores.marginOfError);
      expect(shown(await tile.locator('[data-field="responses"]').textContent())).toBe(scores.responses);
      expect(await tile.locator('[data-field="flag"]').isVisible()).toBe(scores.responses < 30);
    });
  });

  it("Should list the segments of the chosen dimension with the API's figures", async () => {
    // Prepare
    await open('en');
    const scores = await api<Scores>('/api/scores?metric=nps&window=30d&segment=store');

    // Act
    const rows = await page.locator('#segments tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));

    // Assess
    expect(rows.map((r) => r[0])).toEqual(scores.segments!.map((s) => s.key));
    rows.forEach((r, i) => {
      const s = scores.segments![i]!;
      expect([shown(r[1]!), shown(r[2]!), shown(r[3]!)]).toEqual([s.value, s.marginOfError, s.responses]);
    });
  });

  it('Should show the evidence mix, and the tiles from strong evidence only when asked', async () => {
    // Prepare
    await open('en');
    const strong = await api<Scores>('/api/scores?metric=nps&window=30d&evidence=strong');
    const count = (kind: string) => seeded.filter((r) => r.metric === 'nps' && r.evidence === kind).length;

    // Act
    const mix = await page.locator('#evidence-mix').textContent();
    await page.check('#strong-only');
    await page.waitForSelector(`.tile[data-metric="nps"][data-responses="${strong.responses}"]`);

    // Assess
    expect(mix).toBe(`How the NPS answers were confirmed: touched the page ${count('interaction')} · read only ${count('dwell')}`);
    expect(strong.responses).toBe(count('interaction'));
    expect(shown(await page.locator('.tile[data-metric="nps"] [data-field="value"]').textContent())).toBe(strong.value);
  });

  it('Should follow a change of dimension and metric', async () => {
    // Prepare
    await open('en');
    const scores = await api<Scores>('/api/scores?metric=csat&window=30d&segment=team');

    // Act
    await page.selectOption('#segment-metric', 'csat');
    await page.selectOption('#dimension', 'team');
    await page.waitForSelector('#segments[data-loaded="csat:team:30d"]');

    // Assess
    const keys = await page.locator('#segments tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
    expect(keys).toEqual(scores.segments!.map((s) => s.key));
  });

  it("Should draw the trend with the bundled uPlot from the day before the first answer, in daily points when days are full, ending on the API's last point", async () => {
    // Prepare
    await open('en');
    const daily = await api<{ series: Array<{ value: number | null; responses: number }> }>('/api/scores/daily?metric=nps&days=90&rolling=1');
    const first = daily.series.findIndex((p) => p.responses > 0);

    // Assess
    expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0);
    expect(await page.getAttribute('#chart', 'data-weekly')).toBe('false'); // 36 answers on one day
    expect(await page.getAttribute('#chart', 'data-points')).toBe(String(daily.series.length - Math.max(0, first - 1)));
    expect(Number(await page.getAttribute('#chart', 'data-last'))).toBe(daily.series.at(-1)!.value);
    expect(await page.getAttribute('#chart', 'aria-label')).toContain('NPS');
  });

  it('Should list the open alerts the alerts API gives', async () => {
    // Prepare: the alerts are raised one response at a time by a stream consumer: every one of them, not the first
    await runtime.drainStream();
    const alerts = await waitFor('detractor alerts raised', async () => {
      const list = await api<Array<{ id: string }>>('/api/alerts?status=open');
      return list.length > 0 ? list : undefined;
    });
    await open('en');

    // Act
    const ids = await page.locator('#alerts tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-alert-id')));

    // Assess
    expect(ids.sort()).toEqual(alerts.map((a) => a.id).sort());
  });

  it('Should show a failing alerts or drivers panel as an error in that panel alone, the tiles still standing', async () => {
    // Prepare: the alerts and insights (drivers) APIs answer 500 for this page load
    await page.route(/\/api\/(alerts|insights)(\?|$)/, (route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"boom"}' }));
    try {
      // Act
      await open('en');

      // Assess
      for (const panel of ['alerts', 'drivers']) {
        expect(await page.locator(`#${panel} p.error`).textContent(), panel).toContain(TEXTS.en.dashboard.loadFailed.split('{error}')[0]!);
      }
      expect(shown(await page.locator('[data-testid="tile-nps"] [data-field="value"]').textContent())).toBe(
        (await api<Scores>('/api/scores?metric=nps&window=30d')).value,
      );
    } finally {
      await page.unroute(/\/api\/(alerts|insights)(\?|$)/);
    }
  });

  it('Should load no script or style from another origin (CSP: self only)', async () => {
    // Act
    const response = await page.goto(`${runtime.apiUrl}/dashboard`);

    // Assess
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    const external = await page.evaluate(() =>
      [...document.querySelectorAll('script[src], link[href]')]
        .map((e) => (e as HTMLScriptElement).src || (e as HTMLLinkElement).href)
        .filter((u) => !u.startsWith(location.origin)),
    );
    expect(external).toEqual([]);
  });
});
