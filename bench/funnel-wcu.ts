/**
 * Write cost of the response funnel: 1,000 invitations of one day (2 surveys, 5 stores, 3 teams, e-mail
 * and SMS, pl/en, send hours over the day) go through their lifecycle on DynamoDB Local with the real
 * store and marks (trigger, claim, send, SES delivery for e-mail, a person's open for 45 %, an answer
 * for 30 %, a comment for a third of those). Reported, from the write units DynamoDB returns:
 *   - the marks the funnel added to the lifecycle (delivered, opened), per survey sent;
 *   - the funnel consumer's page writes for the whole stream in batches of 100, per survey sent,
 *     against a naive consumer (one ADD per step per segment), which must end with the same counts.
 *
 * Usage: npm run bench:funnel
 */
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoFunnelMarks } from '../functions/adapters/dynamodb/funnel-marks.ts';
import { FunnelPageReader, FunnelPageWriter, funnelPageKey } from '../functions/adapters/dynamodb/funnel-pages.ts';
import { parseFunnelChange } from '../functions/adapters/dynamodb/funnel-records.ts';
import { surveyPorts } from '../test/support/stores.ts';
import { countFunnelBatch } from '../functions/count-funnel/handler.ts';
import { INVITATION_CHANGE_FILTER } from '../functions/manifest.ts';
import { FINAL_RESPONSE_FILTER } from '../functions/adapters/dynamodb/table/filters.ts';
import { ensureTable, localDynamoClient, startDynamoDbLocal } from '../local/dynamodb.ts';
import { StreamReader } from '../local/stream-reader.ts';
import { cellName, funnelPageOf, scopedValue } from '../surveys/funnel/pages.ts';
import { readFunnel } from '../surveys/funnel/read-funnel.ts';
import { funnelStepsOf, FUNNEL_SEGMENTS } from '../surveys/funnel/steps.ts';
import type { Invitation, SurveyResponse } from '../surveys/model.ts';
import { writeSection } from './results.ts';
import { seeded } from './random.ts';

const INVITATIONS = 1_000;
const BATCH = 100;
const DAY = '2026-11-20';
const STORES = ['web', 'krakow', 'gdansk', 'poznan', 'lodz'];
const TEAMS = ['billing', 'shipping', 'returns'];

