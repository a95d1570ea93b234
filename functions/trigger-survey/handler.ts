/**
 * EventBridge rule target: one commerce event per invocation. An event that fails validation can
 * never succeed on retry, so it is quarantined with its reason; other errors throw, and Lambda's
 * async retries and on-failure destination take over.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { commerceEventSchema } from '#surveys/model.ts';
import { triggerSurvey, type TriggerOutcome } from '#surveys/use-cases/trigger-survey.ts';
import { env } from '../shared/env.ts';
import { surveyStore, systemClock } from '../shared/deps.ts';
import { describeIssues } from '../shared/issues.ts';
import { logger } from '../shared/powertools.ts';
import { quarantine } from '../shared/quarantine.ts';

async function trigger(event: unknown): Promise<TriggerOutcome | { status: 'quarantined'; errors: string[] }> {
  const parsed = commerceEventSchema.safeParse(event);
  if (!parsed.success) {
    const errors = describeIssues(parsed.error);
    await quarantine('eventbridge', errors.join('; '), event);
    return { status: 'quarantined', errors };
  }
  const outcome = await triggerSurvey(parsed.data, { store: surveyStore(), now: systemClock, delayScale: env().delayScale });
  logger.info('event triggered', { eventId: parsed.data.detail.eventId, outcome: outcome.status });
  return outcome;
}

export const handler = middy(trigger).use(injectLambdaContext(logger));
