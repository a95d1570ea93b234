/**
 * Classify the comment of a final response and store topics and sentiment on it.
 *
 * Primary course:
 *  1. A final response whose comment this version has not been classified yet (insights.version is not
 *     the response version): classify the comment (surveys/insights/classify.ts), with the response's
 *     locale as the language hint.
 *  2. Store the classification on the response, conditional on its version: the write does not change
 *     the version, so a redelivered record finds it classified and does nothing.
 * Alternative courses:
 *  - No comment (or only blanks), or already classified at this version: nothing to do.
 *  - The response moved on meanwhile (a newer version): nothing stored; that version's own stream record
 *    is classified in its turn.
 * The stored classification is what the topic pages count (insights/pages.ts), so a redelivered or
 * re-classified response never counts twice.
 */
import type { Classifier } from '../insights/classify.ts';
import type { StoredInsights } from '../insights/pages.ts';
import type { InsightsWriter } from '../insights/ports.ts';
import type { SurveyResponse } from '../model.ts';

export type ClassifyOutcome =
  | { status: 'no-comment' | 'already-classified' }
  | { status: 'stored' | 'superseded'; insights: StoredInsights; evidence: Array<{ topic: string; cue: string }> };

/** The classification a response needs, or why it needs none. Pure. */
export function classificationFor(
  response: Pick<SurveyResponse, 'comment' | 'locale' | 'version' | 'insights'>,
  classifier: Classifier,
): { status: 'no-comment' | 'already-classified' } | { status: 'classify'; insights: StoredInsights; evidence: Array<{ topic: string; cue: string }> } {
  if (!response.comment?.trim()) return { status: 'no-comment' };
  if (response.insights?.version === response.version) return { status: 'already-classified' };
  const c = classifier.classify(response.comment, response.locale);
  return {
    status: 'classify',
    insights: { topics: c.topics, sentiment: c.sentiment, sentimentScore: c.sentimentScore, version: response.version },
    // The cues, not the comment's words: explanations may be logged, comments may not.
    evidence: c.evidence.map((e) => ({ topic: e.topic, cue: e.cue })),
  };
}

export async function classifyResponse(response: SurveyResponse, deps: { classifier: Classifier; writer: InsightsWriter }): Promise<ClassifyOutcome> {
  const need = classificationFor(response, deps.classifier);
  if (need.status !== 'classify') return need;
  const stored = await deps.writer.storeInsights(response, need.insights);
  return { status: stored ? 'stored' : 'superseded', insights: need.insights, evidence: need.evidence };
}
