/**
 * Request limits per client (the port; the DynamoDB counters are functions/adapters/dynamodb/rate-limiter.ts).
 * API Gateway's stage and route throttling caps the whole API; it cannot count per client. These
 * limits do: per source address and per survey link.
 */
import { isIPv6 } from 'node:net';

export interface RateRule {
  /** Counter name (part of the key): "addr", "link"… */
  scope: string;
  /** Weight allowed per window. */
  limit: number;
  windowSeconds: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; scope: string };

export interface RateLimiter {
  /** Adds `weight` to the subject's counter under each rule; refused as soon as one is over its limit. */
  hit(checks: Array<{ rule: RateRule; subject: string; weight?: number }>, now: Date): Promise<RateDecision>;
}

/**
 * The address a limit counts: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber
 * usually holds a whole /64, so a single host could otherwise rotate through addresses).
 */
export function addressSubject(sourceIp: string | undefined): string {
  const ip = (sourceIp ?? '').trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (!isIPv6(ip)) return ip || 'unknown';
  const [head = '', tail = ''] = ip.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const full = ip.includes('::') ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${full
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
