/** Reads the stream records customer health is made of: final responses, and commerce events' EVENT items. */
import type { DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import { HEALTH_EVENT_TYPES, type HealthFact } from '#surveys/churn-risk.ts';
import { answerFact } from '#surveys/use-cases/track-health.ts';
import { parseResponseChange } from '#functions/adapters/dynamodb/stream-records.ts';
import { describeIssues } from '#functions/shared/issues.ts';

const isoDateTime = z.iso.datetime({ offset: true });

/** The EVENT dedupe item of a commerce event (written by the trigger and by cancelling events). */
const eventItemSchema = z
  .object({
    pk: z.string().startsWith('EVENT#'),
    eventType: z.string().min(1),
    customerId: z.string().min(1).optional(),
    subjectRef: z.string().min(1),
    occurredAt: isoDateTime.optional(),
    receivedAt: isoDateTime.optional(),
    at: isoDateTime.optional(),
  })
  .refine((e) => e.occurredAt ?? e.receivedAt ?? e.at, { message: 'an event item needs occurredAt, receivedAt or at' });

export type HealthRecord =
  | { kind: 'fact'; customerId: string; fact: HealthFact }
  /** A valid record health does not use (another event type, an event without a customer). */
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

export function parseHealthRecord(record: DynamoDBRecord): HealthRecord {
  const sk = record.dynamodb?.NewImage?.sk?.S;
  if (sk === 'RESPONSE') {
    const parsed = parseResponseChange(record);
    if (!parsed.ok) return { kind: 'invalid', reason: parsed.reason };
    return { kind: 'fact', customerId: parsed.new.customerId, fact: { kind: 'answer', answer: answerFact(parsed.new) } };
  }
  if (sk === 'EVENT') {
    const parsed = eventItemSchema.safeParse(unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>));
    if (!parsed.success) return { kind: 'invalid', reason: `event item: ${describeIssues(parsed.error).join('; ')}` };
    const e = parsed.data;
    if (!(HEALTH_EVENT_TYPES as readonly string[]).includes(e.eventType))
      return { kind: 'ignored', reason: `event type ${e.eventType} does not change customer health` };
    if (!e.customerId) return { kind: 'ignored', reason: `${e.eventType} event names no customer` };
    const at = (e.occurredAt ?? e.receivedAt ?? e.at)!;
    return {
      kind: 'fact',
      customerId: e.customerId,
      fact: { kind: 'event', event: { key: e.pk.slice('EVENT#'.length), type: e.eventType as (typeof HEALTH_EVENT_TYPES)[number], ref: e.subjectRef, at } },
    };
  }
  return { kind: 'invalid', reason: `not a response or an event item (sk ${sk ?? 'missing'})` };
}
