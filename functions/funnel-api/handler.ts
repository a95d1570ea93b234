/** GET /api/funnel for support leads (the dashboard key on AWS): parse the query (zod) → readFunnel → JSON. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { funnelQuerySchema, readFunnel } from '#surveys/funnel/read-funnel.ts';
import { FunnelPageReader } from '../adapters/dynamodb/funnel-pages.ts';
import { parseQuery } from '../read-api/queries.ts';
import { dynamoDocumentClient } from '../shared/clients.ts';
import { systemClock } from '../shared/deps.ts';
import { env } from '../shared/env.ts';
import { errorResult, type HttpEvent, type HttpResult, json } from '../shared/http.ts';
import { logger } from '../shared/powertools.ts';

let reader: FunnelPageReader | undefined;

async function funnelApi(event: HttpEvent): Promise<HttpResult> {
  try {
    reader ??= new FunnelPageReader(dynamoDocumentClient(), env().tableName);
    return json(200, await readFunnel(parseQuery(funnelQuerySchema, event.queryStringParameters), { reader, now: systemClock }));
  } catch (error) {
    return errorResult(error);
  }
}

export const handler = middy(funnelApi).use(injectLambdaContext(logger));
