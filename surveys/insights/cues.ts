/**
 * Cues compiled for one language, and matching them against a comment's tokens (syntax in taxonomy.ts).
 * Matching is greedy and ordered: "near" cues, then runs of consecutive words (longest first), then single
 * words, where the longest cue wins a word. Words a cue matched are used up, which is what lets a
 * several-word cue overrule the single words inside it.
 */
import { fold, stem, type Lang, type Token } from './text.ts';

/** `@opinion` stands for any word of the sentiment lexicon: "produkt ~ @opinion" is a product judged, not named. */
export const OPINION = '@opinion';

type WordPattern = { prefix: boolean; value: string; opinion?: true };

export interface Cue<T> {
  source: string;
  tag: T;
  words: WordPattern[];
  /** Two words within NEAR_DISTANCE of each other, in any order, rather than consecutive. */
  near: boolean;
}

export interface CueMatch<T> {
  cue: Cue<T>;
  /** Token indices the cue used up. */
  at: number[];
}

const NEAR_DISTANCE = 4;
const OPINION_DISTANCE = 2;

export function compileCue<T>(lang: Lang, source: string, tag: T): Cue<T> {
  const near = source.includes('~');
  const parts = near ? source.split('~') : source.trim().split(/\s+/);
  const words = parts.map((part) => {
    const word = part.trim();
    if (word === OPINION) return { prefix: false, value: '', opinion: true as const };
    return word.endsWith('*') ? { prefix: true, value: fold(word.slice(0, -1)) } : { prefix: false, value: stem(lang, word) };
  });
  if (near && words.length !== 2) throw new Error(`a near cue joins exactly two words: "${source}"`);
  return { source, tag, words, near };
}

function matches(token: Token, word: WordPattern, opinionAt: ReadonlySet<number>, at: number): boolean {
  if (word.opinion) return opinionAt.has(at);
  return word.prefix ? token.folded.startsWith(word.value) : token.stem === word.value;
}

/** How specific a single-word cue is: a longer stem or prefix beats a shorter one ("karton*" over "kart*"). */
const specificity = (cue: Cue<unknown>): number => (cue.words[0]?.value.length ?? 0) * 2 + (cue.words[0]?.prefix ? 0 : 1);

/** Orders cues for `matchCues`: near, then consecutive runs by length, then single words by specificity. */
export function orderCues<T>(cues: Array<Cue<T>>): Array<Cue<T>> {
  const rank = (c: Cue<T>) => (c.near ? 1000 : c.words.length > 1 ? 100 * c.words.length : specificity(c) / 100);
  return [...cues].sort((a, b) => rank(b) - rank(a));
}

/** Every match of the (ordered) cues in the tokens; a token is used by one cue at most. */
export function matchCues<T>(cues: Array<Cue<T>>, tokens: Token[], opinionAt: ReadonlySet<number> = new Set()): Array<CueMatch<T>> {
  const m = (i: number, word: WordPattern) => matches(tokens[i]!, word, opinionAt, i);
  const used = new Array<boolean>(tokens.length).fill(false);
  const out: Array<CueMatch<T>> = [];
  for (const cue of cues) {
    if (cue.near) {
      const [a, b] = cue.words as [WordPattern, WordPattern];
      for (let i = 0; i < tokens.length; i++) {
        if (used[i] || !m(i, a)) continue;
        // An opinion word stays free for other cues ("towar nieuszkodzony" may still be packaging).
        const distance = b.opinion ? OPINION_DISTANCE : NEAR_DISTANCE;
        for (let j = Math.max(0, i - distance); j <= Math.min(tokens.length - 1, i + distance); j++) {
          if (j === i || used[j] || !m(j, b)) continue;
          used[i] = true;
          if (!b.opinion) used[j] = true;
          out.push({ cue, at: [i, j].sort((x, y) => x - y) });
          break;
        }
      }
      continue;
    }
    const n = cue.words.length;
    for (let i = 0; i + n <= tokens.length; i++) {
      let ok = true;
      for (let k = 0; k < n && ok; k++) ok = !used[i + k] && m(i + k, cue.words[k]!);
      if (!ok) continue;
      const at = Array.from({ length: n }, (_, k) => i + k);
      for (const k of at) used[k] = true;
      out.push({ cue, at });
    }
  }
  return out;
}
