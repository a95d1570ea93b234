/**
 * The local OpenID Connect provider (`oidc-provider`, panva): what the Cognito user pool and its hosted
 * UI are on AWS, on its own port of this machine, so the dashboard logs in the same way on both hosts.
 *   - the dashboard client `ankieta-dashboard`: public, authorization code + PKCE, redirects back to
 *     `<api>/dashboard` (under each loopback name); its ID token carries `name`, `email`,
 *     `cognito:groups`, `custom:team` (users.ts), as Cognito's does;
 *   - the machine client `ankieta-machine`: client credentials with the resource server's scopes
 *     `ankieta/read|write|admin` (functions/shared/principal.ts), a JWT access token.
 * Signing keys and cookie keys are made at start and live in memory: a restart logs everybody out.
 * Sessions, codes and grants live in oidc-provider's in-memory store. Only this machine is answered
 * (the Host guard of the API server applies here too).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { refusal } from '../request-guard.ts';
import { claimsOf, DemoDirectory, type DemoUser } from './users.ts';
import { memoryStore } from './memory-store.ts';
import { errorPage, languageOfLocales, loggedOutPage, loginPage, logoutPage, PAGE_CSP } from './pages.ts';

export const DASHBOARD_CLIENT_ID = 'ankieta-dashboard';
export const MACHINE_CLIENT_ID = 'ankieta-machine';
/** The resource indicator of the API (RFC 8707) and its scopes, named as the Cognito resource server's. */
export const API_RESOURCE = 'urn:ankieta:api';
export const API_SCOPES = ['ankieta/read', 'ankieta/write', 'ankieta/admin'] as const;
const TOKEN_TTL_SECONDS = 3600; // Cognito's default for ID and access tokens

export interface LocalIdentityOptions {
  /** The provider's port (0: any free one). */
  port: number;
  /** Origins the dashboard is served from (its redirect URI is `<origin>/dashboard`). */
  dashboardOrigins: readonly string[];
  /** Keeps the demo passwords and the machine client's secret between runs. */
  dir?: string;
  log?: (line: string) => void;
}

export interface LocalIdentity {
  issuer: string;
  endpoints: { authorization: string; token: string; endSession: string; jwks: string };
  /** Client ids whose tokens the API takes (aud or client_id), like the JWT authorizer's audience list. */
  audience: readonly string[];
  machineClient: { id: string; secret: string };
  users: DemoDirectory;
  /** The public keys tokens are signed with. */
  jwks: { keys: JWK[] };
  /** An ID token for a demo user, as the dashboard would get one after logging in (tests, scripts). */
  idTokenFor(username: string): Promise<string>;
  stop(): Promise<void>;
}

function machineSecret(dir: string | undefined): string {
  const file = dir ? join(dir, 'machine-client-secret') : undefined;
  if (file && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(24).toString('base64url');
  if (dir && file) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, secret, { mode: 0o600 });
  }
  return secret;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 8192) break; // a login form is small
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': PAGE_CSP });
  res.end(body);
}

function configuration(users: DemoDirectory, options: LocalIdentityOptions, secret: string, jwk: JWK): Configuration {
  const redirects = options.dashboardOrigins.map((origin) => `${origin}/dashboard`);
  return {
    adapter: memoryStore(),
    clients: [
      {
        client_id: DASHBOARD_CLIENT_ID,
        client_name: 'ankieta dashboard',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: redirects,
        post_logout_redirect_uris: redirects,
      },
      {
        client_id: MACHINE_CLIENT_ID,
        client_secret: secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: API_SCOPES.join(' '),
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: (_ctx, id) => {
      const user = users.find(id);
      return user ? { accountId: user.username, claims: (_use, scope) => claimsOf(user, new Set(scope.split(' '))) } : undefined;
    },
    claims: { openid: ['sub'], profile: ['name', 'cognito:username', 'cognito:groups', 'custom:team'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'profile', 'email', ...API_SCOPES],
    conformIdTokenClaims: false, // the ID token carries the profile, as Cognito's does: the API reads it from there
    pkce: { required: () => true },
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The dashboard is a first-party client: no consent screen, as with Cognito's hosted UI.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { session, client, provider } = ctx.oidc;
      if (!session?.accountId || !client) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return provider.Grant.find(grantId);
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false }, // its login page takes any password
      clientCredentials: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => void (ctx.body = logoutPage(languageOfLocales(ctx.oidc.params?.ui_locales), form)),
        postLogoutSuccessSource: (ctx) => void (ctx.body = loggedOutPage(languageOfLocales(ctx.oidc.params?.ui_locales))),
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, client) => (client.clientId === MACHINE_CLIENT_ID ? API_RESOURCE : undefined),
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: API_SCOPES.join(' '),
            audience: API_RESOURCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: TOKEN_TTL_SECONDS,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
        useGrantedResource: () => true,
      },
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage('en', String(out.error), typeof out.error_description === 'string' ? out.error_description : undefined);
    },
    ttl: {
      AccessToken: TOKEN_TTL_SECONDS,
      ClientCredentials: TOKEN_TTL_SECONDS,
      IdToken: TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      RefreshToken: 8 * 3600,
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
      PreAuthorizedCode: 600,
    },
  } as Configuration;
}

/** GET shows the login form; POST checks the password and hands the user back to the provider. */
async function interaction(provider: Provider, users: DemoDirectory, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const language = languageOfLocales(details.params.ui_locales);
  const action = `/interaction/${details.uid}`;
  if (details.prompt.name !== 'login') return html(res, 400, errorPage(language, 'unexpected_prompt', details.prompt.name));
  if (req.method !== 'POST') return html(res, 200, loginPage(language, action));
  const form = await readForm(req);
  const user: DemoUser | undefined = users.check(form.get('username') ?? '', form.get('password') ?? '');
  if (!user) return html(res, 401, loginPage(language, action, { rejected: true, username: form.get('username') ?? '' }));
  await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
}

export async function startLocalIdentity(options: LocalIdentityOptions): Promise<LocalIdentity> {
  const users = new DemoDirectory(options.dir);
  const secret = machineSecret(options.dir);
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(8).toString('hex');
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };

  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => void res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const issuer = `http://localhost:${port}`;
  const provider = new Provider(issuer, configuration(users, options, secret, privateJwk));
  const callback = provider.callback();
  handle = (req, res) => {
    const refused = refusal(req.method ?? 'GET', req.headers, { form: true, public: true }, { port });
    if (refused) return void res.writeHead(refused.status, { 'content-type': 'text/plain' }).end(refused.error);
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res);
    interaction(provider, users, req, res).catch((error: Error) => {
      options.log?.(`local identity: ${error.message}`);
      if (!res.headersSent) html(res, 400, errorPage('en', error.name, error.message));
    });
  };

  return {
    issuer,
    endpoints: { authorization: `${issuer}/auth`, token: `${issuer}/token`, endSession: `${issuer}/session/end`, jwks: `${issuer}/jwks` },
    audience: [DASHBOARD_CLIENT_ID, MACHINE_CLIENT_ID],
    machineClient: { id: MACHINE_CLIENT_ID, secret },
    users,
    jwks: { keys: [publicJwk] },
    idTokenFor: async (username) => {
      const user = users.find(username);
      if (!user) throw new Error(`no demo user ${username}`);
      return new SignJWT({ ...claimsOf(user, new Set(['openid', 'profile', 'email'])) })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(issuer)
        .setAudience(DASHBOARD_CLIENT_ID)
        .setIssuedAt()
        .setExpirationTime(`${TOKEN_TTL_SECONDS}s`)
        .sign(privateKey);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
