/**
 * HTTP API Lambda authorizer of the support leads' routes (auth 'key' in functions/manifest.ts):
 * `Authorization: Bearer <dashboard key>`, compared in constant time with the key in Secrets Manager
 * (READER_KEY_SECRET_ARN; READER_KEY in tests). Simple responses, payload format 2.0:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 * API Gateway caches the answer per Authorization value for 5 minutes (infra), so a new key
 * takes effect within that time; the function itself re-reads the secret every 5 minutes.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ENV } from '../manifest.ts';
import { logger } from '../shared/powertools.ts';

const SECRET_TTL_MS = 5 * 60_000;
let cached: { key: string; at: number } | undefined;
let secrets: SecretsManagerClient | undefined;

async function readerKey(): Promise<string> {
  const local = process.env[ENV.readerKey];
  if (local) return local;
  if (cached && Date.now() - cached.at < SECRET_TTL_MS) return cached.key;
  const arn = process.env[ENV.readerKeySecretArn];
  if (!arn) throw new Error(`Set ${ENV.readerKeySecretArn} (AWS) or ${ENV.readerKey} (tests) for the read API's key`);
  secrets ??= new SecretsManagerClient({});
  const out = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
  cached = { key: out.SecretString ?? '', at: Date.now() };
  return cached.key;
}

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
