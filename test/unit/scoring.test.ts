import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METRICS, type Metric } from '../../surveys/model.ts';
import { SCALES } from '../../surveys/scales.ts';
import {
  addToHistogram,
  classify,
  emptyHistogram,
  histogramFrom,
  isDetractorScore,
  mergeHistograms,
  npsAdjustedWald,
  npsWaldMarginOfError,
  proportionAdjustedWald,
  summarize,
} from '../../surveys/scoring.ts';

const scoreOf = (metric: Metric) => fc.integer({ min: SCALES[metric].min, max: SCALES[metric].max });

describe('histograms', () => {
  it('Should add and remove counts without changing the input, dropping zero entries', () => {
    // Prepare
    const start = { '9': 1 };

    // Act
    const added = addToHistogram(start, 3, 2);
    const edited = addToHistogram(addToHistogram(added, 3, -1), 3, -1);

    // Assess
    expect(start).toEqual({ '9': 1 });
    expect(added).toEqual({ '9': 1, '3': 2 });
    expect(edited).toEqual({ '9': 1 });
  });

  it('Should merge histograms key by key, deltas included', () => {
    // Prepare
    const day1 = { '10': 2, '5': 1 };
    const day2 = { '10': 1, '7': 4 };
    const edit = { '5': -1, '9': 1 };

    // Act
    const merged = mergeHistograms(day1, day2, edit);

    // Assess
    expect(merged).toEqual({ '10': 3, '7': 4, '9': 1 });
    expect(mergeHistograms()).toEqual({});
  });

  it('Should give an empty histogram, zero-filled for a metric', () => {
    // Prepare / Act
    const plain = emptyHistogram();
    const nps = emptyHistogram('nps');

    // Assess
    expect(plain).toEqual({});
    expect(Object.keys(nps)).toHaveLength(11);
    expect(summarize('nps', nps).value).toBeNull();
  });

  it('Should refuse non-integer scores and deltas', () => {
    // Prepare / Act / Assess
    expect(() => addToHistogram({}, 7.5)).toThrow(RangeError);
    expect(() => addToHistogram({}, 7, 0.5)).toThrow(RangeError);
  });
});

describe('classify', () => {
  it.each([
    ['nps', 0, 'detractor'],
    ['nps', 6, 'detractor'],
    ['nps', 7, 'passive'],
    ['nps', 8, 'passive'],
    ['nps', 9, 'promoter'],
    ['nps', 10, 'promoter'],
    ['csat', 2, 'detractor'],
    ['csat', 3, 'passive'],
    ['csat', 4, 'promoter'],
    ['ces', 3, 'detractor'],
    ['ces', 4, 'passive'],
    ['ces', 5, 'promoter'],
  ] as const)('Should put %s %i in the %s band', (metric, score, category) => {
    // Prepare / Act / Assess
    expect(classify(metric, score)).toBe(category);
    expect(isDetractorScore(metric, score)).toBe(category === 'detractor');
  });

  it('Should throw for a score off the scale', () => {
    // Prepare / Act / Assess
    expect(() => classify('nps', 11)).toThrow(/0-10/);
    expect(() => classify('csat', 0)).toThrow(RangeError);
  });
});

