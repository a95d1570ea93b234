/**
 * People and mail scanners as they behave on a survey link, played against the local runtime with a
 * real Chromium: shared by the dwell e2e test (test/e2e/dwell.test.ts) and the behaviour benchmark
 * (bench/people.ts). Each behaviour gets a survey mail of its own and reports what its requests got,
 * so that a scanner's answer is caught even when a person on the same link is counted.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Runtime } from '../../local/runtime.ts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BROWSER_UA, waitFor } from './http.ts';
import { DynamoLinkActivityStore } from '../../functions/adapters/dynamodb/link-activity-store.ts';
import { localDynamoClient } from '../../local/dynamodb.ts';
import { DEFAULT_EVIDENCE_RULES } from '../../surveys/human-evidence.ts';
import { personContext, publishedAlerts, type SentSurvey, sendSurvey, sendSurveys, sleep, storedResponse } from './survey-links.ts';

/** When a behaviour starts: as the mail arrives (`delivery`), or a while later, as people read mail (`later`). */
export type Moment = 'delivery' | 'later';

export interface Play {
  runtime: Runtime;
  browser: Browser;
  survey: SentSurvey;
  /** Notes the status of every answer a scanner sent (POST of the rating page). */
  scannerPost: (status: number) => void;
}

export interface Behaviour {
  name: string;
  kind: 'person' | 'scanner';
  at: Moment;
  /** For people: the score they mean (the one that must be counted). */
  score?: number;
  /** Runs alone: it changes the runtime's settings (SCANNER_NETWORKS) for its duration. */
  alone?: boolean;
  play: (p: Play) => Promise<void>;
}

export const SCORES = Array.from({ length: 11 }, (_, s) => s);
const BOT_UA = 'Mozilla/5.0 (compatible; LinkCheckBot/2.1; +https://scanner.example/bot)';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;
const SAVED = /answer is saved/i;

const get = (url: string, userAgent = BROWSER_UA, method = 'GET') => fetch(url, { method, headers: { 'user-agent': userAgent } });
const post = (s: SentSurvey, body: string) =>
  fetch(s.answerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': BROWSER_UA, 'sec-fetch-site': 'same-origin' },
    body,
  });

/** A browser context whose rating-page answers are reported as a scanner's. */
async function scannerContext(p: Play, options: Parameters<typeof personContext>[1] = {}): Promise<BrowserContext> {
  const context = await personContext(p.browser, options); // scanners hide their headless user agent
  context.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url().includes('/r/')) p.scannerPost(r.status());
  });
  return context;
}

async function visit(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

const waitSaved = (page: Page) => page.getByRole('status').filter({ hasText: SAVED }).waitFor({ timeout: 15_000 });

/** A person: opens their link, does `act`, closes the page. */
function person(name: string, score: number, act: (page: Page) => Promise<void>, options: Parameters<typeof personContext>[1] = {}): Behaviour {
  return {
    name,
    kind: 'person',
    at: 'later',
    score,
    play: async ({ browser, survey }) => {
      const context = await personContext(browser, options);
      try {
        await act(await visit(context, survey.links.get(score)!));
      } finally {
        await context.close();
      }
    },
  };
}

export const PEOPLE: Behaviour[] = [
  person(
    'reader on a desktop (no input, 5 s)',
    9,
    async () => {
      await sleep(5_000);
    },
    { viewport: { width: 1280, height: 800 } },
  ),
  person(
    'reader on a phone (no input, 4 s)',
    10,
    async () => {
      await sleep(4_000);
    },
    PHONE,
  ),
  person('mouse', 9, async (page) => {
    await page.mouse.move(200, 300);
    await waitSaved(page);
  }),
  person('keyboard', 8, async (page) => {
    await page.keyboard.press('Tab');
    await waitSaved(page);
  }),
  person(
    'touch',
    10,
    async (page) => {
      await page.touchscreen.tap(20, 20);
      await waitSaved(page);
    },
    PHONE,
  ),
  person(
    'scroll',
    9,
    async (page) => {
      await page.mouse.wheel(0, 400);
      await waitSaved(page);
    },
    { viewport: { width: 390, height: 420 } },
  ),
  person(
    'no JavaScript, presses Send',
    7,
    async (page) => {
      await sleep(2_500);
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByRole('heading', { name: 'Thank you!' }).waitFor({ timeout: 10_000 });
    },
    { javaScriptEnabled: false },
  ),
  {
    ...person('changes the score (link 9, reads, picks 8)', 8, async () => {}),
    play: async ({ browser, survey }) => {
      const context = await personContext(browser);
      const page = await visit(context, survey.links.get(9)!);
      await sleep(4_000); // long enough for the page to post 9 as a dwell
      await page.getByRole('radio', { name: /Rate 8 out of 10/ }).click();
      await waitSaved(page);
      await context.close();
    },
  },
  {
    ...person('slow 3G phone reader (no input, 6 s)', 9, async () => {}),
    play: async ({ browser, survey }) => {
      const context = await personContext(browser, PHONE);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      // Chrome DevTools' "Slow 3G": 2 s round trips, 400 kbit/s each way.
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 2_000, downloadThroughput: 50_000, uploadThroughput: 50_000 });
      await page.goto(survey.links.get(9)!, { timeout: 30_000 });
      await sleep(6_000);
      await context.close();
    },
  },
];

