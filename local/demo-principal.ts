/**
 * THE ONE PLACE the local runtime makes up a caller. Until a token verifier is configured (the local
 * OpenID Connect provider, branch i12-local), every 'jwt' route gets the claims of a demo admin, and
 * every 'iam' route a local IAM caller, as API Gateway's authorizers would put them in the event
 * (functions/shared/principal.ts is the contract). So `npm start`, curl and the e2e tests work without a
 * login, as DESIGN.md "Local access" promises a program on this machine; the local HTTP server's guard
 * (local/request-guard.ts) still refuses other machines and cross-site requests.
 */
import type { IncomingMessage } from 'node:http';
import type { HttpRoute } from '../functions/manifest.ts';

/** The authorizer context of a request (`event.requestContext.authorizer`), or a refusal. */
export type LocalAuthorizer = (req: IncomingMessage, route: HttpRoute) => Promise<{ context?: Record<string, unknown> } | { status: 401 | 403; error: string }>;

/**
 * A program on this machine is taken as a machine client holding every scope (an admin): like an
 * integration it may name the owner of an acknowledgment, which keeps the pre-login dashboard working.
 */
export const DEMO_ADMIN_CLAIMS = {
  sub: 'local-demo-admin',
  client_id: 'local-demo-admin',
  scope: 'ankieta/read ankieta/write ankieta/admin',
} as const;

export const LOCAL_IAM_CALLER = { accountId: '000000000000', userArn: 'arn:aws:iam::000000000000:user/local', callerId: 'local' } as const;

/** The demo authorizer: a demo admin on 'jwt' routes, the local IAM caller on 'iam' routes, nobody on public ones. */
export const demoAuthorizer: LocalAuthorizer = async (_req, route) => {
  if (route.auth === 'jwt') return { context: { jwt: { claims: { ...DEMO_ADMIN_CLAIMS }, scopes: null } } };
  if (route.auth === 'iam') return { context: { iam: { ...LOCAL_IAM_CALLER } } };
  return {};
};
