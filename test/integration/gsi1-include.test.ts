/**
 * GSI1 holds the keys and the attributes its queries filter on (INCLUDE, table/definition.ts): the due
 * sweep, the CSV export and the alert lists find keys there and read the items by key. On DynamoDB Local:
 * what the copies hold, what the readers return, and that the send's claim writes no index copy.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTableInput, type DynamoDbLocal, ensureTable, localDynamoClient, startDynamoDbLocal } from '../../local/dynamodb.ts';
import { RETIRED_GSI1 } from '../../functions/adapters/dynamodb/table/definition.ts';
import { DynamoResponseExport } from '../../functions/adapters/dynamodb/response-export.ts';
import { SEND_CLAIM_LEASE_SECONDS } from '../../functions/adapters/dynamodb/invitation-store.ts';
import { ENTITY, GSI1, indexKeys, keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { queryAll, readFound } from '../../functions/adapters/dynamodb/table/query.ts';
import type { Alert, SurveyResponse } from '../../surveys/model.ts';
import { alertFactory, surveyPorts, type SurveyPorts } from '../support/stores.ts';
import { freshTable } from '../support/table.ts';

const NOW = '2026-12-01T12:00:00.000Z';
const ago = (seconds: number) => new Date(Date.parse(NOW) - seconds * 1000).toISOString();

let table: Awaited<ReturnType<typeof freshTable>>;
let store: SurveyPorts;

beforeAll(async () => {
  table = await freshTable();
  store = surveyPorts(table.doc, table.tableName);
});

/** A scheduled invitation on the due index, as the trigger writes it (the fields the sweep and the claim read). */
async function putDue(into: { doc: DynamoDBDocumentClient; tableName: string }, id: string, fields: Record<string, unknown> = {}): Promise<void> {
  const sendAt = (fields.sendAt as string | undefined) ?? ago(600);
  const item = {
    ...keys.invitation(id),
    entity: ENTITY.invitation,
    ...indexKeys.due(id, sendAt),
    id,
    surveyId: 'nps-order',
    metric: 'nps',
    channel: 'email',
    customerId: `c-${id}`,
    locale: 'en',
    eventId: `e-${id}`,
    eventType: 'order.delivered',
    subjectRef: `o-${id}`,
    segments: { team: 'returns' },
    status: 'scheduled',
    createdAt: sendAt,
    sendAt,
    ...fields,
  };
  await into.doc.send(new PutCommand({ TableName: into.tableName, Item: item }));
}

/** What GSI1 holds under one partition key: the index copies themselves, as a reader finds them. */
const onGsi1 = (t: { doc: DynamoDBDocumentClient; tableName: string }, pk: string) =>
  queryAll(t.doc, t.tableName, { IndexName: GSI1.name, KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': pk } });

/** An alert with a comment and previous scores: what the index does not hold and a list must still return. */
const alert = (id: string, overrides: Partial<Alert> = {}): Alert =>
  alertFactory(id, {
    createdAt: '2026-11-30T12:00:00.000Z',
    comment: 'the parcel came late',
    previousScores: [{ survey: 'nps-order', metric: 'nps', score: 9, at: '2026-10-01T00:00:00.000Z' }],
    ...overrides,
  });

/** A document client over the same table whose every call asks for and records its consumed capacity, index by index. */
function meteredClient(): { doc: DynamoDBDocumentClient; consumed: Array<{ command: string; indexes: Record<string, number> }> } {
  const doc = DynamoDBDocumentClient.from(table.client, { marshallOptions: { removeUndefinedValues: true } });
  const consumed: Array<{ command: string; indexes: Record<string, number> }> = [];
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const capacity = (result.output as { ConsumedCapacity?: { GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }> } }).ConsumedCapacity;
      const indexes = Object.fromEntries(Object.entries(capacity?.GlobalSecondaryIndexes ?? {}).map(([name, c]) => [name, c.CapacityUnits ?? 0]));
      consumed.push({ command: context.commandName ?? '', indexes });
      return result;
    },
    { step: 'initialize', name: 'testConsumedCapacity' },
  );
  return { doc, consumed };
}

