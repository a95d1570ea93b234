/**
 * Request limits per client: the port and its one implementation, counters in the container's memory.
 * API Gateway's stage and route throttling caps the whole API; it cannot count per client. These
 * limits do: per source address and per survey link, in each Lambda container (docs/cost.md: DynamoDB
 * counters cost 2 WCU per request, a third of what a scanner's fetch wrote, for a limit the route
 * throttle bounds across containers anyway).
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

/** At most this many counters per container: past it, windows that ended are dropped (then, if need be, all). */
const MAX_COUNTERS = 10_000;

/**
 * Fixed one-window counters in memory: a container counts the requests it serves. A flood reaches
 * several containers only once one is busy, and the route's throttle (30 rps on the links) caps the
 * sum; one address or link over the limit in a container is refused there at once, with no write.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counters = new Map<string, { windowEnd: number; hits: number }>();

  hit(checks: Array<{ rule: RateRule; subject: string; weight?: number }>, now: Date): Promise<RateDecision> {
    const nowMs = now.getTime();
    const counted = checks.map(({ rule, subject, weight = 1 }) => {
      const windowMs = rule.windowSeconds * 1000;
      const windowEnd = (Math.floor(nowMs / windowMs) + 1) * windowMs;
      const key = `${rule.scope}|${subject}`;
      const current = this.counters.get(key);
      const hits = (current && current.windowEnd === windowEnd ? current.hits : 0) + weight;
      this.counters.set(key, { windowEnd, hits });
      return { rule, hits, windowEnd };
    });
    if (this.counters.size > MAX_COUNTERS) this.forgetEnded(nowMs);
    const over = counted.find((c) => c.hits > c.rule.limit);
    if (!over) return Promise.resolve({ allowed: true });
    return Promise.resolve({ allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((over.windowEnd - nowMs) / 1000)), scope: over.rule.scope });
  }

  private forgetEnded(nowMs: number): void {
    for (const [key, { windowEnd }] of this.counters) if (windowEnd <= nowMs) this.counters.delete(key);
    if (this.counters.size > MAX_COUNTERS) this.counters.clear(); // bounded memory: a flood of distinct subjects
  }
}
