/**
 * The local HTTP API: routes requests with the same route table as the CDK HTTP API
 * (functions/manifest.ts), turns each into an API Gateway payload-2.0 event for the real handler, and
 * serves the local-only pages: the SNS endpoint, the outbox and the index page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HTTP_ROUTES, type FunctionName, type HttpRoute } from '../functions/manifest.ts';
import type { Outbox } from './outbox.ts';
import { refusal } from './request-guard.ts';
import { demoAuthorizer, type LocalAuthorizer } from './demo-principal.ts';

const MAX_REQUEST_BYTES = 1024 * 1024; // API Gateway takes up to 10 MB; handlers enforce their own, smaller limits

type CompiledRoute = HttpRoute & {
  pattern: RegExp;
  names: string[];
};

function compile(route: HttpRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

const ROUTES = HTTP_ROUTES.map(compile);

export function matchRoute(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    // HEAD is answered by the GET route's function, as API Gateway does for HEAD requests.
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
    const m = route.pattern.exec(path);
    if (m) return { route, params: Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function toApiGatewayEvent(req: IncomingMessage, url: URL, body: Buffer, routeKey: string, params: Record<string, string>): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const isText = /json|text|x-www-form-urlencoded|xml/.test(headers['content-type'] ?? 'text/plain');
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(params).length ? params : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
}

export interface LocalHttpOptions {
  /** The port to listen on (0: any free one); or `server`, already listening (listenLocally). */
  port?: number;
  server?: Server;
  /** The address to listen on: this machine only unless asked otherwise. */
  host?: string;
  /** Host names allowed besides localhost, 127.0.0.1 and [::1] (local/request-guard.ts). */
  allowedHosts?: readonly string[];
  handlers: Record<FunctionName, (event: unknown) => Promise<unknown>>;
  outbox: Outbox;
  /** The caller of 'jwt' and 'iam' routes, as API Gateway's authorizers would give it (default: local/demo-principal.ts). */
  authorizer?: LocalAuthorizer;
  /** Extra local-only routes (index page, dashboard, sms inbound…): return true when handled. */
  extra?: (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) => Promise<boolean>;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  res.writeHead(status, headers);
  res.end(body);
}

type Handler = (event: unknown) => Promise<unknown>;
type Result = APIGatewayProxyStructuredResultV2;

const headersOf = (result: Result) => Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
const bodyOf = (result: Result) =>
  result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString() : result.body;

/**
 * A paged answer (the CSV exports: `x-next-cursor`) is streamed whole, page after page, as a client
 * following the Link header would get it; each later page's header line is left out.
 */
async function streamPages(res: ServerResponse, first: Result, event: APIGatewayProxyEventV2, handler: Handler): Promise<void> {
  const { link: _link, 'x-next-cursor': _next, ...headers } = headersOf(first);
  res.writeHead(first.statusCode ?? 200, headers);
  res.write(bodyOf(first) ?? '');
  let next = first.headers?.['x-next-cursor'];
  while (next) {
    const page = (await handler({ ...event, queryStringParameters: { ...event.queryStringParameters, cursor: String(next) } })) as Result;
    if (page.statusCode !== 200) return void res.destroy(); // the client sees a cut transfer, never a silently short file
    const body = bodyOf(page) ?? '';
    if (!res.write(body.slice(body.indexOf('\n') + 1))) await new Promise((resolve) => res.once('drain', resolve));
    next = page.headers?.['x-next-cursor'];
  }
  res.end();
}

/** Routes answered with form posts (survey and unsubscribe pages); every other write takes JSON. */
const FORM_FUNCTIONS: ReadonlySet<FunctionName> = new Set(['respond', 'unsubscribe']);

/** How long close() waits for the requests being answered. */
const CLOSE_WAIT_MS = 10_000;

/**
 * A server listening on `port` (0: any free one) that answers nothing yet: startHttpServer({ server })
 * gives it its routes. The runtime takes its port first, as the parts that must know the API's address
 * start before its handlers load; a port looked up and bound later can be taken meanwhile (EADDRINUSE).
 */
