/**
 * Inbound SMS replies: subscribed to the SNS topic AWS End User Messaging SMS publishes two-way
 * messages to (locally, POST /local/sms-inbound wraps the same JSON in an SNS event and calls this).
 * A number answers the survey, STOP-like words suppress the number, anything else is kept as a
 * comment. Input that is not a reply is quarantined with its reason; only infrastructure errors throw
 * (Lambda retries the asynchronous invocation, then its failure destination keeps it).
 */
import middy from '@middy/core';
import { contactStore, linkSigner, responseStore, systemClock } from '#functions/shared/deps.ts';
import { forEachMessage, snsMessages } from '#functions/shared/middlewares/sns-messages.ts';
import { emitMetrics } from '#functions/shared/metrics.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';
import { handleSmsReply, type InboundSms, inboundSmsSchema } from '#surveys/use-cases/sms-reply.ts';

async function smsInbound(sms: InboundSms) {
  const outcome = await handleSmsReply(sms, { contacts: contactStore(), responses: responseStore(), links: await linkSigner(), now: systemClock });
  // Ids and outcomes only: never the number or the text.
  logger.info('sms reply', { inboundMessageId: sms.inboundMessageId, outcome: outcome.status, ...('reason' in outcome ? { reason: outcome.reason } : {}) });
  return outcome;
}

export const handler = middy(forEachMessage(smsInbound))
  .use(injectLambdaContext(logger))
  .use(contactHashKey())
  .use(emitMetrics()) // quarantined messages are counted
  .use(snsMessages({ source: 'sms-inbound', schema: inboundSmsSchema }));
