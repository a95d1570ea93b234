/**
 * For support leads (the dashboard key on AWS): GET /api/funnel (how many were asked, reached and
 * answered) and GET /api/comments (the latest comments). Parse the query (zod) → one use case → JSON.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { funnelQuerySchema, readFunnel } from '#surveys/funnel/read-funnel.ts';
import { commentsQuerySchema, latestComments } from '#surveys/use-cases/latest-comments.ts';
import { FunnelPageReader } from '../adapters/dynamodb/funnel-pages.ts';
import { DynamoResponseExport } from '../adapters/dynamodb/response-export.ts';
import { parseQuery } from '../read-api/queries.ts';
import { dynamoDocumentClient } from '../shared/clients.ts';
import { systemClock } from '../shared/deps.ts';
import { env } from '../shared/env.ts';
import { errorResult, HttpError, type HttpEvent, type HttpResult, json } from '../shared/http.ts';
import { logger } from '../shared/powertools.ts';

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
