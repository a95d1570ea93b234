/**
 * Outbound endpoints for support leads (role lead): register one (`201 { id, secret? }`,
 * the webhook signing secret shown this once), list them (never a secret or a whole Slack/Teams URL),
 * read an endpoint's deliveries, delete one.
 */
import middy from '@middy/core';
import * as z from '#surveys/zod.ts';
import { newEndpointSchema } from '#surveys/outbound/endpoints.ts';
import { deleteEndpoint, endpointDeliveries, registerEndpoint } from '#surveys/outbound/manage.ts';
import { errorResult, HttpError, json, jsonBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { describeIssues } from '../shared/issues.ts';
import { manageDeps } from '../shared/outbound.ts';
import { injectLambdaContext, logger } from '../shared/logger.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { authorize } from '#functions/shared/middlewares/authorize.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

const idParam = z.object({ id: z.string().check(z.regex(/^ep_[0-9a-f]{32}$/, 'not an endpoint id')) });
const deliveriesQuery = z.object({ limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100) });

function parse<T extends z.ZodMiniType>(schema: T, input: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new HttpError(400, `invalid ${what}`, describeIssues(parsed.error));
  return parsed.data;
}

async function endpointsApi(event: HttpEvent): Promise<HttpResult> {
  try {
    const deps = manageDeps();
    switch (event.routeKey) {
      case 'POST /api/endpoints': {
        const input = parse(newEndpointSchema, jsonBody(event, 16 * 1024), 'body');
        const outcome = await registerEndpoint(input, deps);
        if (outcome.status === 'invalid') throw new HttpError(400, outcome.reason);
        logger.info('endpoint registered', { endpointId: outcome.id, kind: input.kind, events: input.events.length });
        return json(201, { id: outcome.id, ...(outcome.secret ? { secret: outcome.secret } : {}) }, { 'cache-control': 'no-store' });
      }
      case 'GET /api/endpoints':
        return json(200, await deps.endpoints.listEndpoints());
      case 'GET /api/endpoints/{id}/deliveries': {
        const { id } = parse(idParam, event.pathParameters, 'path');
        const { limit } = parse(deliveriesQuery, event.queryStringParameters, 'query');
        const deliveries = await endpointDeliveries(id, limit, deps);
        if (!deliveries) throw new HttpError(404, 'no such endpoint');
        return json(200, deliveries);
      }
      case 'DELETE /api/endpoints/{id}': {
        const { id } = parse(idParam, event.pathParameters, 'path');
        if (!(await deleteEndpoint(id, deps))) throw new HttpError(404, 'no such endpoint');
        logger.info('endpoint deleted', { endpointId: id });
        return { statusCode: 204 };
      }
      default:
        throw new HttpError(404, `no route ${event.routeKey}`);
    }
  } catch (error) {
    return errorResult(error);
  }
}

export const handler = middy(endpointsApi).use(injectLambdaContext(logger)).use(httpErrors()).use(authorize()).use(contactHashKey()); // quarantine refs are keyed hashes;
