/**
 * The comments feed of the dashboard: GET /api/comments?days=1..30.
 *
 * Primary course:
 *  1. Walk the days from today back (UTC), each day's responses in answer order (the responses-by-day index).
 *  2. Keep those with a comment: time, survey, metric, score and its category, and the segment (channel,
 *     locale, store, team). Newest first, at most `limit`.
 * Nothing that names the customer is returned (no id, name or contact): the comment is shown to the
 * holders of the dashboard key, the leads who already read comments on alerts. The page sets it as text.
 */
import * as z from '../zod.ts';
import { dayMinus } from '../aggregation.ts';
import type { Metric, SurveyResponse } from '../model.ts';
import { classify } from '../scoring.ts';

export const commentsQuerySchema = z.object({
  days: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(30)), 7),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 30),
});
export type CommentsQuery = z.infer<typeof commentsQuerySchema>;

export interface CommentSource {
  responsesOn(day: string): AsyncIterable<{ response: SurveyResponse }>;
}

export interface CommentItem {
  at: string;
  survey: string;
  metric: Metric;
  score: number;
  category: string;
  comment: string;
  segments: Partial<Record<'channel' | 'locale' | 'store' | 'team', string>>;
}

export async function latestComments(query: CommentsQuery, deps: { source: CommentSource; now: () => Date }): Promise<CommentItem[]> {
  const today = deps.now().toISOString().slice(0, 10);
  const out: CommentItem[] = [];
  for (let back = 0; back < query.days && out.length < query.limit; back++) {
    const day: CommentItem[] = [];
    for await (const { response: r } of deps.source.responsesOn(dayMinus(today, back))) {
      if (!r.comment) continue;
      const { channel, locale, store, team } = r.segments;
      day.push({
        at: r.updatedAt,
        survey: r.surveyId,
        metric: r.metric,
        score: r.score,
        category: classify(r.metric, r.score),
        comment: r.comment,
        segments: { ...(channel ? { channel } : {}), ...(locale ? { locale } : {}), ...(store ? { store } : {}), ...(team ? { team } : {}) },
      });
    }
    out.push(...day.sort((a, b) => b.at.localeCompare(a.at)));
  }
  return out.slice(0, query.limit);
}
