/**
 * Who is calling a support leads' route, and what they may do (issue 12, docs/security.md "Identities").
 *
 * CONTRACT (the AWS side and the local runtime both produce it; keep it stable):
 *
 * 1. Where the caller comes from. A leads' route (`auth: 'jwt'` in functions/manifest.ts) reads the HTTP
 *    API payload 2.0 JWT authorizer shape: `event.requestContext.authorizer.jwt.claims` (and `.scopes`).
 *    On AWS API Gateway's JWT authorizer (Cognito user pool) has checked the signature, issuer, audience
 *    and expiry before the handler runs; locally the runtime does the same with its OpenID Connect
 *    provider, or, while no verifier is configured, injects a demo admin (local/demo-principal.ts).
 *    IAM routes (`auth: 'iam'`: integrations, scripts) carry `requestContext.authorizer.iam` instead.
 *
 * 2. Claims read (everything else is ignored; a wrong shape is a 401, never a guess):
 *    - `sub` (required): the stable id.
 *    - `name`, else `email`, else `cognito:username` / `username`: the name shown on an acknowledged alert.
 *    - `cognito:groups`: an array, or API Gateway's string form `"[admin lead]"` (both handled). Groups
 *      named `viewer`, `lead`, `admin` give those roles; other groups are ignored.
 *    - `custom:team` (optional): the lead's team (alerts of that team by default).
 *    - Machine clients (Cognito client credentials) have no user name and no groups but `scope`
 *      (space-separated; or the authorizer's `scopes` array) with the resource server's scopes:
 *        `ankieta/read`  → viewer,   `ankieta/write` → lead,   `ankieta/admin` → admin.
 *      A person's roles come from groups only, a machine's from scopes only.
 *
 * 3. Roles, each including the ones before it:
 *    - viewer: read scores, insights, funnel, comments, alerts, customer health.
 *    - lead:   + acknowledge and resolve alerts, manage outbound endpoints.
 *    - admin:  + personal-data export (`/api/export/responses`), erasure, quarantine payloads and
 *              replays, the audit log (`/api/audit`).
 *    The role each route needs is its `role` in functions/manifest.ts HTTP_ROUTES; the `authorize()`
 *    middleware (functions/shared/middlewares/authorize.ts) checks it, so handlers do not.
 *
 * 4. How the dashboard logs in: `GET /dashboard/auth.json` (public, no secrets) answers
 *    `{ login: true, issuer, clientId, authorizationEndpoint, tokenEndpoint, endSessionEndpoint?, scopes }` from the
 *    dashboard function's environment (AUTH_ISSUER, AUTH_CLIENT_ID, AUTH_AUTHORIZATION_ENDPOINT,
 *    AUTH_TOKEN_ENDPOINT, AUTH_END_SESSION_ENDPOINT; ENV in functions/manifest.ts). On AWS these are the
 *    Cognito user pool's issuer, the public dashboard client (authorization code + PKCE, no secret) and
 *    the hosted UI's `/oauth2/authorize`, `/oauth2/token`, `/logout`; locally the runtime sets them to its
 *    embedded provider's. The dashboard sends the **ID token** as `Authorization: Bearer <id_token>`
 *    (it carries `name`, `email`, `cognito:groups` and `custom:team`; Cognito's access token has no
 *    name nor custom attributes). It answers `{ login: false }` when login is not configured (local demo mode).
 *
 * 5. Acknowledge / resolve: the owner is the signed-in person's `name` (ownerOf); a person's body must
 *    not name another owner (400). Machine clients may send `{ "owner": "…" }` (acting for someone);
 *    without it the owner is the client's name. Every ack, resolve, export of personal data, erasure and
 *    quarantine replay is written to the audit log (`audit()` in functions/shared/audit.ts).
 */
import * as z from '#surveys/zod.ts';
import type { HttpEvent } from '#functions/shared/http.ts';
import { HttpError } from '#functions/shared/http.ts';

