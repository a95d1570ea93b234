/**
 * SES bounce and complaint events, from the configuration set's feedback topic (infra/constructs/
 * email-sending.ts): a permanent bounce or a complaint puts the address on the suppression list, and a
 * bounced survey is marked failed. A notification that cannot be read is quarantined with its reason.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { handleEmailFeedback, sesFeedbackSchema, type FeedbackOutcome } from '#surveys/use-cases/suppress-contact.ts';
import { snsMessages } from '../adapters/sns/sns-event.ts';
import { contactStore, funnelMarks, surveyStore, systemClock } from '../shared/deps.ts';
import { describeIssues } from '../shared/issues.ts';
import { logger } from '../shared/powertools.ts';
import { quarantine } from '../shared/quarantine.ts';

type Result = FeedbackOutcome | { status: 'quarantined'; errors: string[] };

async function emailFeedback(event: unknown): Promise<Result[]> {
  const envelope = snsMessages(event);
  if (!envelope.ok) {
    const errors = describeIssues(envelope.error);
    await quarantine('email-feedback', errors.join('; '), event);
    return [{ status: 'quarantined', errors }];
  }
  const results: Result[] = [];
  for (const message of envelope.messages) {
    const parsed = sesFeedbackSchema.safeParse(message.json);
    if (!parsed.success) {
      const errors = message.json === undefined ? ['(root): the SNS message is not JSON'] : describeIssues(parsed.error);
      await quarantine('email-feedback', errors.join('; '), { messageId: message.messageId, message: message.raw });
      results.push({ status: 'quarantined', errors });
      continue;
    }
    const outcome = await handleEmailFeedback(parsed.data, {
      suppressions: contactStore(),
      invitations: surveyStore(),
      now: systemClock,
      marks: funnelMarks(),
    });
    logger.info('email feedback', { sesMessageId: parsed.data.mail.messageId, ...outcome });
    results.push(outcome);
  }
  return results;
}

export const handler = middy(emailFeedback).use(injectLambdaContext(logger));
