import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../surveys/model.ts';
import { TEXTS, fill, placeholdersOf, scoreName, textsFor } from '../../surveys/texts/index.ts';

/** Every string of a texts object, keyed by its path ("metrics.nps.question"). */
function leaves(value: unknown, path = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      for (const [p, v] of leaves(child, path ? `${path}.${key}` : key)) out.set(p, v);
    }
  } else {
    out.set(path, value);
  }
  return out;
}

const en = leaves(TEXTS.en);
const others = SUPPORTED_LOCALES.filter((l) => l !== 'en');

describe.each(others)('texts in %s', (language) => {
  const other = leaves(TEXTS[language]);

  it('Should have every key English has, and no other', () => {
    // Prepare / Act
    const missing = [...en.keys()].filter((k) => !other.has(k));
    const extra = [...other.keys()].filter((k) => !en.has(k));

    // Assess
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
  });

  it('Should use the same placeholders as English in every string', () => {
    // Prepare
    const mismatches: string[] = [];

    // Act
    for (const [key, enValue] of en) {
      const value = other.get(key);
      if (typeof enValue !== 'string' || typeof value !== 'string') continue;
      if (placeholdersOf(enValue).join() !== placeholdersOf(value).join()) mismatches.push(key);
    }

    // Assess
    expect(mismatches).toEqual([]);
  });

  it('Should name its own language', () => {
    // Prepare / Act / Assess
    expect(TEXTS[language].language).toBe(language);
  });
});

describe.each(SUPPORTED_LOCALES)('texts in %s', (language) => {
  it('Should have no empty strings', () => {
    // Prepare
    const all = leaves(TEXTS[language]);

    // Act
    const empty = [...all].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);

    // Assess
    expect(empty).toEqual([]);
  });

  it('Should have no leftover brackets other than {placeholders}', () => {
    // Prepare
    const all = [...leaves(TEXTS[language]).values()] as string[];

    // Act
    const broken = all.filter((s) => /[{}]/.test(s.replace(/\{\w+\}/g, '')));

    // Assess
    expect(broken).toEqual([]);
  });
});

describe('Polish wording', () => {
  it('Should be natural Polish with diacritics', () => {
    // Prepare
    const pl = TEXTS.pl;

    // Act
    const question = fill(pl.metrics.nps.question, { brand: 'Sklep' });

    // Assess
    expect(question).toBe('Jak prawdopodobne jest, że polecisz firmę Sklep znajomemu lub współpracownikowi?');
    expect(pl.common.send).toBe('Wyślij');
    expect(pl.metrics.ces.lowLabel).toBe('Zdecydowanie się nie zgadzam');
  });
});

describe('textsFor', () => {
  it.each([
    ['pl', 'pl'],
    ['pl-PL', 'pl'],
    ['EN_gb', 'en'],
    ['de', 'en'],
    [undefined, 'en'],
    ['__proto__', 'en'],
  ])('Should pick %s → %s', (input, expected) => {
    // Prepare / Act
    const t = textsFor(input);

    // Assess
    expect(t.language).toBe(expected);
  });
});

describe('fill', () => {
  it('Should replace known placeholders and keep unknown ones visible', () => {
    // Prepare / Act
    const out = fill('{brand}: {score} of {max} {missing}', { brand: 'Acme', score: 0, max: 10 });

    // Assess
    expect(out).toBe('Acme: 0 of 10 {missing}');
  });

  it('Should not interpret placeholders inside values', () => {
    // Prepare / Act
    const out = fill('Hi {name}, {brand}', { name: '{brand}', brand: 'Acme' });

    // Assess
    expect(out).toBe('Hi {brand}, Acme');
  });
});

describe('scoreName', () => {
  it('Should name middle scores plainly and add the end labels on the ends', () => {
    // Prepare
    const t = TEXTS.en;

    // Act / Assess
    expect(scoreName(t, 'nps', 7)).toBe('Rate 7 out of 10');
    expect(scoreName(t, 'nps', 0)).toBe('Rate 0 out of 10 – Not at all likely');
    expect(scoreName(t, 'ces', 7)).toBe('Rate 7 out of 7 – Strongly agree');
    expect(scoreName(TEXTS.pl, 'csat', 3)).toBe('Ocena 3 z 5');
  });
});
