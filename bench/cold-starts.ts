/**
 * How many of a shop's Lambda invocations start a new execution environment. Since 1 August 2025 Lambda bills
 * the INIT phase of ZIP functions on managed runtimes too (AWS Compute blog, "AWS Lambda standardizes billing for
 * INIT Phase"), and each cold start adds INIT_START and Init Duration to the logs, so at low traffic cold starts
 * are a cost of their own.
 *
 * AWS does not document how long an idle environment is kept. The model takes a function's calls as a Poisson
 * stream at its own rate (calls per survey × surveys per minute) and an idle environment as kept `idleMinutes`:
 * a call is cold when the function had no call in the `idleMinutes` before it, e^(−rate × idleMinutes). One
 * environment per function (at these rates calls seldom overlap), and the one-minute sweeps are always warm.
 */

/** The input names' prefixes of each function's calls (`<side>_<fn>`), as bench:wcu writes them (lifecycle-report.ts). */
export const CALL_SIDES = ['callsSendSide', 'callsAnswerSide', 'callsScannerFetch'] as const;
export type CallSide = (typeof CALL_SIDES)[number];
const CALL_INPUT = new RegExp(`^(${CALL_SIDES.join('|')})_(\\w+)$`);

/** Calls of one function per survey sent (answers and scanner fetches already weighted in). */
export type CallsPerSurvey = ReadonlyMap<string, number>;

export const MINUTES_PER_MONTH = 30.44 * 24 * 60;

/** The share of one function's calls that are cold, at `callsPerMinute`. */
export function coldShare(callsPerMinute: number, idleMinutes: number): number {
  return Math.exp(-callsPerMinute * idleMinutes);
}

/**
 * Cold starts per survey sent for a shop sending `surveysPerMonth` (every call cold for a trickle: `'trickle'`),
 * and the share of all calls they are.
 */
export function coldStartsPerSurvey(calls: CallsPerSurvey, surveysPerMonth: number | 'trickle', idleMinutes: number): { perSurvey: number; share: number } {
  let all = 0;
  let cold = 0;
  for (const perSurvey of calls.values()) {
    all += perSurvey;
    cold += surveysPerMonth === 'trickle' ? perSurvey : perSurvey * coldShare((perSurvey * surveysPerMonth) / MINUTES_PER_MONTH, idleMinutes);
  }
  return { perSurvey: cold, share: all > 0 ? cold / all : 0 };
}

/**
 * Each function's calls per e-mail survey sent from the measured inputs (`callsSendSide_<fn>`, `callsAnswerSide_<fn>`,
 * `callsScannerFetch_<fn>`): the send side, the answer side times the response rate, the scanner fetches per e-mail.
 */
export function callsPerSurvey(m: Record<string, number>, responseRate: number, scannerFetches: number): Map<string, number> {
  const calls = new Map<string, number>();
  const weights: Record<CallSide, number> = { callsSendSide: 1, callsAnswerSide: responseRate, callsScannerFetch: scannerFetches };
  for (const [key, value] of Object.entries(m)) {
    const [, side, fn] = CALL_INPUT.exec(key) ?? [];
    if (side && fn) calls.set(fn, (calls.get(fn) ?? 0) + value * weights[side as CallSide]);
  }
  return calls;
}
