/**
 * What the respond function checks before any use case runs: its configuration (limits, scanner
 * networks), the request limits per address and per link, and that a POST comes from our own page.
 */
import * as z from 'zod';
import { KNOWN_SCANNER_NETWORKS, networkList, type NetworkList } from '#surveys/human-evidence.ts';
import type { RateRule } from '../shared/rate-limit.ts';
import { header, type HttpEvent } from '../shared/http.ts';

/** Largest form body accepted: a 2,000-character comment of 3-byte characters, percent-encoded, fits (18 KB). */
export const MAX_FORM_BYTES = 32 * 1024;

/** Request weight on a link's counter: a POST writes, a GET only reads and notes an open. */
export const LINK_WEIGHT = { GET: 1, POST: 3 } as const;

const configSchema = z.object({
  /** Requests per minute from one address (an IPv6 /64); corporate NATs share one, so it is generous. */
  RATE_LIMIT_ADDRESS_PER_MINUTE: z.coerce.number().int().positive().default(120),
  /** Weighted requests per minute on one survey link: room for a few scanner passes and a person. */
  RATE_LIMIT_LINK_PER_MINUTE: z.coerce.number().int().positive().default(60),
  /** Extra scanner networks, comma-separated CIDRs, added to the published mail-gateway ranges. */
  SCANNER_NETWORKS: z.string().default(''),
});

export interface RespondConfig {
  limits: { address: RateRule; link: RateRule };
  scannerNetworks: NetworkList;
}

let cached: { key: string; config: RespondConfig } | undefined;

/** Parsed once per distinct environment (tests and the local runtime set it after import). */
export function respondConfig(environment: NodeJS.ProcessEnv = process.env): RespondConfig {
  const parsed = configSchema.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid respond configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  const key = JSON.stringify(e);
  if (cached?.key === key) return cached.config;
  const config: RespondConfig = {
    limits: {
      address: { scope: 'addr', limit: e.RATE_LIMIT_ADDRESS_PER_MINUTE, windowSeconds: 60 },
      link: { scope: 'link', limit: e.RATE_LIMIT_LINK_PER_MINUTE, windowSeconds: 60 },
    },
    scannerNetworks: networkList([...KNOWN_SCANNER_NETWORKS, ...e.SCANNER_NETWORKS.split(',')]),
  };
  cached = { key, config };
  return config;
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
