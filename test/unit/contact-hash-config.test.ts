/**
 * The key of the contact hashes comes through the one configuration (functions/shared/env.ts), like
 * every other setting: the table's key builders read env(), never process.env behind its back.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { contactHash } from '../../functions/adapters/dynamodb/table/keys.ts';
import { configure } from '../../functions/shared/env.ts';

const OTHER_KEY = 'another-contact-hash-key-0123456789';

afterEach(() => void configure());

describe('the key of the contact hashes', () => {
  it('Should hash with the key of the installed configuration', () => {
    // Prepare
    configure({ ...process.env, CONTACT_HASH_KEY: OTHER_KEY });

    // Act
    const hash = contactHash(' +48600100200 ');

    // Assess
    expect(hash).toBe(createHmac('sha256', OTHER_KEY).update('+48600100200').digest('hex'));
  });

  it('Should refuse to hash with no key configured rather than fall back to a plain hash', () => {
    // Prepare
    const { CONTACT_HASH_KEY: _key, ...withoutKey } = process.env;
    configure(withoutKey);

    // Act
    const act = () => contactHash('ala@example.com');

    // Assess
    expect(act).toThrow(/contact hash key not loaded/);
  });
});
