/**
 * Every minute (EventBridge schedule on AWS, a timer locally): send the e-mail invitations that are
 * due, and confirm (or drop) the dwell answers whose hold is over (surveys/use-cases/record-response.ts).
 * SMS invitations are sendDueSms's (functions/send-due-sms): this function carries no SNS client and
 * no phone metadata.
 */
import middy from '@middy/core';
import { sendDueInvitations, type SendSummary } from '#surveys/use-cases/send-due.ts';
import { emailChannel } from '#surveys/use-cases/send-email.ts';
import { confirmHeldAnswers } from '#surveys/use-cases/record-response.ts';
import { brandOf, questionOf, senderOf, emailSender, linkActivity, responseDeps } from '#functions/shared/deps.ts';
import { sendDeps, reportSweep } from '#functions/shared/send-sweep.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { emitMetrics } from '#functions/shared/metrics.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

async function sendDue(): Promise<SendSummary> {
  const channel = emailChannel({ email: emailSender(), senderFor: senderOf, questionFor: questionOf });
  const summary = reportSweep(await sendDueInvitations({ ...(await sendDeps()), brandFor: brandOf, channel }));
  const held = await confirmHeldAnswers({ ...(await responseDeps()), held: linkActivity() });
  if (held.confirmed + held.dropped > 0) logger.info('held dwell answers', { ...held });
  return summary;
}

export const handler = middy(sendDue).use(injectLambdaContext(logger)).use(contactHashKey()).use(emitMetrics());
