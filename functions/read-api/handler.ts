/**
 * The read API for support leads (a bearer key on AWS, see functions/read-api/authorizer.ts):
 * GET /api/scores, GET /api/scores/daily, GET /api/insights, GET /api/export/scores, GET /api/export/responses.
 * Alerts are served by functions/alerts-api.
 */
import middy from '@middy/core';
import { DEFAULT_TAXONOMY } from '#surveys/insights/taxonomy.ts';
import { readInsights } from '#surveys/use-cases/read-insights.ts';
import { readDailyScores, readScores } from '#surveys/use-cases/read-scores.ts';
import { responseExport, scoreReader, systemClock, topicReader } from '#functions/shared/deps.ts';
import { HttpError, json, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { audit } from '#functions/shared/audit.ts';
import { principalOf } from '#functions/shared/principal.ts';
import { authorize } from '#functions/shared/middlewares/authorize.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';
import { type EXPORT_PATHS, exportPageResult } from '#functions/read-api/exports.ts';
import { dailyQuery, insightsQuery, parseQuery, scoresQuery } from '#functions/read-api/queries.ts';

async function read(event: HttpEvent): Promise<HttpResult> {
  const deps = { reader: scoreReader(), now: systemClock };
  switch (event.routeKey) {
    case 'GET /api/scores':
      return json(200, await readScores(parseQuery(scoresQuery, event.queryStringParameters), deps));
    case 'GET /api/scores/daily':
      return json(200, await readDailyScores(parseQuery(dailyQuery, event.queryStringParameters), deps));
    case 'GET /api/insights': {
      // The default taxonomy until the survey settings (issue 11) carry a shop's own.
      const insights = { scores: scoreReader(), topics: topicReader(), responses: responseExport(), taxonomy: DEFAULT_TAXONOMY, now: systemClock };
      return json(200, await readInsights(parseQuery(insightsQuery, event.queryStringParameters), insights));
    }
    case 'GET /api/export/scores':
    case 'GET /api/export/responses': {
      const path = event.routeKey.slice(4) as keyof typeof EXPORT_PATHS;
      // Personal data leaves: audited once per export (its first page), before any of it is answered.
      if (path === '/api/export/responses' && !event.queryStringParameters?.cursor)
        await audit(principalOf(event), 'export', path, event.rawQueryString || undefined);
      return await exportPageResult(path, event.rawPath, event.queryStringParameters);
    }
    default:
      throw new HttpError(404, `no route ${event.routeKey}`);
  }
}

export const handler = middy(read).use(injectLambdaContext(logger)).use(httpErrors()).use(authorize()).use(contactHashKey());
