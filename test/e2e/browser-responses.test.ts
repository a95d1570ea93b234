/**
 * People answering in a real browser (Debian's Chromium through playwright-core) on the local
 * runtime: with JavaScript (mouse, keyboard, touch), without it (the Send button), changing their
 * answer, commenting. Each is counted exactly once. And what must not work: tampered, unknown and
 * expired links, cross-site posts, floods, oversized bodies — each a friendly page, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { UpdateCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createLinkSigner } from '../../surveys/links.ts';
import { localDynamoClient } from '../../local/dynamodb.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { atFreshRateWindow, waitFor } from '../support/http.ts';
import { invitationItems, launchChromium, personContext, PERSON_UA, sendSurveys, sleep, storedResponse, type SentSurvey } from '../support/survey-links.ts';

let runtime: Runtime;
let browser: Browser;
const surveys = new Map<string, SentSurvey>();
const PEOPLE = ['mouse', 'radio', 'keyboard', 'no-js', 'double', 'comment', 'edit', 'cross-site', 'expired', 'flood', 'polish'] as const;
type Person = (typeof PEOPLE)[number];
const survey = (who: Person) => surveys.get(who)!;

beforeAll(async () => {
  process.env.RATE_LIMIT_ADDRESS_PER_MINUTE = '100000'; // every request here comes from 127.0.0.1
  runtime = await startTestRuntime();
  browser = await launchChromium();
  const sent = await sendSurveys(
    runtime,
    PEOPLE.map((who) => `person-${who}`),
    { localeOf: (id) => (id === 'person-polish' ? 'pl-PL' : 'en-GB') },
  );
  PEOPLE.forEach((who, i) => surveys.set(who, sent[i]!));
  await sleep(2_100); // nobody answers within 2 s of sending
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  delete process.env.RATE_LIMIT_ADDRESS_PER_MINUTE;
});

/** A person reads the page before pressing Send (the server refuses answers within 2 s of the link opening). */
const READING_MS = 2_500;

const savedStatus = (page: Page) =>
  page
    .getByRole('status')
    .filter({ hasText: /answer is saved/i })
    .waitFor({ timeout: 20_000 }); // the page waits 2 s before it posts; a loaded machine adds seconds

