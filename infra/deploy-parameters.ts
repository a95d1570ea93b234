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
  /** Optional: a second stack side by side (stage or brand): stack, bus, table, topic and API names derive from it. */
  readonly stage?: string;
  /** Optional: receives every operations alarm and its return to OK (an SNS e-mail subscription). */
  readonly operationsEmail?: string;
  /** Optional: the links' own domain (e.g. `go.shop.example`); needs certificateArn. */
  readonly customDomainName?: string;
  /** ACM certificate covering customDomainName: in the stack's region, or in us-east-1 when webAclArn puts CloudFront in front. */
  readonly certificateArn?: string;
  /** Optional: adds the companion stack (us-east-1) with a WAF web ACL limiting requests per address per 5 minutes on the public routes. */
  readonly wafRateLimit?: number;
  /** Optional: the web ACL of that companion stack (its WebAclArn output): CloudFront with it goes in front of the API. */
  readonly webAclArn?: string;
  /** SMS spend alarm threshold in USD: the account's monthly SMS spending limit (SNS default 1). */
  readonly smsMonthlySpendLimitUsd: number;
  /** The surveys settings file (docs/settings.md), validated: bundled into the functions. */
  readonly surveysSettings: { file: string; settings: Settings };
  /** Upgrade step: keep the retired GSI1 (ALL) next to its INCLUDE successor for one deployment (docs/deploy.md). */
  readonly keepRetiredIndex: boolean;
}

/** The settings file used when the `settings` context parameter is absent (the repository's own). */
export const DEFAULT_SETTINGS_FILE = 'surveys.settings.json';

export const CONTEXT_KEYS = {
  senderEmail: 'senderEmail',
  alertEmail: 'alertEmail',
  publicBaseUrl: 'publicBaseUrl',
  teamSubscriptions: 'teamSubscriptions',
  alertSettings: 'alertSettings',
  stage: 'stage',
  operationsEmail: 'operationsEmail',
  customDomainName: 'customDomainName',
  certificateArn: 'certificateArn',
  wafRateLimit: 'wafRateLimit',
  webAclArn: 'webAclArn',
  smsMonthlySpendLimitUsd: 'smsMonthlySpendLimitUsd',
  /** Path of the surveys settings file; default surveys.settings.json. */
  settings: 'settings',
  keepRetiredIndex: 'keepRetiredIndex',
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
    ...parseOperationsParameters(context),
    surveysSettings,
    keepRetiredIndex: flag(CONTEXT_KEYS.keepRetiredIndex, context[CONTEXT_KEYS.keepRetiredIndex]),
  };
}

/** `-c key=true` gives the string "true"; cdk.json may give the boolean. Absent: false. */
function flag(key: string, value: unknown): boolean {
  if (isBlank(value)) return false;
  const text = String(value).trim().toLowerCase();
  if (text !== 'true' && text !== 'false') throw new DeployParameterError(key, `expected true or false, got ${JSON.stringify(value)}`);
  return text === 'true';
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

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;
const WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/;
/** The SNS account default for SMS spending (USD a month) until AWS Support raises it. */
export const DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD = 1;

/** Stage, operations e-mail, custom domain, WAF and SMS limit: the parameters of docs/operations.md. */
function parseOperationsParameters(context: Readonly<Record<string, unknown>>) {
  const text = (key: string, pattern: RegExp, expected: string): string | undefined => {
    const value = context[key];
    if (isBlank(value)) return undefined;
    const trimmed = String(value).trim();
    if (!pattern.test(trimmed)) throw new DeployParameterError(key, `expected ${expected}, got ${JSON.stringify(value)}`);
    return trimmed;
  };
  const stage = text(CONTEXT_KEYS.stage, STAGE, 'a stage or brand name: a lower-case letter, then up to 19 lower-case letters, digits or "-"');
  const operationsEmail = optionalEmail(CONTEXT_KEYS.operationsEmail, context[CONTEXT_KEYS.operationsEmail]);
  const customDomainName = text(CONTEXT_KEYS.customDomainName, DOMAIN, 'a lower-case domain name such as go.shop.example');
  const certificateArn = text(CONTEXT_KEYS.certificateArn, CERTIFICATE_ARN, 'an ACM certificate ARN');
  const webAclArn = text(CONTEXT_KEYS.webAclArn, WEB_ACL_ARN, 'the ARN of a CloudFront-scope WAF web ACL (us-east-1), the WebAclArn output of the WAF stack');
  if (customDomainName && !certificateArn)
    throw new DeployParameterError(CONTEXT_KEYS.certificateArn, `customDomainName ${customDomainName} needs the ARN of its ACM certificate`);
  if (certificateArn && !customDomainName)
    throw new DeployParameterError(CONTEXT_KEYS.customDomainName, 'certificateArn was given without the domain name it covers');
  if (certificateArn && webAclArn && CERTIFICATE_ARN.exec(certificateArn)?.[1] !== 'us-east-1') {
    throw new DeployParameterError(CONTEXT_KEYS.certificateArn, 'with webAclArn the domain is served by CloudFront, whose certificate must be in us-east-1');
  }
  const wafRateLimit = wholeNumber(CONTEXT_KEYS.wafRateLimit, context[CONTEXT_KEYS.wafRateLimit], 100, 2_000_000_000);
  const smsMonthlySpendLimitUsd =
    positiveNumber(CONTEXT_KEYS.smsMonthlySpendLimitUsd, context[CONTEXT_KEYS.smsMonthlySpendLimitUsd]) ?? DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD;
  return { stage, operationsEmail, customDomainName, certificateArn, wafRateLimit, webAclArn, smsMonthlySpendLimitUsd };
}

/** `-c` gives strings: "300" and 300 are the same parameter. */
function wholeNumber(key: string, value: unknown, min: number, max: number): number | undefined {
  if (isBlank(value)) return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < min || n > max) throw new DeployParameterError(key, `expected a whole number ${min}-${max}, got ${JSON.stringify(value)}`);
  return n;
}

function positiveNumber(key: string, value: unknown): number | undefined {
  if (isBlank(value)) return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isFinite(n) || n <= 0) throw new DeployParameterError(key, `expected a positive number of US dollars, got ${JSON.stringify(value)}`);
  return n;
}
