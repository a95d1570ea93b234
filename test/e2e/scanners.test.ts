/**
 * Mail scanners, played against the local runtime: each pattern hits the links of its own survey
 * mail, and none of them may leave a response (or an alert). Then people who click after a scanner
 * burst are counted, exactly once. People in their own browsers: test/e2e/browser-responses.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { configure } from '../../functions/shared/env.ts';
import { BROWSER_UA } from '../support/http.ts';
import {
  invitationItems,
  launchChromium,
  personContext,
  publishedAlerts,
  sendSurvey,
  sendSurveys,
  sleep,
  storedResponse,
  type SentSurvey,
} from '../support/survey-links.ts';

const BOT_UA = 'Mozilla/5.0 (compatible; LinkCheckBot/2.1; +https://scanner.example/bot)';
const SCORES = Array.from({ length: 11 }, (_, s) => s);
/** Burst window of surveys/human-evidence.ts plus a margin: a person after that is not in the burst. */
const AFTER_BURST_MS = 10_500;

let runtime: Runtime;
let browser: Browser;
const surveys = new Map<string, SentSurvey>();
/** When each pattern's scanner stopped (epoch ms). */
const burstEndedAt = new Map<string, number>();

const PATTERNS = [
  'sequential GETs of every link with a browser user agent',
  'HEAD of every link',
  'parallel GETs of every link with a bot user agent',
  'a headless browser opening every link without interaction',
  'a single GET of the lowest score',
  'a sandbox fetching every link and posting the page answer at once',
  'a sandbox pressing Send on every page in parallel',
  'a headless browser moving the mouse on every page and moving on',
  'a real browser interacting from a mail-gateway network',
] as const;

beforeAll(async () => {
  process.env.RATE_LIMIT_ADDRESS_PER_MINUTE = '100000'; // every request here comes from 127.0.0.1
  runtime = await startTestRuntime();
  browser = await launchChromium();
  const sent = await sendSurveys(
    runtime,
    PATTERNS.map((_, i) => `scan-${i}`),
  );
  PATTERNS.forEach((name, i) => surveys.set(name, sent[i]!));
  await sleep(2_100); // past the "too soon after sending" rule: only the pattern itself is judged
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  delete process.env.RATE_LIMIT_ADDRESS_PER_MINUTE;
});

const get = (url: string, userAgent = BROWSER_UA, method = 'GET') => fetch(url, { method, headers: { 'user-agent': userAgent } });
const answer = (survey: SentSurvey, score: number, evidence: 'interaction' | 'button', userAgent = BROWSER_UA) =>
  fetch(survey.answerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent, 'sec-fetch-site': 'same-origin' },
    body: `score=${score}&evidence=${evidence}`,
  });

/** Plays a pattern on its survey; asserts that nothing was answered, a moment later too. */
async function play(name: (typeof PATTERNS)[number], scanner: (survey: SentSurvey) => Promise<void>) {
  const survey = surveys.get(name)!;
  await scanner(survey);
  burstEndedAt.set(name, Date.now());
  await sleep(300);
  return { survey, response: await storedResponse(runtime, survey.invitationId) };
}

