/**
 * The local runtime's own secrets (the link secret, the key of the contact hashes): taken from the
 * environment, else kept in a file of the data directory (mode 600), so links in mails already sent and
 * hashes already stored stay valid after a restart. The runtime makes them; the command-line scripts read them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `npm start`'s data directory. */
export const DEFAULT_DATA_DIR = join(process.cwd(), '.ankieta');

/** The secret from the environment, else the one kept in `dataDir`; undefined when neither exists. */
export function existingLocalSecret(dataDir: string | undefined, envName: string, fileName: string): string | undefined {
  if (process.env[envName]) return process.env[envName];
  const file = dataDir && join(dataDir, fileName);
  return file && existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** The secret as existingLocalSecret finds it, else a new one, kept in `dataDir` when there is one. */
export function localSecret(dataDir: string | undefined, envName: string, fileName: string): string {
  const existing = existingLocalSecret(dataDir, envName, fileName);
  if (existing) return existing;
  const secret = randomBytes(32).toString('base64url');
  if (dataDir) writeFileSync(join(dataDir, fileName), secret, { mode: 0o600 });
  return secret;
}
