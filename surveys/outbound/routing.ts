/**
 * Which endpoints get an event, and what happens to a delivery after each attempt: delivered, retried
 * later (exponential backoff with jitter, for hours), dead-lettered, or the endpoint disabled (410).
 */
import type { Endpoint } from './endpoints.ts';
import type { OutboundEvent } from './events.ts';

/** The routing facts of an event: a filter on a fact the event does not have excludes it. */
function facts(event: OutboundEvent): { team?: string; store?: string; survey?: string; kind?: string } {
  if (event.type === 'contact.unsubscribed') return {};
  const d = event.data;
  return {
    team: d.segments.team,
    store: d.segments.store,
    survey: d.survey,
    ...('kind' in d ? { kind: d.kind } : {}),
  };
}

export function routes(endpoint: Endpoint, event: OutboundEvent): boolean {
  if (endpoint.status !== 'active' || !endpoint.events.includes(event.type)) return false;
  // Zendesk opens follow-ups of alerts only (a ticket per answer would flood the helpdesk).
  if (endpoint.kind === 'zendesk' && !event.type.startsWith('alert.')) return false;
  const f = endpoint.filter ?? {};
  const have = facts(event);
  return (['team', 'store', 'survey', 'kind'] as const).every((k) => f[k] === undefined || f[k] === have[k]);
}

export function endpointsFor(event: OutboundEvent, endpoints: Endpoint[]): Endpoint[] {
  return endpoints.filter((e) => routes(e, event));
}

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last failure the delivery is dead-lettered. */
  maxAttempts: number;
  /** The wait after the first failed attempt, doubled after each further one, up to maxDelaySeconds. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** A request that takes longer has failed (a slow receiver must not hold the queue). */
  timeoutMs: number;
}

/**
 * 16 attempts over about 13 hours: 5 s, 10 s, 20 s … then every 4 hours (SQS hides a message for at
 * most 12 hours). A receiver down for a working day's night still gets everything; one that fails
 * half the time loses an event with probability 0.5^16 (1.5 in 100,000).
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 16, baseDelaySeconds: 5, maxDelaySeconds: 4 * 3600, timeoutMs: 5000 };

/**
 * Seconds to wait after failed attempt `attempt` (1-based): exponential, with "equal jitter" (half
 * fixed, half random) so that many deliveries failing together do not come back together.
 * `random` is in [0, 1).
 */
export function retryDelaySeconds(attempt: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + (ceiling / 2) * random;
}

/** The sum of the waits without jitter: how long a delivery is retried before it is dead-lettered. */
export function retryHorizonSeconds(policy: RetryPolicy): number {
  let total = 0;
  for (let a = 1; a < policy.maxAttempts; a++) total += Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** (a - 1));
  return total;
}

export type AttemptResult = { ok: true; status: number } | { ok: false; status?: number; error: string };

export type AttemptVerdict =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; delaySeconds: number; error: string }
  | { outcome: 'dead-lettered'; error: string }
  | { outcome: 'endpoint-gone'; error: string };

/** Client errors a retry cannot fix; everything else (5xx, 408, 425, 429, timeouts, network) is retried. */
const RETRYABLE_4XX = new Set([408, 409, 423, 425, 429]);

export function judgeAttempt(result: AttemptResult, attempt: number, policy: RetryPolicy, random: number): AttemptVerdict {
  if (result.ok) return { outcome: 'delivered' };
  // 410 Gone: the receiver says this endpoint no longer exists (Standard Webhooks: disable it).
  if (result.status === 410) return { outcome: 'endpoint-gone', error: result.error };
  const permanent = result.status !== undefined && result.status >= 400 && result.status < 500 && !RETRYABLE_4XX.has(result.status);
  if (permanent || attempt >= policy.maxAttempts) return { outcome: 'dead-lettered', error: permanent ? `${result.error} (not retried)` : result.error };
  return { outcome: 'retry', delaySeconds: retryDelaySeconds(attempt, policy, random), error: result.error };
}
