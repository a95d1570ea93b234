/**
 * vitest setup file: hands the test run's key of the contact hashes (CONTACT_HASH_KEY, vitest.config.ts) to
 * the table module, as the composition root does for a function, so tests that use the adapters directly
 * hash as the functions do. A test that configures another key (configureFor) hands that one in.
 */
import { useContactHashKey } from '../../functions/adapters/dynamodb/table/keys.ts';

if (process.env.CONTACT_HASH_KEY) useContactHashKey(process.env.CONTACT_HASH_KEY);
