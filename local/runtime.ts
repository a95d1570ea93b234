/**
 * The embedded runtime: the whole pipeline on one machine with real parts.
 *   DynamoDB Local (table from functions/adapters/dynamodb/table/definition.ts) · the local SES server (aws-ses-v2-local)
 *   · the HTTP API routed to the real handlers, its leads' routes behind the local OpenID Connect
 *   provider (local/identity/: what Cognito and the JWT authorizer are on AWS) · a stream reader feeding the aggregator and the
 *   alerts handler · the due sweep on a timer · a local SNS endpoint whose messages land in an outbox.
 * Used by `npm start` (local/start.ts) and by the end-to-end tests, so both run the same thing.
 */
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ENV, SCHEDULES, STREAM_CONSUMERS, type FunctionName } from '../functions/manifest.ts';
import { addSummaries, type SendSummary } from '../surveys/use-cases/send-due.ts';
import { ensureTable, localDynamoClient, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb.ts';
import { loadHandlers } from './handlers.ts';
import { afterEachRequest, inBatchesOf, observed, windowPerCall } from './handler-calls.ts';
import { listenLocally, startHttpServer } from './http-server.ts';
import { Outbox } from './outbox.ts';
import { localSecret } from './secret-files.ts';
import { StreamReader } from './stream-reader.ts';
import { localSesEventsConsumer } from './ses-events.ts';
import { localRoutes } from './pages.ts';
import { localOutbound } from './outbound.ts';
import { parseSettings } from '../surveys/settings/load.ts';
import type { EvidenceRules } from '../surveys/human-evidence.ts';
import { startLocalIdentity, DASHBOARD_CLIENT_ID, type LocalIdentity } from './identity/provider.ts';
import { jwtVerifier } from './identity/verify.ts';
import { identityAuthorizer, type LoginPolicy } from './identity/authorizer.ts';

export interface RuntimeOptions {
  /** HTTP API port (0 = any free port). */
  port?: number;
  sesPort?: number;
  dynamoPort?: number;
  /**
   * A DynamoDB Local that is already running (e.g. the one the test run shares): the runtime creates its
   * table there and deletes it at stop, instead of starting a JVM of its own (seconds per start).
   */
  dynamoEndpoint?: string;
  /** Keeps data here between runs; without it everything lives in memory. */
  dataDir?: string;
  /** Wipe dataDir first. */
  clean?: boolean;
  /** Multiplies survey delays (days on AWS): the default makes them seconds locally. */
  delayScale?: number;
  /** The due sweeps' pace for FAST_SWEEPS_AFTER_WRITES_MS after a write to the table (tests); otherwise each schedule's localEverySeconds. */
  sweepIntervalMs?: number;
  streamPollMs?: number;
  tableName?: string;
  /**
   * The surveys settings file (docs/settings.md). Default: SURVEYS_SETTINGS, else ./surveys.settings.json
   * when it exists, else the built-in defaults. An invalid file stops the start with its SettingsError.
   */
  settingsFile?: string;
  /** Runs the due sweep and the stream reader on timers (true for npm start; tests may drive them by hand). */
  background?: boolean;
  /** Multiplies the outbound retry schedule's waits (1/100 by default: seconds become tens of milliseconds). */
  outboundRetryScale?: number;
  log?: (line: string) => void;
  /** The local OpenID Connect provider's port (0 = any free port). */
  identityPort?: number;
  /** Who must log in: browsers only (default, DESIGN.md "Local access"), or every caller as on AWS (LOCAL_LOGIN=everyone). */
  login?: LoginPolicy;
  /**
   * Shorter waits of the evidence rules (surveys/human-evidence.ts DEFAULT_EVIDENCE_RULES) for tests that would
   * otherwise wait out a minute after sending and a 30 s dwell hold: handed to the functions' configuration
   * (DWELL_* settings, functions/shared/deps.ts evidenceRules), never written into the defaults.
   */
  evidenceRules?: Partial<Pick<EvidenceRules, 'dwellMinSecondsAfterSend' | 'dwellHoldSeconds'>>;
  /**
   * The most records a stream consumer gets per call (default: what the reader read, up to 100): 1 gives every
   * consumer batches of one record, as Lambda's at low traffic. The reader still reads 100 at a time.
   */
  streamBatchSize?: number;
  /**
   * The page writers' tumbling window locally (seconds; on AWS PAGE_WINDOW_SECONDS, 15 minutes): short, so the
   * dashboard's scores follow within seconds. Default LOCAL_STREAM_WINDOW_SECONDS, else 5; 0 gives every call a
   * window of its own. `drainStream` ends the open windows early, so what it waited for is in the pages.
   */
  streamWindowSeconds?: number;
  /**
   * Runs every handler call the runtime makes (HTTP routes, stream consumers, schedules, queues, SES events):
   * a benchmark counts and times invocations with it. It must call `invoke` and return its result.
   */
  onInvoke?: (fn: FunctionName, invoke: () => Promise<unknown>) => Promise<unknown>;
}

export interface Runtime {
  apiUrl: string;
  sesUrl: string;
  dynamoEndpoint: string;
  tableName: string;
  outbox: Outbox;
  /** The local OpenID Connect provider: issuer, demo users and their passwords, the machine client. */
  identity: LocalIdentity;
  /** Who must log in (RuntimeOptions.login). */
  login: LoginPolicy;
  /** Runs one due sweep of each channel now (sendDue, sendDueSms): their summaries added up. */
  sweep(): Promise<SendSummary>;
  /** Runs any scheduled function now. */
  runScheduled(fn: FunctionName): Promise<unknown>;
  /**
   * Resolves once everything written so far has been through the stream consumers (and what they wrote
   * in turn): with the background reader running, it waits for the reader's next whole pass instead of
   * polling beside it; without it, it feeds the stream to the consumers now.
   */
  drainStream(timeoutMs?: number): Promise<void>;
  /** The locally hosted SQS queues (outbound deliveries) and their dead-letter queues. */
  queues: ReturnType<typeof localOutbound>['queues'];
  /** Runs the queue consumers until their queues are empty (tests with background: false). */
  drainQueues(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function startSes(port: number): Promise<{ server: Server; port: number }> {
  const mod = (await import('aws-ses-v2-local')) as unknown as {
    default: ((c: { port: number; host: string }) => Promise<Server>) | { default: (c: { port: number; host: string }) => Promise<Server> };
  };
  const start = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const server = await start({ port, host: '127.0.0.1' });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}

function linkSecret(dataDir: string | undefined): string {
  return localSecret(dataDir, 'LINK_SECRET', 'link-secret');
}

/** The runtime's dwell rules as the functions' settings (functions/manifest.ts ENV): only the functions' configuration sees them. */
function dwellSettings(rules: RuntimeOptions['evidenceRules'] = {}): Record<string, string> {
  const settings: Record<string, string> = {};
  if (rules.dwellMinSecondsAfterSend !== undefined) settings[ENV.dwellMinSecondsAfterSend] = String(rules.dwellMinSecondsAfterSend);
  if (rules.dwellHoldSeconds !== undefined) settings[ENV.dwellHoldSeconds] = String(rules.dwellHoldSeconds);
  return settings;
}

function streamWindowSeconds(options: RuntimeOptions): number {
  const seconds = options.streamWindowSeconds ?? Number(process.env.LOCAL_STREAM_WINDOW_SECONDS ?? 5);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`the local stream window must be 0 or more seconds, not ${seconds}`);
  return seconds;
}

/** The due sweeps, one per channel (functions/manifest.ts SCHEDULES): `sweep()` runs both, `sweepIntervalMs` times both. */
const SEND_SWEEPS: FunctionName[] = ['sendDue', 'sendDueSms'];
/** How long after a write the due sweeps keep the fast pace: a survey scheduled by it comes due within seconds (SURVEY_DELAY_SCALE). */
const FAST_SWEEPS_AFTER_WRITES_MS = 15_000;

/** The reader's next whole pass, or an error that says what did not happen in time (a consumer failing again and again). */
async function caughtUp(reader: StreamReader, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the stream consumers did not catch up with the table's stream within ${timeoutMs} ms (one keeps failing?)`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([reader.caughtUp(), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function ownDynamoDb(options: RuntimeOptions, log: (line: string) => void): Promise<DynamoDbLocal> {
  log('starting DynamoDB Local…');
  return startDynamoDbLocal({ port: options.dynamoPort, dataDir: options.dataDir ? join(options.dataDir, 'dynamodb') : undefined });
}

/** Uses a running DynamoDB Local; stopping the runtime deletes its table, never the shared database. */
function sharedDynamoDb(endpoint: string, tableName: string): DynamoDbLocal {
  const client = localDynamoClient(endpoint);
  const stop = async () => {
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    client.destroy();
  };
  return { endpoint, port: Number(new URL(endpoint).port), client, stop };
}

export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? (() => undefined);
  const tableName = options.tableName ?? 'ankieta';
  if (options.dataDir && options.clean) rmSync(options.dataDir, { recursive: true, force: true });
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });

  const stops: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await Promise.resolve(s()).catch(() => undefined);
    stops.length = 0;
  };
  try {
    const dynamo = options.dynamoEndpoint ? sharedDynamoDb(options.dynamoEndpoint, tableName) : await ownDynamoDb(options, log);
    stops.push(() => dynamo.stop());
    const streamArn = await ensureTable(dynamo.client, tableName);

    const ses = await startSes(options.sesPort ?? 0);
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          ses.server.closeAllConnections?.();
          ses.server.close(() => resolve());
        }),
    );

    // The API's port is taken before the parts that must know its address (the login's origins, the outbound queue's URL).
    const apiServer = await listenLocally(options.port ?? 0);
    let http: Awaited<ReturnType<typeof startHttpServer>> | undefined;
    stops.push(() => (http ? http.close() : new Promise<void>((resolve) => apiServer.close(() => resolve()))));
    const apiPort = (apiServer.address() as AddressInfo).port;
    const apiUrl = `http://localhost:${apiPort}`;
    const identity = await startLocalIdentity({
      port: options.identityPort ?? 0,
      dashboardOrigins: ['localhost', '127.0.0.1', '[::1]'].map((name) => `http://${name}:${apiPort}`),
      dir: options.dataDir ? join(options.dataDir, 'identity') : undefined,
      log,
    });
    stops.push(() => identity.stop());
    const login = options.login ?? (process.env.LOCAL_LOGIN === 'everyone' ? 'everyone' : 'browsers');
    log(`identity provider (OpenID Connect): ${identity.issuer}`);
    const outbound = localOutbound({ apiPort, dataDir: options.dataDir, retryScale: options.outboundRetryScale, log });
    // The handlers read the same variables as on AWS; the SDK's service endpoints point at local parts.
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${ses.port}`,
      AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${apiPort}/local/sns`,
      PUBLIC_BASE_URL: apiUrl,
      LINK_SECRET: linkSecret(options.dataDir),
      // Hashes in stored keys must stay the same across restarts, like the links already sent.
      CONTACT_HASH_KEY: localSecret(options.dataDir, 'CONTACT_HASH_KEY', 'contact-hash-key'),
      SURVEY_DELAY_SCALE: String(options.delayScale ?? 1 / 86_400), // a 3-day NPS delay becomes 3 seconds
      // Alerts wait seconds, not minutes, for a comment; reminders after 2 minutes (README "Alerts"). Tests may set their own.
      ALERT_COMMENT_WAIT_SECONDS: process.env.ALERT_COMMENT_WAIT_SECONDS ?? '5',
      ALERT_ACK_DEADLINE_SECONDS: process.env.ALERT_ACK_DEADLINE_SECONDS ?? '120',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      // The dashboard's login (GET /dashboard/auth.json) points at the local provider, as at Cognito on AWS.
      AUTH_ISSUER: identity.issuer,
      AUTH_CLIENT_ID: DASHBOARD_CLIENT_ID,
      AUTH_AUTHORIZATION_ENDPOINT: identity.endpoints.authorization,
      AUTH_TOKEN_ENDPOINT: identity.endpoints.token,
      AUTH_END_SESSION_ENDPOINT: identity.endpoints.endSession,
      ...outbound.env, // the delivery queue and the endpoint secrets, hosted here (local/outbound.ts)
    });
    // The functions' configuration is built from that environment before any handler loads (functions/shared/env.ts).
    const { configure } = await import('../functions/shared/env.ts');
    configure({ ...process.env, ...dwellSettings(options.evidenceRules) });
    // The key of the contact hashes, handed to the table module as each handler's middleware does (for code run outside one).
    const { loadContactHashKey } = await import('../functions/shared/middlewares/contact-hash-key.ts');
    await loadContactHashKey();
    const settingsFile = options.settingsFile ?? process.env.SURVEYS_SETTINGS ?? (existsSync('surveys.settings.json') ? 'surveys.settings.json' : undefined);
    const { configureSettings } = await import('../functions/shared/settings.ts');
    configureSettings(parseSettings(settingsFile ? readFileSync(settingsFile, 'utf8') : '{}', settingsFile ?? 'built-in defaults'));
    if (settingsFile) log(`surveys settings: ${settingsFile}`);
    let afterRequest = () => {}; // the stream reader's nudge, once it exists: a request may have written to the table
    const handlers = afterEachRequest(observed(await loadHandlers(), options.onInvoke), () => afterRequest());

    const outbox = new Outbox(options.dataDir ? join(options.dataDir, 'outbox.jsonl') : undefined);
    const pages = localRoutes({ outbox, sesUrl: `http://localhost:${ses.port}` });
    http = await startHttpServer({
      server: apiServer,
      handlers,
      outbox,
      authorizer: identityAuthorizer(jwtVerifier({ issuer: identity.issuer, audience: identity.audience, jwks: identity.jwks }), login),
      extra: async (req, res, url, body) => outbound.route(req, res, body) || pages(req, res, url, body),
    });

    const pageWindowSeconds = streamWindowSeconds(options);
    const reader = new StreamReader({
      endpoint: dynamo.endpoint,
      streamArn,
      pollMs: options.streamPollMs ?? 250,
      checkpointFile: options.dataDir ? join(options.dataDir, 'stream-checkpoints.json') : undefined,
      // The same subscriptions and filters as the CDK event source mappings.
      consumers: [
        ...STREAM_CONSUMERS.map((c) => {
          // The page writers' tumbling windows (functions/manifest.ts PAGE_WINDOW_SECONDS); 0: a window per call.
          const window = c.needsShardId ? pageWindowSeconds : undefined;
          const handler = window === 0 ? windowPerCall(handlers[c.fn]) : handlers[c.fn];
          return { name: c.fn, filter: c.filter, handler: inBatchesOf(options.streamBatchSize, handler), ...(window ? { windowSeconds: window } : {}) };
        }),
        localSesEventsConsumer(handlers.emailFeedback), // SES publishes deliveries on AWS; locally this does
      ],
      onError: (consumer, error) => log(`stream consumer ${consumer} failed (will retry): ${(error as Error).message}`),
    });
    afterRequest = () => reader.nudge();
    // Scheduled functions (SCHEDULES in the manifest), each run one at a time, as EventBridge would.
    const runs = new Map<FunctionName, Promise<unknown>>();
    // Registered before the timers, so it runs after they are cleared (stops run in reverse): the runs in
    // flight finish while the table, the HTTP server (local SNS, SQS) and SES are still there.
    stops.push(async () => {
      await Promise.allSettled([...runs.values()]);
    });
    const runScheduled = (fn: FunctionName) => {
      const next = (runs.get(fn) ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => handlers[fn]({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }));
      runs.set(fn, next);
      return next;
    };
    const sweep = async () => addSummaries((await Promise.all(SEND_SWEEPS.map(runScheduled))) as SendSummary[]);
    if (options.background !== false) {
      reader.start();
      stops.push(() => reader.stop());
      outbound.start(handlers);
      stops.push(() => outbound.stop());
      for (const schedule of SCHEDULES) {
        const usual = schedule.localEverySeconds * 1000;
        const fast = SEND_SWEEPS.includes(schedule.fn) && options.sweepIntervalMs ? options.sweepIntervalMs : undefined;
        let running = false; // a tick while the last run is still going is skipped, not queued behind it
        let lastRun = 0;
        const timer = setInterval(() => {
          if (running) return;
          // A fast sweep (tests) runs at its pace only for a while after the table was written to, when
          // something may come due: an idle runtime's sweeps were most of its DynamoDB Local requests.
          const now = Date.now();
          if (fast && now - reader.lastRecordsAt > FAST_SWEEPS_AFTER_WRITES_MS && now - lastRun < usual) return;
          lastRun = now;
          running = true;
          void runScheduled(schedule.fn)
            .catch((e: Error) => log(`${schedule.fn} failed (will run again): ${e.message}`))
            .finally(() => (running = false));
        }, fast ?? usual);
        stops.push(() => clearInterval(timer));
      }
    }
    return {
      apiUrl,
      sesUrl: `http://localhost:${ses.port}`,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      outbox,
      identity,
      login,
      sweep,
      runScheduled,
      drainStream: (timeoutMs = 60_000) => caughtUp(reader, timeoutMs),
      queues: outbound.queues,
      drainQueues: (timeoutMs) => outbound.drain(handlers, timeoutMs),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
