/**
 * Who calls a leads' route (functions/shared/principal.ts) and the role each route needs
 * (functions/manifest.ts, checked by the authorize() middleware): persons by Cognito groups, machine
 * clients by scopes, IAM callers; missing and forged claim shapes are refused, never guessed.
 */
import { describe, expect, it } from 'vitest';
import { handler as alertsApi } from '../../functions/alerts-api/handler.ts';
import { HTTP_ROUTES } from '../../functions/manifest.ts';
import { HttpError } from '../../functions/shared/http.ts';
import { principalOf, requireRole, type Role } from '../../functions/shared/principal.ts';
import { apiGatewayEvent } from '../support/api-gateway.ts';
import { localContext } from '../../local/lambda-context.ts';

const withAuthorizer = (authorizer: unknown, route = '/api/alerts', method = 'GET') => {
  const event = apiGatewayEvent({ method, route, path: route });
  Object.assign(event.requestContext, { authorizer });
  return event;
};
const jwt = (claims: Record<string, unknown>, scopes: string[] | null = null) => withAuthorizer({ jwt: { claims, scopes } });
const person = (groups: unknown, extra: Record<string, unknown> = {}) => jwt({ sub: 'u-1', name: 'Ala Lead', 'cognito:groups': groups, ...extra });

function statusOf(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof HttpError ? error.statusCode : -1;
  }
}

describe('principalOf: persons', () => {
  it.each([
    [['viewer'], ['viewer']],
    [['lead'], ['viewer', 'lead']],
    [['admin'], ['viewer', 'lead', 'admin']],
    ['[lead]', ['viewer', 'lead']],
    ['[support admin]', ['viewer', 'lead', 'admin']],
    [['support', 'eu'], []],
    [undefined, []],
  ])('Should give groups %j the roles %j', (groups, roles) => {
    // Act
    const principal = principalOf(person(groups));

    // Assess
    expect(principal.kind).toBe('person');
    expect([...principal.roles].sort()).toEqual([...roles].sort());
  });

  it('Should name a person by name, else e-mail, else user name, and keep the team', () => {
    // Act
    const named = principalOf(person(['lead'], { 'custom:team': 'returns' }));
    const byEmail = principalOf(jwt({ sub: 'u-2', email: 'ola@shop.example', 'cognito:groups': ['viewer'] }));
    const byUsername = principalOf(jwt({ sub: 'u-3', username: 'ola', 'cognito:groups': '[viewer]' }));

    // Assess
    expect(named).toMatchObject({ id: 'u-1', name: 'Ala Lead', team: 'returns' });
    expect(byEmail.name).toBe('ola@shop.example');
    expect(byUsername.name).toBe('ola');
  });

  it('Should take a machine client by its scopes, never by groups', () => {
    // Act
    const reader = principalOf(jwt({ sub: 'client-1', client_id: 'client-1', scope: 'ankieta/read' }));
    const writer = principalOf(jwt({ sub: 'client-2', client_id: 'client-2', scope: 'ankieta/read ankieta/write', 'cognito:groups': ['admin'] }));
    const fromScopesArray = principalOf(jwt({ sub: 'client-3' }, ['ankieta/admin']));

    // Assess
    expect(reader).toMatchObject({ kind: 'machine', id: 'client-1', name: 'client-1' });
    expect([...reader.roles]).toEqual(['viewer']);
    expect([...writer.roles].sort()).toEqual(['lead', 'viewer']);
    expect(fromScopesArray.roles.has('admin')).toBe(true);
  });

  it('Should take an IAM caller as a machine the IAM policy authorized', () => {
    // Act
    const caller = principalOf(withAuthorizer({ iam: { userArn: 'arn:aws:iam::123456789012:role/shop-backoffice', accountId: '123456789012' } }));

    // Assess
    expect(caller).toMatchObject({ kind: 'machine', id: 'arn:aws:iam::123456789012:role/shop-backoffice' });
    expect(caller.roles.has('admin')).toBe(true);
  });
});

describe('principalOf: missing and forged shapes', () => {
  it.each([
    ['no authorizer at all', undefined],
    ['an empty authorizer', {}],
    ['no claims', { jwt: {} }],
    ['claims as a string', { jwt: { claims: 'sub=admin' } }],
    ['no sub', { jwt: { claims: { name: 'Ala', 'cognito:groups': ['admin'] } } }],
    ['an empty sub', { jwt: { claims: { sub: ' ', 'cognito:groups': ['admin'] } } }],
    ['groups as a number', { jwt: { claims: { sub: 'u', name: 'Ala', 'cognito:groups': 7 } } }],
    ['groups as an object', { jwt: { claims: { sub: 'u', name: 'Ala', 'cognito:groups': { admin: true } } } }],
    ['a name of 300 characters', { jwt: { claims: { sub: 'u', name: 'x'.repeat(300), 'cognito:groups': ['admin'] } } }],
    ['an IAM context without a caller', { iam: {} }],
  ])('Should refuse %s with 401', (_, authorizer) => {
    // Act
    const status = statusOf(() => principalOf(withAuthorizer(authorizer)));

    // Assess
    expect(status).toBe(401);
  });
});

describe('requireRole', () => {
  it.each([
    ['viewer', 'viewer', undefined],
    ['viewer', 'lead', 403],
    ['lead', 'lead', undefined],
    ['lead', 'admin', 403],
    ['admin', 'admin', undefined],
  ] as const)('Should let a %s through to a %s route: %s', (group, needed, expected) => {
    // Act
    const status = statusOf(() => requireRole(principalOf(person([group])), needed as Role));

    // Assess
    expect(status).toBe(expected);
  });
});

describe('the role table of the leads routes', () => {
  it('Should need admin for personal data and the audit log, lead for acting on alerts and endpoints', () => {
    // Act
    const role = (method: string, path: string) => {
      const route = HTTP_ROUTES.find((r) => r.method === method && r.path === path);
      return route?.auth === 'jwt' ? route.role : route?.auth;
    };

    // Assess
    expect(role('GET', '/api/export/responses')).toBe('admin');
    expect(role('GET', '/api/audit')).toBe('admin');
    expect(role('POST', '/api/admin/erasure')).toBe('admin');
    expect(role('POST', '/api/erasure')).toBe('iam');
    expect(role('POST', '/api/alerts/{id}/ack')).toBe('lead');
    expect(role('DELETE', '/api/endpoints/{id}')).toBe('lead');
    expect(role('GET', '/api/scores')).toBe('viewer');
  });
});

describe('the authorize() middleware on a handler', () => {
  it.each([
    ['nobody signed in', undefined, 401],
    ['a viewer', { jwt: { claims: { sub: 'u', name: 'Ala', 'cognito:groups': '[viewer]' }, scopes: null } }, 403],
    ['a reading machine client', { jwt: { claims: { sub: 'c', client_id: 'c', scope: 'ankieta/read' }, scopes: null } }, 403],
  ])('Should refuse an acknowledgment by %s before the handler runs (%s)', async (_, authorizer, status) => {
    // Prepare
    const event = apiGatewayEvent({
      method: 'POST',
      route: '/api/alerts/{id}/ack',
      path: '/api/alerts/a-1/ack',
      pathParameters: { id: 'a-1' },
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (authorizer) Object.assign(event.requestContext, { authorizer });

    // Act
    const result = await alertsApi(event, localContext('alertsApi'));

    // Assess
    expect(result.statusCode).toBe(status);
    expect(JSON.parse(result.body!).error).toMatch(status === 401 ? /not authenticated/ : /needs the lead role/);
  });
});
