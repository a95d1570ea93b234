/** Reads response changes out of DynamoDB stream records (Lambda's shape), validating both images. */
import type { DynamoDBRecord } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { responseRecordSchema, type SurveyResponse } from '#surveys/model.ts';

export type ParsedChange = { ok: true; seq: string; old?: SurveyResponse; new: SurveyResponse } | { ok: false; seq: string; reason: string };

function image(raw: Record<string, unknown> | undefined): { value?: SurveyResponse; error?: string } {
  if (!raw) return {};
  const parsed = responseRecordSchema.safeParse(unmarshall(raw as Record<string, AttributeValue>));
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
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