describe('summarize NPS', () => {
  it('Should compute 5 promoters, 3 passives, 2 detractors as NPS 30 with the adjusted-Wald margin', () => {
    // Prepare
    const h = histogramFrom([10, 10, 10, 9, 9, 8, 8, 7, 3, 0]);

    // Act
    const s = summarize('nps', h);

    // Assess
    // By hand: n̂ = 13, p̂ = 5.75/13 = 0.442308, d̂ = 2.75/13 = 0.211538, p̂ − d̂ = 0.230769,
    // var = 0.653846 − 0.053254 = 0.600592, √(var/13) = 0.214939, × 1.96 = 0.4213 → 42.1 points.
    // Plain Wald: p = .5, d = .2, var = .7 − .09 = .61, √(.61/10) = 0.246982, × 1.96 = 0.4841 → 48.4.
    expect(s).toMatchObject({
      metric: 'nps',
      responses: 10,
      value: 30,
      promoters: 5,
      passives: 3,
      detractors: 2,
      percentPromoters: 50,
      percentPassives: 30,
      percentDetractors: 20,
      marginOfError: 42.1,
      waldMarginOfError: 48.4,
      smallSample: true,
    });
    // The interval is centred on the adjusted estimate 23.08: 23.08 ∓ 42.13.
    expect(s.interval).toEqual({ low: -19.1, high: 65.2 });
  });

  it('Should give 100 for all promoters, with a margin the plain Wald method cannot give', () => {
    // Prepare
    const h = { '9': 4, '10': 6 };

    // Act
    const s = summarize('nps', h);

    // Assess
    // By hand: p̂ = 10.75/13 = 0.826923, d̂ = 0.75/13 = 0.057692, var = 0.884615 − 0.591716 = 0.292899,
    // √(var/13) = 0.150103, × 1.96 = 0.2942 → 29.4.
    expect(s.value).toBe(100);
    expect(s.marginOfError).toBe(29.4);
    expect(s.waldMarginOfError).toBe(0);
    expect(s.interval?.high).toBe(100);
  });

  it('Should give −100 for all detractors', () => {
    // Prepare / Act
    const s = summarize('nps', { '0': 3, '6': 2 });

    // Assess
    expect(s.value).toBe(-100);
    expect(s.detractors).toBe(5);
  });

  it('Should expose the unrounded margins', () => {
    // Prepare / Act
    const adjusted = npsAdjustedWald({ promoters: 5, passives: 3, detractors: 2 });
    const wald = npsWaldMarginOfError({ promoters: 5, passives: 3, detractors: 2 });

    // Assess
    expect(adjusted?.estimate).toBeCloseTo((100 * 3) / 13, 6);
    expect(adjusted?.marginOfError).toBeCloseTo(42.128, 2);
    expect(wald).toBeCloseTo(48.408, 2);
    expect(npsAdjustedWald({ promoters: 0, passives: 0, detractors: 0 })).toBeNull();
    expect(npsWaldMarginOfError({ promoters: 0, passives: 0, detractors: 0 })).toBeNull();
  });

  it('Should flag samples under 30 as small and 30 or more as not', () => {
    // Prepare
    const h29 = { '10': 29 };
    const h30 = { '10': 30 };

    // Act / Assess
    expect(summarize('nps', h29).smallSample).toBe(true);
    expect(summarize('nps', h30).smallSample).toBe(false);
  });

  it('Should round half away from zero only at the end', () => {
    // Prepare: 1 promoter, 0 detractors in 8 → 12.5; 1 detractor in 8 → −12.5
    const up = { '10': 1, '8': 7 };
    const down = { '0': 1, '8': 7 };

    // Act / Assess
    expect(summarize('nps', up).value).toBe(12.5);
    expect(summarize('nps', down).value).toBe(-12.5);
    expect(summarize('nps', { '10': 1, '8': 1, '0': 1 }).value).toBe(0); // 33.33 − 33.33, not −0
    expect(Object.is(summarize('nps', { '10': 1, '0': 1 }).value, 0)).toBe(true);
  });
});

describe('summarize CSAT', () => {
  it('Should give the % of 4-5 answers, the mean and an adjusted-Wald margin', () => {
    // Prepare
    const h = histogramFrom([5, 5, 5, 4, 4, 3, 1]);

    // Act
    const s = summarize('csat', h);

    // Assess
    // By hand: 5/7 = 71.43 %; mean 27/7 = 3.857; ñ = 7 + 3.8415 = 10.8415, p̃ = (5 + 1.9207)/ñ = 0.638354,
    // √(p̃(1 − p̃)/ñ) = 0.145925, × 1.96 = 0.2860 → 28.6.
    expect(s).toMatchObject({ responses: 7, value: 71.4, satisfied: 5, mean: 3.86, detractors: 1, marginOfError: 28.6 });
    expect(proportionAdjustedWald(5, 7)?.marginOfError).toBeCloseTo(28.6, 1);
  });
});

