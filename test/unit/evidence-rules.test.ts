/**
 * The evidence rules are configuration the composition root hands to the survey link's use cases
 * (functions/shared/deps.ts evidenceRules, from the DWELL_* settings): each configuration gets rules of
 * its own, and the production defaults are never changed, so two runtimes in one process cannot fight.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { evidenceRules } from '../../functions/shared/deps.ts';
import { configure, parseEnv } from '../../functions/shared/env.ts';
import { DEFAULT_EVIDENCE_RULES, judgeDwell } from '../../surveys/human-evidence.ts';
import type { Invitation } from '../../surveys/model.ts';

const SENT_AT = Date.parse('2026-11-23T12:00:00.000Z');
const invitation = { id: 'inv', sentAt: new Date(SENT_AT).toISOString() } as Invitation;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

afterAll(() => {
  configure(); // the process environment again, for whatever runs next in this worker
});

describe('the evidence rules of the composition root', () => {
  it('Should hand in the production rules when no DWELL_* setting is given', () => {
    // Prepare
    configure({});

    // Act
    const rules = evidenceRules();

    // Assess
    expect(rules).toEqual(DEFAULT_EVIDENCE_RULES);
    expect(rules).toMatchObject({ dwellMinSecondsAfterSend: 60, dwellHoldSeconds: 30 });
    expect(Object.isFrozen(DEFAULT_EVIDENCE_RULES)).toBe(true);
  });

  it('Should give two configurations two rule sets that judge the same dwell differently', () => {
    // Prepare
    configure({});
    const production = evidenceRules();
    configure({ DWELL_MIN_SECONDS_AFTER_SEND: '20', DWELL_HOLD_SECONDS: '10' });
    const shortened = evidenceRules();
    const dwell = { kind: 'dwell' as const, userAgent: CHROME, openedAt: SENT_AT + 25_000 };
    const now = new Date(SENT_AT + 30_000);

    // Act
    const underProduction = judgeDwell(dwell, invitation, now, undefined, production);
    const underShortened = judgeDwell(dwell, invitation, now, undefined, shortened);

    // Assess
    expect(shortened).toMatchObject({ dwellMinSecondsAfterSend: 20, dwellHoldSeconds: 10, burstWindowSeconds: DEFAULT_EVIDENCE_RULES.burstWindowSeconds });
    expect(production).toMatchObject({ dwellMinSecondsAfterSend: 60, dwellHoldSeconds: 30 });
    expect(underProduction).toEqual({ person: false, reason: 'dwell too soon after sending' });
    expect(underShortened).toEqual({ person: true });
    expect(DEFAULT_EVIDENCE_RULES).toMatchObject({ dwellMinSecondsAfterSend: 60, dwellHoldSeconds: 30 });
  });

  it('Should refuse a dwell wait that is not a number of seconds, naming the variable', () => {
    // Act
    const parse = () => parseEnv({ DWELL_HOLD_SECONDS: '-5' });

    // Assess
    expect(parse).toThrow(/DWELL_HOLD_SECONDS/);
  });
});
