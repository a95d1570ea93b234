/** Every minute (EventBridge schedule on AWS, a timer locally): send the invitations that are due. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { sendDueInvitations, type SendSummary } from '#surveys/use-cases/send-due.ts';
import { env } from '#functions/shared/env.ts';
import { contactStore, emailSender, linkSigner, invitationStore, smsSender, systemClock } from '#functions/shared/deps.ts';
import { logger } from '#functions/shared/powertools.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

async function sendDue(): Promise<SendSummary> {
  const config = env();
  const summary = await sendDueInvitations({
    store: invitationStore(),
    contacts: contactStore(),
    email: emailSender(),
    sms: smsSender(),
    links: await linkSigner(),
    now: systemClock,
    publicBaseUrl: config.publicBaseUrl,
    brand: config.brand,
  });
  if (summary.sent + summary.retried + summary.failed + summary.cancelled + summary.reminded > 0) logger.info('due sweep', { ...summary });
  if (summary.throttled) logger.warn('due sweep throttled by SES or SNS: the rest waits for the next sweep', { ...summary });
  return summary;
}

export const handler = middy(sendDue).use(injectLambdaContext(logger)).use(contactHashKey());
