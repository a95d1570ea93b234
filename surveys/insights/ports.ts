/** Ports of the insights feature (the adapters live in functions/adapters/dynamodb/). */
import type { Metric, SegmentDimension, SurveyResponse } from '../model.ts';
import type { BucketKey } from '../ports.ts';
import type { StoredInsights } from './pages.ts';

/** One daily topic bucket: the named cells of insights/pages.ts, summed over pages. */
export interface DailyTopicBucket extends BucketKey {
  cells: Record<string, number>;
}

export interface TopicReader {
  /** Daily topic buckets of one metric and dimension for days in [fromDay, toDay]. */
  readTopicBuckets(metric: Metric, dimension: SegmentDimension, fromDay: string, toDay: string): Promise<DailyTopicBucket[]>;
}

export interface InsightsWriter {
  /**
   * Stores the classification on the response, only while it is still at `insights.version` (a later
   * edit will be classified on its own). False when the response moved on or is gone.
   */
  storeInsights(response: Pick<SurveyResponse, 'invitationId'>, insights: StoredInsights): Promise<boolean>;
}

/** The final responses answered on a day (UTC), any order: where sample comments are picked from. */
export interface ResponsesOfDay {
  responsesOn(day: string): AsyncIterable<{ response: SurveyResponse }>;
}
