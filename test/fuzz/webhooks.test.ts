/**
 * POST /webhooks/{source} under random input: real Shopify and Zendesk deliveries, the same with a
 * field broken, junk bodies; good, tampered, foreign and missing signatures; fresh, stale and
 * nonsense Zendesk timestamps; missing event ids; unknown sources. Answers are 401/400/404 by the
 * request, 200 (accepted or ignored) or 202 (quarantined with the reason) once signed — never a 5xx —
 * and every valid, correctly signed delivery is accepted and in the table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertEdge, FUZZ_TIMEOUT_MS, webhooksEdge, type FuzzEdge } from '../support/fuzz-edges.ts';
import type { WebhookCase } from '../support/arbitraries.ts';
import { freshTable } from '../support/table.ts';

let edge: FuzzEdge<WebhookCase>;

beforeAll(async () => {
  edge = await webhooksEdge(await freshTable());
});

describe('webhooks with random deliveries', () => {
  it(
    'Should accept every valid signed delivery and refuse or quarantine the rest, never answering 5xx',
    async () => {
      // Act
      const outcomes = await assertEdge(edge, Number(process.env.FUZZ_RUNS ?? 800));

      // Assess: every kind of answer was reached
      const seen = [...outcomes.keys()].join('\n');
      for (const answer of [/shopify valid-order 200 accepted/, /zendesk valid-solved 200 accepted/, /401/, /202 quarantined/, /200 ignored/, /unknown 404/])
        expect(seen).toMatch(answer);
    },
    FUZZ_TIMEOUT_MS,
  );

  it('Should quarantine a signed body of 250 KB of multi-byte and control characters (over 400 KB as JSON) without a 5xx', async () => {
    // Prepare: 60,000 "€" (180 KB) and 70,000 control characters (6 bytes each once escaped)
    const body = '€'.repeat(60_000) + '\u0001'.repeat(70_000);

    // Act
    const verdict = await edge.check({
      source: 'shopify',
      kind: 'junk',
      body,
      topic: 'orders/fulfilled',
      eventId: 'heavy-1',
      shop: 'heavy.myshopify.com',
      signing: 'good',
    });

    // Assess
    expect(verdict).toEqual({ outcome: 'shopify junk 202 quarantined' });
  });
});
