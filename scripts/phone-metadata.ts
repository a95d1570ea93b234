/**
 * Writes surveys/phone/metadata.mobile.json: libphonenumber-js's mobile metadata cut down to the
 * countries of surveys/phone/markets.ts. Run after changing the markets or upgrading libphonenumber-js
 * (test/unit/phone.test.ts fails while the committed file differs from what this would write).
 *
 *   npm run phone-metadata
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SMS_MARKETS } from '../surveys/phone/markets.ts';

export const METADATA_FILE = fileURLToPath(new URL('../surveys/phone/metadata.mobile.json', import.meta.url));

interface Metadata {
  version: number;
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, unknown>;
  nonGeographic?: Record<string, unknown>;
}

/** Where a country's number formats sit in libphonenumber-js's compressed metadata (version 4). */
const FORMATS = 4;

/** The full mobile metadata restricted to `markets` (calling codes keep only those countries, in their order). */
export function marketMetadata(markets: readonly string[] = SMS_MARKETS): Metadata {
  const full = createRequire(import.meta.url)('libphonenumber-js/metadata.mobile.json') as Metadata;
  const keep = new Set(markets);
  const codes: Record<string, string[]> = {};
  for (const [code, countries] of Object.entries(full.country_calling_codes)) {
    const kept = countries.filter((c) => keep.has(c));
    if (kept.length > 0) codes[code] = kept;
  }
  // Each country's number formats (index 4) only lay a number out for display; ankieta parses, validates and
  // keeps E.164, which never reads them (test/unit/phone.test.ts compares with the full metadata): ~11 KB less.
  const countries = Object.fromEntries(
    Object.entries(full.countries)
      .filter(([c]) => keep.has(c))
      .map(([c, data]) => [c, (data as unknown[]).map((field, i) => (i === FORMATS ? [] : field))]),
  );
  const missing = markets.filter((m) => !(m in full.countries));
  if (missing.length > 0) throw new Error(`no libphonenumber-js metadata for: ${missing.join(', ')}`);
  if (full.version !== 4) throw new Error(`libphonenumber-js metadata version ${full.version}: check where the formats are (FORMATS)`);
  return { version: full.version, country_calling_codes: codes, countries };
}

export function metadataJson(markets: readonly string[] = SMS_MARKETS): string {
  return `${JSON.stringify(marketMetadata(markets))}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(METADATA_FILE, metadataJson());
  console.log(`wrote ${METADATA_FILE} (${SMS_MARKETS.length} countries)`);
}
