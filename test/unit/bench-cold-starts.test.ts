/**
 * The cost model's cold starts (bench/cold-starts.ts): each function's calls a Poisson stream at its own rate,
 * cold when the function had no call in the idle environment's lifetime before; every call cold for a trickle.
 */
import { describe, expect, it } from 'vitest';
import { callsPerSurvey, coldShare, coldStartsPerSurvey, MINUTES_PER_MONTH } from '../../bench/cold-starts.ts';

describe('cold starts in the cost model', () => {
  it('makes a function called once a minute on average cold e^-5 of the time with a 5-minute idle lifetime', () => {
    expect(coldShare(1, 5)).toBeCloseTo(Math.exp(-5), 10);
    expect(coldShare(0, 5)).toBe(1);
  });

  it('counts a rarely called function cold far more often than a busy one in the same shop', () => {
    // Prepare: one call per survey for the event, one per 100 surveys for the alerts
    const calls = new Map([
      ['ingestEvents', 1],
      ['raiseAlerts', 0.01],
    ]);
    const perMonth = MINUTES_PER_MONTH; // a survey a minute

    // Act
    const { perSurvey, share } = coldStartsPerSurvey(calls, perMonth, 5);

    // Assess: ingestEvents at 1/min, raiseAlerts at 0.01/min
    expect(perSurvey).toBeCloseTo(1 * Math.exp(-5) + 0.01 * Math.exp(-0.05), 10);
    expect(share).toBeCloseTo(perSurvey / 1.01, 10);
  });

  it('counts every call cold for a trickle, and fewer the busier the shop', () => {
    const calls = new Map([['ingestEvents', 1]]);
    expect(coldStartsPerSurvey(calls, 'trickle', 5).share).toBe(1);
    expect(coldStartsPerSurvey(calls, 100_000, 5).share).toBeLessThan(coldStartsPerSurvey(calls, 10_000, 5).share);
  });

  it('weights the answer side by the response rate and the scanner fetches per e-mail', () => {
    // Prepare
    const m = { callsSendSide_ingestEvents: 1, callsAnswerSide_respond: 2, callsScannerFetch_respond: 1, wcuSendSide: 13.7 };

    // Act
    const calls = callsPerSurvey(m, 0.15, 1);

    // Assess
    expect(Object.fromEntries(calls)).toEqual({ ingestEvents: 1, respond: 2 * 0.15 + 1 });
  });
});