/** Today's ten patterns (test/e2e/scanners.test.ts), then the four that dwell makes matter. */
export const SCANNERS: Behaviour[] = [
  scanner('sequential GETs of every link with a browser user agent', async ({ survey }) => {
    for (const s of SCORES) await get(survey.links.get(s)!);
  }),
  scanner('HEAD of every link', async ({ survey }) => {
    await Promise.all(SCORES.map((s) => get(survey.links.get(s)!, BOT_UA, 'HEAD')));
  }),
  scanner('parallel GETs of every link with a bot user agent', async ({ survey }) => {
    await Promise.all(SCORES.map((s) => get(survey.links.get(s)!, BOT_UA)));
  }),
  scanner('a headless browser opening every link without interaction, 4 s on each', async (p) => {
    const context = await scannerContext(p);
    await Promise.all(SCORES.map((s) => visit(context, p.survey.links.get(s)!)));
    await sleep(4_000);
    await context.close();
  }),
  scanner('a single GET of the lowest score', async ({ survey }) => {
    await get(survey.links.get(0)!);
  }),
  scanner('a sandbox fetching every link and posting the page answer at once', async (p) => {
    for (const s of SCORES) {
      await get(p.survey.links.get(s)!);
      p.scannerPost((await post(p.survey, `score=${s}&evidence=interaction`)).status);
    }
  }),
  scanner('a sandbox pressing Send on every page in parallel, 3 s after opening', async (p) => {
    await Promise.all(SCORES.map((s) => get(p.survey.links.get(s)!)));
    await sleep(3_000);
    for (const r of await Promise.all(SCORES.map((s) => post(p.survey, `score=${s}&evidence=button`)))) p.scannerPost(r.status);
  }),
  scanner('a headless browser moving the mouse on every page and moving on after 0.6 s', async (p) => {
    const context = await scannerContext(p);
    const page = await context.newPage();
    for (const s of SCORES) {
      await page.goto(p.survey.links.get(s)!);
      await page.mouse.move(100 + s, 200);
      await page.mouse.move(300, 250 + s);
      await sleep(600);
    }
    await sleep(1_500);
    await context.close();
  }),
  {
    ...scanner('a real browser interacting and dwelling from a mail-gateway network', async (p) => {
      process.env.SCANNER_NETWORKS = '127.0.0.0/8,::1/128';
      try {
        const context = await scannerContext(p);
        const page = await visit(context, p.survey.links.get(3)!);
        await sleep(4_000);
        await page.mouse.move(120, 220);
        await sleep(4_000);
        await context.close();
      } finally {
        delete process.env.SCANNER_NETWORKS;
      }
    }),
    at: 'later',
    alone: true,
  },
  scanner('a GET and the page answer within 2 s of delivery', async (p) => {
    while (Date.now() - p.survey.seenAt < 1_500) {
      await get(p.survey.links.get(0)!);
      p.scannerPost((await post(p.survey, 'score=0&evidence=interaction')).status);
      p.scannerPost((await post(p.survey, 'score=0&evidence=button')).status);
      await sleep(100);
    }
  }),
  walkingSandbox(SCORES),
  scanner('a JS sandbox dwelling 8 s on the first link only, right after delivery', async (p) => {
    const context = await scannerContext(p);
    await visit(context, p.survey.links.get(0)!);
    await sleep(8_000);
    await context.close();
  }),
  {
    ...scanner('a time-of-click rescan (JS, dwelling 6 s) of the link a reader clicked', async (p) => {
      const rescan = await scannerContext(p);
      await visit(rescan, p.survey.links.get(9)!); // the gateway checks the link before it lets the person through
      const reader = await personContext(p.browser);
      await visit(reader, p.survey.links.get(9)!);
      await sleep(6_000);
      await Promise.all([rescan.close(), reader.close()]);
    }),
    at: 'later',
    score: 9, // the reader behind it is counted, the rescan is not
  },
  {
    ...scanner('a chat app fetching a link preview (Slack, WhatsApp, Teams)', async ({ survey }) => {
      for (const ua of ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'WhatsApp/2.23.20.0 A', 'Mozilla/5.0 SkypeUriPreview Preview/0.5']) {
        await get(survey.links.get(2)!, ua);
      }
    }),
    at: 'later',
  },
];

/** A sandbox that runs the page and waits 6 s on each of `scores`' links, one after another. */
export function walkingSandbox(scores: number[]): Behaviour {
  return {
    ...scanner(
      `a JS sandbox dwelling 6 s on ${scores.length === SCORES.length ? 'every link' : `links ${scores.join(', ')}`}, one after another`,
      async (p) => {
        const context = await scannerContext(p);
        const page = await context.newPage();
        for (const s of scores) {
          await page.goto(p.survey.links.get(s)!);
          await sleep(6_000);
        }
        await context.close();
      },
    ),
    at: 'later',
  };
}

