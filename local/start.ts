import { JavaMissingError } from './dynamodb.ts';
import { startRuntime, type Runtime } from './runtime.ts';
import { DEMO_USERS } from './identity/users.ts';
import { DEFAULT_DATA_DIR } from './secret-files.ts';

// Node 20 is supported here (Lambda runs Node 24); the SDK's notice about Node 22 is not for end users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const started = Date.now();
const clean = process.argv.includes('--clean');
const settingsAt = process.argv.indexOf('--settings');
const settingsFile = settingsAt > 0 ? process.argv[settingsAt + 1] : undefined;
let runtime: Runtime | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nstopping…');
    await runtime?.stop();
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
process.on('uncaughtException', (error) => {
  console.error('ankieta: unexpected error:', error);
  void shutdown(1);
});

try {
  runtime = await startRuntime({
    port: Number(process.env.PORT ?? 3000),
    sesPort: Number(process.env.SES_PORT ?? 8005),
    dynamoPort: Number(process.env.DYNAMODB_PORT ?? 8000),
    identityPort: Number(process.env.IDENTITY_PORT ?? 3001),
    dataDir: DEFAULT_DATA_DIR,
    clean,
    ...(settingsFile ? { settingsFile } : {}),
    log: (line) => console.log(line),
  });
} catch (error) {
  if (error instanceof JavaMissingError) {
    console.error(`\nankieta: ${error.message}`);
    process.exit(3);
  }
  const message = (error as Error).message;
  console.error(`\nankieta could not start: ${message}`);
  if (/EADDRINUSE|port .* taken|exited while starting/i.test(message)) {
    console.error('A port is taken. Stop the other process, or choose ports: PORT=3100 SES_PORT=8105 DYNAMODB_PORT=8100 IDENTITY_PORT=3101 npm start');
  }
  process.exit(1);
}

const { apiUrl, sesUrl, identity } = runtime;
const users = DEMO_USERS.map(
  (u) => `    ${u.username.padEnd(8)} ${identity.users.passwords.get(u.username)}   ${u.name} (${u.groups.join(', ')}${u.team ? `, team ${u.team}` : ''})`,
).join('\n');
console.log(`
ankieta is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Data is kept in .ankieta/ (npm start -- --clean to start afresh).

  Overview (scores, alerts, SMS outbox):  ${apiUrl}/
  Mailbox (local SES):                    ${sesUrl}
  Scores:                                 ${apiUrl}/api/scores?metric=nps&window=30d&segment=store
  Alerts:                                 ${apiUrl}/api/alerts
  SNS outbox (SMS and alerts):            ${apiUrl}/local/outbox
  Login (local OpenID Connect provider):  ${identity.issuer}

The dashboard asks to log in. Demo users only (passwords kept in .ankieta/identity/, not for real use):
${users}
A program on this machine needs no login${runtime.login === 'everyone' ? ' — except now (LOCAL_LOGIN=everyone)' : ''}; a machine client's token:
  curl -s -u ${identity.machineClient.id}:${identity.machineClient.secret} -d grant_type=client_credentials -d scope=ankieta/read ${identity.endpoints.token}

Send the sample "order delivered" event; the NPS survey mail arrives in the mailbox a few seconds later:

  sed "s/\\"occurredAt\\": \\"[^\\"]*\\"/\\"occurredAt\\": \\"$(date -u +%FT%TZ)\\"/" surveys/samples/order-delivered.json |
    curl -s -X POST ${apiUrl}/events -H 'content-type: application/json' -d @-

(stamped now: an event older than its survey's link validity is skipped as stale-event), and a solved
ticket (CSAT): the same with surveys/samples/ticket-solved.json. Ctrl-C stops everything.
`);
