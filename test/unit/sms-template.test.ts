/**
 * SMS invitations in both languages, all three kinds: "reply with a number", the scale, the short
 * link, and how many segments they cost with the links ankieta actually sends (/s/ + 10 characters).
 */
import { describe, expect, it } from 'vitest';
import { METRICS, SUPPORTED_LOCALES } from '../../surveys/model.ts';
import { SCALES } from '../../surveys/scales.ts';
import { fewestSegments, plainLetters, renderSurveySms, smsSegments } from '../../surveys/templates/sms.ts';

const LINKS = {
  custom: 'https://ankieta.example/s/Ab3dE5gH7k', // a custom domain (docs/deploy.md publicBaseUrl): 37 characters
  apiGateway: 'https://abcdef1234.execute-api.eu-central-1.amazonaws.com/s/Ab3dE5gH7k', // the default: 71 characters
};

describe.each(METRICS.flatMap((metric) => SUPPORTED_LOCALES.map((language) => [metric, language] as const)))('the %s SMS in %s', (metric, language) => {
  it('Should ask for a number on the scale and carry the short link once', () => {
    // Act
    const text = renderSurveySms({ metric, language, brand: 'Sklep Żabka', link: LINKS.custom });

    // Assess
    const { min, max } = SCALES[metric];
    expect(text).toContain(`${min}-${max}`);
    expect(text.split(LINKS.custom)).toHaveLength(2);
    expect(text).toMatch(language === 'pl' ? /Odpisz liczb/ : /Reply with a number/);
    expect(text).not.toMatch(/\s{2}/);
  });

  it('Should fit one segment behind a custom domain', () => {
    // Act
    const text = renderSurveySms({ metric, language, brand: 'ankieta shop', link: LINKS.custom });

    // Assess
    expect(smsSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it(`Should cost ${language === 'pl' ? 'one segment' : 'two segments'} behind the default API Gateway URL`, () => {
    // Act
    const text = renderSurveySms({ metric, language, brand: 'ankieta shop', link: LINKS.apiGateway });

    // Assess: the English text is longer; a custom domain brings it to one (docs/webhooks.md, SMS)
    expect(smsSegments(text).segments).toBe(language === 'pl' ? 1 : 2);
  });
});

describe('plain letters', () => {
  it.each([
    ['Zażółć gęślą jaźń', 'Zazolc gesla jazn'],
    ['ŁÓDŹ', 'LODZ'],
    ['„cudzysłów” – i… ‘tak’', '"cudzyslow" - i... \'tak\''],
    ['plain text', 'plain text'],
  ])('Should turn %j into %j', (text, plain) => {
    // Act / Assess
    expect(plainLetters(text)).toBe(plain);
  });

  it('Should keep the diacritics when they cost no segment', () => {
    // Prepare
    const short = 'Dziękujemy za ocenę!';

    // Act / Assess
    expect(fewestSegments(short)).toBe(short);
  });

  it('Should drop them when that saves segments', () => {
    // Prepare: 100 characters of Polish: two UCS-2 segments, one in GSM-7
    const long = 'ą'.repeat(1) + 'a'.repeat(99);

    // Act
    const chosen = fewestSegments(long);

    // Assess
    expect(smsSegments(long).segments).toBe(2);
    expect(smsSegments(chosen)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('Should keep a text that stays UCS-2 anyway (an emoji), unchanged', () => {
    // Prepare
    const text = `Dzięki 😀 ${'a'.repeat(80)}`;

    // Act / Assess
    expect(fewestSegments(text)).toBe(text);
  });
});