function scanner(name: string, play: Behaviour['play']): Behaviour {
  return { name, kind: 'scanner', at: 'delivery', play };
}

export interface Outcome {
  behaviour: Behaviour;
  survey: SentSurvey;
  /** Statuses of the answers the scanner sent (its own requests only). */
  scannerPosts: number[];
  response?: Record<string, unknown>;
  /** The person behind it is counted with the score they meant. */
  counted: boolean;
  /** A scanner got an answer stored (200), or a response is there that no person gave. */
  scannerAnswered: boolean;
  error?: string;
}

export interface Tally {
  outcomes: Outcome[];
  people: { counted: number; of: number };
  scanners: { answered: number; of: number };
  alerts: number;
}

/** Waits until the sweep has confirmed or dropped every held dwell answer: none left on the held-answers index. */
async function heldAnswersSettled(runtime: Runtime): Promise<void> {
  const client = localDynamoClient(runtime.dynamoEndpoint);
  const held = new DynamoLinkActivityStore(DynamoDBDocumentClient.from(client), runtime.tableName);
  const everyOne = new Date('9999-12-31T00:00:00.000Z'); // due or not
  try {
    await waitFor(
      'every held dwell answer confirmed or dropped by the sweep',
      async () => ((await held.listDue(everyOne, 100)).length === 0 ? true : undefined),
      DEFAULT_EVIDENCE_RULES.dwellHoldSeconds * 1000 + 60_000,
      250,
    );
  } finally {
    client.destroy();
  }
}

/**
 * Plays each behaviour on a survey mail of its own. `delivery` behaviours one after another, each as
 * its mail arrives (one at a time, as scanners.test.ts does: on a loaded machine, parallel runs would
 * stretch the server's answer times past the seconds the rules look at). `later` ones — people and
 * the scanners that come at the time of a click — `laterMs` after their mails arrived (the dwell rules
 * need a minute), together; `alone` ones last, one by one. Then the held dwell answers and the stream
 * are waited out, and everything is tallied.
 */
export async function playAll(runtime: Runtime, browser: Browser, behaviours: Behaviour[], laterMs = 61_000, tag = 'b'): Promise<Tally> {
  const id = (i: number) => `${tag}-${i}-${Date.now().toString(36)}`;
  const indices = behaviours.map((_, i) => i);
  const later = indices.filter((i) => behaviours[i]!.at === 'later');
  const surveys: SentSurvey[] = [];
  for (const [k, survey] of (await sendSurveys(runtime, later.map(id))).entries()) surveys[later[k]!] = survey;
  const posts = behaviours.map(() => [] as number[]);
  const errors: Array<string | undefined> = behaviours.map(() => undefined);
  const run = async (i: number) => {
    try {
      await behaviours[i]!.play({ runtime, browser, survey: surveys[i]!, scannerPost: (status) => posts[i]!.push(status) });
    } catch (error) {
      errors[i] = (error as Error).message.split('\n')[0];
    }
  };
  for (const i of indices.filter((i) => behaviours[i]!.at === 'delivery')) {
    surveys[i] = await sendSurvey(runtime, id(i), { pollMs: 20 });
    await run(i);
  }
  await sleep(Math.max(0, Math.max(...later.map((i) => surveys[i]!.seenAt)) + laterMs - Date.now()));
  await Promise.all(later.filter((i) => !behaviours[i]!.alone).map(run));
  for (const i of later.filter((i) => behaviours[i]!.alone)) await run(i);
  await heldAnswersSettled(runtime);
  await runtime.drainStream();

  const outcomes = await Promise.all(
    indices.map(async (i): Promise<Outcome> => {
      const behaviour = behaviours[i]!;
      const response = await storedResponse(runtime, surveys[i]!.invitationId);
      const counted = behaviour.score !== undefined && response?.score === behaviour.score && response.status === 'final';
      // 202 is a dwell on hold, not an answer: it counts only if a response came of it (checked below).
      const accepted = posts[i]!.some((status) => status === 200);
      const scannerAnswered = behaviour.kind === 'scanner' && (accepted || (behaviour.score === undefined ? response !== undefined : !counted));
      return { behaviour, survey: surveys[i]!, scannerPosts: posts[i]!, response, counted, scannerAnswered, ...(errors[i] ? { error: errors[i] } : {}) };
    }),
  );
  const withPerson = outcomes.filter((o) => o.behaviour.score !== undefined);
  const scanners = outcomes.filter((o) => o.behaviour.kind === 'scanner');
  return {
    outcomes,
    people: { counted: withPerson.filter((o) => o.counted).length, of: withPerson.length },
    scanners: { answered: scanners.filter((o) => o.scannerAnswered).length, of: scanners.length },
    alerts: (await publishedAlerts(runtime)).length,
  };
}
