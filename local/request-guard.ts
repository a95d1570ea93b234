/**
 * What the local HTTP server refuses before any handler runs (DESIGN.md "Local access"): a program on
 * this machine (curl, tests, scripts) needs no login, so a web page must not be able to act as one.
 * - Host must name this machine (loopback names, or ones allowed by option): a page on another name
 *   that resolves to 127.0.0.1 (DNS rebinding) could otherwise read the answers, the export included.
 * - Writes (any method but GET, HEAD, OPTIONS) to the API must not come from another site: Sec-Fetch-Site, when
 *   sent, is same-origin or none; Origin, when it names an origin, is this server's.
 * - Writes to JSON routes carry a JSON content type (or no body at all): a cross-site form or
 *   no-cors fetch cannot send one without a CORS preflight, which this server never grants.
 * Public routes (survey links, unsubscribe, webhooks) are public on AWS too: past the Host check they
 * reach their handler, which judges cross-site posts itself (and answers with its own localized page).
 * https://developer.mozilla.org/docs/Web/HTTP/Headers/Sec-Fetch-Site
 */
import type { IncomingHttpHeaders } from 'node:http';

export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

export interface GuardOptions {
  /** The server's port: a Host must name it. */
  port: number;
  /** Host names allowed besides the loopback ones (e.g. a name of this machine on the LAN). */
  allowedHosts?: readonly string[];
}

export interface Refusal {
  status: number;
  error: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// JSON, or the AWS JSON protocol of the SDK clients the runtime hosts (SQS, Secrets Manager): neither is a type a
// cross-site form can send without a CORS preflight.
const JSON_TYPE = /^application\/(([\w.+-]+\+)?json|x-amz-json-1\.[01])\s*(;|$)/i;

function hostsOf(options: GuardOptions): Set<string> {
  return new Set([...LOOPBACK_NAMES, ...(options.allowedHosts ?? [])].map((name) => `${name.toLowerCase()}:${options.port}`));
}

/** What the guard needs to know of the route: whether it takes form posts, whether it is public on AWS too. */
export interface RouteKind {
  form: boolean;
  public: boolean;
}

/** Why the request is refused, or undefined when it may go on. */
export function refusal(method: string, headers: IncomingHttpHeaders, route: RouteKind, options: GuardOptions): Refusal | undefined {
  const hosts = hostsOf(options);
  const host = headers.host?.trim().toLowerCase();
  if (host !== undefined && !hosts.has(host)) return { status: 403, error: `unknown Host header: this server answers ${[...hosts].join(', ')}` };
  if (SAFE_METHODS.has(method) || route.public) return undefined;

  const site = headers['sec-fetch-site']?.trim().toLowerCase();
  if (site && site !== 'same-origin' && site !== 'none') return { status: 403, error: `cross-site request refused (sec-fetch-site ${site})` };
  const origin = headers.origin?.trim().toLowerCase();
  // This server speaks http only: an https:// origin is another one.
  if (origin && origin !== 'null' && !hosts.has(origin.replace(/^http:\/\//, ''))) return { status: 403, error: 'cross-site request refused (foreign origin)' };

  const type = headers['content-type'];
  const hasBody = Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
  if (!route.form && (type !== undefined || hasBody) && !JSON_TYPE.test(type ?? ''))
    return { status: 415, error: 'this route takes JSON: send content-type application/json' };
  return undefined;
}
