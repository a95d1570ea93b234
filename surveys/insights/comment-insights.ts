/**
 * Topics and sentiment of a response's comment for the alert about it: the classification stored on the
 * response when it is of this version, else the comment classified here. Both give the same answer (the
 * classifier is deterministic), so an alert need not wait for the classifying consumer.
 */
import type { Alert, SurveyResponse } from '../model.ts';
import { createClassifier, type Classifier } from './classify.ts';

let defaultClassifier: Classifier | undefined;

export function commentInsights(
  r: Pick<SurveyResponse, 'comment' | 'locale' | 'version' | 'insights'>,
  classifier?: Classifier,
): Pick<Alert, 'topics' | 'sentiment'> {
  if (!r.comment?.trim()) return {};
  if (r.insights?.version === r.version) return { topics: r.insights.topics, sentiment: r.insights.sentiment };
  defaultClassifier ??= createClassifier();
  const c = (classifier ?? defaultClassifier).classify(r.comment, r.locale);
  return { topics: c.topics, sentiment: c.sentiment };
}
