/**
 * The secrets resolver's cache (functions/adapters/secrets/secrets.ts), Secrets Manager mocked with
 * aws-sdk-client-mock: a secret is read once per SECRET_MAX_AGE_SECONDS, a caller that asks for a fresh
 * copy (a webhook signature failed after a rotation) gets one at most once a minute, an empty secret is
 * an error with its reason.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveSecret, SECRET_MAX_AGE_SECONDS, SecretUnavailableError } from '../../functions/adapters/secrets/secrets.ts';

const secretsManager = mockClient(SecretsManagerClient);
let arnCounter = 0;

/** A fresh ARN per test: the resolver caches per ARN. */
function source() {
  const arn = `arn:aws:secretsmanager:eu-central-1:123456789012:secret:hook-${++arnCounter}-AbCdEf`;
  return { arn, names: { value: 'HOOK_SECRET', arn: 'HOOK_SECRET_ARN' } };
}

beforeEach(() => {
  secretsManager.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => vi.useRealTimers());
afterAll(() => secretsManager.restore());

describe('the secrets resolver on AWS', () => {
  it('reads a secret once and serves the copy until it is SECRET_MAX_AGE_SECONDS old', async () => {
    // Prepare
    const hook = source();
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: ' first ' }).resolves({ SecretString: 'second' });

    // Act
    const reads = [await resolveSecret(hook), await resolveSecret(hook)];
    vi.advanceTimersByTime(SECRET_MAX_AGE_SECONDS * 1000 + 1);
    reads.push(await resolveSecret(hook));

    // Assess
    expect(reads).toEqual(['first', 'first', 'second']);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: hook.arn, VersionStage: 'AWSCURRENT' });
  });

  it('reads again when asked to refresh, but not more often than once a minute', async () => {
    // Prepare
    const hook = source();
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'before' }).resolves({ SecretString: 'rotated' });
    await resolveSecret(hook);

    // Act
    const soon = await resolveSecret(hook, { refresh: true });
    vi.advanceTimersByTime(61_000);
    const later = await resolveSecret(hook, { refresh: true });

    // Assess
    expect([soon, later]).toEqual(['before', 'rotated']);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads a binary secret as UTF-8 and calls an empty one unavailable, with the ARN variable named', async () => {
    // Prepare
    const binary = source();
    const empty = source();
    secretsManager.on(GetSecretValueCommand, { SecretId: binary.arn }).resolves({ SecretBinary: Buffer.from('bytes', 'utf8') });
    secretsManager.on(GetSecretValueCommand, { SecretId: empty.arn }).resolves({ SecretString: '  ' });

    // Act
    const value = await resolveSecret(binary);
    const failure = await resolveSecret(empty).catch((error: unknown) => error);

    // Assess
    expect(value).toBe('bytes');
    expect(failure).toBeInstanceOf(SecretUnavailableError);
    expect((failure as SecretUnavailableError).reason).toBe('empty');
    expect((failure as Error).message).toContain('HOOK_SECRET_ARN');
  });
});
