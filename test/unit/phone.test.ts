import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { describe, expect, it } from 'vitest';
import { METADATA_FILE, metadataJson } from '../../scripts/phone-metadata.ts';
import { isValidMobile, mobileE164 } from '../../surveys/phone/index.ts';
import { SMS_MARKETS } from '../../surveys/phone/markets.ts';

describe('mobile numbers of the served markets', () => {
  it('The committed metadata is what `npm run phone-metadata` writes from the markets list', () => {
    expect(readFileSync(METADATA_FILE, 'utf8')).toBe(metadataJson());
  });

  it.each([
    ['+48 600 100 200', undefined, '+48600100200'],
    ['600-100-200', 'PL', '+48600100200'],
    ['+49 1512 3456789', undefined, '+4915123456789'],
    ['+1 (201) 555-0123', undefined, '+12015550123'],
    ['+44 7400 123456', undefined, '+447400123456'],
  ] as const)('Reads %s (default country %s) as the mobile %s', (raw, country, expected) => {
    expect(mobileE164(raw, country)).toBe(expected);
  });

  it('Refuses landlines, which cannot receive the survey SMS', () => {
    expect(mobileE164('+48 22 123 45 67')).toBeUndefined();
    expect(isValidMobile('+48221234567')).toBe(false);
  });

  it('Refuses mobiles of countries outside the markets (their metadata is not bundled)', () => {
    expect(SMS_MARKETS).not.toContain('BR');
    expect(isValidMobile('+5511961234567')).toBe(false);
    expect(mobileE164('+55 11 96123-4567')).toBeUndefined();
  });

  it('Keeps only the markets and their calling codes', () => {
    const metadata = JSON.parse(metadataJson(['PL', 'US'])) as { countries: object; country_calling_codes: Record<string, string[]> };
    expect(Object.keys(metadata.countries).sort()).toEqual(['PL', 'US']);
    expect(metadata.country_calling_codes).toEqual({ '1': ['US'], '48': ['PL'] });
  });

  it("Reads every market's example mobile, written internationally or nationally, as the full mobile metadata does (without the display formats)", () => {
    // Prepare: the library's own example numbers, and the forms people type them in
    const examples = createRequire(import.meta.url)('libphonenumber-js/examples.mobile.json') as Record<string, string>;
    const cases = SMS_MARKETS.flatMap((country) => {
      const full = parsePhoneNumberFromString(examples[country]!, country as CountryCode)!;
      return [
        { raw: full.number, country: undefined },
        { raw: full.formatInternational(), country: undefined },
        { raw: full.formatNational(), country: country as CountryCode },
        { raw: full.nationalNumber.slice(0, -1), country: country as CountryCode }, // one digit short
      ];
    });

    // Act
    const ours = cases.map(({ raw, country }) => mobileE164(raw, country));
    const theirs = cases.map(({ raw, country }) => {
      const parsed = country ? parsePhoneNumberFromString(raw, country) : parsePhoneNumberFromString(raw);
      return parsed?.isValid() ? parsed.number : undefined;
    });

    // Assess
    expect(ours).toEqual(theirs);
    expect(ours.filter(Boolean).length).toBeGreaterThanOrEqual(SMS_MARKETS.length * 3);
  });
});