export const ROLES = ['viewer', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The resource server's identifier and scopes of machine clients (Cognito: `<identifier>/<scope>`). */
export const RESOURCE_SERVER = 'ankieta';
export const MACHINE_SCOPES: Readonly<Record<Role, string>> = { viewer: 'ankieta/read', lead: 'ankieta/write', admin: 'ankieta/admin' };

export interface Principal {
  kind: 'person' | 'machine';
  /** `sub` (a person, a machine client's id) or the IAM caller's ARN. */
  id: string;
  /** What an acknowledged alert or an audit item shows: a person's name, a machine's client id. */
  name: string;
  roles: ReadonlySet<Role>;
  team?: string;
}

/** Each role and the ones it includes. */
const INCLUDED: Readonly<Record<Role, readonly Role[]>> = { viewer: ['viewer'], lead: ['viewer', 'lead'], admin: ['viewer', 'lead', 'admin'] };

const claimText = z.string().check(z.trim(), z.minLength(1), z.maxLength(256));
/** API Gateway passes an array claim as the text "[a b]"; a token verified locally keeps the array. */
const groupList = z.pipe(
  z.union([z.array(z.string().check(z.maxLength(128))).check(z.maxLength(100)), z.string().check(z.maxLength(4096))]),
  z.transform((v: string[] | string) => (Array.isArray(v) ? v : v.replace(/^\[|\]$/g, '').split(/[\s,]+/)).filter(Boolean)),
);

const claimsSchema = z.looseObject({
  sub: claimText,
  name: z.optional(claimText),
  email: z.optional(claimText),
  'cognito:username': z.optional(claimText),
  username: z.optional(claimText),
  'cognito:groups': z.optional(groupList),
  'custom:team': z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  client_id: z.optional(claimText),
  scope: z.optional(z.string().check(z.maxLength(4096))),
});

const jwtContext = z.object({ claims: z.record(z.string(), z.unknown()), scopes: z.nullish(z.array(z.string())) });
const iamContext = z.looseObject({ userArn: z.optional(claimText), callerId: z.optional(claimText), accountId: z.optional(claimText) });

function rolesOf(names: readonly string[], map: (name: string) => Role | undefined): Set<Role> {
  const roles = new Set<Role>();
  for (const name of names) {
    const role = map(name);
    if (role) for (const included of INCLUDED[role]) roles.add(included);
  }
  return roles;
}

const roleOfGroup = (group: string) => ROLES.find((r) => r === group);
const roleOfScope = (scope: string) => ROLES.find((r) => MACHINE_SCOPES[r] === scope);

/**
 * The caller of a route, from the authorizer's context: a JWT (person or machine client) or IAM. Throws
 * the house's 401 when there is none or its claims have the wrong shape (nothing is guessed).
 */
/** The authorize() middleware and the handler both ask: the claims are checked once per request. */
const principals = new WeakMap<HttpEvent, Principal>();

export function principalOf(event: HttpEvent): Principal {
  const known = principals.get(event);
  if (known) return known;
  const principal = readPrincipal(event);
  principals.set(event, principal);
  return principal;
}

function readPrincipal(event: HttpEvent): Principal {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: unknown; iam?: unknown } }).authorizer;
  if (authorizer?.jwt !== undefined) return fromJwt(authorizer.jwt);
  if (authorizer?.iam !== undefined) return fromIam(authorizer.iam);
  throw new HttpError(401, 'not authenticated: this route needs a signed-in user or client');
}

function fromJwt(context: unknown): Principal {
  const jwt = jwtContext.safeParse(context);
  const claims = jwt.success ? claimsSchema.safeParse(jwt.data.claims) : undefined;
  if (!jwt.success || !claims?.success) throw new HttpError(401, 'not authenticated: the token has no usable claims');
  const c = claims.data;
  const userName = c.name ?? c.email ?? c['cognito:username'] ?? c.username;
  if (userName !== undefined) {
    return { kind: 'person', id: c.sub, name: userName, roles: rolesOf(c['cognito:groups'] ?? [], roleOfGroup), team: c['custom:team'] };
  }
  const scopes = [...(c.scope?.split(/\s+/) ?? []), ...(jwt.data.scopes ?? [])].filter(Boolean);
  return { kind: 'machine', id: c.sub, name: c.client_id ?? c.sub, roles: rolesOf(scopes, roleOfScope) };
}

/** IAM callers: API Gateway checked their signature and their IAM policy allowed the route; that policy is their role. */
function fromIam(context: unknown): Principal {
  const iam = iamContext.safeParse(context);
  const id = iam.success ? (iam.data.userArn ?? iam.data.callerId ?? iam.data.accountId) : undefined;
  if (!id) throw new HttpError(401, 'not authenticated: the IAM caller is unknown');
  return { kind: 'machine', id, name: id, roles: new Set(ROLES) };
}

/**
 * The owner an acknowledgment or resolution records: a person is always their own owner (their name
 * from the token, never free text); a machine client (an integration acting for someone, e.g. a chat
 * bot) may name one in the body, else it is undefined and the caller falls back to the client's name.
 */
export function ownerOf(principal: Principal, bodyOwner: string | undefined): string | undefined {
  if (principal.kind === 'machine') return bodyOwner;
  if (bodyOwner !== undefined && bodyOwner !== principal.name)
    throw new HttpError(400, 'owner: leave it out, the owner is the signed-in lead', ['owner: only integrations name an owner']);
  return principal.name;
}

/** Throws the house's 403 unless the principal holds the role (or one that includes it). */
export function requireRole(principal: Principal, role: Role): void {
  if (!principal.roles.has(role)) throw new HttpError(403, `forbidden: this needs the ${role} role`);
}
