/**
 * Deploy parameters, read from CDK context (`-c key=value`, cdk.context.json or cdk.json "context").
 * Known at synth time, so the stack needs no CloudFormation parameters and no lookups.
 * docs/deploy.md describes each one.
 */

import { existsSync, readFileSync } from 'node:fs';
import { ENV } from '../functions/manifest.ts';
import { parseSettings } from '../surveys/settings/load.ts';
import type { Settings } from '../surveys/settings/schema.ts';
import { SIGNALS } from '../surveys/churn-risk.ts';

export interface DeployParameters {
  /** From address of survey e-mail; its address or domain must be a verified SES identity. */
  readonly senderEmail: string;
  /** Optional: receives every alert. */
  readonly alertEmail?: string;
  /** Optional: base of survey links, e.g. a custom domain mapped to the API. Default: the HTTP API's URL. */
  readonly publicBaseUrl?: string;
  /** Optional: team -> addresses receiving only that team's alerts (SNS filter policy on "team"). */
  readonly teamSubscriptions: Readonly<Record<string, readonly string[]>>;
  /** Optional: alert settings (leads' language, comment wait, reminders, churn-risk threshold and weights) as function environment. */
  readonly alertSettings?: Readonly<Record<string, string>>;
  /** The surveys settings file (docs/settings.md), validated: bundled into the functions. */
  readonly surveysSettings: { file: string; settings: Settings };
}

/** The settings file used when the `settings` context parameter is absent (the repository's own). */
export const DEFAULT_SETTINGS_FILE = 'surveys.settings.json';

export const CONTEXT_KEYS = {
  senderEmail: 'senderEmail',
  alertEmail: 'alertEmail',
  publicBaseUrl: 'publicBaseUrl',
  teamSubscriptions: 'teamSubscriptions',
  alertSettings: 'alertSettings',
  /** Path of the surveys settings file; default surveys.settings.json. */
  settings: 'settings',
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
  const alerts = alertSettings(CONTEXT_KEYS.alertSettings, context[CONTEXT_KEYS.alertSettings]);
  const surveysSettings = readSettingsFile(context[CONTEXT_KEYS.settings]);
  // The settings file's sender, unless senderEmail is given on its own (the SES identity is made for it).
  const settingsSender = surveysSettings.settings.sender !== 'surveys@ankieta.local' ? surveysSettings.settings.sender : undefined;
  return {
    senderEmail: isBlank(context[CONTEXT_KEYS.senderEmail]) && settingsSender ? settingsSender : senderEmail,
    alertEmail,
    publicBaseUrl,
    teamSubscriptions,
    ...(alerts ? { alertSettings: alerts } : {}),
    surveysSettings,
  };
}

/** Reads and validates the surveys settings file: a SettingsError (file:line:column, field, allowed values) fails the synth. */
function readSettingsFile(value: unknown): { file: string; settings: Settings } {
  if (!isBlank(value) && typeof value !== 'string') throw new DeployParameterError(CONTEXT_KEYS.settings, 'must be the path of a JSON file');
  const file = isBlank(value) ? DEFAULT_SETTINGS_FILE : (value as string).trim();
  if (!existsSync(file)) {
    if (isBlank(value)) return { file: '(built-in defaults)', settings: parseSettings('{}') };
    throw new DeployParameterError(CONTEXT_KEYS.settings, `no file ${file}`);
  }
  return { file, settings: parseSettings(readFileSync(file, 'utf8'), file) };
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

/** Keys of the alertSettings object and the function environment variable each one becomes. */
const ALERT_SETTINGS = {
  language: ENV.alertLanguage,
  commentWaitSeconds: ENV.alertCommentWaitSeconds,
  ackDeadlineSeconds: ENV.alertAckDeadlineSeconds,
  maxReminders: ENV.alertMaxReminders,
  churnAlertThreshold: ENV.churnAlertThreshold,
  churnRiskWeights: ENV.churnRiskWeights,
  dashboardUrl: ENV.dashboardUrl,
} as const;

/**
 * `-c 'alertSettings={"language":"pl","commentWaitSeconds":120,"churnRiskWeights":{"refund":25}}'`:
 * checked here so a typo stops the synth instead of a function at run time.
 */
function alertSettings(key: string, value: unknown): Record<string, string> | undefined {
  if (isBlank(value)) return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new DeployParameterError(key, 'expected a JSON object such as {"language":"pl"}');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new DeployParameterError(key, 'expected an object');
  const out: Record<string, string> = {};
  const number = (name: string, v: unknown, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      throw new DeployParameterError(`${key}.${name}`, `expected a number ${min}-${max}, got ${JSON.stringify(v)}`);
    return String(v);
  };
  for (const [name, v] of Object.entries(parsed)) {
    if (!Object.hasOwn(ALERT_SETTINGS, name))
      throw new DeployParameterError(`${key}.${name}`, `unknown setting (known: ${Object.keys(ALERT_SETTINGS).join(', ')})`);
    const variable = ALERT_SETTINGS[name as keyof typeof ALERT_SETTINGS];
    switch (name) {
      case 'language':
        if (v !== 'en' && v !== 'pl') throw new DeployParameterError(`${key}.language`, `expected "en" or "pl", got ${JSON.stringify(v)}`);
        out[variable] = v;
        break;
      case 'commentWaitSeconds':
        out[variable] = number(name, v, 0, 900); // "a few minutes" at most: the lead must hear of a detractor fast
        break;
      case 'ackDeadlineSeconds':
        out[variable] = number(name, v, 60, 7 * 24 * 3600);
        break;
      case 'maxReminders':
        out[variable] = number(name, v, 0, 10);
        break;
      case 'churnAlertThreshold':
        out[variable] = number(name, v, 1, 100);
        break;
      case 'churnRiskWeights':
        if (typeof v !== 'object' || v === null || Array.isArray(v))
          throw new DeployParameterError(`${key}.churnRiskWeights`, 'expected an object signal -> weight');
        for (const [signal, weight] of Object.entries(v)) {
          if (!(SIGNALS as readonly string[]).includes(signal))
            throw new DeployParameterError(`${key}.churnRiskWeights.${signal}`, `unknown signal (known: ${SIGNALS.join(', ')})`);
          number(`churnRiskWeights.${signal}`, weight, 0, 100);
        }
        out[variable] = JSON.stringify(v);
        break;
      case 'dashboardUrl': {
        const url = optionalUrl(`${key}.dashboardUrl`, v);
        if (url) out[variable] = url;
        break;
      }
    }
  }
  return out;
}