/** Adds ReturnConsumedCapacity to every write of a client and sums what DynamoDB reports. */
function metered(doc: DynamoDBDocumentClient): { doc: DynamoDBDocumentClient; units: () => number; reset: () => void } {
  let total = 0;
  doc.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if ('UpdateExpression' in input || 'Item' in input) input.ReturnConsumedCapacity = 'TOTAL';
      try {
        const out = await next(args);
        total += ((out.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity?.CapacityUnits ?? 0) as number;
        return out;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') total += 1; // a failed condition still costs a unit
        throw error;
      }
    },
    { step: 'initialize', name: 'meterWrites' },
  );
  return { doc, units: () => total, reset: () => void (total = 0) };
}

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  try {
    const client = dynamo.client;
    const source = await ensureTable(client, 'funnel-source');
    // One SDK client per meter: document clients made from one client share its middleware.
    const meter = metered(DynamoDBDocumentClient.from(localDynamoClient(dynamo.endpoint), { marshallOptions: { removeUndefinedValues: true } }));
    const store = surveyPorts(meter.doc, 'funnel-source');
    const marks = new DynamoFunnelMarks(meter.doc, 'funnel-source');
    const rnd = seeded(20261120);
    let markUnits = 0;
    let sent = 0;
    for (let i = 0; i < INVITATIONS; i++) {
      const order = rnd() < 0.6;
      const channel = rnd() < 0.75 ? 'email' : 'sms';
      const locale = rnd() < 0.7 ? 'pl' : 'en';
      const at = new Date(Date.parse(`${DAY}T06:00:00Z`) + Math.floor((i / INVITATIONS) * 14 * 3_600_000)).toISOString();
      const survey = order ? 'nps-post-purchase' : 'csat-post-ticket';
      const inv: Invitation = {
        id: `bench${String(i).padStart(17, '0')}`,
        surveyId: survey,
        metric: order ? 'nps' : 'csat',
        channel,
        customerId: `c-${i}`,
        locale,
        eventId: `e-${i}`,
        eventType: order ? 'order.delivered' : 'ticket.solved',
        subjectRef: `s-${i}`,
        segments: { survey, channel, locale, ...(order ? { store: STORES[i % 5]! } : { team: TEAMS[i % 3]! }) },
        status: 'scheduled',
        createdAt: at,
        sendAt: at,
      };
      await store.recordTrigger({
        eventKey: `bench#e-${i}`,
        subject: `order#s-${i}`,
        invitation: inv,
        profile: { customerId: inv.customerId, locale, version: 0 },
      });
      await store.claim(inv.id, at);
      await store.markSent(inv.id, at, '2026-11-27T00:00:00.000Z');
      sent++;
      const before = meter.units();
      if (channel === 'email') await marks.mark(inv.id, 'deliveredAt', at);
      const opened = rnd() < 0.45;
      if (opened) await marks.mark(inv.id, 'openedAt', at);
      markUnits += meter.units() - before;
      if (opened && rnd() < 0.66) {
        const response: SurveyResponse = {
          invitationId: inv.id,
          surveyId: survey,
          metric: inv.metric,
          customerId: inv.customerId,
          score: order ? Math.floor(rnd() * 11) : 1 + Math.floor(rnd() * 5),
          segments: inv.segments,
          locale,
          subjectRef: inv.subjectRef,
          status: 'final',
          version: 1,
          answeredAt: at,
          updatedAt: at,
          sentAt: at,
        };
        await store.putResponse(response, 0);
        if (rnd() < 0.33) await store.putResponse({ ...response, comment: 'ok', version: 2 }, 1);
      }
    }

    const records: DynamoDBRecord[] = [];
    const reader = new StreamReader({
      endpoint: dynamo.endpoint,
      streamArn: source,
      batchSize: 1000,
      consumers: [
        {
          name: 'bench',
          filter: [INVITATION_CHANGE_FILTER, FINAL_RESPONSE_FILTER],
          handler: async (e) => void records.push(...(e as { Records: DynamoDBRecord[] }).Records),
        },
      ],
    });
    await reader.drain();
    await reader.stop();

    // The funnel consumer, batches of 100.
    await ensureTable(client, 'funnel-pages');
    const pages = metered(DynamoDBDocumentClient.from(localDynamoClient(dynamo.endpoint)));
    const writer = new FunnelPageWriter(pages.doc, 'funnel-pages', 'TOTAL');
    let pageWrites = 0;
    const counting = { apply: async (...a: Parameters<FunnelPageWriter['apply']>) => ((pageWrites += 1), writer.apply(...a)) };
    for (let i = 0; i < records.length; i += BATCH) await countFunnelBatch({ Records: records.slice(i, i + BATCH), shardId: 'bench' }, counting);
    const pageUnits = pages.units();

    // The naive consumer: one ADD per step per segment value.
    await ensureTable(client, 'funnel-naive');
    const naive = metered(DynamoDBDocumentClient.from(localDynamoClient(dynamo.endpoint)));
    let naiveWrites = 0;
    for (const record of records) {
      const parsed = parseFunnelChange(record);
      if (!parsed.ok) continue;
      for (const count of funnelStepsOf(parsed.change)) {
        for (const dimension of FUNNEL_SEGMENTS) {
          const raw = dimension === 'survey' ? count.survey : count.values[dimension];
          if (!raw) continue;
          const value = dimension === 'survey' ? raw : scopedValue(count.survey, raw);
          naiveWrites++;
          await naive.doc.send(
            new UpdateCommand({
              TableName: 'funnel-naive',
              Key: funnelPageKey({ dimension, day: count.day, page: funnelPageOf(dimension, value) }),
              UpdateExpression: 'SET #day = :day ADD #c :n',
              ExpressionAttributeNames: { '#day': 'day', '#c': cellName(count.step, count.reason, value) },
              ExpressionAttributeValues: { ':day': count.day, ':n': count.delta },
            }),
          );
        }
      }
    }
    const now = () => new Date(`${DAY}T23:00:00Z`);
    const a = await readFunnel({ window: '7d' }, { reader: new FunnelPageReader(pages.doc, 'funnel-pages'), now });
    const b = await readFunnel({ window: '7d' }, { reader: new FunnelPageReader(naive.doc, 'funnel-naive'), now });
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('the page consumer and the naive consumer disagree');

    const per = (x: number) => (x / sent).toFixed(2);
    const body = [
      `${INVITATIONS} invitations of one day (NPS by order for 5 stores, CSAT by ticket for 3 teams; 75 % e-mail; pl/en; send hours 06-20 UTC), ${records.length} funnel stream records (every invitation change and final response), consumed in batches of ${BATCH}. Counts: sent ${a.sent}, delivered ${a.delivered}, opened ${a.opened}, answered ${a.answered}, commented ${a.commented}; both consumers agree.`,
      '',
      '| what | writes | WCU (DynamoDB Local) | WCU per survey sent |',
      '| ---- | ------ | -------------------- | ------------------- |',
      `| marks added to the lifecycle (SES delivery, first open by a person) | — | ${markUnits} | ${per(markUnits)} |`,
      `| funnel pages, one write per page per batch | ${pageWrites} | ${pageUnits} | ${per(pageUnits)} |`,
      `| naive consumer, one ADD per step per segment | ${naiveWrites} | ${naive.units()} | ${per(naive.units())} |`,
    ].join('\n');
    writeSection('funnel', 'npm run bench:funnel', body);
    console.log(body);
  } finally {
    await dynamo.stop();
  }
}

await main();
