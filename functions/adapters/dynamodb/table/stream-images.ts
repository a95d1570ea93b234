/**
 * Parsers of the table's stream records (Lambda's shape): response changes (aggregator, alerts) and the
 * facts customer health is made of (final responses, and commerce events' EVENT items). Both images
 * are validated; a record that does not parse comes back with a reason, never silently dropped.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from '#surveys/zod.ts';
import { HEALTH_EVENT_TYPES, type HealthFact } from '#surveys/churn-risk.ts';
import { responseRecordSchema, type SurveyResponse } from '#surveys/model.ts';
import { answerFact } from '#surveys/use-cases/track-health.ts';
import { describeIssues } from '../../../shared/issues.ts';
import { PK, SK } from './keys.ts';

export type ParsedChange = { ok: true; seq: string; old?: SurveyResponse; new: SurveyResponse } | { ok: false; seq: string; reason: string };

function image(raw: Record<string, unknown> | undefined): { value?: SurveyResponse; error?: string } {
  if (!raw) return {};
  const parsed = responseRecordSchema.safeParse(unmarshall(raw as Record<string, AttributeValue>));
  if (!parsed.success) return { error: describeIssues(parsed.error).join('; ') };
  return { value: parsed.data as SurveyResponse };
}

export function parseResponseChange(record: DynamoDBRecord): ParsedChange {
  const seq = record.dynamodb?.SequenceNumber ?? '';
  if (!seq) return { ok: false, seq, reason: 'record has no sequence number' };
  const next = image(record.dynamodb?.NewImage as Record<string, unknown> | undefined);
  if (!next.value) return { ok: false, seq, reason: `new image is not a final response: ${next.error ?? 'missing'}` };
  const old = image(record.dynamodb?.OldImage as Record<string, unknown> | undefined);
  // An old image that is not a final response (e.g. none yet) means this change counts as new.
  return { ok: true, seq, new: next.value, ...(old.value ? { old: old.value } : {}) };
}

const isoDateTime = z.iso.datetime({ offset: true });

/** The EVENT dedupe item of a commerce event (written by the trigger and by cancelling events). */
const nonEmpty = z.string().check(z.minLength(1));
const eventItemSchema = z
  .object({
    pk: z.string().check(z.startsWith(PK.event)),
    eventType: nonEmpty,
    customerId: z.optional(nonEmpty),
    subjectRef: nonEmpty,
    occurredAt: z.optional(isoDateTime),
    receivedAt: z.optional(isoDateTime),
    at: z.optional(isoDateTime),
  })
  .check(z.refine((e) => Boolean(e.occurredAt ?? e.receivedAt ?? e.at), { message: 'an event item needs occurredAt, receivedAt or at' }));

export type HealthRecord =
  /** `newAnswer`: a response's first final version (an edit is not a new answer). */
  | { kind: 'fact'; customerId: string; fact: HealthFact; newAnswer?: true }
  /** A valid record health does not use (another event type, an event without a customer). */
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

export function parseHealthRecord(record: DynamoDBRecord): HealthRecord {
  const sk = record.dynamodb?.NewImage?.sk?.S;
  if (sk === SK.response) {
    const parsed = parseResponseChange(record);
    if (!parsed.ok) return { kind: 'invalid', reason: parsed.reason };
    return {
      kind: 'fact',
      customerId: parsed.new.customerId,
      fact: { kind: 'answer', answer: answerFact(parsed.new) },
      // An old image that is not a final response (none yet) makes this the answer itself.
      ...(parsed.old ? {} : { newAnswer: true as const }),
    };
  }
  if (sk === SK.event) {
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
      fact: { kind: 'event', event: { type: e.eventType as (typeof HEALTH_EVENT_TYPES)[number], ref: e.subjectRef, at } },
    };
  }
  return { kind: 'invalid', reason: `not a response or an event item (sk ${sk ?? 'missing'})` };
}