describe('the due index', () => {
  it('Should hold the keys and the channel of a due invitation, not its status or claim time', async () => {
    // Prepare
    await putDue(table, 'copy-1');
    await store.claim('copy-1', NOW);

    // Act
    const Items = await onGsi1(table, keys.dueShard('copy-1'));

    // Assess
    const copy = Items.find((i) => i.pk === keys.invitation('copy-1').pk);
    expect(Object.keys(copy!).sort()).toEqual(['channel', 'customerId', 'gsi1pk', 'gsi1sk', 'pk', 'segments', 'sk']);
  });

  it('Should list whole invitations of the channel, skip one another sweep holds, and list it again once its lease is over', async () => {
    // Prepare: due invitations in every state the sweep meets, on a table of their own
    const own = await freshTable();
    const ports = surveyPorts(own.doc, own.tableName);
    const put = (id: string, fields: Record<string, unknown>) => putDue(own, id, fields);
    await put('free', { sendAt: ago(900) });
    await put('held', { sendAt: ago(800), status: 'sending', claimedAt: ago(60) });
    await put('lapsed', { sendAt: ago(700), status: 'sending', claimedAt: ago(SEND_CLAIM_LEASE_SECONDS + 1) });
    await put('by-sms', { sendAt: ago(600), channel: 'sms' });
    await put('later', { sendAt: ago(-600) });

    // Act
    const email = await ports.listDue(NOW, 10, 'email');
    const sms = await ports.listDue(NOW, 10, 'sms');

    // Assess
    expect(email.map((i) => i.id)).toEqual(['free', 'lapsed']);
    expect(email[0]).toMatchObject({ subjectRef: 'o-free', locale: 'en', segments: { team: 'returns' }, status: 'scheduled' });
    expect(sms.map((i) => i.id)).toEqual(['by-sms']);
  });

  it('Should skip, after the read, an invitation a faster sweep claimed, and keep it to one claim', async () => {
    // Prepare: two sweeps list the same invitation; the first claims it
    const own = await freshTable();
    const ports = surveyPorts(own.doc, own.tableName);
    await putDue(own, 'raced');
    const [seenByBoth] = await ports.listDue(NOW, 10, 'email');
    const first = await ports.claim(seenByBoth!.id, NOW);

    // Act
    const second = await ports.claim(seenByBoth!.id, NOW);
    const nextSweep = await ports.listDue(NOW, 10, 'email');

    // Assess
    expect(first).toMatchObject({ id: 'raced', status: 'sending' });
    expect(second).toBeUndefined();
    expect(nextSweep).toEqual([]);
  });

  it('Should consume no GSI1 write when a send claims an invitation, and one when the send takes it off the index', async () => {
    // Prepare
    await putDue(table, 'metered');
    const { doc, consumed } = meteredClient();
    const metered = surveyPorts(doc, table.tableName);

    // Act
    const claimed = await metered.claim('metered', NOW);
    const claim = consumed.splice(0);
    await metered.markSent('metered', NOW, '2026-12-15T12:00:00.000Z', {});
    const sent = consumed.splice(0);

    // Assess: the claim changes status and claimedAt, neither projected; the sent mark removes the index keys
    expect(claimed).toMatchObject({ status: 'sending', claimedAt: NOW });
    expect(claim).toEqual([{ command: 'UpdateItemCommand', indexes: {} }]);
    expect(sent).toEqual([{ command: 'UpdateItemCommand', indexes: { [GSI1.name]: 1 } }]);
    const stored = await metered.getInvitation('metered');
    expect(stored).toMatchObject({ status: 'sent', sentAt: NOW });
    expect(stored).not.toHaveProperty('claimedAt'); // the lease is over: not kept with the sent invitation
  });
});

