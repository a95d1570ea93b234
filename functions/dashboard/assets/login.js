/**
 * The dashboard's login: OAuth 2.0 authorization code with PKCE (RFC 7636) against the issuer that
 * GET /dashboard/auth.json names (functions/shared/principal.ts, point 4): Cognito's hosted UI on AWS,
 * the embedded OpenID Connect provider locally. A public client: no secret, the code verifier stays in
 * this tab's sessionStorage until the code comes back. The ID token is kept in sessionStorage (gone
 * when the tab closes) and sent as the bearer; it carries the name and groups shown in the header.
 *
 *   const login = await loadLogin()      → { login: false } | { login: true, issuer, clientId, … }
 *   await finishLogin(login)             → true when this page load was the return from the issuer
 *   bearer()                             → the ID token while it is valid, else undefined
 *   startLogin(login, language)          → goes to the issuer's login page
 *   logout(login, language)              → forgets the token and ends the issuer's session
 *   whoIs(token)                         → { name, roles, team } read from the token (display only: the API checks it)
 */
const TOKEN = 'ankieta.idToken';
const PENDING = 'ankieta.loginPending';
const b64url = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
const redirectUri = () => `${location.origin}/dashboard`;

export async function loadLogin() {
  const response = await fetch('/dashboard/auth.json', { headers: { accept: 'application/json' } });
  if (!response.ok) return { login: false };
  const config = await response.json();
  return config?.login ? config : { login: false };
}

function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
  } catch {
    return undefined;
  }
}

export function bearer() {
  const token = sessionStorage.getItem(TOKEN);
  const claims = token ? claimsOf(token) : undefined;
  if (!claims || (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now() + 30_000)) return undefined;
  return token;
}

export function whoIs(token) {
  const claims = claimsOf(token) ?? {};
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'] : [];
  return {
    name: claims.name ?? claims.email ?? claims['cognito:username'] ?? claims.sub ?? '',
    roles: groups.filter((g) => ['viewer', 'lead', 'admin'].includes(g)),
    team: typeof claims['custom:team'] === 'string' ? claims['custom:team'] : '',
  };
}

export async function startLogin(config, language) {
  const verifier = random(32);
  const state = random(16);
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, language }));
  const url = new URL(config.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    scope: (config.scopes ?? ['openid', 'email', 'profile']).join(' '),
    redirect_uri: redirectUri(),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ui_locales: language,
    lang: language, // Cognito's managed login reads lang, OpenID Connect ui_locales
  }).toString();
  location.assign(url.href);
}

/** On the return from the issuer: checks the state, trades the code for tokens, cleans the address bar. */
export async function finishLogin(config) {
  const params = new URLSearchParams(location.search);
  if (!config.login || (!params.has('code') && !params.has('error'))) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `/dashboard${pending?.language ? `?lang=${pending.language}` : ''}`);
  if (params.has('error')) throw new Error(params.get('error_description') ?? params.get('error'));
  if (!pending || params.get('state') !== pending.state) throw new Error('state mismatch');
  const response = await fetch(config.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.id_token) throw new Error(body.error_description ?? body.error ?? String(response.status));
  sessionStorage.setItem(TOKEN, body.id_token);
  return true;
}

export function forget() {
  sessionStorage.removeItem(TOKEN);
}

export function logout(config, language) {
  forget();
  if (!config.endSessionEndpoint) return location.assign(`/dashboard?lang=${language}`);
  const url = new URL(config.endSessionEndpoint);
  const back = `${redirectUri()}`;
  // OpenID Connect RP-initiated logout names it post_logout_redirect_uri; Cognito's /logout, logout_uri.
  url.search = new URLSearchParams({ client_id: config.clientId, post_logout_redirect_uri: back, logout_uri: back, ui_locales: language }).toString();
  location.assign(url.href);
}
