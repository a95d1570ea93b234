/**
 * The cost model's third shop: one sending a stated number of e-mail surveys a month. Its page writers
 * (countFunnel, aggregateScores, classifyComments) batch as `npm run bench:month` measured for that volume in
 * virtual time (section `month`); every other stream consumer is taken as in the quiet shop, one record a
 * call, which at thousands of surveys a month is close (their windows are 1-60 s) and an upper bound.
 *
 * The quiet run measured everything on DynamoDB Local; bench:month's one-record-per-batch row is the same
 * shop in virtual time (its funnel writes match the quiet run's exactly, see the month section). So the
 * shop of the month is the quiet run less the difference between those two rows of bench:month.
 */

/** The volumes bench:month replays, and its one-record-per-batch row. */
export const MONTH_ROWS = ['1000', '10000', '100000', 'quiet'] as const;
export type MonthRow = (typeof MONTH_ROWS)[number];

/** The input names bench:month writes for a row (per e-mail survey sent, at the model's response rate). */
export const monthInput = {
  pageWrites: (row: MonthRow) => `pageWrites_${row}`,
  pageWriterCalls: (row: MonthRow) => `pageWriterCalls_${row}`,
  /** One page writer's calls (countFunnel, aggregateScores, classifyComments): its own rate decides its cold starts. */
  callsOf: (row: MonthRow, fn: string) => `pageWriterCalls_${row}_${fn}`,
};

/** Everything the adjustment needs, or the name of what is missing. */
function need(m: Record<string, number>, key: string, section: string): number {
  const v = m[key];
  if (v === undefined) throw new Error(`bench/RESULTS.md lacks ${key} in its ${section} section: run \`npm run bench:figures\``);
  return v;
}

/**
 * The quiet shop's inputs turned into those of a shop sending `row` surveys a month: fewer page writes and
 * page-writer calls per survey sent, and with the calls their log lines (ours and Lambda's) and handler time,
 * at the quiet run's measured bytes and milliseconds per page-writer call. Answer-side inputs stay: bench:month
 * counts per survey sent, answers included, so the difference goes to the send side.
 */
export function shopOfMonth(quiet: Record<string, number>, month: Record<string, number>, row: Exclude<MonthRow, 'quiet'>): Record<string, number> {
  // Each page writer's calls per survey sent at that volume, answers included: all on the send side.
  const prefix = monthInput.callsOf(row, '');
  const writers = Object.entries(month).flatMap(([key, calls]) => (key.startsWith(prefix) ? [[key.slice(prefix.length), calls] as const] : []));
  if (writers.length === 0) throw new Error(`bench/RESULTS.md lacks ${prefix}<function> in its month section: run \`npm run bench:figures\``);
  const perFunction = Object.fromEntries(
    writers.flatMap(([fn, calls]) => [
      [`callsSendSide_${fn}`, calls],
      [`callsAnswerSide_${fn}`, 0],
      [`callsScannerFetch_${fn}`, 0],
    ]),
  );
  const fewerWrites = need(month, monthInput.pageWrites('quiet'), 'month') - need(month, monthInput.pageWrites(row), 'month');
  const fewerCalls = need(month, monthInput.pageWriterCalls('quiet'), 'month') - need(month, monthInput.pageWriterCalls(row), 'month');
  return {
    ...quiet,
    ...perFunction,
    wcuSendSide: need(quiet, 'wcuSendSide', 'wcu-quiet') - fewerWrites,
    invocationsSendSide: need(quiet, 'invocationsSendSide', 'wcu-quiet') - fewerCalls,
    logBytesSendSide: need(quiet, 'logBytesSendSide', 'wcu-quiet') - fewerCalls * need(quiet, 'logBytesPageWriterCall', 'wcu-quiet'),
    msHandlersSendSide: need(quiet, 'msHandlersSendSide', 'wcu-quiet') - fewerCalls * need(quiet, 'msPageWriterCall', 'wcu-quiet'),
  };
}

/** The month section's input lines (per e-mail survey sent) that `shopOfMonth` reads back through the cost model. */
export function monthInputLines(rows: ReadonlyArray<{ row: MonthRow; pageWrites: number; calls: Readonly<Record<string, number>> }>): string {
  const line = (name: string, value: number) => `- \`${name}\`: ${value.toFixed(3)}`;
  return rows
    .flatMap((r) => [
      line(monthInput.pageWrites(r.row), r.pageWrites),
      line(
        monthInput.pageWriterCalls(r.row),
        Object.values(r.calls).reduce((a, b) => a + b, 0),
      ),
      ...Object.entries(r.calls).map(([fn, calls]) => line(monthInput.callsOf(r.row, fn), calls)),
    ])
    .join('\n');
}
