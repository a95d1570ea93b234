/**
 * Comment topics and sentiment end to end on the local runtime: order events → survey mails → answers
 * with comments in Polish (with and without Polish letters) and English through the real links → the
 * stored classification in the responses export, the drivers of GET /api/insights, the detractor alert
 * in GET /api/alerts and its SNS text; then the dashboard's "What drives the score" panel in Chromium,
 * in Polish and English, with a comment carrying markup shown as text.
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/survey-links.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { DEFAULT_TAXONOMY } from '../../surveys/insights/taxonomy.ts';
import { TEXTS } from '../../surveys/texts/index.ts';
import { BROWSER_UA, mailsTo, orderDelivered, postForm, ratingLinks, waitFor } from '../support/http.ts';
import { withDemoLogin } from '../support/browser-login.ts';

const MARKUP = 'The courier never arrived <img src=x onerror=alert(1)>';

/** The answers, each with the topics and sentiment a reader gives its comment. */
const ANSWERS = [
  { who: 'ins-pl-1', locale: 'pl-PL', score: 2, comment: 'Kurier spóźnił się trzy dni, nie polecam.', topics: ['delivery'], sentiment: 'negative' },
  { who: 'ins-pl-2', locale: 'pl-PL', score: 3, comment: 'Kurier sie spoznil o tydzien, nie polecam', topics: ['delivery'], sentiment: 'negative' },
  {
    who: 'ins-en-1',
    locale: 'en-GB',
    score: 1,
    comment: 'Delivery was late and nobody told me why. Terrible.',
    topics: ['delivery', 'communication'],
    sentiment: 'negative',
  },
  { who: 'ins-en-2', locale: 'en-GB', score: 10, comment: 'Great price, I will buy again.', topics: ['price'], sentiment: 'positive' },
  { who: 'ins-pl-3', locale: 'pl-PL', score: 9, comment: 'Świetna cena, polecam!', topics: ['price'], sentiment: 'positive' },
  { who: 'ins-en-3', locale: 'en-GB', score: 0, comment: MARKUP, topics: ['delivery'], sentiment: 'negative' },
] as const;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Driver {
  topic: string;
  label: string;
  mentions: number;
  share: number;
  negative: number;
  neutral: number;
  positive: number;
  impact: number;
  samples?: Array<{ comment: string }>;
}
interface Insights {
  metric: string;
  window: string;
  responses: number;
  commented: number;
  topics: Driver[];
}
interface ListedAlert {
  kind: string;
  score: number;
  customerId: string;
  topics?: string[];
  sentiment?: string;
}

