/**
 * The response funnel end to end on the local runtime: N order events, k answers through the survey
 * links → GET /api/funnel says scheduled N, sent N, delivered N (the local SES events), opened k + 1
 * (people only), answered k. Then, with a month of history added, the dashboard's funnel panel, score
 * split and trend in Chromium, in English and Polish, at desktop and phone sizes. `npm run screenshots`
 * runs this file with SCREENSHOTS_DIR=docs/screenshots to renew the README's pictures; `npm test` takes none
 * (a test run must not change the tree).
 */
import { mkdirSync } from 'node:fs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/survey-links.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunnelPageWriter } from '../../functions/adapters/dynamodb/funnel-pages.ts';
import { surveyPorts } from '../support/stores.ts';
import { localDynamoClient } from '../../local/dynamodb.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { funnelPages } from '../../surveys/funnel/pages.ts';
import type { FunnelReport } from '../../surveys/funnel/report.ts';
import type { FunnelChange, FunnelInvitation } from '../../surveys/funnel/steps.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import { FUNNEL_TEXTS } from '../../surveys/texts/funnel-dashboard.ts';
import { BROWSER_UA, mailsTo, orderDelivered, postForm, ratingLinks, waitFor } from '../support/http.ts';
import { withDemoLogin } from '../support/browser-login.ts';

/** Where `npm run screenshots` wants the dashboard's pictures; unset in `npm test`. */
const SCREENSHOTS_DIR = process.env.SCREENSHOTS_DIR;
const N = 6;
const K = 2;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inBatches = async <T>(items: T[], size: number, write: (item: T) => Promise<unknown>) => {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(write));
};

let runtime: Runtime;
const funnel = async (query = 'window=7d') => (await (await fetch(`${runtime.apiUrl}/api/funnel?${query}`)).json()) as FunnelReport;

