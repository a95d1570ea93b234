/**
 * One alert per response, also under redelivery: real stream records read from DynamoDB Local's stream
 * go through the real raiseAlerts and trackHealth handlers (SNS mocked), whole batch twice and record
 * by record in reverse order of batches — the ways Lambda can redeliver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { STREAM_CONSUMERS } from '../../functions/manifest.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import { surveyPorts, type SurveyPorts } from '../support/stores.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { localContext } from '../../local/lambda-context.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import { withDetractorMark } from '../../surveys/scales.ts';
import { freshTable } from '../support/table.ts';
import { configureFor, handlerOf } from '../support/functions.ts';

const sns = mockClient(SNSClient);
let table: Awaited<ReturnType<typeof freshTable>>;
let store: SurveyPorts;
type Handler = (event: unknown, context: unknown) => Promise<{ batchItemFailures: unknown[] }>;
let raiseAlerts: Handler;
let trackHealth: Handler;

const filterOf = (fn: string) => STREAM_CONSUMERS.find((c) => c.fn === fn)!.filter;

const START = Date.now() - 3600_000;

/** Answer i, an hour ago plus i seconds; customer c-1 answered twice (1 and 5), everyone else once. */
function response(i: number, score: number, extra: Partial<SurveyResponse> = {}): SurveyResponse {
  const at = new Date(START + i * 1000).toISOString();
  return {
    invitationId: `inv-redelivery-${i}`,
    surveyId: 'csat-post-ticket',
    metric: 'csat',
    customerId: i === 5 ? 'c-1' : `c-${i}`,
    score,
    segments: { survey: 'csat-post-ticket', team: i % 2 ? 'billing' : 'returns' },
    locale: 'en',
    subjectRef: `t-${i}`,
    status: 'final',
    version: 1,
    answeredAt: at,
    updatedAt: at,
    ...extra,
  };
}

async function capture(fn: string): Promise<DynamoDBRecord[]> {
  const records: DynamoDBRecord[] = [];
  const reader = new StreamReader({
    endpoint: table.endpoint,
    streamArn: table.streamArn,
    consumers: [{ name: fn, filter: filterOf(fn), handler: async (e) => void records.push(...(e as { Records: DynamoDBRecord[] }).Records) }],
  });
  await reader.drain();
  await reader.stop();
  return records;
}

beforeAll(async () => {
  table = await freshTable();
  store = surveyPorts(table.doc, table.tableName);
  configureFor(table, { ALERT_COMMENT_WAIT_SECONDS: '0' });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  raiseAlerts = await handlerOf<Handler>('raise-alerts');
  trackHealth = await handlerOf<Handler>('track-health');

  // 12 answers: 8 detractors (CSAT 1-2), 4 edited afterwards (a comment, or a change to 5), 2 commerce events.
  // Marked as record-response.ts marks them (everDetractor: what the alert consumer's filter passes).
  for (let i = 0; i < 12; i++) await store.putResponse(withDetractorMark(response(i, i < 8 ? 1 + (i % 2) : 4)), 0);
  for (let i = 0; i < 4; i++) {
    const first = withDetractorMark(response(i, 1 + (i % 2)));
    const comment = i === 1 ? 'I will cancel my subscription' : 'Thanks anyway';
    await store.putResponse(withDetractorMark(i % 2 ? { ...first, comment, version: 2 } : { ...first, score: 5, version: 2 }, first), 1);
  }
  for (const [n, type] of [
    [1, 'order.refunded'],
    [2, 'ticket.reopened'],
  ] as const) {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.event(`shop#e-${n}`), entity: 'event', eventType: type, customerId: 'c-1', subjectRef: `x-${n}`, receivedAt: new Date().toISOString() },
      }),
    );
  }
});
afterAll(() => sns.restore());

describe('detractor alerts under redelivery', () => {
  it('Should leave one alert per detractor response and one notification each, whole batch twice and record by record', async () => {
    // Prepare
    const records = await capture('raiseAlerts');
    expect(records).toHaveLength(12); // the 8 detractors' 12 versions; the 4 answers of 4 never reach the alert consumer

    // Act: the whole batch, again, then each record alone from the last to the first
    for (const batch of [records, records, ...records.map((r) => [r]).reverse()]) {
      const result = await raiseAlerts({ Records: batch }, localContext('raiseAlerts'));
      expect(result.batchItemFailures).toEqual([]);
    }

    // Assess
    const alerts = await store.listAlerts(undefined, 500);
    expect(alerts.map((a) => a.id).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `detractor-inv-redelivery-${i}`).sort());
    const byId = new Map(alerts.map((a) => [a.id, a]));
    expect(byId.get('detractor-inv-redelivery-0')).toMatchObject({ status: 'resolved', closedReason: 'edited-to-promoter', score: 5 });
    expect(byId.get('detractor-inv-redelivery-1')).toMatchObject({ status: 'open', comment: 'I will cancel my subscription', responseVersion: 2 });
    const detractorPublishes = sns.commandCalls(PublishCommand).filter((c) => c.args[0].input.MessageAttributes?.kind?.StringValue === 'detractor');
    // With no comment wait (ALERT_COMMENT_WAIT_SECONDS=0) every alert was sent when it was raised, once.
    expect(detractorPublishes).toHaveLength(8);
    expect(new Set(detractorPublishes.map((c) => c.args[0].input.Message?.split('#alert=')[1])).size).toBe(8);
  });
});

describe('customer health under redelivery', () => {
  it('Should count each answer and event once and raise one churn-risk alert per crossing or band, whole batch twice and record by record', async () => {
    // Prepare
    const records = await capture('trackHealth');
    expect(records).toHaveLength(18); // 16 response versions and 2 events

    // Act
    for (const batch of [records, records, ...records.map((r) => [r]).reverse()]) {
      const result = await trackHealth({ Records: batch }, localContext('trackHealth'));
      expect(result.batchItemFailures).toEqual([]);
    }

    // Assess: c-1 answered CSAT 2 twice (30 + 20 = 50: high), then wrote "cancel my subscription" (+35: critical),
    // then got a refund and reopened a ticket (already critical, within the period: no third alert)
    const churn = (await store.listAlerts(undefined, 500)).filter((a) => a.kind === 'churn-risk').sort((a, b) => a.id.localeCompare(b.id));
    expect(churn.map((a) => [a.customerId, a.riskBand, a.riskScore])).toEqual([
      ['c-1', 'high', 50],
      ['c-1', 'critical', 85],
    ]);
    expect(churn[1]!.reasons!.join('\n')).toMatch(/cancel my subscription/);
    const churnPublishes = sns.commandCalls(PublishCommand).filter((c) => c.args[0].input.MessageAttributes?.kind?.StringValue === 'churn-risk');
    expect(churnPublishes).toHaveLength(2);
  });
});