/** A CSV of the export, as rows of named fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

let runtime: Runtime;
const api = async <T>(path: string) => (await (await fetch(`${runtime.apiUrl}${path}`)).json()) as T;

beforeAll(async () => {
  runtime = await startTestRuntime();

  // Every customer's order is delivered; each answers through the link of the mail they got
  for (const a of ANSWERS) {
    const res = await fetch(`${runtime.apiUrl}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(orderDelivered({ eventId: `ev-${a.who}`, customerId: a.who, locale: a.locale })),
    });
    expect(res.status).toBe(202);
  }
  const links = await Promise.all(
    ANSWERS.map((a) =>
      waitFor(`the mail to ${a.who}`, async () => {
        const [mail] = await mailsTo(runtime.sesUrl, `${a.who}@example.com`);
        return mail ? ratingLinks(mail.body.html!) : undefined;
      }),
    ),
  );
  await pause(2100); // no person answers within 2 s of delivery
  for (const [i, a] of ANSWERS.entries()) expect((await fetch(links[i]!.get(a.score)!, { headers: { 'user-agent': BROWSER_UA } })).status).toBe(200);
  await pause(2100); // a person reads the page before pressing the button
  for (const [i, a] of ANSWERS.entries()) {
    const answered = await postForm(links[i]!.get(a.score)!.split('?')[0]!, { score: String(a.score), evidence: 'button', comment: a.comment });
    expect(answered.status).toBe(200);
    await pause(20); // the answers keep their order, so the newest comment is known
  }
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
});

const detractors = ANSWERS.filter((a) => a.score <= 6);
const expectedTopics = [...new Set(ANSWERS.flatMap((a) => a.topics))];
const insightsOf = (query: string) =>
  waitFor(
    'every comment counted in the topic pages and every answer in the score pages',
    async () => {
      const result = await api<Insights>(`/api/insights?${query}`);
      const counted = result.topics.reduce((n, t) => n + t.mentions, 0);
      // The topic pages and the score pages (responses) are separate items, written one after the other.
      const complete = result.commented === ANSWERS.length && result.responses === ANSWERS.length;
      return complete && counted === ANSWERS.flatMap((a) => a.topics).length ? result : undefined;
    },
    30_000,
  );

describe('comment topics and sentiment through the local runtime', () => {
  it('Should store the topics and sentiment of every comment, in Polish with and without Polish letters and in English, in the responses export', async () => {
    // Prepare
    const today = new Date().toISOString().slice(0, 10);

    // Act
    const rows = await waitFor(
      'every response classified',
      async () => {
        const csv = await (await fetch(`${runtime.apiUrl}/api/export/responses?from=${today}&to=${today}&includePersonalData=true`)).text();
        const parsed = parseCsv(csv).filter((r) => r.customer_id?.startsWith('ins-'));
        return parsed.length === ANSWERS.length && parsed.every((r) => r.sentiment) ? parsed : undefined;
      },
      30_000,
    );

    // Assess
    for (const a of ANSWERS) {
      const row = rows.find((r) => r.customer_id === a.who)!;
      expect({ who: a.who, topics: (row.topics ?? '').split('|').sort(), sentiment: row.sentiment }).toEqual({
        who: a.who,
        topics: [...a.topics].sort(),
        sentiment: a.sentiment,
      });
    }
  }, 40_000);

  it('Should list the topics of the window in GET /api/insights with their mentions, sentiment and the points their detractors cost', async () => {
    // Act
    const result = await insightsOf('metric=nps&window=7d');

    // Assess
    expect(result).toMatchObject({ metric: 'nps', window: '7d', responses: ANSWERS.length, commented: ANSWERS.length });
    expect(result.topics.map((t) => t.topic).sort()).toEqual([...expectedTopics].sort());
    for (const topic of expectedTopics) {
      const mentioning = ANSWERS.filter((a) => (a.topics as readonly string[]).includes(topic));
      const driver = result.topics.find((t) => t.topic === topic)!;
      expect(driver).toMatchObject({
        label: DEFAULT_TAXONOMY.topics.find((t) => t.id === topic)!.label.en,
        mentions: mentioning.length,
        negative: mentioning.filter((a) => a.sentiment === 'negative').length,
        positive: mentioning.filter((a) => a.sentiment === 'positive').length,
      });
      expect(driver.share).toBeCloseTo(mentioning.length / ANSWERS.length, 2);
      // Had this topic's detractors been passives, the NPS would have gained their share of all answers
      expect(driver.impact).toBeCloseTo((mentioning.filter((a) => a.score <= 6).length / ANSWERS.length) * 100, 1);
    }
    expect(result.topics[0]!.topic).toBe('delivery'); // sorted by impact
  }, 40_000);

  it('Should give every detractor alert the topics and sentiment of its comment, and name the topic in the SNS text', async () => {
    // Act
    const alerts = await waitFor('the detractor alerts with their comments', async () => {
      const list = (await api<ListedAlert[]>('/api/alerts?status=open')).filter((a) => a.kind === 'detractor' && a.customerId.startsWith('ins-'));
      return list.length === detractors.length && list.every((a) => a.topics?.length) ? list : undefined;
    });
    const published = await waitFor(
      'the SNS alerts',
      async () => {
        const out = await api<Array<{ attributes: Record<string, string>; body: string }>>('/local/outbox?channel=alert');
        return out.length >= detractors.length ? out : undefined;
      },
      30_000,
    );

    // Assess
    for (const a of detractors) {
      expect(alerts.find((x) => x.customerId === a.who)).toMatchObject({
        score: a.score,
        topics: expect.arrayContaining([...a.topics]),
        sentiment: a.sentiment,
      });
      expect(alerts.find((x) => x.customerId === a.who)!.topics).toHaveLength(a.topics.length);
    }
    // The text's own lines (not the quoted comment) name the topic and the sentiment, in either language
    const delivery = DEFAULT_TAXONOMY.topics.find((t) => t.id === 'delivery')!.label;
    const namesDelivery = (line: string) =>
      (['en', 'pl'] as const).some((l) => line.startsWith(`${TEXTS[l].alerts.labels.topics}: `) && line.includes(delivery[l]));
    const sentimentLine = (['en', 'pl'] as const).map((l) => `${TEXTS[l].alerts.labels.sentiment}: ${TEXTS[l].alerts.sentiments.negative}`);
    expect(published).toHaveLength(detractors.length);
    for (const p of published) {
      const lines = p.body.split('\n');
      expect(lines.some(namesDelivery)).toBe(true);
      expect(lines.some((line) => sentimentLine.includes(line))).toBe(true);
    }
  }, 40_000);
});

describe('the "What drives the score" panel in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    await insightsOf('metric=nps&window=30d');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it.each(['pl', 'en'] as const)(
    'Should show the topics in %s, sorted by impact, with their labels translated and the sample comments as text',
    async (language) => {
      // Prepare
      const page = await withDemoLogin(await browser.newPage(), runtime);
      const errors: string[] = [];
      const dialogs: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      const api30 = await api<Insights>(`/api/insights?metric=nps&window=30d&lang=${language}`);

      // Act
      await page.goto(`${runtime.apiUrl}/dashboard?lang=${language}`);
      await page.waitForSelector('body[data-loaded]', { timeout: 45_000 });
      await page.waitForSelector('#drivers[data-loaded="nps:30d"] #drivers-table');
      const rows = await page.locator('#drivers-table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          topic: tr.getAttribute('data-topic'),
          impact: Number(tr.getAttribute('data-impact')),
          label: tr.querySelector('strong')?.textContent,
        })),
      );
      const samples = await page.locator('#drivers-table tr[data-topic="delivery"] .samples li').allTextContents();

      // Assess
      expect(errors).toEqual([]);
      expect(await page.textContent('section.drivers h2')).toBe(TEXTS[language].dashboard.drivers.title);
      expect(rows.map((r) => r.topic)).toEqual(api30.topics.map((t) => t.topic));
      expect(rows.map((r) => r.topic).sort()).toEqual([...expectedTopics].sort());
      expect(rows.map((r) => r.impact)).toEqual([...rows.map((r) => r.impact)].sort((x, y) => y - x));
      for (const r of rows) expect(r.label).toBe(DEFAULT_TAXONOMY.topics.find((t) => t.id === r.topic)!.label[language]);
      expect(samples).toContain(`“${MARKUP}”`); // the markup is shown, not run
      expect(await page.locator('#drivers img').count()).toBe(0);
      await pause(200);
      expect(dialogs).toEqual([]);
      await page.close();
    },
  );
});
