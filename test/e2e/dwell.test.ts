/**
 * A person who only reads is counted — once — and a sandbox that runs the page and waits is not:
 * readers on a desktop and a phone, a reader behind a time-of-click rescan, a sandbox dwelling on the
 * first link at delivery and one walking the links, on the local runtime in a real Chromium. The same
 * behaviours, all of them, are measured by `npm run bench:people`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { PEOPLE, playAll, SCANNERS, type Tally, walkingSandbox } from '../support/behaviours.ts';
import { launchChromium } from '../support/survey-links.ts';

const byName = (prefix: string) => [...PEOPLE, ...SCANNERS].find((b) => b.name.startsWith(prefix))!;
const BEHAVIOURS = [
  byName('reader on a desktop'),
  byName('reader on a phone'),
  byName('a time-of-click rescan'),
  byName('a JS sandbox dwelling 8 s on the first link only'),
  walkingSandbox([0, 1, 2]),
];

const DWELL_MIN_AFTER_SEND_SECONDS = 20;
let runtime: Runtime;
let browser: Browser;
let tally: Tally;

beforeAll(async () => {
  process.env.RATE_LIMIT_ADDRESS_PER_MINUTE = '100000'; // every request here comes from 127.0.0.1
  // The dwell rules' waits, shortened (production: 60 s after sending, a 30 s hold): what they tell apart stays
  // apart — a sandbox at delivery posts its dwell seconds after sending, a walking one opens its next link 3 s
  // after its dwell, well inside the hold; the defaults are unit-tested (test/unit/human-evidence.test.ts).
  runtime = await startTestRuntime({ evidenceRules: { dwellMinSecondsAfterSend: DWELL_MIN_AFTER_SEND_SECONDS, dwellHoldSeconds: 10 } });
  browser = await launchChromium();
  tally = await playAll(runtime, browser, BEHAVIOURS, DWELL_MIN_AFTER_SEND_SECONDS * 1000 + 1_000, 'dwell');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  delete process.env.RATE_LIMIT_ADDRESS_PER_MINUTE;
});

const outcome = (prefix: string) => tally.outcomes.find((o) => o.behaviour.name.startsWith(prefix))!;

describe('a person who only reads the page', () => {
  it.each(['reader on a desktop', 'reader on a phone'])('Should count the %s once, as a dwell, with the score of the link', (name) => {
    // Assess
    expect(outcome(name).response).toMatchObject({ score: outcome(name).behaviour.score, version: 1, status: 'final', evidence: 'dwell' });
  });

  it('Should count the reader behind a time-of-click rescan once, and refuse the rescan', () => {
    // Assess
    const rescan = outcome('a time-of-click rescan');
    expect(rescan.response).toMatchObject({ score: 9, version: 1, evidence: 'dwell' });
    expect(rescan.scannerPosts.every((status) => status !== 200)).toBe(true);
  });
});

describe('a sandbox that runs the page and waits', () => {
  it.each(['a JS sandbox dwelling 8 s on the first link only', 'a JS sandbox dwelling 6 s on links'])('Should leave no response: %s', (name) => {
    // Assess
    expect(outcome(name).scannerPosts.length).toBeGreaterThan(0); // it did run the page's script
    expect(outcome(name).scannerPosts).not.toContain(200);
    expect(outcome(name).response).toBeUndefined();
  });

  it('Should add nothing to the scores beyond the people, and raise no alert', async () => {
    // Act
    const scores = (await (await fetch(`${runtime.apiUrl}/api/scores?metric=nps&window=7d&segment=evidence`)).json()) as {
      responses: number;
      segments: Array<{ key: string; responses: number }>;
    };

    // Assess
    expect(tally.people).toEqual({ counted: 3, of: 3 });
    expect(scores.responses).toBe(3);
    expect(scores.segments).toEqual([expect.objectContaining({ key: 'dwell', responses: 3 })]);
    expect(tally.alerts).toBe(0);
  });
});
