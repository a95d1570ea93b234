/**
 * The local HTTP server's own guard (DESIGN.md "Local access"; issue 12 "Local runtime"): a program on
 * this machine needs no login, so a web page must not act as one — no cross-site writes, JSON routes
 * take JSON, and a Host that is not this machine (DNS rebinding) is refused. Handlers are stand-ins:
 * what is tested is what reaches them.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../functions/manifest.ts';
import { startHttpServer } from '../../local/http-server.ts';
import { Outbox } from '../../local/outbox.ts';

let server: Awaited<ReturnType<typeof startHttpServer>>;
const reached: string[] = [];

beforeAll(async () => {
  const handlers = Object.fromEntries(
    Object.keys(FUNCTIONS).map((fn) => [
      fn,
      async (event: unknown) => {
        reached.push((event as { routeKey: string }).routeKey);
        return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
      },
    ]),
  ) as Record<FunctionName, (event: unknown) => Promise<unknown>>;
  server = await startHttpServer({ port: 0, handlers, outbox: new Outbox() });
});
afterAll(() => server?.close());

/** A raw HTTP call (fetch does not let a caller set Host). */
function call(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: { host: `localhost:${server.port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('the local server answers programs on this machine without login', () => {
  it.each([
    ['GET', '/api/scores?metric=nps', {}, undefined],
    ['POST', '/events', JSON_HEADERS, '{}'],
    ['POST', '/api/customers/c-1/erase', {}, undefined],
    ['POST', '/r/token', { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', origin: 'null' }, 'score=9'],
  ])('Should pass %s %s on to its function', async (method, path, headers, body) => {
    // Act
    const answer = await call(method, path, headers, body);

    // Assess
    expect(answer.status).toBe(200);
  });

  it('Should take its own origin on a write, under every loopback name', async () => {
    // Act
    const answers = await Promise.all(
      ['localhost', '127.0.0.1', '[::1]'].map((name) =>
        call('POST', '/api/alerts/a-1/ack', { ...JSON_HEADERS, host: `${name}:${server.port}`, origin: `http://${name}:${server.port}` }, '{}'),
      ),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
  });
});

describe('the local server refuses what a web page could send', () => {
  it.each([
    ['a foreign Origin', { ...JSON_HEADERS, origin: 'https://evil.example' }, 403, /foreign origin/],
    ['the same name over https', { ...JSON_HEADERS, origin: 'https://localhost' }, 403, /foreign origin/],
    ['Sec-Fetch-Site cross-site', { ...JSON_HEADERS, 'sec-fetch-site': 'cross-site' }, 403, /cross-site/],
    ['Sec-Fetch-Site same-site (another port of this machine)', { ...JSON_HEADERS, 'sec-fetch-site': 'same-site' }, 403, /same-site/],
    ['a form body to a JSON route', { 'content-type': 'text/plain' }, 415, /takes JSON/],
    ['an urlencoded body to a JSON route', { 'content-type': 'application/x-www-form-urlencoded' }, 415, /takes JSON/],
  ])('Should refuse a write with %s, before any function runs', async (_what, headers, status, message) => {
    // Prepare
    const before = reached.length;

    // Act
    const answer = await call('POST', '/api/erasure', headers, '{"customerId":"c-1"}');

    // Assess
    expect(answer.status).toBe(status);
    expect(answer.text).toMatch(message);
    expect(reached.length).toBe(before);
  });

  it.each(['evil.example', 'rebind.evil.example:3000', `localhost.evil.example`])('Should refuse Host %s, even for a read (DNS rebinding)', async (host) => {
    // Act
    const answer = await call('GET', '/api/export/responses?from=2026-11-01&to=2026-11-30&includePersonalData=true', { host });

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.text).toMatch(/unknown Host/);
  });

  it('Should refuse a loopback name on another port (a Host for another server)', async () => {
    // Act
    const answer = await call('GET', '/api/scores?metric=nps', { host: `localhost:${server.port + 1}` });

    // Assess
    expect(answer.status).toBe(403);
  });
});

describe('public routes judge cross-site posts themselves, as on AWS', () => {
  it('Should pass a cross-site form post to a survey link on to its function (which answers with its own page)', async () => {
    // Prepare
    const before = reached.length;

    // Act
    const answer = await call(
      'POST',
      '/r/token',
      { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      'score=0',
    );

    // Assess
    expect(answer.status).toBe(200);
    expect(reached.length).toBe(before + 1);
  });

  it('Should still refuse an unknown Host on a public route', async () => {
    // Act
    const answer = await call('POST', '/r/token', { host: 'evil.example', 'content-type': 'application/x-www-form-urlencoded' }, 'score=0');

    // Assess
    expect(answer.status).toBe(403);
  });
});

describe('where it listens', () => {
  it('Should listen on the loopback address only by default', () => {
    // Assess
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
  });
});
