/**
 * The local OpenID Connect provider (local/identity/) and the check the local server makes with it,
 * API Gateway's JWT authorizer's: a demo lead logs in with the real login page and PKCE, a machine
 * client gets a token with client credentials, and what is not a valid token is refused.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startLocalIdentity, type LocalIdentity } from '../../local/identity/provider.ts';
import { jwtVerifier } from '../../local/identity/verify.ts';
import { identityAuthorizer } from '../../local/identity/authorizer.ts';
import { LOCAL_IAM_CALLER } from '../../local/demo-principal.ts';
import type { HttpRoute } from '../../functions/manifest.ts';
import { logIn, machineToken } from '../support/identity.ts';

const API = 'http://localhost:3999';
let identity: LocalIdentity;
let verify: ReturnType<typeof jwtVerifier>;

beforeAll(async () => {
  identity = await startLocalIdentity({ port: 0, dashboardOrigins: [API] });
  verify = jwtVerifier({ issuer: identity.issuer, audience: identity.audience, jwks: identity.jwks });
});
afterAll(() => identity?.stop());

describe('the local identity provider', () => {
  it('Should log a lead in through its login page and give an ID token with the claims Cognito would', async () => {
    // Act
    const token = await logIn(identity, API, 'lena', identity.users.passwords.get('lena')!);
    const verdict = await verify(`Bearer ${token}`);

    // Assess
    expect(verdict).toMatchObject({
      ok: true,
      authorizer: { jwt: { claims: { sub: 'lena', name: 'Lena Lead', 'cognito:groups': '[lead]', aud: 'ankieta-dashboard', iss: identity.issuer } } },
    });
  });

  it('Should refuse a wrong password with the login page again', async () => {
    // Act
    const attempt = logIn(identity, API, 'lena', 'not-her-password');

    // Assess
    await expect(attempt).rejects.toThrow('login refused: 401');
  });

  it('Should refuse an authorization request without PKCE', async () => {
    // Act
    const url = `${identity.endpoints.authorization}?client_id=ankieta-dashboard&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(`${API}/dashboard`)}`;
    const response = await fetch(url, { redirect: 'manual' });

    // Assess
    expect(new URL(response.headers.get('location') ?? 'http://x/').searchParams.get('error')).toBe('invalid_request');
  });

  it('Should give a machine client a token with the scopes it asked for, and no user name', async () => {
    // Act
    const verdict = await verify(`Bearer ${await machineToken(identity, 'ankieta/read')}`);

    // Assess
    expect(verdict).toMatchObject({
      ok: true,
      authorizer: { jwt: { claims: { sub: 'ankieta-machine', client_id: 'ankieta-machine', scope: 'ankieta/read' } } },
    });
    expect(verdict.ok && verdict.authorizer.jwt.claims.name).toBeUndefined();
  });

  it('Should answer only this machine', async () => {
    // Act
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const port = new URL(identity.issuer).port;
      request({ host: '127.0.0.1', port, path: '/.well-known/openid-configuration', headers: { host: `evil.example:${port}` } }, (res) =>
        resolve(res.statusCode ?? 0),
      )
        .on('error', reject)
        .end();
    });

    // Assess
    expect(status).toBe(403);
  });
});

describe('the JWT check of the local server', () => {
  const forged = async (claims: Record<string, unknown>, issuer: string) => {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: identity.jwks.keys[0]!.kid })
      .setIssuer(issuer)
      .setAudience('ankieta-dashboard')
      .setExpirationTime('1h')
      .sign(privateKey);
  };

  it.each([
    ['no header', undefined, /send Authorization/],
    ['another scheme', 'Basic bGVuYTpwYXNz', /send Authorization/],
    ['garbage', 'Bearer not.a.jwt', /invalid/],
  ])('Should refuse %s', async (_what, header, error) => {
    // Act
    const verdict = await verify(header);

    // Assess
    expect(verdict).toMatchObject({ ok: false, error: expect.stringMatching(error) });
  });

  it('Should refuse a token signed with another key under the provider’s key id', async () => {
    // Act
    const verdict = await verify(`Bearer ${await forged({ sub: 'adam', 'cognito:groups': ['admin'] }, identity.issuer)}`);

    // Assess
    expect(verdict).toMatchObject({ ok: false, error: 'not authenticated: the token is invalid' });
  });

  it('Should refuse a token of another issuer, an expired one, and one for another audience', async () => {
    // Prepare: a second provider of the same kind is another issuer with its own keys
    const other = await startLocalIdentity({ port: 0, dashboardOrigins: [API] });
    const otherToken = await other.idTokenFor('adam');
    await other.stop();
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const own = jwtVerifier({ issuer: 'http://localhost:1', audience: ['ankieta-dashboard'], jwks: { keys: [jwk] } });
    const sign = (aud: string, exp: number) =>
      new SignJWT({ sub: 'lena' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer('http://localhost:1')
        .setAudience(aud)
        .setExpirationTime(exp)
        .sign(privateKey);
    const now = Math.floor(Date.now() / 1000);

    // Act
    const verdicts = [
      await verify(`Bearer ${otherToken}`),
      await own(`Bearer ${await sign('ankieta-dashboard', now - 60)}`),
      await own(`Bearer ${await sign('someone-else', now + 60)}`),
    ];

    // Assess
    expect(verdicts.map((v) => !v.ok && v.error)).toEqual([
      'not authenticated: the token is invalid',
      'not authenticated: the token is expired',
      'not authenticated: the token is for another audience',
    ]);
  });
});

describe('who the local server says is calling', () => {
  const route = (auth: string) => ({ method: 'GET', path: '/api/alerts', fn: 'alertsApi', auth, role: 'viewer' }) as unknown as HttpRoute;
  const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

  it.each([
    ['browsers', 'a program without a token', {}, { context: { iam: LOCAL_IAM_CALLER } }],
    ['browsers', "Node's fetch without a token", { 'sec-fetch-mode': 'cors', 'user-agent': 'node' }, { context: { iam: LOCAL_IAM_CALLER } }],
    ['browsers', 'a browser without a token', { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' }, { status: 401 }],
    ['browsers', 'a program with a bad token', { authorization: 'Bearer x.y.z' }, { status: 401 }],
    ['everyone', 'a program without a token', {}, { status: 401 }],
  ] as const)('Should answer, when %s must log in, %s with %o', async (policy, _who, headers, expected) => {
    // Act
    const answer = await identityAuthorizer(verify, policy)(req(headers), route('jwt'));

    // Assess
    expect(answer).toMatchObject(expected);
  });

  it('Should pass the claims of a valid token on, whoever sends it', async () => {
    // Act
    const answer = await identityAuthorizer(verify, 'everyone')(req({ authorization: `Bearer ${await identity.idTokenFor('lena')}` }), route('jwt'));

    // Assess
    expect(answer).toMatchObject({ context: { jwt: { claims: { sub: 'lena', name: 'Lena Lead', 'cognito:groups': '[lead]' } } } });
  });

  it('Should call IAM routes as the local IAM caller and public ones as nobody', async () => {
    // Act
    const [iam, open] = await Promise.all([
      identityAuthorizer(verify, 'everyone')(req({}), route('iam')),
      identityAuthorizer(verify, 'everyone')(req({}), route('public')),
    ]);

    // Assess
    expect(iam).toEqual({ context: { iam: LOCAL_IAM_CALLER } });
    expect(open).toEqual({});
  });
});
