/**
 * The sentiments of a comment. Apart from classify.ts, which imports NLP.js: the score and topic pages
 * need the names alone, and a bundle that imports classify.ts keeps NLP.js (CommonJS, not tree-shaken).
 */
export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];
