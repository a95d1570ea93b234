/**
 * The cost model's shop of a stated monthly volume (bench/cost-month.ts): the quiet run less the page writes
 * and page-writer calls that bench:month counts fewer at that volume, with those calls' log bytes and time.
 */
import { describe, expect, it } from 'vitest';
import { measuredInputs } from '../../bench/cost-model.ts';
import { monthInput, monthInputLines, shopOfMonth } from '../../bench/cost-month.ts';

const quiet = {
  wcuSendSide: 28,
  wcuAnswerSide: 29.3,
  invocationsSendSide: 6,
  logBytesSendSide: 5000,
  msHandlersSendSide: 80,
  logBytesPageWriterCall: 750,
  msPageWriterCall: 15,
};

const month = (writes: number, calls: number) => ({
  [monthInput.pageWrites('quiet')]: 17.8,
  [monthInput.pageWriterCalls('quiet')]: 3.8,
  [monthInput.pageWrites('10000')]: writes,
  [monthInput.pageWriterCalls('10000')]: calls,
  [monthInput.callsOf('10000', 'countFunnel')]: calls * 0.6,
  [monthInput.callsOf('10000', 'aggregateScores')]: calls * 0.4,
});

describe('a shop of a stated monthly volume in the cost model', () => {
  it('is the quiet shop when bench:month counts as many page writes and calls at that volume as at one record a batch', () => {
    // Prepare / Act
    const shop = shopOfMonth(quiet, month(17.8, 3.8), '10000');

    // Assess
    expect(shop.wcuSendSide).toBeCloseTo(quiet.wcuSendSide);
    expect(shop.invocationsSendSide).toBeCloseTo(quiet.invocationsSendSide);
    expect(shop.logBytesSendSide).toBeCloseTo(quiet.logBytesSendSide);
  });

  it('takes the fewer writes and calls off the send side, with each call its log bytes and its time', () => {
    // Prepare / Act
    const shop = shopOfMonth(quiet, month(5.3, 1.0), '10000');

    // Assess
    expect(shop.wcuSendSide).toBeCloseTo(28 - 12.5);
    expect(shop.invocationsSendSide).toBeCloseTo(6 - 2.8);
    expect(shop.logBytesSendSide).toBeCloseTo(5000 - 2.8 * 750);
    expect(shop.msHandlersSendSide).toBeCloseTo(80 - 2.8 * 15);
    expect(shop.wcuAnswerSide).toBe(quiet.wcuAnswerSide);
  });

  it("gives each page writer the month's own calls per survey sent, answers included, for its cold starts", () => {
    // Prepare / Act
    const shop = shopOfMonth({ ...quiet, callsSendSide_countFunnel: 3, callsAnswerSide_countFunnel: 2 }, month(5.3, 1.0), '10000');

    // Assess
    expect(shop.callsSendSide_countFunnel).toBeCloseTo(0.6);
    expect(shop.callsAnswerSide_countFunnel).toBe(0);
    expect(shop.callsSendSide_aggregateScores).toBeCloseTo(0.4);
  });

  it('names the input it lacks and the command that writes it', () => {
    // Prepare
    const { logBytesPageWriterCall: _, ...older } = quiet;

    // Act / Assess
    expect(() => shopOfMonth(older, month(5.3, 1.0), '10000')).toThrow(/logBytesPageWriterCall in its wcu-quiet section: run `npm run bench:figures`/);
    expect(() => shopOfMonth(quiet, {}, '10000')).toThrow(/pageWriterCalls_10000_<function> in its month section/);
  });

  it('reads back, through the cost model, the input lines bench:month writes', () => {
    // Prepare
    const lines = monthInputLines([
      { row: '10000', pageWrites: 5.2789, calls: { countFunnel: 0.638, aggregateScores: 0.184, classifyComments: 0.184 } },
      { row: 'quiet', pageWrites: 17.833, calls: { countFunnel: 3.373, aggregateScores: 0.224, classifyComments: 0.223 } },
    ]);
    const results = `<!-- bench:month -->\n## month\n\n${lines}\n<!-- /bench:month -->`;

    // Act
    const shop = shopOfMonth(quiet, measuredInputs(results, 'month'), '10000');

    // Assess
    expect(shop.wcuSendSide).toBeCloseTo(28 - (17.833 - 5.279), 3);
    expect(shop.invocationsSendSide).toBeCloseTo(6 - (3.82 - 1.006), 3);
    expect(shop.callsSendSide_countFunnel).toBeCloseTo(0.638, 3);
  });
});
