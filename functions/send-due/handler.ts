/** Every minute (EventBridge schedule on AWS, a timer locally): send the invitations that are due. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { sendDueInvitations, type SendSummary } from '#surveys/use-cases/send-due.ts';
import { env } from '#functions/shared/env.ts';
import { contactStore, emailSender, linkSigner, invitationStore, smsSender, systemClock } from '#functions/shared/deps.ts';
import { logger } from '#functions/shared/powertools.ts';
import { countMetric, emitMetrics, recordSeconds } from '#functions/shared/metrics.ts';

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
  for (const channel of ['email', 'sms'] as const) if (summary.sentByChannel[channel] > 0) countMetric('surveysSent', channel, summary.sentByChannel[channel]);
  // Every run writes the age, 0 when nothing waits: the oldest-due alarm sees a steady series.
  recordSeconds('oldestDueAge', summary.oldestDueAt ? (systemClock().getTime() - Date.parse(summary.oldestDueAt)) / 1000 : 0);
  if (summary.throttled) logger.warn('due sweep throttled by SES or SNS: the rest waits for the next sweep', { ...summary });
  return summary;
}

export const handler = middy(sendDue).use(injectLambdaContext(logger)).use(emitMetrics());
