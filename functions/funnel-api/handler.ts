/**
 * For support leads (the dashboard key on AWS): GET /api/funnel (how many were asked, reached and
 * answered) and GET /api/comments (the latest comments). Parse the query (zod) → one use case → JSON.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { funnelQuerySchema, readFunnel } from '#surveys/funnel/read-funnel.ts';
import { commentsQuerySchema, latestComments } from '#surveys/use-cases/latest-comments.ts';
import { parseQuery } from '#functions/read-api/queries.ts';
import { funnelPageReader, responseExport, systemClock } from '#functions/shared/deps.ts';
import { HttpError, type HttpEvent, type HttpResult, json } from '#functions/shared/http.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { logger } from '#functions/shared/powertools.ts';

async function leadsApi(event: HttpEvent): Promise<HttpResult> {
  try {
    const db = dynamoDocumentClient();
    const query = event.queryStringParameters;
    switch (event.routeKey) {
      case 'GET /api/funnel':
        return json(200, await readFunnel(parseQuery(funnelQuerySchema, query), { reader: new FunnelPageReader(db, env().tableName), now: systemClock }));
      case 'GET /api/comments':
        return json(
          200,
          await latestComments(parseQuery(commentsQuerySchema, query), { source: new DynamoResponseExport(db, env().tableName), now: systemClock }),
        );
      default:
        throw new HttpError(404, `no route ${event.routeKey}`);
    }
  } catch (error) {
    return errorResult(error);
  }
}

export const handler = middy(leadsApi).use(injectLambdaContext(logger));
