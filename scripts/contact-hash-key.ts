/**
 * The key of the contact hashes for a command-line script, installed in the table module before anything
 * is hashed (functions/adapters/dynamodb/table/keys.ts reads no configuration itself): with --aws the secret
 * CONTACT_HASH_KEY_ARN (the stack output ContactHashKeyArn) through the functions' one resolver; locally
 * CONTACT_HASH_KEY, else the local runtime's own key (.ankieta/contact-hash-key, made by the first npm start).
 */
import { useContactHashKey } from '../functions/adapters/dynamodb/table/keys.ts';
import { loadContactHashKey } from '../functions/shared/middlewares/contact-hash-key.ts';
import { DEFAULT_DATA_DIR, existingLocalSecret } from '../local/secret-files.ts';

export async function installContactHashKey(aws: boolean): Promise<void> {
  if (aws) return loadContactHashKey();
  const key = existingLocalSecret(DEFAULT_DATA_DIR, 'CONTACT_HASH_KEY', 'contact-hash-key');
  if (!key) throw new Error('no contact hash key: run npm start once (it makes .ankieta/contact-hash-key) or set CONTACT_HASH_KEY');
  useContactHashKey(key);
}
