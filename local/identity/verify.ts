/**
 * What API Gateway's JWT authorizer does before a leads' route runs, done by the local server
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html):
 * `Authorization: Bearer <JWT>`, signed by the issuer's key (JWKS), `iss` the issuer, `aud` or
 * `client_id` one of the audience, `exp`/`nbf` holding. On success the handler gets the claims as
 * API Gateway passes them in `requestContext.authorizer.jwt.claims`: every value as text, an array as
 * "[a b]" (functions/shared/principal.ts reads both forms).
 */
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

export interface JwtAuthorizerContext {
  jwt: { claims: Record<string, string>; scopes: null };
}

export type Verdict = { ok: true; authorizer: JwtAuthorizerContext } | { ok: false; error: string };

export interface VerifierOptions {
  issuer: string;
  audience: readonly string[];
  jwks: JSONWebKeySet;
}

/** API Gateway's text form of a claim. */
function claimText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(String).join(' ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function jwtVerifier(options: VerifierOptions): (authorization: string | undefined) => Promise<Verdict> {
  const keys = createLocalJWKSet(options.jwks);
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!token) return { ok: false, error: 'not authenticated: send Authorization: Bearer <token> (log in, or use the machine client)' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: options.issuer, algorithms: ['RS256'] }));
    } catch (error) {
      const why = error instanceof errors.JWTExpired ? 'expired' : error instanceof errors.JWTClaimValidationFailed ? `bad ${error.claim}` : 'invalid';
      return { ok: false, error: `not authenticated: the token is ${why}` };
    }
    const audiences = [payload.aud ?? []].flat();
    const clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined;
    if (!options.audience.some((a) => audiences.includes(a) || a === clientId))
      return { ok: false, error: 'not authenticated: the token is for another audience' };
    const claims = Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, claimText(value)]));
    return { ok: true, authorizer: { jwt: { claims, scopes: null } } };
  };
}