export async function listenLocally(port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export async function startHttpServer(options: LocalHttpOptions): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  // Requests being answered: close() lets them finish, so no handler is still at work when the runtime deletes its table.
  const inFlight = new Set<Promise<void>>();
  const server = options.server ?? (await listenLocally(options.port ?? 0, options.host));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const answering = answer(req, res).finally(() => inFlight.delete(answering));
    inFlight.add(answering);
  });
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const matched = matchRoute(req.method ?? 'GET', url.pathname);
      const formRoute = url.pathname.replace(/\/$/, '') === '/local/sns' || (matched !== undefined && FORM_FUNCTIONS.has(matched.route.fn));
      const publicRoute = matched?.route.auth === 'public';
      const refused = refusal(
        req.method ?? 'GET',
        req.headers,
        { form: formRoute, public: publicRoute },
        {
          port: (server.address() as AddressInfo).port,
          allowedHosts: options.allowedHosts,
        },
      );
      if (refused) return send(res, refused.status, { 'content-type': 'application/json' }, JSON.stringify({ error: refused.error }));
      const body = await readBody(req);
      if (body === 'too-large') return send(res, 413, { 'content-type': 'application/json' }, JSON.stringify({ error: 'request body too large' }));

      if (url.pathname.replace(/\/$/, '') === '/local/sns' && req.method === 'POST') {
        const out = options.outbox.publish(new URLSearchParams(body.toString('utf8')));
        return send(res, out.status, { 'content-type': 'text/xml' }, out.xml);
      }
      if (url.pathname === '/local/outbox' && req.method === 'GET') {
        const channel = url.searchParams.get('channel');
        if (channel && channel !== 'sms' && channel !== 'alert')
          return send(res, 400, { 'content-type': 'application/json' }, JSON.stringify({ error: 'channel must be sms or alert' }));
        return send(
          res,
          200,
          { 'content-type': 'application/json' },
          JSON.stringify(options.outbox.list((channel ?? undefined) as 'sms' | 'alert' | undefined)),
        );
      }
      if (options.extra && (await options.extra(req, res, url, body))) return;

      if (!matched) return send(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ error: `no route ${req.method} ${url.pathname}` }));
      const routeKey = `${matched.route.method} ${matched.route.path}`;
      const event = toApiGatewayEvent(req, url, body, routeKey, matched.params);
      const caller = await (options.authorizer ?? demoAuthorizer)(req, matched.route);
      if ('status' in caller) return send(res, caller.status, { 'content-type': 'application/json' }, JSON.stringify({ error: caller.error }));
      if (caller.context) Object.assign(event.requestContext, { authorizer: caller.context });
      const handler = options.handlers[matched.route.fn];
      const result = (await handler(event)) as Result;
      // CSV pages join into one file; a JSON page (GET /api/quarantine) is answered as it is, its client follows the cursor.
      const csv = String(result.headers?.['content-type'] ?? '').startsWith('text/csv');
      if (req.method === 'GET' && csv && result.headers?.['x-next-cursor']) return await streamPages(res, result, event, handler);
      send(res, result.statusCode ?? 200, headersOf(result), req.method === 'HEAD' ? undefined : bodyOf(result));
    } catch (error) {
      // A path that is no URL path ("//x") or has broken percent-encoding ("/r/%E0%A4%A"): API Gateway answers 400, and so do we.
      const badPath = error instanceof URIError || (error as { code?: string }).code === 'ERR_INVALID_URL';
      if (badPath && !res.headersSent) return send(res, 400, { 'content-type': 'application/json' }, JSON.stringify({ error: 'malformed request path' }));
      console.error('local http server:', (error as Error).message);
      if (!res.headersSent) send(res, 500, { 'content-type': 'application/json' }, JSON.stringify({ error: 'internal error' }));
      else res.destroy(); // failed midway through a streamed answer: a cut transfer, never a silently short one
    }
  };
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    close: async () => {
      // Still accepting while they finish: a handler may call this server itself (local SNS, SQS, Secrets Manager).
      // Bounded: a client that never reads its answer must not hold the stop.
      const until = Date.now() + CLOSE_WAIT_MS;
      while (inFlight.size && Date.now() < until) await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, 100))]);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