beforeAll(async () => {
  runtime = await startTestRuntime();
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

describe('the funnel through the local runtime', () => {
  it(`Should count ${N} surveys sent and delivered, ${K + 1} opened by a person and ${K} answered`, async () => {
    // Prepare: N customers' orders are delivered
    for (let i = 0; i < N; i++) {
      const res = await fetch(`${runtime.apiUrl}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(orderDelivered({ eventId: `funnel-${i}`, customerId: `funnel-c-${i}`, store: i % 2 ? 'krakow' : 'web' })),
      });
      expect(res.status).toBe(202);
    }
    const links = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        waitFor(`mail ${i}`, async () => {
          const [mail] = await mailsTo(runtime.sesUrl, `funnel-c-${i}@example.com`);
          return mail ? ratingLinks(mail.body.html!) : undefined;
        }),
      ),
    );

    // Act: k people open a link and answer; one more only opens; a scanner opens another one's links
    await pause(2100); // nobody opens a mail within 2 s of its sending
    for (let i = 0; i <= K; i++) expect((await fetch(links[i]!.get(9 - i)!, { headers: { 'user-agent': BROWSER_UA } })).status).toBe(200);
    await fetch(links[N - 1]!.get(0)!, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; proofpoint)' } });
    await pause(2100); // a person reads the page before pressing the button
    for (let i = 0; i < K; i++) expect((await postForm(links[i]!.get(9 - i)!.split('?')[0]!, { score: String(9 - i), evidence: 'button' })).status).toBe(200);

    // Assess
    const counted = await waitFor('the funnel', async () => {
      const f = await funnel();
      return f.answered === K && f.delivered === N && f.opened === K + 1 ? f : undefined;
    });
    expect(counted).toMatchObject({ scheduled: N, sent: N, delivered: N, opened: K + 1, answered: K, bounced: 0, failed: 0 });
    expect(counted.responseRate).toBeCloseTo(K / N, 4);
    expect(counted.deliveredResponseRate).toBeCloseTo(K / N, 4);
  }, 90_000);

  it('Should split the same counts by store, each with its rate and range', async () => {
    // Act: a batch writes its pages side by side, so the split may trail the totals by a moment
    const split = await waitFor('the split', async () => {
      const f = await funnel('window=7d&survey=nps-post-purchase&segment=store');
      return f.segments?.reduce((n, s) => n + s.answered, 0) === K ? f : undefined;
    });

    // Assess
    expect(split.segments?.map((s) => s.key).sort()).toEqual(['krakow', 'web']);
    expect(split.segments?.reduce((n, s) => n + s.sent, 0)).toBe(N);
    expect(split.segments?.reduce((n, s) => n + s.answered, 0)).toBe(K);
    for (const s of split.segments ?? []) expect(s.low).toBeLessThanOrEqual(s.responseRate ?? 0);
  });

  it('Should refuse an unknown window or segment with a 400 naming the field', async () => {
    // Act
    const res = await fetch(`${runtime.apiUrl}/api/funnel?window=365d&segment=agent`);
    const body = await res.text();

    // Assess
    expect(res.status).toBe(400);
    expect(body).toContain('window');
    expect(body).toContain('segment');
  });
});

// ---------------------------------------------------------------------------------------------
// The dashboard, with a month of history
// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000;
/** A month of surveys: SMS answered more often than e-mail, evenings more than mornings (deterministic). */
function history(): { changes: Array<FunnelChange & { seq: string }>; responses: SurveyResponse[] } {
  const changes: Array<FunnelChange & { seq: string }> = [];
  const responses: SurveyResponse[] = [];
  let seq = 1;
  for (let d = 28; d >= 1; d--) {
    for (let j = 0; j < 9 + (d % 5); j++) {
      const channel = j % 3 === 0 ? 'sms' : 'email';
      const hour = 8 + ((j * 5 + d) % 12);
      const survey = j % 4 === 3 ? 'csat-post-ticket' : 'nps-post-purchase';
      const sentAt = new Date(Math.floor(Date.now() / DAY) * DAY - d * DAY + hour * 3_600_000).toISOString();
      const id = `hist${String(d).padStart(2, '0')}${String(j).padStart(2, '0')}`;
      const segments = {
        survey,
        channel,
        locale: j % 2 ? 'pl' : 'en',
        ...(survey.startsWith('nps') ? { store: ['web', 'krakow', 'gdansk'][j % 3]! } : { team: 'billing' }),
      };
      const base: FunnelInvitation = {
        id,
        surveyId: survey,
        channel,
        locale: j % 2 ? 'pl' : 'en',
        status: 'scheduled',
        segments,
        createdAt: sentAt,
        sendAt: sentAt,
      };
      const sent = { ...base, status: 'sent' as const, sentAt };
      const delivered = { ...sent, deliveredAt: sentAt };
      const roll = (d * 7 + j * 13) % 100;
      const answers = roll < (channel === 'sms' ? 55 : 25) + (hour >= 17 ? 10 : 0);
      const opened = answers || roll % 3 === 0;
      const steps: FunnelChange[] = [
        { kind: 'invitation', new: base },
        { kind: 'invitation', old: base, new: sent },
        ...(channel === 'email' && roll !== 7 ? [{ kind: 'invitation' as const, old: sent, new: delivered }] : []),
        ...(opened ? [{ kind: 'invitation' as const, old: delivered, new: { ...delivered, openedAt: sentAt } }] : []),
      ];
      for (const change of steps) changes.push({ ...change, seq: String(seq++) });
      if (!answers) continue;
      const metric = survey.startsWith('nps') ? 'nps' : 'csat';
      const at = new Date(Date.parse(sentAt) + 3 * 3_600_000).toISOString();
      responses.push({
        invitationId: id,
        surveyId: survey,
        metric,
        customerId: `hist-c-${id}`,
        score: metric === 'nps' ? [10, 9, 8, 3, 10, 7, 9, 6][roll % 8]! : [5, 4, 2, 5, 3][roll % 5]!,
        segments,
        locale: j % 2 ? 'pl' : 'en',
        subjectRef: `o-${id}`,
        status: 'final',
        version: 1,
        answeredAt: at,
        updatedAt: at,
        sentAt,
      });
    }
  }
  return { changes, responses };
}

describe('the dashboard panels in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    const db = DynamoDBDocumentClient.from(localDynamoClient(runtime.dynamoEndpoint), { marshallOptions: { removeUndefinedValues: true } });
    const { changes, responses } = history();
    const writer = new FunnelPageWriter(db, runtime.tableName);
    // Eight writes at a time: each page and response is an item of its own (a page keeps its own watermark).
    await inBatches(funnelPages(changes), 8, (page) => writer.apply(page, 'seed-history'));
    const store = surveyPorts(db, runtime.tableName);
    await inBatches(responses, 8, (r) => store.putResponse(r, 0));
    await waitFor('the history answered', async () => ((await funnel('window=30d')).answered === responses.length + K ? true : undefined), 150_000);
    // The panels below compare the page with the API: the per-segment funnel pages, the score pages and the
    // alerts are written by the stream consumers one after another, so wait until they have all caught up.
    await runtime.drainStream();
    browser = await launchChromium();
    if (SCREENSHOTS_DIR) mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
  });

  // The readers below only read, each in a page of their own, so they read side by side (concurrent); the
  // comments test writes answers (and an alert), so it comes after them, alone.
  describe.concurrent.each([
    ['en', 'desktop', { width: 1280, height: 900 }],
    ['pl', 'desktop', { width: 1280, height: 900 }],
    ['en', 'phone', { width: 390, height: 844 }],
    ['pl', 'phone', { width: 390, height: 844 }],
  ] as const)('in %s on a %s', (language, size, viewport) => {
    it("Should show the API's funnel, rates, split and trend, readable by a screen reader and by keyboard", async () => {
      // Prepare
      const context = await browser.newContext({ viewport, locale: language === 'pl' ? 'pl-PL' : 'en-GB', timezoneId: 'Europe/Warsaw' });
      const page = await withDemoLogin(await context.newPage(), runtime);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const api = await funnel('window=30d&segment=channel');
      const t = FUNNEL_TEXTS[language];

      // Act
      await page.goto(`${runtime.apiUrl}/dashboard?lang=${language}`);
      await page.waitForSelector('body[data-loaded]', { timeout: 45_000 });
      await page.waitForSelector('#funnel[data-loaded="30d:channel:"]');

      // Assess: the figures are the API's
      expect(errors).toEqual([]);
      expect(await page.textContent('#funnel-title')).toBe(t.title);
      expect(Number(await page.getAttribute('[data-testid="funnel-rate"]', 'data-value'))).toBe(api.responseRate);
      const rateText = (await page.textContent('[data-testid="funnel-rate"] .value')) ?? '';
      expect(rateText).toMatch(language === 'pl' ? /\d,\d/ : /\d\.\d/); // the decimal sign of the reader's language
      for (const step of ['scheduled', 'sent', 'delivered', 'opened', 'answered'] as const) {
        expect(Number(await page.getAttribute(`.funnel-row[data-step="${step}"]`, 'data-count'))).toBe(api[step]);
      }
      const keys = await page.locator('#funnel-segments tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
      expect(keys).toEqual(api.segments!.map((s) => s.key));
      expect(await page.textContent('#funnel-leader')).toContain(api.leader ? api.leader.key : '');
      // Charts have names a screen reader reads
      expect(await page.getAttribute('#funnel-chart', 'aria-label')).toContain(t.steps.answered);
      expect(await page.getAttribute('[data-testid="tile-nps"] .split-bar', 'aria-label')).toContain(t.split.nps.parts[0]!);
      expect(await page.getAttribute('#chart', 'aria-label')).toContain('NPS');
      expect(await page.getAttribute('#chart', 'data-weekly')).toBe('true'); // a dozen answers a day: weekly points
      // Every control of the panel is reached with Tab
      const reached: string[] = [];
      for (let i = 0; i < 40 && !reached.includes('funnel-segment'); i++) {
        await page.keyboard.press('Tab');
        reached.push(await page.evaluate(() => document.activeElement?.id ?? ''));
      }
      expect(reached).toContain('funnel-survey');
      expect(reached).toContain('funnel-segment');
      // Nothing widens the page past the screen (wide tables scroll in their own box)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      if (SCREENSHOTS_DIR) await page.screenshot({ path: `${SCREENSHOTS_DIR}/dashboard-${language}-${size}.png`, fullPage: true });
      await context.close();
    });
  });

  it.concurrent("Should filter the alerts inbox by kind and store, newest first, and show a customer's earlier answers", async () => {
    // Prepare
    const page = await withDemoLogin(await browser.newPage(), runtime);
    await page.goto(`${runtime.apiUrl}/dashboard?lang=pl`);
    await page.waitForSelector('#alerts tr[data-alert-id]', { timeout: 45_000 });
    const alerts = (await (await fetch(`${runtime.apiUrl}/api/alerts?status=open`)).json()) as Array<{
      id: string;
      createdAt: string;
      segments: { store?: string };
    }>;
    const krakow = alerts.filter((a) => a.segments.store === 'krakow');

    // Act
    await page.selectOption('#alert-filter-kind', 'detractor');
    await page.selectOption('#alert-filter-store', 'krakow');
    const shown = await page.locator('#alerts tr[data-alert-id]:not([hidden])').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alert-id')));
    await page.locator('#alerts tr[data-alert-id]:not([hidden]) button.history').first().click();
    await page.waitForSelector('.history-row');

    // Assess
    expect(new Set(shown)).toEqual(new Set(krakow.map((a) => a.id)));
    const times = krakow.filter((a) => shown.includes(a.id)).map((a) => a.createdAt);
    expect(shown.map((id) => alerts.find((a) => a.id === id)!.createdAt)).toEqual([...times].sort().reverse()); // newest first
    expect(await page.textContent('#alert-filter-count')).toContain(String(krakow.length));
    expect(await page.getAttribute('#alerts button.history[aria-expanded="true"]', 'aria-expanded')).toBe('true');
    expect(await page.textContent('.history-row')).toContain(FUNNEL_TEXTS.pl.alerts.historyOf);
    await page.close();
  });

  it.concurrent('Should follow a change of split and survey to what the API gives for them', async () => {
    // Prepare
    const page = await withDemoLogin(await browser.newPage(), runtime);
    await page.goto(`${runtime.apiUrl}/dashboard?lang=en`);
    await page.waitForSelector('#funnel[data-loaded="30d:channel:"]');
    const api = await funnel('window=30d&survey=nps-post-purchase&segment=sendHour');

    // Act
    await page.selectOption('#funnel-survey', 'nps-post-purchase');
    await page.waitForSelector('#funnel[data-loaded="30d:channel:nps-post-purchase"]');
    await page.selectOption('#funnel-segment', 'sendHour');
    await page.waitForSelector('#funnel[data-loaded="30d:sendHour:nps-post-purchase"]');

    // Assess
    const keys = await page.locator('#funnel-segments tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    expect(keys).toEqual(api.segments!.map((s) => s.key));
    expect(await page.textContent('#funnel-segments tbody tr th')).toMatch(/\d\d:00/); // the hour in the reader's time zone
    await page.close();
  });

  it("Should list the latest comments newest first, escaped, in the reader's language, with nothing naming the customer", async () => {
    // Prepare: two comments, one of them with markup
    const db = DynamoDBDocumentClient.from(localDynamoClient(runtime.dynamoEndpoint), { marshallOptions: { removeUndefinedValues: true } });
    const store = surveyPorts(db, runtime.tableName);
    const at = new Date().toISOString();
    const base: SurveyResponse = {
      invitationId: 'comment-feed-1',
      surveyId: 'nps-post-purchase',
      metric: 'nps',
      customerId: 'c-comment-secret',
      score: 2,
      segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: 'krakow' },
      locale: 'pl',
      subjectRef: 'o-c1',
      status: 'final',
      version: 1,
      answeredAt: at,
      updatedAt: at,
      comment: 'Paczka <img src=x onerror=alert(1)> zniszczona',
    };
    await store.putResponse(base, 0);
    await store.putResponse(
      { ...base, invitationId: 'comment-feed-2', score: 10, comment: 'Świetnie', updatedAt: new Date(Date.now() + 1000).toISOString() },
      0,
    );
    const api = (await (await fetch(`${runtime.apiUrl}/api/comments?days=7`)).json()) as Array<{ comment: string }>;
    const page = await withDemoLogin(await browser.newPage(), runtime);

    // Act
    await page.goto(`${runtime.apiUrl}/dashboard?lang=pl`);
    await page.waitForSelector('#comments-feed li');

    // Assess
    expect(api.slice(0, 2).map((c) => c.comment)).toEqual(['Świetnie', base.comment]);
    expect(JSON.stringify(api)).not.toContain('c-comment-secret');
    const shown = await page.locator('#comments-feed blockquote').allTextContents();
    expect(shown.slice(0, 2)).toEqual(['Świetnie', base.comment]); // as text: the markup is shown, not run
    expect(await page.locator('#comments-feed img').count()).toBe(0);
    expect(await page.textContent('#comments-feed li')).toContain(FUNNEL_TEXTS.pl.comments.categories.promoter);
    await page.close();
  });
});
