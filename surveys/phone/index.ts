/**
 * Mobile numbers for SMS, on libphonenumber-js's core API with the metadata of the markets served
 * (surveys/phone/markets.ts) instead of the whole world's: the same checks, a fraction of the bundle.
 */
import { type CountryCode, isValidPhoneNumber, type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import metadataFile from './metadata.mobile.json' with { type: 'json' };

const metadata = metadataFile as unknown as MetadataJson;

/** The number as E.164 when it is a valid mobile number of a served market, otherwise undefined. */
export function mobileE164(raw: string, defaultCountry?: CountryCode): string | undefined {
  const parsed = defaultCountry ? parsePhoneNumberFromString(raw, defaultCountry, metadata) : parsePhoneNumberFromString(raw, metadata);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** Whether an E.164 number is a valid mobile number of a served market. */
export function isValidMobile(e164: string): boolean {
  return isValidPhoneNumber(e164, metadata);
}
