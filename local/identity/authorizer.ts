/**
 * Who calls a route of the local server, as API Gateway's authorizers would say it
 * (`event.requestContext.authorizer`, functions/shared/principal.ts is the contract):
 *   - 'jwt' routes: the bearer token is checked like the HTTP API's JWT authorizer does (verify.ts) and
 *     its claims passed on; a token that does not pass is a 401, never a guess.
 *   - no token: a browser (it sends Sec-Fetch-Site or Origin on every request, and page scripts cannot
 *     remove them) gets a 401 and the dashboard logs in. A program on this machine (curl, scripts, the
 *     e2e tests) is the local IAM caller, as DESIGN.md "Local access" promises, unless the runtime is
 *     told to require a login of everyone (`login: 'everyone'`, LOCAL_LOGIN=everyone): then a 401 too.
 *   - 'iam' routes: the local IAM caller (IAM signatures are not checked on this machine).
 * The Host and cross-site guard (local/request-guard.ts) has refused other machines and sites before.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { LOCAL_IAM_CALLER, type LocalAuthorizer } from '../demo-principal.ts';
import type { Verdict } from './verify.ts';

/** Who must log in on the local server: browsers only (the default), or every caller, as on AWS. */
export type LoginPolicy = 'browsers' | 'everyone';

// Sec-Fetch-Site (or Origin), not Sec-Fetch-Mode: Node's own fetch (undici) sends "sec-fetch-mode: cors" too.
const fromBrowser = (headers: IncomingHttpHeaders) => headers['sec-fetch-site'] !== undefined || headers.origin !== undefined;

export function identityAuthorizer(verify: (authorization: string | undefined) => Promise<Verdict>, policy: LoginPolicy): LocalAuthorizer {
  return async (req, route) => {
    if (route.auth === 'public') return {};
    if (route.auth === 'iam') return { context: { iam: { ...LOCAL_IAM_CALLER } } };
    const authorization = req.headers.authorization;
    if (authorization === undefined && policy === 'browsers' && !fromBrowser(req.headers)) return { context: { iam: { ...LOCAL_IAM_CALLER } } };
    const verdict = await verify(authorization);
    return verdict.ok ? { context: { ...verdict.authorizer } } : { status: 401, error: verdict.error };
  };
}
