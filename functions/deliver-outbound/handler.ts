/**
 * SQS consumer: delivers each queued job (one event to one endpoint) once, and schedules what failed.
 * A retry hides the message until its next attempt (ChangeMessageVisibility) and reports it failed, so
 * SQS gives it back then; a job that used its last attempt is moved to the dead-letter queue with its
 * reason; a job another worker is on comes back after the claim's lease. The delivery record (status,
 * attempts, last error) is what `GET /api/endpoints/{id}/deliveries` shows.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from '#surveys/zod.ts';
import { OUTBOUND_EVENT_TYPES } from '#surveys/outbound/endpoints.ts';
import { deliver } from '#surveys/outbound/deliver.ts';
import type { DeliveryJob } from '#surveys/outbound/ports.ts';
import { deliverDeps, deliveryQueue } from '../shared/outbound.ts';
import { quarantine } from '../shared/deps.ts';
import { injectLambdaContext, logger } from '../shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';
import { describeIssues, joinIssues } from '#functions/shared/issues.ts';

const processor = new BatchProcessor(EventType.SQS);

const jobSchema = z.object({
  endpointId: z.string().check(z.minLength(1)),
  event: z.looseObject({ id: z.string().check(z.minLength(1)), type: z.enum(OUTBOUND_EVENT_TYPES), timestamp: z.string(), data: z.looseObject({}) }),
});

/** Thrown to report the record failed after its message was hidden until the next attempt. */
class RetryLater extends Error {}

async function recordHandler(record: SQSRecord): Promise<void> {
  let job: DeliveryJob;
  try {
    const parsed = jobSchema.safeParse(JSON.parse(record.body));
    if (!parsed.success) return quarantine('deliver-outbound', `not a delivery job: ${joinIssues(describeIssues(parsed.error))}`, record.body);
    job = parsed.data as unknown as DeliveryJob;
  } catch {
    return quarantine('deliver-outbound', 'not JSON', record.body);
  }
  const deps = deliverDeps();
  const outcome = await deliver(job, deps);
  const log = { endpointId: job.endpointId, eventId: job.event.id, type: job.event.type, ...outcome };
  switch (outcome.outcome) {
    case 'retry':
      logger.info('delivery failed; retried later', log);
      await deliveryQueue().retryLater(record.receiptHandle, outcome.delaySeconds);
      throw new RetryLater(outcome.error);
    case 'busy':
      await deliveryQueue().retryLater(record.receiptHandle, deps.leaseSeconds);
      throw new RetryLater('another worker holds the claim');
    case 'dead-lettered':
      logger.warn('delivery dead-lettered', log);
      await deliveryQueue().deadLetter(job, outcome.error);
      return;
    default:
      if (outcome.outcome !== 'delivered') logger.info('delivery not attempted', log);
  }
}

async function deliverOutbound(event: SQSEvent) {
  // Jobs of a batch are independent (different endpoints or events): in parallel, each with a short timeout.
  return processPartialResponse(event, recordHandler, processor, { throwOnFullBatchFailure: false });
}

export const handler = middy(deliverOutbound).use(injectLambdaContext(logger)).use(contactHashKey()); // quarantine refs are keyed hashes;
