/** The respond function's request limits: fixed windows counted in the container's memory (no table write). */
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter, type RateRule } from '../../functions/shared/rate-limit.ts';

const rule: RateRule = { scope: 'link', limit: 6, windowSeconds: 60 };
const WINDOW_START = Date.parse('2026-11-23T12:00:00.000Z');
const at = (ms: number) => new Date(WINDOW_START + ms);

describe('fixed-window limits in memory', () => {
  it('Should allow the weight up to the limit, refuse past it with the seconds left, and count per subject', async () => {
    // Prepare
    const limiter = new MemoryRateLimiter();
    const hit = (subject: string, weight: number, ms: number) => limiter.hit([{ rule, subject, weight }], at(ms));

    // Act
    const decisions = [await hit('inv-a', 1, 0), await hit('inv-a', 3, 1_000), await hit('inv-a', 2, 2_000), await hit('inv-a', 1, 15_000)];
    const other = await hit('inv-b', 3, 16_000);

    // Assess
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 45, scope: 'link' });
    expect(other).toEqual({ allowed: true });
  });

  it('Should start afresh in the next window', async () => {
    // Prepare
    const limiter = new MemoryRateLimiter();
    await limiter.hit([{ rule, subject: 'inv-c', weight: 6 }], at(0));

    // Act
    const sameWindow = await limiter.hit([{ rule, subject: 'inv-c' }], at(10_000));
    const nextWindow = await limiter.hit([{ rule, subject: 'inv-c' }], at(60_000));

    // Assess
    expect(sameWindow.allowed).toBe(false);
    expect(nextWindow.allowed).toBe(true);
  });

  it('Should refuse when any of its rules is exceeded, naming that one', async () => {
    // Prepare
    const limiter = new MemoryRateLimiter();
    const address: RateRule = { scope: 'addr', limit: 2, windowSeconds: 60 };

    // Act
    const decisions = [];
    for (let i = 0; i < 3; i++)
      decisions.push(
        await limiter.hit(
          [
            { rule: address, subject: '83.12.34.56' },
            { rule, subject: `inv-d${i}` },
          ],
          at(i),
        ),
      );

    // Assess
    expect(decisions.map((d) => (d.allowed ? 'ok' : d.scope))).toEqual(['ok', 'ok', 'addr']);
  });

  it('Should keep counting correctly for a subject past a flood of 20,000 distinct ones (memory stays bounded)', async () => {
    // Prepare
    const limiter = new MemoryRateLimiter();
    await limiter.hit([{ rule, subject: 'inv-e', weight: 6 }], at(0));

    // Act
    for (let i = 0; i < 20_000; i++) await limiter.hit([{ rule, subject: `flood-${i}` }], at(61_000));
    const afterFlood = await limiter.hit([{ rule, subject: 'inv-e', weight: 6 }], at(62_000));
    const overAgain = await limiter.hit([{ rule, subject: 'inv-e' }], at(62_500));

    // Assess
    expect(afterFlood.allowed).toBe(true);
    expect(overAgain).toEqual({ allowed: false, retryAfterSeconds: 58, scope: 'link' });
  });
});