// Each person below answers their own invitation in a browser context of their own, so the people of one
// describe answer side by side (it.concurrent): their reading and saving waits pass once, not once each.
describe('a person with JavaScript', () => {
  it.concurrent('Should be counted once after moving the mouse over the page, and not again on a reload', async () => {
    // Prepare
    const context = await personContext(browser);
    const page = await context.newPage();

    // Act
    const opened = await page.goto(survey('mouse').links.get(9)!);
    await page.mouse.move(200, 300);
    await savedStatus(page);
    await page.reload();
    await page.mouse.move(20, 30);
    await sleep(3_000);
    await context.close();

    // Assess
    expect(opened?.headers()).toMatchObject({ 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' });
    expect(opened?.headers()['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
    expect(await storedResponse(runtime, survey('mouse').invitationId)).toMatchObject({ score: 9, version: 1, status: 'final' });
  });

  it.concurrent('Should record only the score clicked on the page, not the one of the link', async () => {
    // Prepare
    const context = await personContext(browser);
    const page = await context.newPage();

    // Act: the link said 3; the person clicks 8 on the page right away
    await page.goto(survey('radio').links.get(3)!);
    await page.getByRole('radio', { name: /Rate 8 out of 10/ }).click();
    await savedStatus(page);
    await context.close();

    // Assess
    expect(await storedResponse(runtime, survey('radio').invitationId)).toMatchObject({ score: 8, version: 1 });
  });

  it.concurrent('Should replace the score when the person changes it within the edit window, as version 2', async () => {
    // Prepare
    const context = await personContext(browser);
    const page = await context.newPage();
    await page.goto(survey('edit').links.get(9)!);
    await page.mouse.move(50, 60);
    await savedStatus(page);

    // Act
    await page.getByRole('radio', { name: /Rate 4 out of 10/ }).check();
    await page
      .getByRole('status')
      .filter({ hasText: /answer is saved/i })
      .waitFor({ timeout: 20_000 });
    await waitFor(
      'the edit stored as version 2',
      async () => ((await storedResponse(runtime, survey('edit').invitationId))?.version === 2 ? true : undefined),
      20_000,
    );
    await context.close();

    // Assess
    expect(await storedResponse(runtime, survey('edit').invitationId)).toMatchObject({ score: 4, version: 2 });
  });

  // Alone, after the others (a warm browser, nothing else in this process): the page saves once the keys have
  // settled for 300 ms, so keys slowed by a busy machine would save a score passed on the way.
  it('Should record the score a keyboard-only person settles on, not each one passed on the way', async () => {
    // Prepare
    const context = await personContext(browser);
    const page = await context.newPage();

    // Act: Tab into the radio group (on 5), arrow down to 2 and back up to 7
    await page.goto(survey('keyboard').links.get(5)!);
    await page.keyboard.press('Tab');
    for (const key of ['ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight'])
      await page.keyboard.press(key);
    await savedStatus(page);
    await context.close();

    // Assess
    expect(await storedResponse(runtime, survey('keyboard').invitationId)).toMatchObject({ score: 7, version: 1 });
  });
});

describe('a person without JavaScript', () => {
  it.concurrent('Should be counted once after pressing Send, with the comment typed on the page', async () => {
    // Prepare
    const context = await personContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(survey('no-js').links.get(2)!);

    // Act
    await page.getByLabel(/main reason/i).fill('The parcel came late.');
    await sleep(READING_MS);
    await page.getByRole('button', { name: 'Send' }).click();

    // Assess
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you!');
    expect(await page.textContent('body')).toMatch(/reads every comment/);
    expect(await storedResponse(runtime, survey('no-js').invitationId)).toMatchObject({ score: 2, comment: 'The parcel came late.', status: 'final' });
    await context.close();
  });

  it.concurrent('Should store one response when Send is pressed twice', async () => {
    // Prepare
    const context = await personContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(survey('double').links.get(6)!);
    await sleep(READING_MS);

    // Act
    await page.getByRole('button', { name: 'Send' }).click({ clickCount: 2 });
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor({ timeout: 15_000 });
    await page.goBack(); // and, later, once more from the page before
    await sleep(READING_MS);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor({ timeout: 15_000 });
    await context.close();

    // Assess
    expect(await storedResponse(runtime, survey('double').invitationId)).toMatchObject({ score: 6, version: 1 });
  });

  it.concurrent('Should take a comment on the thank-you page and show it back escaped, as text', async () => {
    // Prepare
    const hostile = '<img src=x onerror="document.title=\'owned\'"><script>document.title="owned"</script> & "quotes"';
    const context = await personContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(survey('comment').links.get(10)!);
    await sleep(READING_MS);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor({ timeout: 15_000 });

    // Act
    await page.getByLabel(/main reason/i).fill(hostile);
    await page.getByRole('button', { name: 'Send' }).click();

    // Assess
    await page.getByText('Your comment is saved').waitFor();
    expect(await page.locator('blockquote').textContent()).toBe(hostile);
    expect(await page.title()).not.toBe('owned');
    expect(await page.locator('img').count()).toBe(0);
    expect(await storedResponse(runtime, survey('comment').invitationId)).toMatchObject({ score: 10, comment: hostile, version: 2 });
    await context.close();
  });
});

describe('what a link refuses', () => {
  it('Should refuse a form posted from another site, writing nothing', async () => {
    // Prepare: a page on another origin with a form aimed at the survey link
    const foreign: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<form method="post" action="${survey('cross-site').answerUrl}"><input name="score" value="0"><input name="evidence" value="button"><button>Go</button></form>`,
      );
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const context = await personContext(browser);
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${(foreign.address() as { port: number }).port}/`);

    // Act
    const [answer] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Go' }).click()]);

    // Assess
    expect(answer?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your answer is not saved yet');
    expect(await storedResponse(runtime, survey('cross-site').invitationId)).toBeUndefined();
    await context.close();
    await new Promise((resolve) => foreign.close(resolve));
  });

  describe.each([
    {
      name: 'a tampered link',
      link: (s: SentSurvey) => s.links.get(5)!.replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`),
      status: 404,
      title: 'This link does not work',
    },
    {
      name: 'a link cut short',
      link: (s: SentSurvey) =>
        s.links
          .get(5)!
          .replace(/\?s=5$/, '')
          .slice(0, -3),
      status: 404,
      title: 'This link does not work',
    },
    {
      name: 'a well-signed link to an unknown invitation',
      link: () => `${runtime.apiUrl}/r/${createLinkSigner(process.env.LINK_SECRET!).sign(randomBytes(16).toString('base64url'))}?s=5`,
      status: 404,
      title: 'Page not found',
    },
    { name: 'an expired link', link: (s: SentSurvey) => s.links.get(5)!, status: 410, title: 'This survey has closed', expire: true },
  ])('$name', ({ link, status, title, expire }) => {
    it(`Should answer ${status} with a friendly page and write nothing`, async () => {
      // Prepare
      const s = survey('expired');
      if (expire) {
        const db = DynamoDBDocumentClient.from(localDynamoClient(runtime.dynamoEndpoint));
        await db.send(
          new UpdateCommand({
            TableName: runtime.tableName,
            Key: { pk: `INV#${s.invitationId}`, sk: 'INVITATION' },
            UpdateExpression: 'SET expiresAt = :past',
            ExpressionAttributeValues: { ':past': '2020-01-01T00:00:00.000Z' },
          }),
        );
      }
      const context = await personContext(browser);
      const page = await context.newPage();

      // Act
      const opened = await page.goto(link(s));
      const posted = await fetch(link(s).split('?')[0]!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': PERSON_UA },
        body: 'score=5&evidence=button',
      });

      // Assess
      expect(opened?.status()).toBe(status);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
      expect(opened?.headers()['referrer-policy']).toBe('no-referrer');
      expect(posted.status).toBe(status);
      expect((await invitationItems(runtime, s.invitationId)).map((i) => i.sk)).toEqual(['INVITATION']);
      await context.close();
    });
  });

  it('Should speak Polish to a Polish customer, and to a Polish browser on a broken link', async () => {
    // Prepare
    // Without script: the page must not post a dwell while it is read (the tests below need this link unanswered).
    const context = await personContext(browser, { locale: 'pl-PL', extraHTTPHeaders: { 'accept-language': 'pl-PL,pl;q=0.9' }, javaScriptEnabled: false });
    const page = await context.newPage();

    // Act
    await page.goto(survey('polish').links.get(9)!);
    const pageLanguage = await page.getAttribute('html', 'lang');
    const button = await page.getByRole('button').textContent();
    const broken = await page.goto(`${runtime.apiUrl}/r/not-a-token?s=1`);

    // Assess
    expect(pageLanguage).toBe('pl');
    expect(button).toBe('Wyślij');
    expect(broken?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ten link nie działa');
    await context.close();
  });

  it('Should slow a flood of one link down with 429, a Retry-After and a localized page', async () => {
    // Prepare
    const s = survey('flood');
    const statuses: number[] = [];

    // The limit counts per fixed minute: a flood that straddled a minute's end would start a new count midway.
    const window = await atFreshRateWindow(60, 20_000);

    // Act: 70 opens of one link within seconds (the limit is 60 a minute per link)
    for (let i = 0; i < 70; i++) statuses.push((await fetch(s.links.get(1)!, { headers: { 'user-agent': PERSON_UA } })).status);
    const limited = await fetch(s.links.get(1)!, { headers: { 'user-agent': PERSON_UA, 'accept-language': 'pl' } });

    // Assess
    expect(Math.floor(Date.now() / 60_000), 'the flood (70 opens) fitted in the rate-limit minute it started in').toBe(window);
    expect(statuses.slice(0, 60)).toEqual(Array(60).fill(200));
    expect(statuses.slice(60)).toEqual(Array(10).fill(429));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Zbyt wiele prób');
    expect(await storedResponse(runtime, s.invitationId)).toBeUndefined();
  });

  it('Should refuse a body larger than 32 KB with 413 and a page, writing nothing', async () => {
    // Prepare
    const s = survey('polish');

    // Act
    const answer = await fetch(s.answerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': PERSON_UA },
      body: `score=9&evidence=button&comment=${'x'.repeat(40 * 1024)}`,
    });

    // Assess
    expect(answer.status).toBe(413);
    expect(answer.headers.get('content-type')).toMatch(/text\/html/);
    expect(await storedResponse(runtime, s.invitationId)).toBeUndefined();
  });

  it('Should keep a comment one character too long, say so next to it, and save the score', async () => {
    // Prepare
    const s = survey('polish');
    const typed = 'ą'.repeat(2001);
    await new Promise((r) => setTimeout(r, 2100)); // the Polish test above opened this link moments ago: a person reads first

    // Act
    const answer = await fetch(s.answerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': PERSON_UA, 'sec-fetch-site': 'same-origin', origin: 'null' },
      body: new URLSearchParams({ score: '9', evidence: 'button', comment: typed }).toString(),
    });
    const page = await answer.text();

    // Assess
    expect(answer.status).toBe(413);
    expect(page).toContain('Komentarz jest za długi. Skróć go do 2000 znaków.');
    expect(page).toContain(`${typed}</textarea>`);
    expect(page).toMatch(/<textarea id="comment" name="comment" rows="4" aria-invalid="true"/);
    expect(await storedResponse(runtime, s.invitationId)).toMatchObject({ score: 9, version: 1 });
    expect((await storedResponse(runtime, s.invitationId))?.comment).toBeUndefined();
  });
});

describe('counting', () => {
  it('Should count each person once in the NPS', async () => {
    // Prepare: the people above who answered an NPS survey
    const answered = (await Promise.all(PEOPLE.map((who) => storedResponse(runtime, survey(who).invitationId)))).filter(Boolean);

    // Act
    const scores = await waitFor('the scores of every answer', async () => {
      const s = (await (await fetch(`${runtime.apiUrl}/api/scores?metric=nps&window=30d`)).json()) as { responses: number };
      return s.responses === answered.length ? s : undefined;
    });

    // Assess
    expect(answered).toHaveLength(8);
    expect(scores.responses).toBe(8);
  });
});
