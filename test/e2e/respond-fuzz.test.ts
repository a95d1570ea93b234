/**
 * Property: whatever is thrown at the survey-link endpoints — random paths, tokens (valid, tampered,
 * garbage, badly percent-encoded), scores, methods, headers and bodies — the answer is never a 5xx and
 * no response is written, unless the request is exactly a person's well-formed answer (those are
 * filtered out of the property and checked once at the end, so that the property is not vacuous).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isScannerUserAgent } from '../../surveys/human-evidence.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { PERSON_UA, sendSurvey, sleep, storedResponse, type SentSurvey } from '../support/survey-links.ts';

let runtime: Runtime;
let target: SentSurvey;
let control: SentSurvey;

beforeAll(async () => {
  // Every request comes from 127.0.0.1 and hits one link: lift the limits so the deeper paths are reached.
  process.env.RATE_LIMIT_ADDRESS_PER_MINUTE = '1000000';
  process.env.RATE_LIMIT_LINK_PER_MINUTE = '1000000';
  runtime = await startTestRuntime();
  [target, control] = await Promise.all([sendSurvey(runtime, 'fuzz-target'), sendSurvey(runtime, 'fuzz-control')]);
  await sleep(2_100);
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  delete process.env.RATE_LIMIT_ADDRESS_PER_MINUTE;
  delete process.env.RATE_LIMIT_LINK_PER_MINUTE;
});

interface FuzzRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const segment = fc.oneof(
  fc.string({ maxLength: 60 }).map(encodeURIComponent),
  fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%00', '..', '.', '%2F', '%252F', '~', 'comment', 'r'),
  fc.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/),
);

const token = () =>
  fc.oneof(
    fc.constant(target.token),
    fc.constant(target.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))), // tampered MAC
    fc.constant(`${target.invitationId}.`),
    fc.constant(target.token.toLowerCase()),
    fc.constant(`${target.token}=`),
    segment,
  );

const path = () =>
  fc.oneof(
    token().map((t) => `/r/${t}`),
    token().map((t) => `/r/${t}/comment`),
    fc.tuple(token(), fc.array(segment, { minLength: 1, maxLength: 3 })).map(([t, rest]) => `/r/${t}/${rest.join('/')}`),
    fc.array(segment, { maxLength: 4 }).map((parts) => `/r/${parts.join('/')}`),
    fc.constantFrom('/r', '/r/', '/r//comment'),
  );

const scoreText = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.constantFrom('', ' 5', '5e0', '0x5', '1.5', 'NaN', 'Infinity', '-0', '010', '99', '٣'),
  fc.string({ maxLength: 12 }),
);

const query = fc.oneof(
  fc.constant(''),
  scoreText.map((s) => `?s=${encodeURIComponent(s)}`),
  fc.tuple(scoreText, scoreText).map(([a, b]) => `?s=${encodeURIComponent(a)}&s=${encodeURIComponent(b)}`),
  fc.string({ maxLength: 40 }).map((q) => `?${q.replace(/#/g, '')}`),
);

const userAgent = fc.oneof(
  fc.constant(PERSON_UA),
  fc.constant('curl/8.4.0'),
  fc.constant('Mozilla/5.0 (compatible; bingbot/2.0)'),
  fc.string({ maxLength: 80 }),
);

const formBody = fc
  .record(
    {
      score: scoreText,
      evidence: fc.oneof(fc.constantFrom('interaction', 'button', 'none', '', 'BUTTON'), fc.string({ maxLength: 20 })),
      comment: fc.oneof(fc.string({ maxLength: 300 }), fc.constant('<script>alert(1)</script>'), fc.constant('ą'.repeat(2001))),
      extra: fc.string({ maxLength: 30 }),
    },
    { requiredKeys: [] },
  )
  .map((fields) => new URLSearchParams(Object.entries(fields) as Array<[string, string]>).toString());

const body = fc.oneof(
  formBody,
  fc.string({ maxLength: 500 }),
  fc.uint8Array({ maxLength: 300 }),
  fc.constant(`comment=${'x'.repeat(40 * 1024)}`),
  fc.constant('score=1&score=2&evidence=button&evidence=interaction'),
);

const request = (): fc.Arbitrary<FuzzRequest> =>
  fc.record({
    method: fc.constantFrom('GET', 'HEAD', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
    path: path(),
    query,
    headers: fc.record(
      {
        'user-agent': userAgent,
        'content-type': fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'x/y'),
        origin: fc.constantFrom('null', 'https://evil.example', 'http://localhost'),
        'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'same-site', 'none', 'bogus'),
        'accept-language': fc.constantFrom('pl-PL', 'en', 'xx', '*', ''),
      },
      { requiredKeys: [] },
    ),
    body: fc.option(body, { nil: undefined }),
  });

/** Exactly what a person's page sends: the one request allowed to write. */
function isPersonAnswer(r: FuzzRequest): boolean {
  if (r.method !== 'POST' || r.path !== `/r/${target.token}` || typeof r.body !== 'string') return false;
  const site = r.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') return false;
  if (r.headers.origin && r.headers.origin !== 'null' && !runtime.apiUrl.startsWith(r.headers.origin)) return false;
  if (isScannerUserAgent(r.headers['user-agent'] ?? 'node')) return false; // Node's fetch sends "node" when none is given
  const form = new URLSearchParams(r.body);
  return ['button', 'interaction'].includes(form.get('evidence') ?? '') && /^\d{1,2}$/.test(form.get('score') ?? '') && Number(form.get('score')) <= 10;
}

async function send(r: FuzzRequest): Promise<Response> {
  return fetch(`${runtime.apiUrl}${r.path}${r.query}`, {
    method: r.method,
    headers: r.headers,
    ...(r.body !== undefined && !['GET', 'HEAD'].includes(r.method) ? { body: typeof r.body === 'string' ? r.body : Buffer.from(r.body) } : {}),
  });
}

describe('the survey-link endpoints under random input', () => {
  it('Should never answer 5xx nor write a response', async () => {
    // Prepare
    const statuses = new Map<number, number>();

    // Act / Assess
    await fc.assert(
      fc.asyncProperty(request(), async (r) => {
        fc.pre(!isPersonAnswer(r));
        const answer = await send(r);
        await answer.arrayBuffer();
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status, `${r.method} ${r.path}${r.query}`).toBeLessThan(500);
        expect(await storedResponse(runtime, target.invitationId)).toBeUndefined();
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400), seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    // The run reached the interesting places: pages, refusals of each kind.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 403, 404]));
  }, 300_000);

  it('Should still write the one well-formed answer of a person (the property is not vacuous)', async () => {
    // Prepare: a person opens the control link and reads for a moment
    await fetch(control.links.get(9)!, { headers: { 'user-agent': PERSON_UA } });
    await sleep(2_100);

    // Act
    const answer = await fetch(control.answerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': PERSON_UA, 'sec-fetch-site': 'same-origin', origin: 'null' },
      body: 'score=9&evidence=button',
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(await storedResponse(runtime, control.invitationId)).toMatchObject({ score: 9, version: 1 });
  });
});
