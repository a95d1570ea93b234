/**
 * Topics and sentiment of one comment, explained: which words led to which topic and which words moved
 * the sentiment. Deterministic, offline, in-process; compiled once per taxonomy.
 *
 * Primary course:
 *  1. Tell the language (Polish letters, then function words, then the response's locale).
 *  2. Tokenize, fold diacritics and stem (text.ts, NLP.js).
 *  3. Match the taxonomy's cues (cues.ts): each matched cue names its topic, with the words it used.
 *  4. Sum the sentiment words: a negator up to three words before a word flips it ("nie polecam"), and a
 *     negator that flips nothing counts as a faint complaint ("nie dostałem maila"); words after a
 *     contrast ("ale", "but") weigh 1.5×, before it 0.5×. The sum s is squashed to s/√(s²+4) in (−1, 1).
 */
import { compileCue, matchCues, orderCues, type Cue, type CueMatch } from './cues.ts';
import { CONTRASTS, NEGATORS, SENTIMENT_WORDS } from './sentiment-lexicon.ts';
import { DEFAULT_TAXONOMY, type Taxonomy } from './taxonomy.ts';
import { detectLanguage, guessLanguage, LANGUAGES, tokenize, type Lang, type Token } from './text.ts';

import type { Sentiment } from './sentiments.ts';

export { SENTIMENTS, type Sentiment } from './sentiments.ts';

export interface TopicEvidence {
  topic: string;
  /** The cue as written in the taxonomy. */
  cue: string;
  /** The comment's words it matched, as written. */
  words: string[];
}

export interface SentimentEvidence {
  words: string[];
  weight: number;
  negated: boolean;
}

export interface Classification {
  language: Lang;
  /** Topic ids in taxonomy order, each once. */
  topics: string[];
  evidence: TopicEvidence[];
  sentiment: Sentiment;
  /** In [−1, 1], two decimals. */
  sentimentScore: number;
  sentimentEvidence: SentimentEvidence[];
}

export interface Classifier {
  classify(text: string, localeHint?: string): Classification;
}

/** Sum of sentiment weights at or beyond which a comment is positive (or, negated, negative). */
const POLARITY_THRESHOLD = 0.5;
const NEGATION_WINDOW = 3;
const UNUSED_NEGATOR_WEIGHT = -0.5;

export function createClassifier(taxonomy: Taxonomy = DEFAULT_TAXONOMY): Classifier {
  const order = new Map(taxonomy.topics.map((t, i) => [t.id, i]));
  const topicCues = {} as Record<Lang, Array<Cue<string | null>>>;
  const sentimentCues = {} as Record<Lang, Array<Cue<number>>>;
  for (const lang of LANGUAGES) {
    topicCues[lang] = orderCues([
      ...taxonomy.topics.flatMap((t) => t.cues[lang].map((c) => compileCue<string | null>(lang, c, t.id))),
      ...(taxonomy.ignore?.[lang] ?? []).map((c) => compileCue<string | null>(lang, c, null)),
    ]);
    sentimentCues[lang] = orderCues(SENTIMENT_WORDS[lang].map(([c, w]) => compileCue(lang, c, w)));
  }
  return {
    classify(text, localeHint) {
      const detected = detectLanguage(text, localeHint);
      if (detected) return classifyIn(detected, text);
      // Nothing told the language: keep the reading that finds more (topics and opinion words).
      const [pl, en] = [classifyIn('pl', text), classifyIn('en', text)];
      const found = (c: Classification) => c.evidence.length + c.sentimentEvidence.length;
      return found(pl) !== found(en) ? (found(pl) > found(en) ? pl : en) : guessLanguage(text) === 'pl' ? pl : en;
    },
  };

  function classifyIn(language: Lang, text: string): Classification {
    const tokens = tokenize(language, text);
    const evidence: TopicEvidence[] = [];
    const opinions = matchCues(sentimentCues[language], tokens);
    const opinionAt = new Set(opinions.flatMap((o) => o.at));
    for (const m of matchCues(topicCues[language], tokens, opinionAt)) {
      if (m.cue.tag !== null) evidence.push({ topic: m.cue.tag, cue: m.cue.source, words: m.at.map((i) => tokens[i]!.text) });
    }
    const topics = [...new Set(evidence.map((e) => e.topic))].sort((a, b) => order.get(a)! - order.get(b)!);
    const { sum, sentimentEvidence } = sentimentOf(language, tokens, opinions);
    const sentimentScore = Math.round((sum / Math.sqrt(sum * sum + 4)) * 100) / 100 || 0;
    const sentiment: Sentiment = sum >= POLARITY_THRESHOLD ? 'positive' : sum <= -POLARITY_THRESHOLD ? 'negative' : 'neutral';
    return { language, topics, evidence, sentiment, sentimentScore, sentimentEvidence };
  }
}

function sentimentOf(lang: Lang, tokens: Token[], matched: Array<CueMatch<number>>): { sum: number; sentimentEvidence: SentimentEvidence[] } {
  const contrastAt = tokens.findIndex((t) => CONTRASTS[lang].has(t.folded));
  const hits = [...matched].sort((a, b) => a.at[0]! - b.at[0]!);
  const negatorUsed = new Set<number>();
  const hitAt = new Set(hits.flatMap((h) => h.at));
  const sentimentEvidence: SentimentEvidence[] = [];
  let sum = 0;
  for (const hit of hits) {
    const first = hit.at[0]!;
    let negated = false;
    for (let i = first - 1; i >= Math.max(0, first - NEGATION_WINDOW); i--) {
      if (tokens[i]!.clause !== tokens[first]!.clause) break;
      if (NEGATORS[lang].has(tokens[i]!.folded)) {
        negated = true;
        negatorUsed.add(i);
        break;
      }
    }
    const weight = (negated ? -1 : 1) * hit.cue.tag * contrastFactor(contrastAt, first);
    if (weight === 0) continue;
    sum += weight;
    sentimentEvidence.push({ words: hit.at.map((i) => tokens[i]!.text), weight, negated });
  }
  // A negator that is itself a sentiment word ("brak") counts once: flipping, or as itself.
  for (const hit of hits) if (hit.at.some((i) => negatorUsed.has(i))) sum -= hit.cue.tag * contrastFactor(contrastAt, hit.at[0]!);
  tokens.forEach((t, i) => {
    if (NEGATORS[lang].has(t.folded) && !negatorUsed.has(i) && !hitAt.has(i)) {
      const weight = UNUSED_NEGATOR_WEIGHT * contrastFactor(contrastAt, i);
      sum += weight;
      sentimentEvidence.push({ words: [t.text], weight, negated: false });
    }
  });
  return { sum, sentimentEvidence };
}

function contrastFactor(contrastAt: number, at: number): number {
  if (contrastAt < 0) return 1;
  return at < contrastAt ? 0.5 : 1.5;
}
