import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../surveys/insights/classify.ts';
import { DEFAULT_TAXONOMY, DEFAULT_TOPIC_IDS, taxonomySchema, type Taxonomy } from '../../surveys/insights/taxonomy.ts';
import { detectLanguage, fold, stem } from '../../surveys/insights/text.ts';

const classifier = createClassifier();

describe('text', () => {
  it('Should fold Polish diacritics, including ł, so both typing habits meet', () => {
    // Prepare
    const pairs = [
      ['przyszła', 'przyszla'],
      ['Żółć', 'zolc'],
      ['ŁÓDŹ', 'lodz'],
    ];

    // Act
    const folded = pairs.map(([a]) => fold(a!));

    // Assess
    expect(folded).toEqual(pairs.map(([, b]) => b));
  });

  it.each([
    ['kurier', 'kuriera', 'kurierem'],
    ['paczka', 'paczki', 'paczke'],
    ['przyszła', 'przyszla', 'przyszły'],
  ])('Should give the inflections %s, %s and %s one stem', (a, b, c) => {
    // Act
    const stems = new Set([stem('pl', a), stem('pl', b), stem('pl', c)]);

    // Assess
    expect(stems.size).toBe(1);
  });

  it.each([
    ['Paczka przyszla po tygodniu, nie polecam', undefined, 'pl'],
    ['konsultant pomocny', undefined, undefined],
    ['The parcel was late', undefined, 'en'],
    ['ok', 'pl-PL', 'pl'],
    ['ok', 'en', 'en'],
  ])('Should read "%s" (locale %s) as %s (undefined: nothing decides)', (text, hint, lang) => {
    // Act
    const detected = detectLanguage(text, hint);

    // Assess
    expect(detected).toBe(lang);
  });
});

describe('createClassifier', () => {
  it.each([
    ['Kurier się spóźnił', 'delivery'],
    ['Nie podobał mi się kurierem dostarczony towar, kuriera nie było', 'delivery'],
    ['paczke zostawil kurier u sasiada', 'delivery'],
    ['Reklamację rozpatrzono szybko', 'returns'],
    ['reklamacji nikt nie rozpatrzył', 'returns'],
    ['Płatność kartą nie przeszła', 'payment'],
    ['platnosc karta nie przeszla', 'payment'],
    ['The courier was late', 'delivery'],
    ['My refund never came', 'returns'],
  ])('Should find the topic of "%s" whatever the inflection or diacritics', (text, topic) => {
    // Act
    const result = classifier.classify(text);

    // Assess
    expect(result.topics).toContain(topic);
  });

  it('Should read a comment whose language nothing tells in the language that explains more of it', () => {
    // Act
    const result = classifier.classify('konsultant pomocny');

    // Assess
    expect(result.language).toBe('pl');
    expect(result.topics).toEqual(['agent']);
    expect(result.sentiment).toBe('positive');
  });

  it('Should give the same result with and without diacritics', () => {
    // Prepare
    const withMarks = 'Paczka przyszła zgnieciona, a konsultantka była niemiła.';
    const without = 'Paczka przyszla zgnieciona, a konsultantka byla niemila.';

    // Act
    const a = classifier.classify(withMarks);
    const b = classifier.classify(without);

    // Assess
    expect(b.topics).toEqual(a.topics);
    expect(b.sentiment).toBe(a.sentiment);
    expect(a.topics).toEqual(['packaging', 'agent']);
  });

  it.each([
    ['Polecam', 'positive'],
    ['Nie polecam', 'negative'],
    ['nie polecam', 'negative'],
    ['Would recommend', 'positive'],
    ['Would not recommend', 'negative'],
    ["Wouldn't recommend", 'negative'],
    ['Nie miałem żadnych problemów', 'positive'],
    ['Bez zastrzeżeń', 'positive'],
    ['No problems at all', 'positive'],
  ])('Should flip the sentiment under negation: "%s" is %s', (text, sentiment) => {
    // Act
    const result = classifier.classify(text);

    // Assess
    expect(result.sentiment).toBe(sentiment);
  });

  it('Should score sentiment within [-1, 1], negative below neutral below positive', () => {
    // Act
    const scores = ['Tragedia, nie polecam, oszuści!', 'Zamówiłem dwie pary spodni.', 'Świetny sklep, polecam, super obsługa!'].map(
      (t) => classifier.classify(t).sentimentScore,
    );

    // Assess
    for (const s of scores) expect(Math.abs(s)).toBeLessThanOrEqual(1);
    expect(scores[0]).toBeLessThan(scores[1]!);
    expect(scores[1]).toBeLessThan(scores[2]!);
    expect(scores[1]).toBe(0);
  });

  it('Should say which words led to which topic and which words moved the sentiment', () => {
    // Act
    const result = classifier.classify('Koszt wysyłki za wysoki, ale kurier miły.');

    // Assess
    expect(result.topics).toEqual(['delivery', 'price']);
    expect(result.evidence).toContainEqual({ topic: 'price', cue: 'koszt* wysyłki', words: ['Koszt', 'wysyłki'] });
    expect(result.evidence.find((e) => e.topic === 'delivery')?.words).toContain('kurier');
    expect(result.sentimentEvidence.map((e) => e.words.join(' '))).toEqual(expect.arrayContaining(['za wysoki', 'miły']));
  });

  it('Should let a several-word cue use up its words, so shipping cost is a price and not a delivery', () => {
    // Act
    const pl = classifier.classify('Koszty dostawy za wysokie');
    const en = classifier.classify('Shipping cost is too high');

    // Assess
    expect(pl.topics).toEqual(['price']);
    expect(en.topics).toEqual(['price']);
  });

  it('Should find no topic in a comment about nothing in particular', () => {
    // Act
    const result = classifier.classify('Brak uwag.');

    // Assess
    expect(result.topics).toEqual([]);
    expect(result.evidence).toEqual([]);
  });

  it('Should return the same result every time (deterministic)', () => {
    // Prepare
    const text = 'Pani z infolinii była bardzo miła, ale zwrot pieniędzy trwał miesiąc.';

    // Act
    const runs = Array.from({ length: 5 }, () => classifier.classify(text));

    // Assess
    for (const r of runs) expect(r).toEqual(runs[0]);
  });

  it('Should classify with a taxonomy passed in instead of the default', () => {
    // Prepare
    const taxonomy: Taxonomy = taxonomySchema.parse({
      topics: [{ id: 'gift-wrap', label: { pl: 'Pakowanie na prezent', en: 'Gift wrap' }, cues: { pl: ['prezent*'], en: ['gift'] } }],
    });

    // Act
    const result = createClassifier(taxonomy).classify('Zapakowane na prezent, kurier szybki');

    // Assess
    expect(result.topics).toEqual(['gift-wrap']);
  });

  it('Should refuse a taxonomy whose topic id is not a slug, saying why', () => {
    // Act
    const parsed = taxonomySchema.safeParse({ topics: [{ id: 'Bad Id', label: { pl: 'x', en: 'x' }, cues: { pl: [], en: [] } }] });

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/lower-case/);
  });

  it('Should keep the contract topic ids in the default taxonomy, with Polish and English labels', () => {
    // Assess
    expect(DEFAULT_TAXONOMY.topics.map((t) => t.id)).toEqual([...DEFAULT_TOPIC_IDS]);
    for (const t of DEFAULT_TAXONOMY.topics) expect(t.label.pl && t.label.en).toBeTruthy();
    expect(taxonomySchema.safeParse(DEFAULT_TAXONOMY).success).toBe(true);
  });
});
