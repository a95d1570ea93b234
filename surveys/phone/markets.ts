/**
 * The countries whose mobile numbers ankieta can text. Only their libphonenumber-js metadata is
 * bundled (surveys/phone/metadata.mobile.json, made by `npm run phone-metadata` from this list): the
 * whole mobile metadata of 245 countries is ~96 KB of every handler that touches a phone, these
 * markets are a fraction of it. A number from another country is not a valid mobile here, so it gets
 * no SMS (the survey goes by e-mail when there is one); add its country code and regenerate.
 */
export const SMS_MARKETS = [
  // The European Union
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  // Europe outside the EU that Polish shops commonly ship to
  'GB',
  'NO',
  'CH',
  'IS',
  'LI',
  'UA',
  // North America
  'US',
  'CA',
] as const;
