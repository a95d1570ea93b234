/**
 * GDPR erasure for the shop's back office (IAM-authenticated on AWS, like the read API):
 *   POST /api/customers/{id}/erase
 *   POST /api/erasure   { "customerId": "c-1" } or { "email": "ala@example.com" }
 * Both answer 200 with counts per customer (`found: false` when nothing was stored: erasure is
 * idempotent), 400 naming the field for bad input. Logs carry counts only, never the address.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from '#surveys/zod.ts';
import { customerSchema } from '#surveys/model.ts';
import { eraseCustomer, type ErasureRequest } from '#surveys/use-cases/erase-customer.ts';
import { erasureLedger, erasureStore, systemClock } from '#functions/shared/deps.ts';
import { HttpError, json, jsonBody, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';
import { describeIssues } from '#functions/shared/issues.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { logger } from '#functions/shared/powertools.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

const customerId = customerSchema.shape.id;
const requestSchema = z.union([z.strictObject({ customerId }), z.strictObject({ email: z.email().check(z.maxLength(254)) })], {
  error: 'give exactly one of customerId or email',
});

function parse<T extends z.ZodMiniType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new HttpError(400, 'invalid erasure request', describeIssues(parsed.error));
  return parsed.data;
}

async function erase(event: HttpEvent): Promise<HttpResult> {
  let request: ErasureRequest;
  if (event.routeKey === 'POST /api/customers/{id}/erase') request = { customerId: parse(customerId, event.pathParameters?.id ?? '') };
  else if (event.routeKey === 'POST /api/erasure') request = parse(requestSchema, jsonBody(event, 4096));
  else throw new HttpError(404, `no route ${event.routeKey}`);

  const report = await eraseCustomer(request, { store: erasureStore(), ledger: erasureLedger(), now: systemClock });
  logger.info('customer erased', { by: report.by, customers: report.customers.length, found: report.found });
  return json(200, report);
}

export const handler = middy(erase).use(injectLambdaContext(logger)).use(contactHashKey()).use(httpErrors());
