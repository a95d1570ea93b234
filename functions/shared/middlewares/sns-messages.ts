/**
 * middy middleware for SNS-subscribed functions: checks the SNS envelope and each message with the
 * function's zod schema, quarantines what cannot be read (with its reason: never dropped), and hands
 * the handler the messages in order. A bad envelope ends the invocation with one "quarantined" result.
 * Pair it with forEachMessage, which runs the handler on each valid message and keeps the order.
 */
import type middy from '@middy/core';
import * as z from '#surveys/zod.ts';
import { snsMessages as readEnvelope } from '#functions/adapters/sns/sns-event.ts';
import { quarantine as keep } from '#functions/shared/deps.ts';
import { describeIssues, joinIssues } from '#functions/shared/issues.ts';

export type Quarantined = { status: 'quarantined'; errors: string[] };
export type SnsItem<T> = { ok: true; data: T; messageId: string } | { ok: false; result: Quarantined };

export interface SnsMessagesOptions<T> {
  /** Names the function in quarantine items. */
  source: string;
  schema: z.core.$ZodType<T>; // classic or mini
  quarantine?: (source: string, reason: string, payload: unknown) => Promise<void>;
}

export function snsMessages<T>(options: SnsMessagesOptions<T>): middy.MiddlewareObj<unknown, unknown> {
  const { source, schema, quarantine = keep } = options;
  const refuse = async (errors: string[], payload: unknown): Promise<Quarantined> => {
    await quarantine(source, joinIssues(errors), payload);
    return { status: 'quarantined', errors };
  };
  return {
    before: async (request) => {
      const envelope = readEnvelope(request.event);
      if (!envelope.ok) return [await refuse(describeIssues(envelope.error), request.event)]; // early response
      const items: SnsItem<T>[] = [];
      for (const message of envelope.messages) {
        const parsed = z.safeParse(schema, message.json);
        if (parsed.success) items.push({ ok: true, data: parsed.data, messageId: message.messageId });
        else {
          const errors = message.json === undefined ? ['(root): the SNS message is not JSON'] : describeIssues(parsed.error);
          items.push({ ok: false, result: await refuse(errors, { messageId: message.messageId, message: message.raw }) });
        }
      }
      request.event = items;
      return undefined;
    },
  };
}

/** The handler of one valid message, run on each in order; quarantined messages keep their place in the results. */
export function forEachMessage<T, R>(handle: (data: T, messageId: string) => Promise<R>) {
  return async (event: unknown): Promise<Array<R | Quarantined>> => {
    const results: Array<R | Quarantined> = [];
    for (const item of event as SnsItem<T>[]) results.push(item.ok ? await handle(item.data, item.messageId) : item.result);
    return results;
  };
}
