/**
 * The alert and health adapters on DynamoDB Local: conditional saves on the revision, the status index
 * (GSI1) following each transition, the sparse due queues (GSI2), a customer's response history, TTL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { alertFactory, surveyPorts, type SurveyPorts } from '../support/stores.ts';
import { DynamoHealthStore } from '../../functions/adapters/dynamodb/health-store.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { emptyHealth } from '../../surveys/churn-risk.ts';
import type { Alert, SurveyResponse } from '../../surveys/model.ts';
import { ConcurrentUpdateError } from '../../surveys/ports.ts';
import { freshTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let store: SurveyPorts;
let health: DynamoHealthStore;

beforeAll(async () => {
  table = await freshTable();
  store = surveyPorts(table.doc, table.tableName);
  health = new DynamoHealthStore(table.doc, table.tableName);
});

describe('alerts in the table', () => {
  it('Should save only on the revision it read, and say so with ConcurrentUpdateError otherwise', async () => {
    // Prepare
    const alert = alertFactory('a-rev');
    await store.createAlert(alert);
    await store.saveAlert({ ...alert, revision: 2, owner: 'ola', status: 'acked' }, 1);

    // Act
    const stale = store.saveAlert({ ...alert, revision: 2, owner: 'jan', status: 'acked' }, 1);

    // Assess
    await expect(stale).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await store.getAlert('a-rev')).toMatchObject({ owner: 'ola', revision: 2 });
  });

  it('Should refuse to save an alert that does not exist', async () => {
    // Act / Assess
    await expect(store.saveAlert(alertFactory('a-missing'), 0)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await store.getAlert('a-missing')).toBeUndefined();
  });

  it('Should move the alert between status lists as it is acknowledged and resolved', async () => {
    // Prepare
    const alert = alertFactory('a-move', { createdAt: '2026-11-23T13:00:00.000Z' });
    await store.createAlert(alert);
    const ids = async (status: Alert['status']) => (await store.listAlerts(status)).map((a) => a.id);
    const open = await ids('open');

    // Act
    await store.saveAlert({ ...alert, status: 'acked', revision: 2 }, 1);
    const acked = await ids('acked');
    await store.saveAlert({ ...alert, status: 'resolved', revision: 3 }, 2);

    // Assess
    expect(open).toContain('a-move');
    expect(acked).toContain('a-move');
    expect(await ids('open')).not.toContain('a-move');
    expect(await ids('acked')).not.toContain('a-move');
    expect(await ids('resolved')).toContain('a-move');
  });

  it('Should list as due only alerts with a dueAt that has come, oldest first, and drop them once nothing is pending', async () => {
    // Prepare
    await store.createAlert(alertFactory('d-late', { dueAt: '2026-11-23T12:03:00.000Z' }));
    await store.createAlert(alertFactory('d-early', { dueAt: '2026-11-23T12:01:00.000Z' }));
    await store.createAlert(alertFactory('d-future', { dueAt: '2026-11-23T18:00:00.000Z' }));
    await store.createAlert(alertFactory('d-none'));

    // Act
    const due = await store.listDueAlerts('2026-11-23T12:05:00.000Z', 10);
    await store.saveAlert(alertFactory('d-early', { revision: 2, status: 'acked' }), 1);
    const after = await store.listDueAlerts('2026-11-23T12:05:00.000Z', 10);

    // Assess
    expect(due.map((a) => a.id)).toEqual(['d-early', 'd-late']);
    expect(due[0]).not.toHaveProperty('gsi2pk');
    expect(after.map((a) => a.id)).toEqual(['d-late']);
  });

  it('Should list the alerts of a status created in a window, across pages', async () => {
    // Prepare
    for (let i = 0; i < 30; i++) {
      await store.createAlert(
        alertFactory(`w-${i}`, { status: 'resolved', createdAt: `2026-10-${String(1 + i).padStart(2, '0')}T08:00:00.000Z`, comment: 'x'.repeat(4000) }),
      );
    }

    // Act
    const inWindow = await store.listAlertsCreatedBetween('resolved', '2026-10-05T00:00:00.000Z', '2026-10-24T23:59:59.999Z');

    // Assess
    expect(inWindow.map((a) => a.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `w-${i + 4}`).sort());
  });

  it('Should expire alerts with the responses they quote (TTL)', async () => {
    // Prepare
    await store.createAlert(alertFactory('a-ttl'));

    // Act
    const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.alert('a-ttl') }));

    // Assess
    expect(Item!.expiresAtEpoch).toBeGreaterThan(Date.parse('2027-11-01T00:00:00.000Z') / 1000);
  });
});

describe("a customer's response history", () => {
  it('Should return the newest responses first, without the invitations in between', async () => {
    // Prepare
    const response = (id: string, day: number, score: number): SurveyResponse => ({
      invitationId: id,
      surveyId: 'nps-post-purchase',
      metric: 'nps',
      customerId: 'c-hist',
      score,
      segments: {},
      locale: 'en',
      subjectRef: `o-${id}`,
      status: 'final',
      version: 1,
      answeredAt: `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`,
      updatedAt: `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`,
    });
    for (const [id, day, score] of [
      ['h1', 1, 9],
      ['h2', 5, 7],
      ['h3', 9, 2],
    ] as const)
      await store.putResponse(response(id, day, score), 0);

    // Act
    const history = await store.listCustomerResponses('c-hist', 2);

    // Assess
    expect(history.map((r) => [r.invitationId, r.score])).toEqual([
      ['h3', 2],
      ['h2', 7],
    ]);
  });
});

describe('health profiles in the table', () => {
  it('Should write on the expected version only, and queue the profile for a recheck while recheckAt is set', async () => {
    // Prepare
    const fresh = { ...emptyHealth('c-h'), recheckAt: '2026-12-01T00:00:00.000Z' };
    await health.putHealth(fresh, 0);

    // Act
    const conflict = await health.putHealth(fresh, 0).catch((error: unknown) => error);
    const dueBefore = await health.listHealthRechecks('2026-11-30T00:00:00.000Z', 10);
    const dueAfter = await health.listHealthRechecks('2026-12-01T00:00:00.000Z', 10);
    const { recheckAt: _r, ...noRecheck } = (await health.getHealth('c-h'))!;
    await health.putHealth(noRecheck, 1);
    const dueOnceCleared = await health.listHealthRechecks('2026-12-02T00:00:00.000Z', 10);

    // Assess
    expect(conflict).toBeInstanceOf(ConcurrentUpdateError);
    expect(dueBefore).toEqual([]);
    expect(dueAfter).toEqual(['c-h']);
    expect(dueOnceCleared).toEqual([]);
    expect((await health.getHealth('c-h'))!.version).toBe(2);
  });

  it('Should store a customer with one event without its id or empty lists, and read it back whole', async () => {
    // Prepare
    const event = { at: '2026-11-20T10:00:00.000Z', type: 'order.delivered' as const, ref: 'o-1' };
    const oneEvent = { ...emptyHealth('c-small'), events: [event] };

    // Act
    await health.putHealth(oneEvent, 0);
    const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.health('c-small') }));

    // Assess
    expect(Object.keys(Item!).sort()).toEqual(['entity', 'events', 'pk', 'sk', 'version']);
    expect(await health.getHealth('c-small')).toEqual({ ...oneEvent, version: 1 });
  });
});

describe('health retention', () => {
  it('Should expire a health profile the retention period after its last update, and not hand the TTL back', async () => {
    // Prepare
    const retained = new DynamoHealthStore(table.doc, table.tableName, 400);
    const before = Math.floor(Date.now() / 1000);

    // Act
    await retained.putHealth(emptyHealth('c-ttl'), 0);
    const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.health('c-ttl') }));
    const read = await retained.getHealth('c-ttl');

    // Assess
    expect(Item!.expiresAtEpoch).toBeGreaterThanOrEqual(before + 400 * 24 * 3600);
    expect(Item!.expiresAtEpoch).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 400 * 24 * 3600);
    expect(read).not.toHaveProperty('expiresAtEpoch');
  });
});

describe('a team view of the alerts', () => {
  it('Should give a team its own alerts and those of no team, newest first, reading on past pages full of other teams', async () => {
    // Prepare: a table of its own; 30 of another team's alerts newer than the billing team's
    const own = await freshTable();
    const alerts = surveyPorts(own.doc, own.tableName);
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 12, minute)).toISOString();
    await alerts.createAlert(alertFactory('billing-old', { createdAt: at(1) }));
    await alerts.createAlert(alertFactory('no-team', { createdAt: at(2), segments: { store: 'web' } }));
    for (let i = 0; i < 30; i++) await alerts.createAlert(alertFactory(`shipping-${i}`, { createdAt: at(10 + i), segments: { team: 'shipping' } }));
    await alerts.createAlert(alertFactory('billing-acked', { createdAt: at(3), status: 'acked' }));

    // Act
    const billing = await alerts.listAlerts(undefined, 5, { kind: 'team', team: 'billing' });
    const openOnly = await alerts.listAlerts('open', 5, { kind: 'team', team: 'billing' });
    const everyone = await alerts.listAlerts('open', 5, { kind: 'all' });

    // Assess
    expect(billing.map((a) => a.id)).toEqual(['billing-acked', 'no-team', 'billing-old']);
    expect(openOnly.map((a) => a.id)).toEqual(['no-team', 'billing-old']);
    expect(everyone.map((a) => a.id)).toEqual(['shipping-29', 'shipping-28', 'shipping-27', 'shipping-26', 'shipping-25']);
  });
});
