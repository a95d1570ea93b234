/**
 * Cues compiled for one language, and matching them against a comment's tokens (syntax in taxonomy.ts).
 * Matching is greedy and ordered: "near" cues, then runs of consecutive words (longest first), then single
 * words, where the longest cue wins a word. Words a cue matched are used up, which is what lets a
 * several-word cue overrule the single words inside it.
 */
import { fold, stem, type Lang, type Token } from './text.ts';

type WordPattern = { prefix: boolean; value: string };

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

export function compileCue<T>(lang: Lang, source: string, tag: T): Cue<T> {
  const near = source.includes('~');
  const parts = near ? source.split('~') : source.trim().split(/\s+/);
  const words = parts.map((part) => {
    const word = part.trim();
    return word.endsWith('*') ? { prefix: true, value: fold(word.slice(0, -1)) } : { prefix: false, value: stem(lang, word) };
  });
  if (near && words.length !== 2) throw new Error(`a near cue joins exactly two words: "${source}"`);
  return { source, tag, words, near };
}

function matches(token: Token, word: WordPattern): boolean {
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
export function matchCues<T>(cues: Array<Cue<T>>, tokens: Token[]): Array<CueMatch<T>> {
  const used = new Array<boolean>(tokens.length).fill(false);
  const out: Array<CueMatch<T>> = [];
  for (const cue of cues) {
    if (cue.near) {
      const [a, b] = cue.words as [WordPattern, WordPattern];
      for (let i = 0; i < tokens.length; i++) {
        if (used[i] || !matches(tokens[i]!, a)) continue;
        for (let j = Math.max(0, i - NEAR_DISTANCE); j <= Math.min(tokens.length - 1, i + NEAR_DISTANCE); j++) {
          if (j === i || used[j] || !matches(tokens[j]!, b)) continue;
          used[i] = used[j] = true;
          out.push({ cue, at: [i, j].sort((x, y) => x - y) });
          break;
        }
      }
      continue;
    }
    const n = cue.words.length;
    for (let i = 0; i + n <= tokens.length; i++) {
      let ok = true;
      for (let k = 0; k < n && ok; k++) ok = !used[i + k] && matches(tokens[i + k]!, cue.words[k]!);
      if (!ok) continue;
      const at = Array.from({ length: n }, (_, k) => i + k);
      for (const k of at) used[k] = true;
      out.push({ cue, at });
    }
  }
  return out;
}
