/**
 * `npm run erase -- --customer <id>` or `npm run erase -- --email <address>`: GDPR erasure from the
 * command line, with the same use case and adapter as `POST /api/erasure`.
 *
 * Where:
 *   (default)       the local runtime's data: the DynamoDB Local of a running `npm start`
 *                   (port DYNAMODB_PORT, 8000), or, when none answers, a DynamoDB Local started here
 *                   on .ankieta/dynamodb for the time of the erasure.
 *   --aws           the table on AWS: --table <name> or TABLE_NAME (the stack output TableName), with
 *                   the usual AWS credentials and region (AWS_PROFILE, AWS_REGION…).
 * Prints the report (counts per customer) as JSON. Exit codes: 0 done, 2 bad arguments, 1 failure.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { customerSchema } from '../surveys/model.ts';
import { eraseCustomer, type ErasureRequest } from '../surveys/use-cases/erase-customer.ts';
import { DynamoErasureStore } from '../functions/adapters/dynamodb/erasure-store.ts';
import { DynamoErasureLedger } from '../functions/adapters/dynamodb/erasure-ledger.ts';
import { installContactHashKey } from './contact-hash-key.ts';
import { localDynamoClient, startDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodb.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `usage: npm run erase -- (--customer <id> | --email <address>) [--aws] [--table <name>]`;

function fail(message: string, code = 2): never {
  console.error(`erase: ${message}\n${USAGE}`);
  process.exit(code);
}

function request(values: { customer?: string; email?: string }): ErasureRequest {
  if (Boolean(values.customer) === Boolean(values.email)) fail('give exactly one of --customer or --email');
  if (values.customer) {
    const id = customerSchema.shape.id.safeParse(values.customer);
    if (!id.success) fail(`--customer: ${id.error.issues[0]?.message}`);
    return { customerId: id.data };
  }
  const email = customerSchema.shape.email.def.innerType.safeParse(values.email);
  if (!email.success) fail(`--email: ${email.error.issues[0]?.message}`);
  return { email: email.data };
}

async function answers(client: DynamoDBClient): Promise<boolean> {
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  let parsed: ReturnType<
    typeof parseArgs<{ options: { customer: { type: 'string' }; email: { type: 'string' }; aws: { type: 'boolean' }; table: { type: 'string' } } }>
  >;
  try {
    parsed = parseArgs({ options: { customer: { type: 'string' }, email: { type: 'string' }, aws: { type: 'boolean' }, table: { type: 'string' } } });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values } = parsed;
  const what = request(values);

  let client: DynamoDBClient;
  let tableName: string;
  let started: DynamoDbLocal | undefined;
  if (values.aws) {
    tableName = values.table ?? process.env.TABLE_NAME ?? fail('--aws needs --table <name> or TABLE_NAME (the stack output TableName)');
    client = new DynamoDBClient({});
  } else {
    tableName = values.table ?? 'ankieta';
    client = localDynamoClient(`http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`);
    if (!(await answers(client))) {
      const dataDir = join(process.cwd(), '.ankieta', 'dynamodb');
      if (!existsSync(dataDir)) fail('no local data: neither a running `npm start` nor .ankieta/dynamodb was found', 1);
      client.destroy();
      started = await startDynamoDbLocal({ dataDir });
      client = started.client;
    }
  }
  try {
    // The key of the contact hashes: the stack's secret with --aws, else the local runtime's (scripts/contact-hash-key.ts).
    await installContactHashKey(Boolean(values.aws));
    const doc = DynamoDBDocumentClient.from(client);
    const report = await eraseCustomer(what, { store: new DynamoErasureStore(doc, tableName), ledger: new DynamoErasureLedger(doc, tableName) });
    console.log(JSON.stringify(report, null, 2));
    if (!report.found) console.error('erase: nothing was stored about this customer');
  } finally {
    await started?.stop();
  }
}

main().catch((error: Error) => {
  console.error(`erase: ${error.message}`);
  process.exit(1);
});
