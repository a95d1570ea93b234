/**
 * From a comment to comparable word forms: clauses, tokens, folded and stemmed, per language.
 *
 * Tokenizing and stemming come from NLP.js (`@nlpjs/lang-pl`, `@nlpjs/lang-en-min`, MIT, no install
 * scripts): deterministic, offline, in-process. Only the stemmer and tokenizer modules are imported, not
 * the packages' entry points, so the handler bundle carries ~40 KB instead of ~100 KB (bench/RESULTS.md).
 *
 * Polish is often typed without diacritics, so every form is folded before stemming ("przyszła" and
 * "przyszla" give one stem): combining marks are stripped and "ł", which has no decomposition, becomes
 * "l". Word lists go through the same function, so a list may be written with or without diacritics.
 */
import StemmerEn from '@nlpjs/lang-en-min/src/stemmer-en.js';
import TokenizerEn from '@nlpjs/lang-en-min/src/tokenizer-en.js';
import StemmerPl from '@nlpjs/lang-pl/src/stemmer-pl.js';
import TokenizerPl from '@nlpjs/lang-pl/src/tokenizer-pl.js';

export const LANGUAGES = ['pl', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** One word of a comment: as written (for explanations), folded, and stemmed. */
export interface Token {
  text: string;
  folded: string;
  stem: string;
  /** Index of the clause (split on , . ; ! ? and dashes between words) the word is in. */
  clause: number;
}

const stemmers = { pl: new StemmerPl(), en: new StemmerEn() };
const tokenizers = { pl: new TokenizerPl(), en: new TokenizerEn() };

/** Lower case, no diacritics, "ł" → "l": the form both typing habits share. */
export function fold(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/ł/g, 'l');
}

export function stem(lang: Lang, word: string): string {
  const folded = fold(word);
  // The stemmers strip too much from short words ("pani" must not meet "pan"); below 4 letters, keep it.
  return folded.length < 4 ? folded : stemmers[lang].stemWord(folded);
}

/** Clause boundaries: negation and contrast never reach across them. */
const CLAUSE = /[,.;!?…()\n]+|\s[-–—]+\s/u;

export function tokenize(lang: Lang, text: string): Token[] {
  const tokens: Token[] = [];
  text.split(CLAUSE).forEach((part, clause) => {
    // NLP.js keeps "sms-em" and "e-mail" whole; splitting on hyphens lets "sms" and "mail" match.
    for (const raw of tokenizers[lang].tokenize(part.replace(/[-–—_*+=#&%$@<>|~^`]+/g, ' '), false)) {
      const folded = fold(raw);
      if (folded) tokens.push({ text: raw, folded, stem: stem(lang, folded), clause });
    }
  });
  return tokens;
}

/** Frequent function words of each language, folded: enough to tell the two apart in a sentence. */
const FUNCTION_WORDS: Record<Lang, ReadonlySet<string>> = {
  pl: new Set(
    'w na z ze sie nie jest byl byla bylo ze do po ale bardzo za co jak o od juz mi mnie przez tylko jeszcze tego ten ta sa mam moj moje moja zostal dla bez tez wszystko nikt ani gdy czy'.split(
      ' ',
    ),
  ),
  en: new Set(
    'the and was were is are not to an my it of for with on but very no in at this that they you me had have has be been did didnt dont from so all would will just after again never'.split(
      ' ',
    ),
  ),
};
const POLISH_LETTERS = /[ąćęłńóśźż]/i;
/** Letter groups common in Polish and rare in English, for a short comment without function words. */
const POLISH_SPELLING = /rz|sz|cz|dz|ych\b|owa|owy|nie\b|[^e]j\b|ki\b|cj/i;

/**
 * The language of a comment: Polish letters decide; otherwise function words; a tie goes to the hint.
 * Undefined when nothing decides (a short comment without function words and no hint): the caller
 * then tries both languages (classify.ts), and `guessLanguage` breaks a remaining tie.
 */
export function detectLanguage(text: string, hint?: string): Lang | undefined {
  if (POLISH_LETTERS.test(text)) return 'pl';
  let pl = 0;
  let en = 0;
  for (const word of fold(text)
    .split(/[^a-z]+/)
    .filter(Boolean)) {
    if (FUNCTION_WORDS.pl.has(word)) pl++;
    if (FUNCTION_WORDS.en.has(word)) en++;
  }
  if (pl !== en) return pl > en ? 'pl' : 'en';
  if (hint?.toLowerCase().startsWith('pl')) return 'pl';
  if (hint?.toLowerCase().startsWith('en')) return 'en';
  return undefined;
}

export function guessLanguage(text: string): Lang {
  return POLISH_SPELLING.test(text) ? 'pl' : 'en';
}
