/**
 * The one secrets resolver: a secret is configured as its value (local, tests) or as a Secrets Manager
 * ARN (AWS), see SecretSource in functions/shared/env.ts. One caching policy for all of them: a copy
 * is kept SECRET_MAX_AGE_SECONDS (Powertools Parameters' cache), and a caller that finds it stale
 * (a webhook signature that fails after a rotation) may ask for a fresh one at most once a minute.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/parameters/
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretSource } from '#functions/shared/env.ts';

/** How long a secret read from Secrets Manager is used before it is read again. */
export const SECRET_MAX_AGE_SECONDS = 300;
/** A forced re-read (after a failed check) happens at most this often per secret. */
const REFRESH_AT_MOST_EVERY_MS = 60_000;

/** The secret is not configured (neither value nor ARN), or Secrets Manager holds an empty one. */
export class SecretUnavailableError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-configured' | 'empty',
  ) {
    super(message);
    this.name = 'SecretUnavailableError';
  }
}

const lastFetched = new Map<string, number>();

export async function resolveSecret(source: SecretSource, options: { refresh?: boolean } = {}): Promise<string> {
  if (source.value) return source.value;
  const arn = source.arn;
  if (!arn) throw new SecretUnavailableError(`set ${source.names.value} (local) or ${source.names.arn} (AWS)`, 'not-configured');
  const now = Date.now();
  const forceFetch = Boolean(options.refresh) && now - (lastFetched.get(arn) ?? 0) > REFRESH_AT_MOST_EVERY_MS;
  if (forceFetch || !lastFetched.has(arn)) lastFetched.set(arn, now);
  const value = await getSecret(arn, { maxAge: SECRET_MAX_AGE_SECONDS, forceFetch });
  const secret = typeof value === 'string' ? value.trim() : value ? Buffer.from(value).toString('utf8').trim() : '';
  if (!secret) throw new SecretUnavailableError(`the secret ${source.names.arn} in Secrets Manager is empty`, 'empty');
  return secret;
}

/** A secret's value now and, when it has one, its value before the last rotation. */
export interface SecretVersions {
  current: string;
  previous?: string;
}

const versionsCache = new Map<string, { versions: SecretVersions; until: number }>();
let secretsClient: SecretsManagerClient | undefined;

/**
 * The current value (AWSCURRENT) and the previous one (AWSPREVIOUS, absent until the first rotation).
 * Read with the SDK, not Powertools: its cache key ignores VersionStage, so both reads would share one
 * entry. Both are read and cached together, so they always come from the same rotation.
 */
export async function resolveSecretVersions(source: SecretSource): Promise<SecretVersions> {
  if (source.value) return { current: source.value, previous: source.previousValue };
  const arn = source.arn;
  if (!arn) throw new SecretUnavailableError(`set ${source.names.value} (local) or ${source.names.arn} (AWS)`, 'not-configured');
  const cached = versionsCache.get(arn);
  if (cached && cached.until > Date.now()) return cached.versions;
  secretsClient ??= new SecretsManagerClient({});
  const [current, previous] = await Promise.all([readStage(secretsClient, arn, 'AWSCURRENT'), readStage(secretsClient, arn, 'AWSPREVIOUS')]);
  if (!current) throw new SecretUnavailableError(`the secret ${source.names.arn} in Secrets Manager is empty`, 'empty');
  const versions: SecretVersions = previous && previous !== current ? { current, previous } : { current };
  versionsCache.set(arn, { versions, until: Date.now() + SECRET_MAX_AGE_SECONDS * 1000 });
  return versions;
}

async function readStage(client: SecretsManagerClient, arn: string, stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> {
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage }));
    return (out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('utf8') : '')).trim() || undefined;
  } catch (error) {
    // A secret never rotated has no AWSPREVIOUS version: Secrets Manager answers ResourceNotFoundException.
    if (stage === 'AWSPREVIOUS' && (error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}
