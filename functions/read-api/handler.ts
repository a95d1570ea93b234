/** GET /api/scores and GET /api/alerts for support leads (IAM-authenticated on AWS). */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from 'zod';
import { METRICS, SEGMENT_DIMENSIONS } from '#surveys/model.ts';
import { WINDOWS, type Window } from '#surveys/aggregation.ts';
import { readScores } from '#surveys/use-cases/read-scores.ts';
import { surveyStore, systemClock } from '../shared/deps.ts';
import { errorResult, HttpError, json, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { describeIssues } from '../shared/issues.ts';
import { logger } from '../shared/powertools.ts';

const scoresQuery = z.object({
  metric: z.enum(METRICS),
  window: z.enum(Object.keys(WINDOWS) as [Window, ...Window[]]).default('30d'),
  segment: z.enum(SEGMENT_DIMENSIONS.filter((d) => d !== 'all') as [Exclude<(typeof SEGMENT_DIMENSIONS)[number], 'all'>]).optional(),
});

const alertsQuery = z.object({
  status: z.enum(['open', 'acked', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new HttpError(400, 'invalid query', describeIssues(parsed.error));
  return parsed.data;
}

async function read(event: HttpEvent): Promise<HttpResult> {
  try {
    if (event.routeKey === 'GET /api/scores') {
      return json(200, await readScores(parse(scoresQuery, event.queryStringParameters), { reader: surveyStore(), now: systemClock }));
    }
    if (event.routeKey === 'GET /api/alerts') {
      const q = parse(alertsQuery, event.queryStringParameters);
      return json(200, await surveyStore().listAlerts(q.status, q.limit));
    }
    throw new HttpError(404, `no route ${event.routeKey}`);
  } catch (error) {
    return errorResult(error);
  }
}

export const handler = middy(read).use(injectLambdaContext(logger));