// The patterns below run side by side (it.concurrent): each plays on the links of its own invitation, and the
// scanner rules judge one invitation's opens (surveys/human-evidence.ts), so they cannot meet; together they
// wait their seconds once instead of once each. Those refused by timing, that change the configuration or race a
// delivery run alone, after them.
describe('mail scanners leave no response', () => {
  it.concurrent('sequential GETs of every link with a browser user agent', async () => {
    // Act
    const { survey, response } = await play('sequential GETs of every link with a browser user agent', async (s) => {
      for (const score of SCORES) expect((await get(s.links.get(score)!)).status).toBe(200);
    });

    // Assess
    expect(response).toBeUndefined();
    expect((await invitationItems(runtime, survey.invitationId)).map((i) => i.sk).sort()).toEqual(['INVITATION', 'OPENS']);
  });

  it.concurrent('HEAD of every link, which reads and writes nothing', async () => {
    // Act
    const { survey, response } = await play('HEAD of every link', async (s) => {
      const answers = await Promise.all(SCORES.map((score) => get(s.links.get(score)!, BOT_UA, 'HEAD')));
      for (const a of answers) expect(a.status).toBe(200);
    });

    // Assess
    expect(response).toBeUndefined();
    expect((await invitationItems(runtime, survey.invitationId)).map((i) => i.sk)).toEqual(['INVITATION']);
  });

  it.concurrent('parallel GETs of every link with a bot user agent', async () => {
    // Act
    const { response } = await play('parallel GETs of every link with a bot user agent', async (s) => {
      const answers = await Promise.all(SCORES.map((score) => get(s.links.get(score)!, BOT_UA)));
      for (const a of answers) expect(a.status).toBe(200);
    });

    // Assess
    expect(response).toBeUndefined();
  });

  it.concurrent('a headless browser opening every link without interaction, staying 4 s on each', async () => {
    // Act
    const { response } = await play('a headless browser opening every link without interaction', async (s) => {
      const context = await personContext(browser); // a scanner that hides its headless user agent
      const pages = await Promise.all(SCORES.map(() => context.newPage()));
      await Promise.all(pages.map((page, score) => page.goto(s.links.get(score)!)));
      await sleep(4_000);
      await context.close();
    });

    // Assess
    expect(response).toBeUndefined();
  });

  it.concurrent('a single GET of the lowest score', async () => {
    // Act
    const { response } = await play('a single GET of the lowest score', async (s) => {
      expect((await get(s.links.get(0)!)).status).toBe(200);
      await sleep(3_000);
    });

    // Assess
    expect(response).toBeUndefined();
  });

  // Alone: these scanners answer (or their page does as they move on), and what refuses them is time (within 2 s
  // of the open, inside the burst), which a process busy with other patterns could stretch.
  it('a headless browser moving the mouse on every page and moving on after 0.6 s', async () => {
    // Act
    const { response } = await play('a headless browser moving the mouse on every page and moving on', async (s) => {
      const context = await personContext(browser);
      const page = await context.newPage();
      for (const score of SCORES) {
        await page.goto(s.links.get(score)!);
        await page.mouse.move(100 + score, 200);
        await page.mouse.move(300, 250 + score);
        await sleep(600);
      }
      await sleep(1_500);
      await context.close();
    });

    // Assess
    expect(response).toBeUndefined();
  });

  it('a sandbox fetching every link and posting the page answer at once', async () => {
    // Act
    const statuses: number[] = [];
    const { response } = await play('a sandbox fetching every link and posting the page answer at once', async (s) => {
      for (const score of SCORES) {
        await get(s.links.get(score)!);
        statuses.push((await answer(s, score, 'interaction')).status);
      }
    });

    // Assess
    expect(response).toBeUndefined();
    expect(new Set(statuses)).toEqual(new Set([403]));
  });

  it('a sandbox pressing Send on every page in parallel, 3 s after opening them', async () => {
    // Act
    const { response } = await play('a sandbox pressing Send on every page in parallel', async (s) => {
      await Promise.all(SCORES.map((score) => get(s.links.get(score)!)));
      await sleep(3_000);
      const answers = await Promise.all(SCORES.map((score) => answer(s, score, 'button')));
      for (const a of answers) expect(a.status).toBe(403);
    });

    // Assess
    expect(response).toBeUndefined();
  });

  it('a real browser interacting from a mail-gateway network (SCANNER_NETWORKS)', async () => {
    // Prepare: this machine's address becomes a scanner network, for this pattern only
    process.env.SCANNER_NETWORKS = '127.0.0.0/8,::1/128';
    configure(); // the runtime's functions read the configuration installed here
    try {
      // Act
      const { response } = await play('a real browser interacting from a mail-gateway network', async (s) => {
        const context = await personContext(browser);
        const page = await context.newPage();
        await page.goto(s.links.get(3)!);
        await page.mouse.move(120, 220);
        await page
          .getByRole('status')
          .filter({ hasText: /could not|not saved/i })
          .waitFor({ timeout: 20_000 });
        await context.close();
      });

      // Assess
      expect(response).toBeUndefined();
    } finally {
      delete process.env.SCANNER_NETWORKS;
      configure();
    }
  });

  it('a GET and the page answer within 2 s of delivery', async () => {
    // Prepare: a mail of its own, watched closely so that the scanner acts as it arrives
    const survey = await sendSurvey(runtime, 'scan-on-delivery', { pollMs: 20 });
    const pagesShown: number[] = [];

    // Act: like a gateway at delivery, fetch and answer again and again during the first 1.5 s
    while (Date.now() - survey.seenAt < 1_500) {
      pagesShown.push((await get(survey.links.get(0)!)).status);
      await answer(survey, 0, 'interaction');
      await answer(survey, 0, 'button');
      await sleep(100);
    }
    await sleep(500);

    // Assess: the page was served (the link worked) and nothing was answered
    expect(pagesShown).toContain(200);
    expect(await storedResponse(runtime, survey.invitationId)).toBeUndefined();
  });

  it('and no alert was published for any of them', async () => {
    // Act
    await runtime.drainStream();

    // Assess
    expect(await publishedAlerts(runtime)).toEqual([]);
  });
});

describe('a person who clicks after a scanner burst', () => {
  // Side by side too: three invitations, three browser contexts, each waiting out its own burst.
  it.concurrent.each([
    { after: 'parallel GETs of every link with a bot user agent', score: 9, how: 'mouse' },
    { after: 'a headless browser opening every link without interaction', score: 10, how: 'keyboard' },
    { after: 'a sandbox pressing Send on every page in parallel', score: 8, how: 'touch' },
  ] as const)('Should be counted exactly once after "$after" ($how)', async ({ after, score, how }) => {
    // Prepare: the burst is over
    const survey = surveys.get(after)!;
    await sleep(Math.max(0, burstEndedAt.get(after)! + AFTER_BURST_MS - Date.now()));
    const context = await personContext(browser, how === 'touch' ? { hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } } : {});
    const page = await context.newPage();

    // Act: the person opens their link and, reading the page, touches it
    await page.goto(survey.links.get(score)!);
    if (how === 'mouse') await page.mouse.move(200, 300);
    if (how === 'keyboard') await page.keyboard.press('Tab');
    if (how === 'touch') await page.touchscreen.tap(20, 20);
    await page.getByRole('status').filter({ hasText: /saved/i }).waitFor({ timeout: 20_000 });
    await page.reload(); // the same person again: the page knows the answer is saved and posts nothing
    await page.mouse.move(10, 10);
    await sleep(3_000);
    await context.close();

    // Assess
    const response = await storedResponse(runtime, survey.invitationId);
    expect(response).toMatchObject({ score, version: 1, status: 'final', customerId: survey.customerId });
  });

  it('Should not have raised an alert for the promoters', async () => {
    // Act
    await runtime.drainStream();

    // Assess
    expect(await publishedAlerts(runtime)).toEqual([]);
  });
});