describe('summarize CES', () => {
  it('Should give the mean, % easy, high effort and z·s/√n', () => {
    // Prepare
    const h = histogramFrom([7, 7, 6, 6, 5, 4, 2]);

    // Act
    const s = summarize('ces', h);

    // Assess
    // By hand: mean 37/7 = 5.2857; squares 19.4286, s = √(19.4286/6) = 1.79947; 1.96 · s/√7 = 1.3331.
    expect(s).toMatchObject({ responses: 7, value: 5.29, mean: 5.29, percentEasy: 71.4, highEffort: 1, detractors: 1, marginOfError: 1.33 });
  });

  it('Should give no margin for a single answer (the standard deviation is undefined)', () => {
    // Prepare / Act
    const s = summarize('ces', { '6': 1 });

    // Assess
    expect(s.value).toBe(6);
    expect(s.marginOfError).toBeUndefined();
  });
});

describe.each(METRICS)('summarize %s with odd input', (metric) => {
  it('Should return null figures for an empty histogram, without throwing', () => {
    // Prepare / Act
    const s = summarize(metric, {});

    // Assess
    expect(s.responses).toBe(0);
    expect(s.value).toBeNull();
    expect(s.marginOfError).toBeUndefined();
    expect(s.smallSample).toBe(true);
  });

  it('Should ignore keys off the scale and non-positive counts', () => {
    // Prepare
    const h = { '99': 5, '-1': 2, abc: 3, '': 1, [String(SCALES[metric].max)]: 2, [String(SCALES[metric].min)]: -4 };

    // Act
    const s = summarize(metric, h);

    // Assess
    expect(s.responses).toBe(2);
  });
});

describe('properties', () => {
  it('Should keep NPS within −100..100 and its interval around the adjusted estimate', () => {
    fc.assert(
      fc.property(fc.array(scoreOf('nps'), { minLength: 1, maxLength: 300 }), (scores) => {
        const s = summarize('nps', histogramFrom(scores));
        expect(s.value).not.toBeNull();
        expect(s.value!).toBeGreaterThanOrEqual(-100);
        expect(s.value!).toBeLessThanOrEqual(100);
        expect(s.marginOfError!).toBeGreaterThan(0);
        expect(s.interval!.low).toBeGreaterThanOrEqual(-100);
        expect(s.interval!.high).toBeLessThanOrEqual(100);
      }),
    );
  });

  it('Should never lower NPS when a promoter is added', () => {
    fc.assert(
      fc.property(fc.array(scoreOf('nps'), { minLength: 1, maxLength: 300 }), fc.constantFrom(9, 10), (scores, promoter) => {
        const before = summarize('nps', histogramFrom(scores)).value!;
        const after = summarize('nps', addToHistogram(histogramFrom(scores), promoter)).value!;
        expect(after).toBeGreaterThanOrEqual(before);
      }),
    );
  });

  it.each(METRICS)('Should summarize merged %s histograms like the concatenated answers', (metric) => {
    fc.assert(
      fc.property(fc.array(fc.array(scoreOf(metric), { maxLength: 60 }), { maxLength: 8 }), (days) => {
        const merged = mergeHistograms(...days.map((d) => histogramFrom(d)));
        const concatenated = histogramFrom(days.flat());
        expect(summarize(metric, merged)).toEqual(summarize(metric, concatenated));
      }),
    );
  });

  it('Should undo an answer with its negative delta', () => {
    fc.assert(
      fc.property(fc.array(scoreOf('csat'), { maxLength: 50 }), scoreOf('csat'), (scores, extra) => {
        const h = histogramFrom(scores);
        expect(mergeHistograms(h, { [String(extra)]: 1 }, { [String(extra)]: -1 })).toEqual(h);
      }),
    );
  });
});
