/**
 * SMS replies under random input, through the real smsInbound handler and SNS envelopes: replies
 * from numbers that were sent a CSAT survey, in any spelling, from numbers that were not, from
 * senders that are no number; bodies that are scores (in and out of range, with comments), STOP
 * words in Polish and English, any text, too long; envelopes that are not replies at all. Never an
 * exception: an in-range number becomes the answer, STOP suppresses the number, text becomes the
 * comment, and anything unusable is kept with its reason (or quarantined when it is no reply).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertEdge, FUZZ_TIMEOUT_MS, smsEdge, type FuzzEdge } from '../support/fuzz-edges.ts';
import type { SmsCase } from '../support/arbitraries.ts';
import { freshTable } from '../support/table.ts';

let edge: FuzzEdge<SmsCase>;

beforeAll(async () => {
  edge = await smsEdge(await freshTable());
}, 60_000);

describe('SMS replies with random content', () => {
  it(
    'Should answer, suppress, comment or keep each reply with its reason, and never throw',
    async () => {
      // Act
      const outcomes = await assertEdge(edge, Number(process.env.FUZZ_RUNS ?? 600));

      // Assess: every way a reply can go was taken
      const seen = [...outcomes.keys()].join('\n');
      for (const outcome of [
        /^answered/m,
        /^suppressed/m,
        /^commented/m,
        /^quarantined/m,
        /^kept: the sender is not a valid phone/m,
        /^kept: no SMS survey/m,
        /^kept: n is outside/m,
      ])
        expect(seen).toMatch(outcome);
    },
    FUZZ_TIMEOUT_MS,
  );

  it('Should quarantine a reply of 250 KB of multi-byte and control characters (over 400 KB as JSON) without an exception', async () => {
    // Prepare
    const messageBody = '€'.repeat(60_000) + '\u0001'.repeat(70_000);

    // Act
    const verdict = await edge.check({ envelope: 'sns', message: { originationNumber: '+48600100200', messageBody, inboundMessageId: 'heavy-1' } });

    // Assess
    expect(verdict).toEqual({ outcome: 'quarantined' });
  });
});
