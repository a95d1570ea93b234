/** Reads the outbound emitter's stream records (responses, alerts, suppressions) into changes, validating each. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import * as z from '#surveys/zod.ts';
import type { Alert } from '#surveys/model.ts';
import type { OutboundChange } from '#surveys/outbound/emit.ts';
import { describeIssues } from '#functions/shared/issues.ts';
import { parseResponseChange } from './table/stream-images.ts';

const alertImage = z.looseObject({
  entity: z.literal('alert'),
  id: z.string().check(z.minLength(1)),
  kind: z.enum(['detractor', 'churn-risk']),
  customerId: z.string().check(z.minLength(1)),
  status: z.enum(['open', 'acked', 'resolved']),
  createdAt: z.string(),
  segments: z.record(z.string(), z.string()),
});

const suppressionImage = z.looseObject({
  entity: z.literal('suppression'),
  pk: z.string().check(z.regex(/^SUPPRESS#(email|sms)#[0-9a-f]{64}$/)),
  channel: z.enum(['email', 'sms']),
  reason: z.string(),
  at: z.string(),
});

const image = (raw: unknown) => (raw ? unmarshall(raw as Record<string, AttributeValue>) : undefined);

function asAlert(item: Record<string, unknown>): Alert {
  const { pk: _pk, sk: _sk, entity: _e, gsi1pk: _1, gsi1sk: _2, gsi2pk: _3, gsi2sk: _4, expiresAtEpoch: _x, ...alert } = item;
  return alert as unknown as Alert;
}

export function parseOutboundChange(record: DynamoDBRecord): { ok: true; change: OutboundChange } | { ok: false; reason: string } {
  const next = image(record.dynamodb?.NewImage);
  if (!next) return { ok: false, reason: 'record has no new image' };
  if (next.sk === 'RESPONSE') {
    const parsed = parseResponseChange(record);
    return parsed.ok ? { ok: true, change: { kind: 'response', new: parsed.new, ...(parsed.old ? { old: parsed.old } : {}) } } : parsed;
  }
  if (next.entity === 'alert') {
    const parsed = alertImage.safeParse(next);
    if (!parsed.success) return { ok: false, reason: `not an alert: ${describeIssues(parsed.error).join('; ')}` };
    const old = image(record.dynamodb?.OldImage);
    return { ok: true, change: { kind: 'alert', new: asAlert(parsed.data), ...(old && alertImage.safeParse(old).success ? { old: asAlert(old) } : {}) } };
  }
  if (next.entity === 'suppression') {
    const parsed = suppressionImage.safeParse(next);
    if (!parsed.success) return { ok: false, reason: `not a suppression: ${describeIssues(parsed.error).join('; ')}` };
    const s = parsed.data;
    return { ok: true, change: { kind: 'suppression', entry: { channel: s.channel, reason: s.reason, at: s.at, contactHash: s.pk.split('#')[2]! } } };
  }
  return { ok: false, reason: `not an outbound source (sk ${String(next.sk)})` };
}
