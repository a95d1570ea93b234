/** The words of a customer who says they are leaving: one of churn risk's signals (surveys/churn-risk.ts). */

/**
 * Phrases that say "I am leaving", in English and Polish, matched at word starts, ignoring case,
 * punctuation and diacritics ("rezygnuje" matches "rezygnuję"). Stems cover inflections: "rezygnuj" →
 * rezygnuję, rezygnujemy. Kept specific: "cancel", "return", "refund" or "competitor" alone are
 * ordinary words in a shop's comments ("the courier cancelled", "better than the competition").
 */
export const CANCELLATION_PHRASES: readonly string[] = [
  // English (apostrophes count as spaces: "won't" is matched as "won t")
  'cancel my account',
  'cancel my subscription',
  'cancel my membership',
  'cancelling my subscription',
  'canceling my subscription',
  'close my account',
  'delete my account',
  'never again',
  'never order',
  'never buy',
  'never shop',
  'not coming back',
  'won t be back',
  'will not be back',
  'won t order',
  'first and last time',
  'last time i order',
  'switching to another',
  'switching to a competitor',
  'going to a competitor',
  'go to a competitor',
  'buy elsewhere',
  'shop elsewhere',
  'order elsewhere',
  'going elsewhere',
  'take my business',
  'done with you',
  // Polish
  'rezygnuj',
  'rezygnacj',
  'zrezygnuj',
  'wypowiadam',
  'wypowiedzenie umowy',
  'nigdy więcej',
  'pierwszy i ostatni raz',
  'to był ostatni raz',
  'ostatni raz u was',
  'więcej nie zamówię',
  'więcej nie kupię',
  'nie kupię więcej',
  'nie zamówię więcej',
  'odchodzę',
  'przechodzę do konkurencji',
  'idę do konkurencji',
  'kupię u konkurencji',
  'zamówię u konkurencji',
  'zamykam konto',
  'usuńcie moje konto',
  'usuń moje konto',
  'anuluję subskrypcję',
];

/** Lower case without diacritics; ł is not a combining mark, so it is folded by hand. */
export function foldText(text: string): string {
  return text.toLowerCase().replaceAll('ł', 'l').normalize('NFD').replace(/\p{M}/gu, '');
}

const FOLDED_PHRASES = CANCELLATION_PHRASES.map((phrase) => ({ phrase, folded: foldText(phrase) }));

/** The first cancellation phrase a comment contains (as listed above), or undefined. */
export function cancellationPhrase(comment: string | undefined): string | undefined {
  if (!comment) return undefined;
  const text = ` ${foldText(comment).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  return FOLDED_PHRASES.find(({ folded }) => text.includes(` ${folded}`))?.phrase;
}
