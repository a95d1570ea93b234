/**
 * What the respond function checks before any use case runs: the request weights of its limits (the
 * limits themselves are settings, functions/shared/env.ts) and that a POST comes from our own page.
 */
import type { Env } from '#functions/shared/env.ts';
import { header, type HttpEvent } from '#functions/shared/http.ts';
import { addressSubject, type RateDecision, type RateLimiter } from '#functions/shared/rate-limit.ts';

/** Largest form body accepted: a 2,000-character comment of 3-byte characters, percent-encoded, fits (18 KB). */
export const MAX_FORM_BYTES = 32 * 1024;

/** Request weight on a link's counter: a POST writes, a GET only reads and notes an open. */
export const LINK_WEIGHT = { GET: 1, POST: 3 } as const;

/** Counts the request per address always, and per link only for a well-signed token (a forged one is refused later without a read). */
export function checkLimits(
  event: HttpEvent,
  invitationId: string | undefined,
  deps: { limiter: RateLimiter; limits: Env['respond']['limits']; now: Date },
): Promise<RateDecision> {
  const weight = event.requestContext.http.method === 'POST' ? LINK_WEIGHT.POST : LINK_WEIGHT.GET;
  return deps.limiter.hit(
    [
      { rule: deps.limits.address, subject: addressSubject(event.requestContext.http.sourceIp) },
      ...(invitationId ? [{ rule: deps.limits.link, subject: invitationId, weight }] : []),
    ],
    deps.now,
  );
}

/**
 * Why a POST must be refused as cross-site, or undefined when it may come from our page. Browsers
 * send Sec-Fetch-Site (same-origin for our forms and script); an Origin header, when it names an
 * origin, must be ours. "Origin: null" is what browsers send for a same-origin form post under
 * `Referrer-Policy: no-referrer`, so it is not a refusal on its own.
 * https://developer.mozilla.org/docs/Web/HTTP/Headers/Sec-Fetch-Site
 */
export function crossSiteReason(event: HttpEvent, publicBaseUrl: string): string | undefined {
  const site = header(event, 'sec-fetch-site')?.trim().toLowerCase();
  if (site && site !== 'same-origin' && site !== 'none') return `sec-fetch-site ${site}`;
  const origin = header(event, 'origin')?.trim();
  if (!origin || origin === 'null') return undefined;
  const host = header(event, 'host') ?? event.requestContext.domainName;
  const ours = new Set([originOf(publicBaseUrl), ...(host ? [`https://${host}`, `http://${host}`] : [])]);
  return ours.has(origin.toLowerCase()) ? undefined : 'foreign origin';
}

function originOf(url: string): string {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return '';
  }
}
