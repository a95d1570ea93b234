/**
 * Named leads and the audit log (issue 12), through the real handlers on DynamoDB Local: an
 * acknowledgment records the signed-in lead as the owner, and every export of personal data, erasure,
 * acknowledgment and resolution leaves an audit item (who, when, what, the target's id; no payload, no
 * customer's address) that only admins read at GET /api/audit, newest first, expiring after the retention.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAlertStore } from '../../functions/adapters/dynamodb/alert-store.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { localContext } from '../../local/lambda-context.ts';
import type { Alert } from '../../surveys/model.ts';
import { apiGatewayEvent, type ApiRequest } from '../support/api-gateway.ts';
import { freshTable } from '../support/table.ts';
import { configureFor, handlerOf } from '../support/functions.ts';

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let table: Awaited<ReturnType<typeof freshTable>>;
let handlers: Record<'alertsApi' | 'readApi' | 'privacyApi', Handler>;

const ADMIN = { sub: 'u-admin', name: 'Ewa Admin', 'cognito:groups': '[admin]' };
const LEAD = { sub: 'u-lead', name: 'Ola Lead', email: 'ola@shop.example', 'cognito:groups': ['lead'], 'custom:team': 'billing' };

async function call(fn: keyof typeof handlers, claims: Record<string, unknown>, r: ApiRequest) {
  const event = apiGatewayEvent({ headers: { 'content-type': 'application/json' }, ...r });
  Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: null } } });
  const result = await handlers[fn](event, localContext(fn));
  return {
    status: result.statusCode,
    body: result.body && result.headers?.['content-type']?.toString().includes('json') ? JSON.parse(result.body) : result.body,
  };
}

const alert = (id: string): Alert => ({
  id,
  kind: 'detractor',
  customerId: 'c-ala',
  segments: { team: 'billing' },
  status: 'open',
  createdAt: new Date(Date.now() - 60_000).toISOString(),
  revision: 1,
});

beforeAll(async () => {
  table = await freshTable();
  configureFor(table, { AUDIT_RETENTION_DAYS: '30' });
  handlers = {
    alertsApi: await handlerOf<Handler>('alerts-api'),
    readApi: await handlerOf<Handler>('read-api'),
    privacyApi: await handlerOf<Handler>('privacy-api'),
  };
  const alerts = new DynamoAlertStore(table.doc, table.tableName, 400);
  await alerts.createAlert(alert('detractor-audit-1'));
  await alerts.createAlert(alert('detractor-audit-2'));
});

describe('acknowledging as a signed-in lead', () => {
  it("Should record the lead's own name as the owner, and refuse another name in the body", async () => {
    // Act
    const acked = await call('alertsApi', LEAD, {
      method: 'POST',
      route: '/api/alerts/{id}/ack',
      path: '/x',
      pathParameters: { id: 'detractor-audit-1' },
      body: '{}',
    });
    const impersonated = await call('alertsApi', LEAD, {
      method: 'POST',
      route: '/api/alerts/{id}/ack',
      path: '/x',
      pathParameters: { id: 'detractor-audit-2' },
      body: JSON.stringify({ owner: 'Someone Else' }),
    });

    // Assess
    expect(acked).toMatchObject({ status: 200, body: { status: 'acked', owner: 'Ola Lead' } });
    expect(impersonated.status).toBe(400);
  });

  it('Should resolve with the lead as the one who resolved it', async () => {
    // Act
    const resolved = await call('alertsApi', LEAD, {
      method: 'POST',
      route: '/api/alerts/{id}/resolve',
      path: '/x',
      pathParameters: { id: 'detractor-audit-1' },
      body: JSON.stringify({ note: 'Called back', rootCause: 'delivery' }),
    });

    // Assess
    expect(resolved).toMatchObject({ status: 200, body: { status: 'resolved', resolution: { by: 'Ola Lead' } } });
  });
});

describe('the audit log', () => {
  it('Should record exports, erasures, acks and resolves with who and what, newest first, for admins only', async () => {
    // Prepare
    await call('readApi', ADMIN, { method: 'GET', route: '/api/export/responses', path: '/api/export/responses' });
    await call('privacyApi', ADMIN, {
      method: 'POST',
      route: '/api/admin/erasure',
      path: '/api/admin/erasure',
      body: JSON.stringify({ email: 'ala@example.com' }),
    });

    // Act
    const log = await call('privacyApi', ADMIN, { method: 'GET', route: '/api/audit', path: '/api/audit', query: { days: '2' } });
    const asLead = await call('privacyApi', LEAD, { method: 'GET', route: '/api/audit', path: '/api/audit' });

    // Assess
    expect(asLead.status).toBe(403);
    expect(log.status).toBe(200);
    const entries = log.body as Array<{ at: string; action: string; actor: { name: string; kind: string }; target?: string; detail?: string }>;
    expect(entries.map((e) => [e.action, e.actor.name, e.target])).toEqual([
      ['erasure', 'Ewa Admin', undefined],
      ['export', 'Ewa Admin', '/api/export/responses'],
      ['resolve', 'Ola Lead', 'detractor-audit-1'],
      ['ack', 'Ola Lead', 'detractor-audit-1'],
    ]);
    expect(entries.map((e) => e.at)).toEqual(
      entries
        .map((e) => e.at)
        .sort()
        .reverse(),
    );
    expect(entries[0]!.detail).toBe('by email: nothing stored');
  });

  it("Should keep no customer's address, no payload, and expire after the configured retention", async () => {
    // Act
    const day = new Date().toISOString().slice(0, 10);
    const items = (
      await table.doc.send(
        new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.auditDay(day) } }),
      )
    ).Items!;

    // Assess
    expect(items.length).toBe(4);
    expect(JSON.stringify(items)).not.toContain('ala@example.com');
    expect(JSON.stringify(items)).not.toContain('Called back');
    for (const item of items) {
      const days = (item.expiresAtEpoch - Date.parse(item.at) / 1000) / 86_400;
      expect(Math.round(days)).toBe(30);
    }
  });
});

describe('a lead of a team', () => {
  it("Should see their team's alerts and those of no team by default, and every team's with team=all", async () => {
    // Prepare
    const alerts = new DynamoAlertStore(table.doc, table.tableName, 400);
    await alerts.createAlert({ ...alert('detractor-shipping'), segments: { team: 'shipping' } });
    await alerts.createAlert({ ...alert('detractor-no-team'), segments: { store: 'web' } });
    const list = (claims: Record<string, unknown>, team?: string) =>
      call('alertsApi', claims, { method: 'GET', route: '/api/alerts', path: '/api/alerts', query: team ? { team } : {} });

    // Act
    const own = await list(LEAD);
    const all = await list(LEAD, 'all');
    const admin = await list(ADMIN);

    // Assess
    const ids = (r: { body: Array<{ id: string }> }) => r.body.map((a) => a.id);
    expect(ids(own)).toEqual(expect.arrayContaining(['detractor-audit-1', 'detractor-no-team']));
    expect(ids(own)).not.toContain('detractor-shipping');
    expect(ids(all)).toEqual(expect.arrayContaining(['detractor-audit-1', 'detractor-no-team', 'detractor-shipping']));
    expect(ids(admin)).toContain('detractor-shipping');
  });
});
