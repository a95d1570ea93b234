/** Messages of an SNS → Lambda invocation, checked with zod: a bad envelope is reported, never thrown past. */
import { randomUUID } from 'node:crypto';
import * as z from '#surveys/zod.ts';

const snsEventSchema = z.object({
  Records: z
    .array(z.object({ Sns: z.object({ MessageId: z.string().check(z.minLength(1)), Message: z.string(), TopicArn: z.optional(z.string()) }) }))
    .check(z.minLength(1)),
});

export interface SnsMessage {
  messageId: string;
  /** The message parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  raw: string;
}

export function snsMessages(event: unknown): { ok: true; messages: SnsMessage[] } | { ok: false; error: z.core.$ZodError } {
  const parsed = snsEventSchema.safeParse(event);
  if (!parsed.success) return { ok: false, error: parsed.error };
  return {
    ok: true,
    messages: parsed.data.Records.map(({ Sns }) => {
      let json: unknown;
      try {
        json = JSON.parse(Sns.Message);
      } catch {
        json = undefined;
      }
      return { messageId: Sns.MessageId, json, raw: Sns.Message };
    }),
  };
}

/** An SNS notification as Lambda receives it: what the local runtime wraps a posted payload in. */
export function snsEventOf(message: unknown, topicArn = 'arn:aws:sns:local:000000000000:ankieta-local', messageId = randomUUID()) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:local`,
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: topicArn,
          Subject: null,
          Message: typeof message === 'string' ? message : JSON.stringify(message),
          Timestamp: new Date().toISOString(),
          MessageAttributes: {},
        },
      },
    ],
  };
}
