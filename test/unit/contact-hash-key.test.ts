/**
 * The key of the contact hashes is handed to the table module (the composition root's middleware, the local
 * runtime, the scripts): the module reads no environment, at load or later, so importing it costs nothing
 * and closes no import cycle with the configuration (functions/shared/env.ts → manifest → stream filters).
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

const KEY_A = 'contact-hash-key-a-0123456789abcdef0123';
const KEY_B = 'contact-hash-key-b-0123456789abcdef0123';
const hmac = (key: string, value: string) => createHmac('sha256', key).update(value).digest('hex');

async function freshKeys() {
  vi.resetModules(); // a cold start: the module's state as a new container has it
  return import('../../functions/adapters/dynamodb/table/keys.ts');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the key of the contact hashes', () => {
  it('Should refuse to hash before a key is handed in, even with CONTACT_HASH_KEY in the environment', async () => {
    // Prepare
    vi.stubEnv('CONTACT_HASH_KEY', KEY_A);
    const { contactHash } = await freshKeys();

    // Act
    const hash = () => contactHash('ala@example.com');

    // Assess
    expect(hash).toThrow(/contact hash key not loaded/);
  });

  it('Should hash with the key handed in, not with the environment', async () => {
    // Prepare
    vi.stubEnv('CONTACT_HASH_KEY', KEY_A);
    const { contactHash, useContactHashKey } = await freshKeys();

    // Act
    useContactHashKey(KEY_B);
    const hash = contactHash(' Ala@Example.com ');

    // Assess
    expect(hash).toBe(hmac(KEY_B, 'ala@example.com'));
  });

  it('Should hash with the key the middleware loads from the configuration', async () => {
    // Prepare
    const { subjectHash } = await freshKeys();
    const { configure } = await import('../../functions/shared/env.ts');
    const { loadContactHashKey } = await import('../../functions/shared/middlewares/contact-hash-key.ts');
    configure({ CONTACT_HASH_KEY: KEY_A });

    // Act
    await loadContactHashKey();

    // Assess
    expect(subjectHash('c-1')).toBe(hmac(KEY_A, 'c-1'));
  });
});
