/**
 * Every minute (EventBridge schedule on AWS, a timer locally): send the invitations that are due, and
 * confirm (or drop) the dwell answers whose hold is over (surveys/use-cases/record-response.ts).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { sendDueInvitations, type SendSummary } from '#surveys/use-cases/send-due.ts';
import { confirmHeldAnswers } from '#surveys/use-cases/record-response.ts';
import { env } from '#functions/shared/env.ts';
import { brandOf, contactStore, emailSender, invitationStore, linkActivity, linkSigner, responseDeps, smsSender, systemClock } from '#functions/shared/deps.ts';
import { logger } from '#functions/shared/powertools.ts';
import { countMetric, emitMetrics, recordSeconds } from '#functions/shared/metrics.ts';
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
    brandFor: brandOf,
  });
  if (summary.sent + summary.retried + summary.failed + summary.cancelled + summary.reminded > 0) logger.info('due sweep', { ...summary });
  for (const channel of ['email', 'sms'] as const) if (summary.sentByChannel[channel] > 0) countMetric('surveysSent', channel, summary.sentByChannel[channel]);
  // Every run writes the age, 0 when nothing waits: the oldest-due alarm sees a steady series.
  recordSeconds('oldestDueAge', summary.oldestDueAt ? (systemClock().getTime() - Date.parse(summary.oldestDueAt)) / 1000 : 0);
  if (summary.throttled) logger.warn('due sweep throttled by SES or SNS: the rest waits for the next sweep', { ...summary });
  const held = await confirmHeldAnswers({ ...(await responseDeps()), held: linkActivity() });
  if (held.confirmed + held.dropped > 0) logger.info('held dwell answers', { ...held });
  return summary;
}

export const handler = middy(sendDue).use(injectLambdaContext(logger)).use(contactHashKey()).use(emitMetrics());
