/** DynamoDB stream consumer (final responses only): raises and publishes detractor alerts, one per response. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { raiseDetractorAlert } from '#surveys/use-cases/raise-alert.ts';
import { SnsAlertPublisher } from '../adapters/sns/sns-publishers.ts';
import { parseResponseChange } from '../adapters/dynamodb/stream-records.ts';
import { snsClient } from '../shared/clients.ts';
import { env } from '../shared/env.ts';
import { surveyStore, systemClock } from '../shared/deps.ts';
import { logger } from '../shared/powertools.ts';
import { quarantine } from '../shared/quarantine.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function recordHandler(record: DynamoDBRecord): Promise<void> {
  const parsed = parseResponseChange(record);
  if (!parsed.ok) return quarantine('raise-alerts', parsed.reason, record);
  const config = env();
  const outcome = await raiseDetractorAlert(
    { old: parsed.old, new: parsed.new },
    { alerts: surveyStore(), publisher: new SnsAlertPublisher(snsClient(), config.alertsTopicArn), now: systemClock, dashboardUrl: `${config.publicBaseUrl}/dashboard` },
  );
  if (outcome.status !== 'not-a-detractor') logger.info('detractor alert', { ...outcome });
}

async function raiseAlerts(event: DynamoDBStreamEvent) {
  return processPartialResponse(event, recordHandler, processor, { processInParallel: false });
}

export const handler = middy(raiseAlerts).use(injectLambdaContext(logger));
