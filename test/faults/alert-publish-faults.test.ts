/**
 * SNS failing while a detractor alert is published, through the real raiseAlerts and alertSweep
 * handlers, the real SNS client (its retries included) and DynamoDB Local; SNS is a scripted endpoint.
 * A blip is absorbed by the SDK; an outage makes the stream record fail (Lambda retries it) and keeps
 * the alert due for the sweep; once SNS is back the alert goes out exactly once, whoever gets there first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { STREAM_CONSUMERS } from '../../functions/manifest.ts';
import { surveyPorts, type SurveyPorts } from '../support/stores.ts';
import { localContext } from '../../local/lambda-context.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import { detractorAlertId } from '../../surveys/use-cases/raise-alert.ts';
import { startFaultyProviders, type FaultyProviders } from '../support/faulty-providers.ts';
import { freshTable } from '../support/table.ts';
import { configureFor, handlerOf } from '../support/functions.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
let table: Awaited<ReturnType<typeof freshTable>>;
let providers: FaultyProviders;
let store: SurveyPorts;
let raiseAlerts: Handler;
let alertSweep: Handler;
let reader: StreamReader;
const captured: DynamoDBRecord[] = [];

beforeAll(async () => {
  table = await freshTable();
  providers = await startFaultyProviders();
  store = surveyPorts(table.doc, table.tableName);
  configureFor(table, {
    AWS_ENDPOINT_URL_SNS: providers.url,
    ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-central-1:000000000000:ankieta-alerts',
    POWERTOOLS_LOG_LEVEL: 'SILENT', // the failed publishes are logged as errors, on purpose: not test output
  });
  raiseAlerts = await handlerOf<Handler>('raise-alerts');
  alertSweep = await handlerOf<Handler>('alert-sweep');
  const filter = STREAM_CONSUMERS.find((c) => c.fn === 'raiseAlerts')!.filter;
  reader = new StreamReader({
    endpoint: table.endpoint,
    streamArn: table.streamArn,
    consumers: [{ name: 'capture', filter, handler: async (e) => void captured.push(...(e as { Records: DynamoDBRecord[] }).Records) }],
  });
});

afterAll(async () => {
  await reader?.stop();
  await providers?.close();
});

/** A detractor's answer with its comment (so the notification is due at once), and its stream record. */
async function detractorRecord(invitationId: string): Promise<DynamoDBRecord> {
  const at = new Date().toISOString();
  const response: SurveyResponse = {
    invitationId,
    surveyId: 'csat-post-ticket',
    metric: 'csat',
    customerId: `c-${invitationId}`,
    score: 1,
    comment: 'nobody called back',
    segments: { survey: 'csat-post-ticket', channel: 'email', team: 'billing' },
    locale: 'en',
    subjectRef: `t-${invitationId}`,
    status: 'final',
    version: 1,
    answeredAt: at,
    updatedAt: at,
  };
  await store.putResponse(response, 0);
  await reader.drain();
  const record = captured.find((r) => r.dynamodb?.NewImage?.invitationId?.S === invitationId);
  if (!record) throw new Error(`no stream record for ${invitationId}`);
  return record;
}

/**
 * One stream batch through the handler, as Lambda sees the answer: the records to retry. A batch whose
 * every record failed is thrown (Powertools' FullBatchFailureError), which makes Lambda retry it whole.
 */
async function deliver(record: DynamoDBRecord): Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }> {
  try {
    return (await raiseAlerts({ Records: [record] }, localContext('raiseAlerts'))) as { batchItemFailures: Array<{ itemIdentifier: string }> };
  } catch (error) {
    if ((error as Error).name !== 'FullBatchFailureError') throw error;
    return { batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber! }] };
  }
}
const sweep = () =>
  alertSweep({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }, localContext('alertSweep')) as Promise<{
    due: number;
    notified: number;
    failed: number;
  }>;
const published = (invitationId: string) =>
  providers.delivered.filter((d) => d.service === 'sns' && d.detail?.includes(`#alert=${detractorAlertId(invitationId)}`));

describe('publishing a detractor alert while SNS fails', () => {
  it('Should publish once when SNS throttles for a moment (the SDK retries)', async () => {
    // Prepare
    const record = await detractorRecord('inv-sns-blip');
    providers.fail('sns', 'throttling');

    // Act
    const result = await deliver(record);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(published('inv-sns-blip')).toHaveLength(1);
    expect((await store.getAlert(detractorAlertId('inv-sns-blip')))?.notifiedAt).toBeDefined();
  });

  it.each([
    ['the stream redelivers the record', 'redelivery'],
    ['the sweep comes first', 'sweep'],
  ] as const)('Should keep the alert through an outage and publish it once when SNS is back and %s', async (_name, first) => {
    // Prepare
    const invitationId = `inv-sns-outage-${first}`;
    const record = await detractorRecord(invitationId);
    providers.outage('sns', 'unavailable');

    // Act: during the outage
    const failedDelivery = await deliver(record);
    const failedSweep = await sweep();
    const during = await store.getAlert(detractorAlertId(invitationId));
    providers.recover('sns');
    // …and after it, in either order, twice each
    const afterwards =
      first === 'redelivery'
        ? [await deliver(record), await sweep(), await deliver(record), await sweep()]
        : [await sweep(), await deliver(record), await sweep(), await deliver(record)];

    // Assess: the record was reported failed, so Lambda retries it; the alert waited, open and due
    expect(failedDelivery.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb!.SequenceNumber }]);
    expect(failedSweep.failed).toBeGreaterThanOrEqual(1);
    expect(during).toMatchObject({ status: 'open' });
    expect(during!.notifiedAt).toBeUndefined();
    expect(during!.notifyClaimAt).toBeUndefined(); // the failed publish gave its claim back
    expect(during!.dueAt).toBeDefined();
    // Once SNS is back: published exactly once, recorded, nothing left due.
    expect(afterwards.filter((r) => 'batchItemFailures' in r && r.batchItemFailures.length > 0)).toEqual([]);
    expect(published(invitationId)).toHaveLength(1);
    const after = await store.getAlert(detractorAlertId(invitationId));
    expect(after!.notifiedAt).toBeDefined();
    expect(after!.notifyClaimAt).toBeUndefined();
  });
});
