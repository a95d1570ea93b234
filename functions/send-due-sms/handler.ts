/**
 * Every minute (EventBridge schedule on AWS, a timer locally): send the SMS invitations that are due
 * (surveys/use-cases/send-due.ts with the SMS channel, send-sms.ts). E-mail invitations are sendDue's:
 * this function carries no SES client.
 */
import middy from '@middy/core';
import { sendDueInvitations, type SendSummary } from '#surveys/use-cases/send-due.ts';
import { smsChannel } from '#surveys/use-cases/send-sms.ts';
import { brandOf, contactStore, smsSender } from '#functions/shared/deps.ts';
import { env } from '#functions/shared/env.ts';
import { sendDeps, reportSweep } from '#functions/shared/send-sweep.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { emitMetrics } from '#functions/shared/metrics.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

async function sendDueSms(): Promise<SendSummary> {
  const channel = smsChannel({ sms: smsSender(), links: contactStore(), publicBaseUrl: env().publicBaseUrl });
  return reportSweep(await sendDueInvitations({ ...(await sendDeps()), brandFor: brandOf, channel }));
}

export const handler = middy(sendDueSms).use(injectLambdaContext(logger)).use(contactHashKey()).use(emitMetrics());
