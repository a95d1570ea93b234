/**
 * Every minute (EventBridge schedule on AWS, a timer locally): send the invitations that are due, and
 * confirm (or drop) the dwell answers whose hold is over (surveys/use-cases/record-response.ts).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { sendDueInvitations, type SendSummary } from '#surveys/use-cases/send-due.ts';
import { confirmHeldAnswers } from '#surveys/use-cases/record-response.ts';
import { DynamoLinkActivityStore } from '../adapters/dynamodb/link-activity-store.ts';
import { SesEmailSender } from '../adapters/ses/ses-email-sender.ts';
import { SnsSmsSender } from '../adapters/sns/sns-publishers.ts';
import { linkSigner } from '../adapters/secrets/link-secret.ts';
import { dynamoDocumentClient, sesClient, snsClient } from '../shared/clients.ts';
import { env } from '../shared/env.ts';
import { contactStore, surveyStore, systemClock } from '../shared/deps.ts';
import { logger } from '../shared/powertools.ts';

async function sendDue(): Promise<SendSummary> {
  const config = env();
  const summary = await sendDueInvitations({
    store: surveyStore(),
    contacts: contactStore(),
    email: new SesEmailSender(sesClient(), config.senderEmail, config.sesConfigurationSet),
    sms: new SnsSmsSender(snsClient()),
    links: await linkSigner(),
    now: systemClock,
    publicBaseUrl: config.publicBaseUrl,
    brand: config.brand,
  });
  if (summary.sent + summary.retried + summary.failed + summary.cancelled + summary.reminded > 0) logger.info('due sweep', { ...summary });
  if (summary.throttled) logger.warn('due sweep throttled by SES or SNS: the rest waits for the next sweep', { ...summary });
  const activity = new DynamoLinkActivityStore(dynamoDocumentClient(), config.tableName);
  const held = await confirmHeldAnswers({ store: surveyStore(), links: await linkSigner(), now: systemClock, activity, held: activity });
  if (held.confirmed + held.dropped > 0) logger.info('held dwell answers', { ...held });
  return summary;
}

export const handler = middy(sendDue).use(injectLambdaContext(logger));
