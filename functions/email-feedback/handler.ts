/**
 * SES bounce and complaint events, from the configuration set's feedback topic (infra/constructs/
 * email-sending.ts): a permanent bounce or a complaint puts the address on the suppression list, and a
 * bounced survey is marked failed. A notification that cannot be read is quarantined with its reason.
 */
import middy from '@middy/core';
import { contactStore, funnelMarks, invitationStore, systemClock } from '#functions/shared/deps.ts';
import { forEachMessage, snsMessages } from '#functions/shared/middlewares/sns-messages.ts';
import { emitMetrics } from '#functions/shared/metrics.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';
import { handleEmailFeedback, type SesFeedback, sesFeedbackSchema } from '#surveys/use-cases/suppress-contact.ts';

async function emailFeedback(feedback: SesFeedback) {
  const outcome = await handleEmailFeedback(feedback, {
    suppressions: contactStore(),
    invitations: invitationStore(),
    now: systemClock,
    marks: funnelMarks(),
  });
  // A delivery, one per e-mail sent, is on its invitation (deliveredAt): at INFO only what changed an address or was ignored.
  logger[outcome.status === 'delivered' ? 'debug' : 'info']('email feedback', { sesMessageId: feedback.mail.messageId, ...outcome });
  return outcome;
}

export const handler = middy(forEachMessage(emailFeedback))
  .use(injectLambdaContext(logger))
  .use(contactHashKey())
  .use(emitMetrics()) // quarantined messages are counted
  .use(snsMessages({ source: 'email-feedback', schema: sesFeedbackSchema }));
