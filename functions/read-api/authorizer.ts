/**
 * HTTP API Lambda authorizer of the support leads' routes (auth 'key' in functions/manifest.ts):
 * `Authorization: Bearer <dashboard key>`, compared in constant time with the key in Secrets Manager
 * (READER_KEY_SECRET_ARN; READER_KEY in tests). Simple responses, payload format 2.0:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 * API Gateway caches the answer per Authorization value for 5 minutes (infra), so a new key
 * takes effect within that time; the secrets resolver re-reads the secret every 5 minutes.
 */
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { createHash, timingSafeEqual } from 'node:crypto';
import { resolveSecret } from '#functions/adapters/secrets/secrets.ts';
import { env } from '#functions/shared/env.ts';
import { logger } from '#functions/shared/powertools.ts';

// The one dependency, taken from the secrets adapter itself: through the composition root the
// authorizer's bundle would carry the DynamoDB client it never uses (187 KB → 349 KB).
const readerKey = () => resolveSecret(env().secrets.readerKey);

const digest = (text: string) => createHash('sha256').update(text).digest();

/** True when `authorization` is "Bearer <key>" for the given key (constant time; an empty key never matches). */
export function bearerMatches(authorization: string | undefined, key: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match || key.length < 16) return false;
  return timingSafeEqual(digest(match[1]!), digest(key));
}

export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerResult> {
  const authorization = event.headers?.authorization ?? event.headers?.Authorization ?? event.identitySource?.[0];
  const isAuthorized = bearerMatches(authorization, await readerKey());
  if (!isAuthorized) logger.warn('read API key refused', { routeKey: event.routeKey }); // the access log has the rest
  return { isAuthorized };
}
