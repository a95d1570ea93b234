/**
 * Deploy parameters, read from CDK context (`-c key=value`, cdk.context.json or cdk.json "context").
 * Known at synth time, so the stack needs no CloudFormation parameters and no lookups.
 * docs/deploy.md describes each one.
 */

export interface DeployParameters {
  /** From address of survey e-mail; its address or domain must be a verified SES identity. */
  readonly senderEmail: string;
  /** Optional: receives every alert. */
  readonly alertEmail?: string;
  /** Optional: base of survey links, e.g. a custom domain mapped to the API. Default: the HTTP API's URL. */
  readonly publicBaseUrl?: string;
  /** Optional: team -> addresses receiving only that team's alerts (SNS filter policy on "team"). */
  readonly teamSubscriptions: Readonly<Record<string, readonly string[]>>;
}

export const CONTEXT_KEYS = {
  senderEmail: 'senderEmail',
  alertEmail: 'alertEmail',
  publicBaseUrl: 'publicBaseUrl',
  teamSubscriptions: 'teamSubscriptions',
} as const;

/** Used when senderEmail is not given, so that `cdk synth` works out of the box; sending fails until it is set. */
export const PLACEHOLDER_SENDER_EMAIL = 'surveys@example.com';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TEAM = /^[A-Za-z0-9_.-]{1,64}$/;

export class DeployParameterError extends Error {
  constructor(key: string, problem: string) {
    super(`Deploy parameter ${key}: ${problem} (see docs/deploy.md)`);
    this.name = 'DeployParameterError';
  }
}

/** Parses raw context values; throws DeployParameterError naming the parameter and the problem. */
export function parseDeployParameters(context: Readonly<Record<string, unknown>>): DeployParameters {
  const senderEmail = optionalEmail(CONTEXT_KEYS.senderEmail, context[CONTEXT_KEYS.senderEmail]) ?? PLACEHOLDER_SENDER_EMAIL;
  const alertEmail = optionalEmail(CONTEXT_KEYS.alertEmail, context[CONTEXT_KEYS.alertEmail]);
  const publicBaseUrl = optionalUrl(CONTEXT_KEYS.publicBaseUrl, context[CONTEXT_KEYS.publicBaseUrl]);
  const teamSubscriptions = teams(CONTEXT_KEYS.teamSubscriptions, context[CONTEXT_KEYS.teamSubscriptions]);
  return { senderEmail, alertEmail, publicBaseUrl, teamSubscriptions };
}

/** Reads the parameters from a construct's context (the App's, in infra/app.ts). */
export function readDeployParameters(node: { tryGetContext(key: string): unknown }): DeployParameters {
  return parseDeployParameters(Object.fromEntries(Object.values(CONTEXT_KEYS).map((key) => [key, node.tryGetContext(key)])));
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function optionalEmail(key: string, value: unknown): string | undefined {
  if (isBlank(value)) return undefined;
  if (typeof value !== 'string' || !EMAIL.test(value.trim())) throw new DeployParameterError(key, `expected an e-mail address, got ${JSON.stringify(value)}`);
  return value.trim();
}

function optionalUrl(key: string, value: unknown): string | undefined {
  if (isBlank(value)) return undefined;
  let url: URL;
  try {
    url = new URL(String(value).trim());
  } catch {
    throw new DeployParameterError(key, `expected an absolute https URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:') throw new DeployParameterError(key, `survey links must use https, got ${url.protocol}`);
  if (url.search || url.hash) throw new DeployParameterError(key, 'the base URL cannot carry a query or a fragment');
  return url.href.replace(/\/+$/, ''); // links are built as `${base}/r/${token}`
}

/** Accepts an object or its JSON text (what `-c teamSubscriptions='{"billing":"lead@example.com"}'` gives). */
function teams(key: string, value: unknown): Record<string, string[]> {
  if (isBlank(value)) return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new DeployParameterError(key, 'expected a JSON object such as {"billing":"lead@example.com"}');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DeployParameterError(key, 'expected an object mapping a team to an address or a list of addresses');
  }
  const result: Record<string, string[]> = {};
  for (const [team, addresses] of Object.entries(parsed)) {
    if (!TEAM.test(team)) throw new DeployParameterError(key, `team ${JSON.stringify(team)} must be 1-64 letters, digits, '.', '_' or '-'`);
    const list = Array.isArray(addresses) ? addresses : [addresses];
    if (list.length === 0) throw new DeployParameterError(key, `team ${team} has no address`);
    result[team] = list.map((address) => {
      const email = optionalEmail(`${key}.${team}`, address);
      if (!email) throw new DeployParameterError(`${key}.${team}`, 'an address is empty');
      return email;
    });
  }
  return result;
}
