/** Reads funnel changes (invitation or final response, old → new) out of DynamoDB stream records, validating both images. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { type FunnelChange, funnelInvitationSchema, funnelResponseSchema } from '#surveys/funnel/steps.ts';
import { describeIssues } from '#functions/shared/issues.ts';

export type ParsedFunnelChange = { ok: true; seq: string; change: FunnelChange } | { ok: false; seq: string; reason: string };

type Schema = typeof funnelInvitationSchema | typeof funnelResponseSchema;

function image(schema: Schema, raw: Record<string, unknown> | undefined): { value?: unknown; error?: string } {
  if (!raw) return {};
  const parsed = schema.safeParse(unmarshall(raw as Record<string, AttributeValue>));
  if (!parsed.success) return { error: describeIssues(parsed.error).join('; ') };
  return { value: parsed.data };
}

export function parseFunnelChange(record: DynamoDBRecord): ParsedFunnelChange {
  const seq = record.dynamodb?.SequenceNumber ?? '';
  if (!seq) return { ok: false, seq, reason: 'record has no sequence number' };
  const newImage = record.dynamodb?.NewImage as Record<string, { S?: string }> | undefined;
  const sk = newImage?.sk?.S;
  const kind = sk === 'INVITATION' ? 'invitation' : sk === 'RESPONSE' ? 'response' : undefined;
  if (!kind) return { ok: false, seq, reason: `not an invitation or a response (sk ${sk ?? 'missing'})` };
  const schema = kind === 'invitation' ? funnelInvitationSchema : funnelResponseSchema;
  const next = image(schema, newImage);
  if (!next.value) return { ok: false, seq, reason: `new image is not a valid ${kind}: ${next.error ?? 'missing'}` };
  // An old image that does not parse (an item written before a field existed) counts as absent: the change is new.
  const old = image(schema, record.dynamodb?.OldImage as Record<string, unknown> | undefined);
  return { ok: true, seq, change: { kind, new: next.value, ...(old.value ? { old: old.value } : {}) } as FunnelChange };
}
