import { readFileSync } from 'node:fs';
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
});
