/** The real handlers on a test table: the environment a deployed function gets, then its handler module. */
import { configure } from '../../functions/shared/env.ts';
import { useContactHashKey } from '../../functions/adapters/dynamodb/table/keys.ts';

/** Points the functions at `table` (with the other variables in `env`) and reads the configuration, as a cold start does. */
export function configureFor(table: { tableName: string; endpoint: string }, env: Record<string, string> = {}): void {
  Object.assign(process.env, { TABLE_NAME: table.tableName, AWS_ENDPOINT_URL_DYNAMODB: table.endpoint, ...env });
  const { secrets } = configure();
  if (secrets.contactHash.value) useContactHashKey(secrets.contactHash.value); // as the handlers' middleware will, for the test's own reads
}

/** The handler of `functions/<dir>/handler.ts`, imported only now so that it sees the configuration (call configureFor first). */
export async function handlerOf<H>(dir: string): Promise<H> {
  return (await import(`../../functions/${dir}/handler.ts`)).handler as H;
}
