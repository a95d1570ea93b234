/**
 * POST /events — commerce events in the EventBridge entry shape (one, or an array of up to 100):
 * survey triggers (order.delivered, ticket.solved) and cancelling events (order.refunded, ticket.reopened).
 * Each entry is validated and triggered on its own: an invalid entry gets a 400 result naming the
 * field, valid entries of the same request still go through. 202 when at least one was accepted.
 */
import middy from '@middy/core';
import { entryEnvelopeHint, requestEnvelopeHint } from '#surveys/event-envelope.ts';
import { incomingEventSchema } from '#surveys/model.ts';
import { describeOutcome, receiveEvent } from '#surveys/use-cases/receive-event.ts';
import { receiveDeps } from '#functions/shared/deps.ts';
import { HttpError, json, jsonBody, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';
import { describeIssues } from '#functions/shared/issues.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { countEventOutcome, emitMetrics } from '#functions/shared/metrics.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

export const MAX_ENTRIES = 100;

async function ingest(event: HttpEvent): Promise<HttpResult> {
  const body = jsonBody(event);
  const hint = requestEnvelopeHint(body);
  if (hint) throw new HttpError(400, hint);
  const entries = Array.isArray(body) ? body : [body];
  if (entries.length === 0) throw new HttpError(400, 'no entries: send one event or an array of events');
  if (entries.length > MAX_ENTRIES) throw new HttpError(413, `at most ${MAX_ENTRIES} entries per request`);

  const results = [];
  for (const [index, entry] of entries.entries()) {
    const parsed = incomingEventSchema.safeParse(entry);
    if (!parsed.success) {
      const entryHint = entryEnvelopeHint(entry);
      results.push({ index, status: 400, errors: entryHint ? [entryHint] : describeIssues(parsed.error) });
      continue;
    }
    const outcome = await receiveEvent(parsed.data, receiveDeps());
    countEventOutcome(outcome);
    logger.info('event received', { eventId: parsed.data.detail.eventId, detailType: parsed.data['detail-type'], outcome: outcome.status });
    results.push({ index, status: 202, eventId: parsed.data.detail.eventId, ...describeOutcome(outcome) });
  }
  const accepted = results.filter((r) => r.status === 202).length;
  return json(accepted > 0 ? 202 : 400, { accepted, rejected: results.length - accepted, results });
}

export const handler = middy(ingest).use(injectLambdaContext(logger)).use(contactHashKey()).use(httpErrors()).use(emitMetrics());
