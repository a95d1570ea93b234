/**
 * Tokens from the local OpenID Connect provider (local/identity/), for tests that call the leads' routes:
 * a machine client's token (client credentials, as an integration would get one), a demo user's ID
 * token minted with the provider's key, or one got through the real login (authorization code + PKCE,
 * driven over HTTP as a browser would, cookies included).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { LocalIdentity } from '../../local/identity/provider.ts';
import { DASHBOARD_CLIENT_ID } from '../../local/identity/provider.ts';

/** A client-credentials access token with the given scopes (`ankieta/read`, `ankieta/write`, `ankieta/admin`). */
export async function machineToken(identity: LocalIdentity, scope = 'ankieta/admin'): Promise<string> {
  const response = await fetch(identity.endpoints.token, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${identity.machineClient.id}:${identity.machineClient.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!body.access_token) throw new Error(`no machine token: ${response.status} ${body.error} ${body.error_description ?? ''}`);
  return body.access_token;
}

/** `Authorization` headers for a demo user (`lena`, `adam`…) or, without one, the admin machine client. */
export async function authHeaders(identity: LocalIdentity, username?: string): Promise<Record<string, string>> {
  return { authorization: `Bearer ${username ? await identity.idTokenFor(username) : await machineToken(identity)}` };
}

/** A cookie jar just big enough for one login. */
class Cookies {
  private readonly jar = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1));
    }
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Logs in as a browser would (the provider's login page, then the code exchange) and returns the ID token. */
export async function logIn(identity: LocalIdentity, apiUrl: string, username: string, password: string): Promise<string> {
  const cookies = new Cookies();
  const go = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(new URL(url, identity.issuer), { ...init, redirect: 'manual', headers: { ...init.headers, cookie: cookies.header() } });
    cookies.take(response);
    return response;
  };
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = `${apiUrl}/dashboard`;
  const authorize = new URL(identity.endpoints.authorization);
  authorize.search = new URLSearchParams({
    client_id: DASHBOARD_CLIENT_ID,
    response_type: 'code',
    scope: 'openid profile email',
    redirect_uri: redirectUri,
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  let response = await go(authorize.href);
  const loginAt = response.headers.get('location') ?? '';
  response = await go(loginAt, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (response.status !== 303) throw new Error(`login refused: ${response.status}`);
  while (response.status >= 300 && response.status < 400 && !response.headers.get('location')?.startsWith(redirectUri))
    response = await go(response.headers.get('location') ?? '');
  const code = new URL(response.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`no code: ${response.headers.get('location')}`);
  const token = await fetch(identity.endpoints.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: DASHBOARD_CLIENT_ID,
      code_verifier: verifier,
    }).toString(),
  });
  const body = (await token.json()) as { id_token?: string; error?: string };
  if (!body.id_token) throw new Error(`no ID token: ${token.status} ${body.error}`);
  return body.id_token;
}
