/**
 * The one secrets resolver: a secret is configured as its value (local, tests) or as a Secrets Manager
 * ARN (AWS), see SecretSource in functions/shared/env.ts. One caching policy for all of them: a copy
 * is kept SECRET_MAX_AGE_SECONDS, and a caller that finds it stale (a webhook signature that fails
 * after a rotation) may ask for a fresh one at most once a minute.
 *
 * The cache is this module's, on one SDK client: it was Powertools Parameters' (getSecret), whose
 * provider, transforms and second client were ~4 KB of every bundle for a GetSecretValue and a
 * timestamp (every function reads the contact-hash key through here; bench/RESULTS.md, bundles).
 */
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
const valueCache = new Map<string, { value: string; until: number }>();
let secretsClient: SecretsManagerClient | undefined;

export async function resolveSecret(source: SecretSource, options: { refresh?: boolean } = {}): Promise<string> {
  if (source.value) return source.value;
  const arn = source.arn;
  if (!arn) throw new SecretUnavailableError(`set ${source.names.value} (local) or ${source.names.arn} (AWS)`, 'not-configured');
  const now = Date.now();
  const forceFetch = Boolean(options.refresh) && now - (lastFetched.get(arn) ?? 0) > REFRESH_AT_MOST_EVERY_MS;
  const cached = valueCache.get(arn);
  if (cached && cached.until > now && !forceFetch) return cached.value;
  lastFetched.set(arn, now);
  secretsClient ??= new SecretsManagerClient({});
  const secret = await readStage(secretsClient, arn, 'AWSCURRENT');
  if (!secret) throw new SecretUnavailableError(`the secret ${source.names.arn} in Secrets Manager is empty`, 'empty');
  valueCache.set(arn, { value: secret, until: now + SECRET_MAX_AGE_SECONDS * 1000 });
  return secret;
}

/** A secret's value now and, when it has one, its value before the last rotation. */
export interface SecretVersions {
  current: string;
  previous?: string;
}

const versionsCache = new Map<string, { versions: SecretVersions; until: number }>();

/**
 * The current value (AWSCURRENT) and the previous one (AWSPREVIOUS, absent until the first rotation).
 * Both are read and cached together, so they always come from the same rotation.
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
