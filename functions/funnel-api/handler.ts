/**
 * For support leads (the dashboard key on AWS): GET /api/funnel (how many were asked, reached and
 * answered) and GET /api/comments (the latest comments). Parse the query (zod) → one use case → JSON.
 */
import middy from '@middy/core';
import { parseQuery } from '#functions/read-api/queries.ts';
import { funnelPageReader, responseExport, systemClock } from '#functions/shared/deps.ts';
import { HttpError, type HttpEvent, type HttpResult, json } from '#functions/shared/http.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { funnelQuerySchema, readFunnel } from '#surveys/funnel/read-funnel.ts';
import { commentsQuerySchema, latestComments } from '#surveys/use-cases/latest-comments.ts';
import { authorize } from '#functions/shared/middlewares/authorize.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

async function leadsApi(event: HttpEvent): Promise<HttpResult> {
  const query = event.queryStringParameters;
  switch (event.routeKey) {
    case 'GET /api/funnel':
      return json(200, await readFunnel(parseQuery(funnelQuerySchema, query), { reader: funnelPageReader(), now: systemClock }));
    case 'GET /api/comments':
      return json(200, await latestComments(parseQuery(commentsQuerySchema, query), { source: responseExport(), now: systemClock }));
    default:
      throw new HttpError(404, `no route ${event.routeKey}`);
  }
}

export const handler = middy(leadsApi).use(injectLambdaContext(logger)).use(httpErrors()).use(authorize()).use(contactHashKey()); // quarantine refs are keyed hashes