describe('the alert lists', () => {
  it('Should list whole alerts of a status, newest first, and a team its own and those of no team', async () => {
    // Prepare
    const own = await freshTable();
    const ports = surveyPorts(own.doc, own.tableName);
    await ports.createAlert(alert('billing-old', { createdAt: '2026-11-30T10:00:00.000Z' }));
    await ports.createAlert(alert('returns', { createdAt: '2026-11-30T11:00:00.000Z', segments: { team: 'returns' } }));
    await ports.createAlert(alert('no-team', { createdAt: '2026-11-30T12:00:00.000Z', segments: {} }));

    // Act
    const all = await ports.listAlerts('open', 10);
    const billing = await ports.listAlerts('open', 10, { kind: 'team', team: 'billing' });
    const between = await ports.listAlertsCreatedBetween('open', '2026-11-30T10:30:00.000Z', '2026-11-30T11:30:00.000Z');

    // Assess
    expect(all.map((a) => a.id)).toEqual(['no-team', 'returns', 'billing-old']);
    expect(all[2]).toEqual(alert('billing-old', { createdAt: '2026-11-30T10:00:00.000Z' }));
    expect(billing.map((a) => a.id)).toEqual(['no-team', 'billing-old']);
    expect(between.map((a) => a.id)).toEqual(['returns']);
    expect(between[0]!.comment).toBe('the parcel came late');
  });

  it('Should leave out an alert deleted, or moved to another status, between the query and the read', async () => {
    // Prepare: the keys found on the open list, then one alert acknowledged and one deleted
    const own = await freshTable();
    const ports = surveyPorts(own.doc, own.tableName);
    for (const id of ['stays', 'acked', 'gone']) await ports.createAlert(alert(id));
    const Items = await onGsi1(own, keys.alertsByStatus('open'));
    await ports.saveAlert(alert('acked', { status: 'acked', revision: 2, owner: 'ola' }), 1);
    await own.doc.send(new DeleteCommand({ TableName: own.tableName, Key: keys.alert('gone') }));

    // Act
    const read = await readFound(own.doc, own.tableName, GSI1, Items);

    // Assess
    expect(Items).toHaveLength(3);
    expect(read.map((i) => i.id)).toEqual(['stays']);
  });
});

describe('the CSV export', () => {
  it("Should give the day's whole responses from every shard in answer-time order", async () => {
    // Prepare: responses on several shards of one day, one the day before
    const own = await freshTable();
    const ports = surveyPorts(own.doc, own.tableName);
    const response = (invitationId: string, answeredAt: string): SurveyResponse => ({
      invitationId,
      surveyId: 'nps-order',
      metric: 'nps',
      customerId: `c-${invitationId}`,
      score: 9,
      comment: `comment of ${invitationId}`,
      segments: { team: 'returns' },
      locale: 'en',
      subjectRef: `o-${invitationId}`,
      status: 'final',
      version: 1,
      answeredAt,
      updatedAt: answeredAt,
    });
    const day = Array.from({ length: 12 }, (_, i) => response(`inv-${i}`, `2026-12-01T${String(10 + i).padStart(2, '0')}:00:00.000Z`));
    for (const r of [...day].reverse()) await ports.putResponse(r, 0);
    await ports.putResponse(response('inv-before', '2026-11-30T23:00:00.000Z'), 0);

    // Act
    const rows: SurveyResponse[] = [];
    for await (const row of new DynamoResponseExport(own.doc, own.tableName).responsesOn('2026-12-01')) rows.push(row.response);

    // Assess
    expect(new Set(day.map((r) => keys.responseDayShard(r.invitationId))).size).toBeGreaterThan(1);
    expect(rows).toEqual(day);
  });
});

describe('a table kept from before (npm start keeps its data)', () => {
  // A DynamoDB Local of its own: it builds a new index in the background, and the suite's shared one, kept busy by
  // the fuzz files' writers, did not finish in 120 s (0.8 s alone).
  let own: DynamoDbLocal | undefined;
  beforeAll(async () => {
    own = await startDynamoDbLocal();
  }, 90_000);
  afterAll(() => own?.stop());

  it('Should get GSI1-include built from its items, so the sweep finds the invitations due there', async () => {
    // Prepare: the table as created before the change (GSI1 with ALL), holding a due invitation
    const client = localDynamoClient(own!.endpoint);
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const tableName = `old-${randomUUID().slice(0, 8)}`;
    const current = createTableInput(tableName);
    const old = current.GlobalSecondaryIndexes!.map((i) =>
      i.IndexName === GSI1.name ? { ...i, IndexName: RETIRED_GSI1.indexName, Projection: { ProjectionType: 'ALL' as const } } : i,
    );
    await client.send(new CreateTableCommand({ ...current, GlobalSecondaryIndexes: old }));
    await putDue({ doc, tableName }, 'kept');

    // Act
    await ensureTable(client, tableName);
    const due = await surveyPorts(doc, tableName).listDue(NOW, 10, 'email');

    // Assess
    expect(due.map((i) => i.id)).toEqual(['kept']);
  });
});
