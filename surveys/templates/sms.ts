/**
 * The SMS invitation and the arithmetic of SMS segments.
 *
 * 3GPP TS 23.038 (formerly GSM 03.38): a message that uses only the GSM 7-bit default alphabet is
 * sent in septets — 160 in one SMS; characters of the extension table ( ^ { } \ [ ~ ] | € and form
 * feed) take two (ESC + code). Any other character (Polish ą ć ę ł ń ś ź ż, Ó, emoji, curly quotes…)
 * forces UCS-2: 70 UTF-16 units in one SMS. A longer message is split into parts that each lose
 * room to the concatenation header (UDH): 153 septets or 67 units per part. An escape pair or a
 * surrogate pair is never split across two parts, so a part may hold one less.
 *
 * Polish texts keep their diacritics unless that costs segments: then they go without (fewestSegments).
 */
import type { Language, Metric } from '../model.ts';
import { SCALES } from '../scales.ts';
import { fill, textsFor } from '../texts/index.ts';

export interface SurveySmsInput {
  metric: Metric;
  language: Language;
  brand: string;
  link: string;
}

/** The SMS invitation: the question, "reply with a number", and the link — in as few segments as it can. */
export function renderSurveySms(input: SurveySmsInput): string {
  const { min, max } = SCALES[input.metric];
  const template = textsFor(input.language).metrics[input.metric].sms;
  return fewestSegments(fill(template, { brand: input.brand, link: input.link, min, max }).replace(/\s+/g, ' ').trim());
}

/** Polish letters and typographic marks outside GSM 7-bit, and their plain forms. */
const PLAIN: Record<string, string> = {
  ł: 'l',
  Ł: 'L',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00a0': ' ',
};

/** The text without diacritics (ą→a, ł→l, ż→z…) and with plain quotes and dashes. */
export function plainLetters(text: string): string {
  return text
    .replace(/[łŁ‘’‚“”„–—…\u00a0]/g, (c) => PLAIN[c] ?? c)
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .normalize('NFC');
}

/**
 * Keeps the diacritics when they cost nothing; when they push the message into more segments (one
 * Polish letter turns the whole SMS into UCS-2: 70 characters instead of 160, and the link alone
 * takes 30-70), the plain-letter version goes instead: Polish without "ogonki" is the norm in SMS and
 * reads fine, two or three segments cost two or three times as much.
 */
export function fewestSegments(text: string): string {
  const plain = plainLetters(text);
  return plain !== text && smsSegments(plain).segments < smsSegments(text).segments ? plain : text;
}

/** GSM 7-bit default alphabet, basic character set (one septet each). ESC (0x1B) is left out: it is not text. */
const GSM_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
/** GSM 7-bit basic character set extension (ESC + one septet = two septets each). */
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  /** Number of SMS parts the message is billed and delivered as (0 for an empty message). */
  segments: number;
  /** Length in the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2. */
  length: number;
}

export function smsSegments(text: string): SmsSegments {
  const chars = [...text]; // code points, so a surrogate pair stays together
  const gsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c));
  const sizes = gsm ? chars.map((c) => (GSM_EXTENSION.has(c) ? 2 : 1)) : chars.map((c) => c.length);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  const length = sizes.reduce((a, b) => a + b, 0);
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  if (length === 0) return { encoding, segments: 0, length };
  if (length <= single) return { encoding, segments: 1, length };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding, segments, length };
}
