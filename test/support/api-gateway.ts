/**
 * API Gateway HTTP API (payload 2.0) events for calling the HTTP handlers directly, the shape
 * local/http-server.ts toApiGatewayEvent builds from a real request: text bodies as they are,
 * anything else base64-encoded.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { localContext } from '../../local/lambda-context.ts';

export interface ApiRequest {
  method: string;
  /** The route as in functions/manifest.ts, e.g. '/webhooks/{source}'. */
  route: string;
  path: string;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: string | Uint8Array;
}

export function apiGatewayEvent(r: ApiRequest): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const bytes = r.body === undefined ? undefined : typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : Buffer.from(r.body);
  const isText = /json|text|x-www-form-urlencoded|xml/.test(headers['content-type'] ?? 'text/plain');
  const routeKey = `${r.method} ${r.route}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: r.path,
    rawQueryString: new URLSearchParams(r.query ?? {}).toString(),
    headers,
    queryStringParameters: r.query,
    pathParameters: r.pathParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: { method: r.method, path: r.path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: bytes?.length ? (isText ? bytes.toString('utf8') : bytes.toString('base64')) : undefined,
    isBase64Encoded: Boolean(bytes?.length) && !isText,
  };
}

export type HttpHandler = (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

/** Calls an HTTP handler as API Gateway would; returns the status and the parsed JSON body (if any). */
export async function callHttp<T = Record<string, unknown>>(
  handler: HttpHandler,
  fn: string,
  r: ApiRequest,
): Promise<{ status: number; body: T; raw: APIGatewayProxyStructuredResultV2 }> {
  const raw = await handler(apiGatewayEvent(r), localContext(fn));
  let body: unknown;
  try {
    body = raw.body ? JSON.parse(raw.isBase64Encoded ? Buffer.from(raw.body, 'base64').toString('utf8') : raw.body) : undefined;
  } catch {
    body = raw.body;
  }
  return { status: raw.statusCode ?? 200, body: body as T, raw };
}

/** The demo admin as API Gateway's JWT authorizer hands it over (functions/shared/principal.ts). */
export const ADMIN_CLAIMS = { sub: 'u-admin', name: 'Ewa Admin', 'cognito:groups': '[admin]' };

/** A handler of a leads' route called as a signed-in person with these claims. */
export function asSignedIn(handler: HttpHandler, claims: Record<string, unknown> = ADMIN_CLAIMS): HttpHandler {
  return (event, context) =>
    handler({ ...event, requestContext: { ...event.requestContext, authorizer: { jwt: { claims, scopes: null } } } } as APIGatewayProxyEventV2, context);
}
