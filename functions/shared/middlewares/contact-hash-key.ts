/**
 * Loads the key of the contact hashes (CONTACT_HASH_KEY_ARN, through the one secrets resolver and its
 * cache) before the handler runs, so the table's key builders can hash synchronously. Locally and in
 * tests the key is a value (CONTACT_HASH_KEY) and this costs nothing.
 */
import type { MiddlewareObj } from '@middy/core';
import { useContactHashKey } from '#functions/adapters/dynamodb/table/keys.ts';
import { resolveSecret } from '#functions/adapters/secrets/secrets.ts';
import { env } from '#functions/shared/env.ts';

export async function loadContactHashKey(): Promise<void> {
  useContactHashKey(await resolveSecret(env().secrets.contactHash));
}

export function contactHashKey(): MiddlewareObj {
  return { before: loadContactHashKey };
}
