/**
 * Inbound SMS replies: subscribed to the SNS topic AWS End User Messaging SMS publishes two-way
 * messages to (locally, POST /local/sms-inbound wraps the same JSON in an SNS event and calls this).
 * A number answers the survey, STOP-like words suppress the number, anything else is kept as a
 * comment. Input that is not a reply is quarantined with its reason; only infrastructure errors throw
 * (Lambda retries the asynchronous invocation, then its failure destination keeps it).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { handleSmsReply, inboundSmsSchema, type SmsReplyOutcome } from '#surveys/use-cases/sms-reply.ts';
import { linkSigner } from '../adapters/secrets/link-secret.ts';
import { snsMessages } from '../adapters/sns/sns-event.ts';
import { contactStore, responseStore, systemClock } from '../shared/deps.ts';
import { describeIssues } from '../shared/issues.ts';
import { logger } from '../shared/powertools.ts';
import { quarantine } from '../shared/quarantine.ts';

type Result = SmsReplyOutcome | { status: 'quarantined'; errors: string[] };

async function smsInbound(event: unknown): Promise<Result[]> {
  const envelope = snsMessages(event);
  if (!envelope.ok) {
    const errors = describeIssues(envelope.error);
    await quarantine('sms-inbound', errors.join('; '), event);
    return [{ status: 'quarantined', errors }];
  }
  const results: Result[] = [];
  for (const message of envelope.messages) {
    const parsed = inboundSmsSchema.safeParse(message.json);
    if (!parsed.success) {
      const errors = message.json === undefined ? ['(root): the SNS message is not JSON'] : describeIssues(parsed.error);
      await quarantine('sms-inbound', errors.join('; '), { messageId: message.messageId, message: message.raw });
      results.push({ status: 'quarantined', errors });
      continue;
    }
    const outcome = await handleSmsReply(parsed.data, { contacts: contactStore(), responses: responseStore(), links: await linkSigner(), now: systemClock });
    // Ids and outcomes only: never the number or the text.
    logger.info('sms reply', {
      inboundMessageId: parsed.data.inboundMessageId,
      outcome: outcome.status,
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
    });
    results.push(outcome);
  }
  return results;
}

export const handler = middy(smsInbound).use(injectLambdaContext(logger));
