/**
 * GDPR erasure for the shop's back office (IAM-signed integrations) and admins (signed in), and the audit log:
 *   POST /api/customers/{id}/erase                  (IAM)
 *   POST /api/erasure, POST /api/admin/erasure      { "customerId": "c-1" } or { "email": "ala@example.com" }
 *   GET  /api/audit?days=7&limit=100                (admins) who exported, erased, acked, resolved, replayed
 * Both answer 200 with counts per customer (`found: false` when nothing was stored: erasure is
 * idempotent), 400 naming the field for bad input. Logs carry counts only, never the address. Every
 * erasure is audited (a keyed hash of the customer id: the id itself is gone).
 */
import middy from '@middy/core';
import * as z from '#surveys/zod.ts';
import { customerSchema } from '#surveys/model.ts';
import { eraseCustomer, type ErasureRequest } from '#surveys/use-cases/erase-customer.ts';
import { auditLog, erasureLedger, erasureStore, systemClock } from '#functions/shared/deps.ts';
import { auditErasure } from '#functions/shared/audit.ts';
import { principalOf } from '#functions/shared/principal.ts';
import { authorize } from '#functions/shared/middlewares/authorize.ts';
import { HttpError, json, jsonBody, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';
import { describeIssues } from '#functions/shared/issues.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

const customerId = customerSchema.shape.id;
const requestSchema = z.union([z.strictObject({ customerId }), z.strictObject({ email: z.email().check(z.maxLength(254)) })], {
  error: 'give exactly one of customerId or email',
});

function parse<T extends z.ZodMiniType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new HttpError(400, 'invalid request', describeIssues(parsed.error));
  return parsed.data;
}

const auditQuery = z.object({
  days: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(400)), 7),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
});

async function privacy(event: HttpEvent): Promise<HttpResult> {
  let request: ErasureRequest;
  if (event.routeKey === 'GET /api/audit') {
    const q = parse(auditQuery, event.queryStringParameters ?? {});
    return json(200, await auditLog().list({ today: systemClock().toISOString(), ...q }));
  }
  if (event.routeKey === 'POST /api/customers/{id}/erase') request = { customerId: parse(customerId, event.pathParameters?.id ?? '') };
  else if (event.routeKey === 'POST /api/erasure' || event.routeKey === 'POST /api/admin/erasure') request = parse(requestSchema, jsonBody(event, 4096));
  else throw new HttpError(404, `no route ${event.routeKey}`);

  const caller = principalOf(event); // before erasing: an unknown caller erases nothing
  const report = await eraseCustomer(request, { store: erasureStore(), ledger: erasureLedger(), now: systemClock });
  logger.info('customer erased', { by: report.by, customers: report.customers.length, found: report.found });
  await auditErasure(caller, report);
  return json(200, report);
}

export const handler = middy(privacy).use(injectLambdaContext(logger)).use(httpErrors()).use(authorize()).use(contactHashKey());
