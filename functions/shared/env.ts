/**
 * The one configuration of every function: each environment variable (names in functions/manifest.ts
 * ENV) with its default and meaning, parsed once with zod. Variables the libraries read themselves
 * (AWS_REGION, AWS_ENDPOINT_URL_*, POWERTOOLS_*) are not repeated here.
 *
 * On Lambda the first env() call parses process.env. The local runtime and tests call configure()
 * before the handlers run, so nothing reads the environment behind their back.
 */
import * as z from '#surveys/zod.ts';
import { KNOWN_SCANNER_NETWORKS, type NetworkList, networkList } from '#surveys/human-evidence.ts';
import { ENV } from '#functions/manifest.ts';
import { describeIssues } from '#functions/shared/issues.ts';
import type { RateRule } from '#functions/shared/rate-limit.ts';

const text = z.string().check(z.trim(), z.minLength(1));
const secret = z.optional(text);
/** A variable with its meaning (zod/mini: `.describe()` is a check). */
const meant = <T extends z.ZodMiniType>(schema: T, meaning: string): T => schema.check(z.describe(meaning));
const str = z.string();
const count = z.coerce.number().check(z.int(), z.positive());

export const envSchema = z.object({
  [ENV.tableName]: meant(z.optional(text), 'the DynamoDB table of everything (required by every function but the authorizer)'),
  [ENV.senderEmail]: meant(z._default(str, 'surveys@ankieta.local'), 'From: address of survey mails'),
  [ENV.sesConfigurationSet]: meant(z.optional(str), 'SES configuration set whose events feed email-feedback'),
  [ENV.alertsTopicArn]: meant(z._default(str, 'arn:aws:sns:local:000000000000:ankieta-alerts'), 'SNS topic of alerts to leads'),
  [ENV.publicBaseUrl]: meant(z._default(z.url(), 'http://localhost:3000'), 'origin of survey, unsubscribe and short links'),
  [ENV.linkSecret]: meant(z.optional(z.string().check(z.minLength(32))), 'link-signing secret, as a value (local, tests)'),
  [ENV.linkSecretArn]: meant(secret, 'link-signing secret, as a Secrets Manager ARN (AWS)'),
  [ENV.linkSecretPrevious]: meant(z.optional(z.string().check(z.minLength(32))), 'the link secret before the last rotation, still verified (local, tests)'),
  [ENV.delayScale]: meant(z._default(z.coerce.number().check(z.positive()), 1), 'multiplies survey delays (seconds instead of days locally)'),
  [ENV.brandName]: meant(z._default(str, 'ankieta shop'), "the shop's name in texts"),
  [ENV.responseRetentionDays]: meant(z._default(count, 400), 'raw invitations and responses expire after (TTL)'),
  [ENV.authIssuer]: meant(z.optional(z.url()), "the dashboard login's OpenID Connect issuer (Cognito user pool; the local provider)"),
  [ENV.authClientId]: meant(z.optional(text), "the dashboard's public client id (authorization code + PKCE, no secret)"),
  [ENV.authAuthorizationEndpoint]: meant(z.optional(z.url()), "the issuer's authorization endpoint (Cognito: the hosted UI's /oauth2/authorize)"),
  [ENV.authTokenEndpoint]: meant(z.optional(z.url()), "the issuer's token endpoint (Cognito: /oauth2/token)"),
  [ENV.authEndSessionEndpoint]: meant(z.optional(z.url()), "the issuer's logout endpoint (Cognito: /logout)"),
  [ENV.auditRetentionDays]: meant(z._default(count, 400), 'audit items (exports, erasures, acks, resolves, replays) expire after (TTL)'),
  [ENV.shopifyWebhookSecret]: meant(secret, 'Shopify webhook signing secret, as a value (local)'),
  [ENV.shopifyWebhookSecretArn]: meant(secret, 'Shopify webhook signing secret, as a Secrets Manager ARN (AWS)'),
  [ENV.zendeskWebhookSecret]: meant(secret, 'Zendesk webhook signing secret, as a value (local)'),
  [ENV.zendeskWebhookSecretArn]: meant(secret, 'Zendesk webhook signing secret, as a Secrets Manager ARN (AWS)'),
  [ENV.contactHashKey]: meant(z.optional(z.string().check(z.minLength(32))), 'key of the contact hashes (HMAC-SHA-256), as a value (local, tests)'),
  [ENV.contactHashKeyArn]: meant(secret, 'key of the contact hashes (HMAC-SHA-256), as a Secrets Manager ARN (AWS)'),
  [ENV.rateLimitAddressPerMinute]: meant(z._default(count, 120), 'survey-link requests per minute from one address (IPv6: /64)'),
  [ENV.rateLimitLinkPerMinute]: meant(z._default(count, 60), 'weighted requests per minute on one survey link (a POST weighs 3)'),
  [ENV.scannerNetworks]: meant(z._default(str, ''), 'extra mail-gateway networks, comma-separated CIDRs, added to the published ones'),
  [ENV.dwellMinSecondsAfterSend]: meant(z.optional(z.coerce.number().check(z.nonnegative())), 'dwell answers sooner after sending are refused (default 60)'),
  [ENV.dwellHoldSeconds]: meant(z.optional(z.coerce.number().check(z.nonnegative())), 'a dwell answer is held this long before it counts (default 30)'),
  [ENV.dashboardUrl]: meant(z.optional(z.url()), 'dashboard link in alerts (default: PUBLIC_BASE_URL/dashboard)'),
  [ENV.alertCommentWaitSeconds]: meant(z.optional(z.coerce.number().check(z.nonnegative())), 'wait for a comment before alerting'),
  [ENV.alertAckDeadlineSeconds]: meant(z.optional(z.coerce.number().check(z.positive())), 'remind leads of an alert nobody acknowledged after'),
  [ENV.alertMaxReminders]: meant(z.optional(z.coerce.number().check(z.int(), z.nonnegative())), 'reminders per alert at most'),
  [ENV.alertLanguage]: meant(z._default(z.enum(['en', 'pl']), 'en'), "the leads' language"),
  [ENV.churnAlertThreshold]: meant(z.optional(z.coerce.number().check(z.gte(1), z.lte(100))), 'churn risk that raises an alert'),
  [ENV.churnRiskWeights]: meant(z.optional(str), 'JSON { signal: weight } overriding churn-risk weights'),
  [ENV.outboundQueueUrl]: meant(z.optional(z.url()), 'the outbound delivery queue (SQS)'),
  [ENV.outboundDlqUrl]: meant(z.optional(z.url()), "the outbound delivery queue's dead-letter queue"),
  [ENV.outboundSecretPrefix]: meant(z._default(z.string().check(z.minLength(1)), 'ankieta/endpoints/'), 'name prefix of endpoint connection secrets'),
  [ENV.outboundAllowLoopback]: meant(z._default(z.enum(['true', 'false']), 'false'), 'accept http://127.0.0.1 receivers (local runtime only)'),
  [ENV.outboundRetryScale]: meant(z._default(z.coerce.number().check(z.positive(), z.lte(1)), 1), 'multiplies the outbound retry waits (shorter locally)'),
});

/** A secret as configured: its value (local, tests) or its Secrets Manager ARN (AWS); `names` are for error messages. */
export interface SecretSource {
  value?: string;
  arn?: string;
  /** The value before the last rotation, still accepted where the secret supports it (the link secret). */
  previousValue?: string;
  names: { value: string; arn: string };
}

export type Env = {
  tableName: string;
  senderEmail: string;
  sesConfigurationSet?: string;
  alertsTopicArn: string;
  publicBaseUrl: string;
  delayScale: number;
  brand: string;
  retentionDays: number;
  secrets: Record<'link' | 'shopifyWebhook' | 'zendeskWebhook' | 'contactHash', SecretSource>;
  /** The survey links' guards: request limits and the networks of mail scanners. */
  respond: {
    limits: { address: RateRule; link: RateRule };
    scannerNetworks: NetworkList;
    /** The dwell rules' waits; unset values take the defaults of surveys/human-evidence.ts. */
    dwell: { minSecondsAfterSend?: number; holdSeconds?: number };
  };
  /** Alert settings; unset values take the defaults of surveys/use-cases/alert-lifecycle.ts and surveys/churn-risk.ts. */
  alerts: {
    dashboardUrl: string;
    commentWaitSeconds?: number;
    ackDeadlineSeconds?: number;
    maxReminders?: number;
    language: 'en' | 'pl';
    churnThreshold?: number;
    churnWeights?: string;
  };
  /** The dashboard's login (functions/shared/principal.ts); undefined until issuer, client and endpoints are all set. */
  login?: { issuer: string; clientId: string; authorizationEndpoint: string; tokenEndpoint: string; endSessionEndpoint?: string };
  /** How long audit items are kept (days). */
  auditRetentionDays: number;
  /** Outbound endpoints (docs/alerts.md): the delivery queue, where secrets live, local-only relaxations. */
  outbound: {
    queueUrl?: string;
    deadLetterQueueUrl?: string;
    secretPrefix: string;
    allowLoopback: boolean;
    retryScale: number;
  };
};

const secretOf = (e: z.infer<typeof envSchema>, value: keyof typeof e & string, arn: keyof typeof e & string): SecretSource => ({
  value: e[value] as string | undefined,
  arn: e[arn] as string | undefined,
  names: { value, arn },
});

function loginOf(e: z.infer<typeof envSchema>): Env['login'] {
  const [issuer, clientId, authorizationEndpoint, tokenEndpoint] = [
    e[ENV.authIssuer],
    e[ENV.authClientId],
    e[ENV.authAuthorizationEndpoint],
    e[ENV.authTokenEndpoint],
  ];
  if (!issuer || !clientId || !authorizationEndpoint || !tokenEndpoint) return undefined;
  return { issuer, clientId, authorizationEndpoint, tokenEndpoint, endSessionEndpoint: e[ENV.authEndSessionEndpoint] };
}

/** Pure: the configuration an environment describes, or an error naming every wrong variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid function configuration: ${describeIssues(parsed.error).join('; ')}`);
  }
  const e = parsed.data;
  const publicBaseUrl = e[ENV.publicBaseUrl].replace(/\/$/, '');
  const tableName = e[ENV.tableName];
  return {
    get tableName(): string {
      if (!tableName) throw new Error(`Invalid function configuration: ${ENV.tableName}: required by this function`);
      return tableName;
    },
    senderEmail: e[ENV.senderEmail],
    sesConfigurationSet: e[ENV.sesConfigurationSet],
    alertsTopicArn: e[ENV.alertsTopicArn],
    publicBaseUrl,
    delayScale: e[ENV.delayScale],
    brand: e[ENV.brandName],
    retentionDays: e[ENV.responseRetentionDays],
    secrets: {
      link: { ...secretOf(e, ENV.linkSecret, ENV.linkSecretArn), previousValue: e[ENV.linkSecretPrevious] },
      shopifyWebhook: secretOf(e, ENV.shopifyWebhookSecret, ENV.shopifyWebhookSecretArn),
      zendeskWebhook: secretOf(e, ENV.zendeskWebhookSecret, ENV.zendeskWebhookSecretArn),
      contactHash: secretOf(e, ENV.contactHashKey, ENV.contactHashKeyArn),
    },
    respond: {
      limits: {
        address: { scope: 'addr', limit: e[ENV.rateLimitAddressPerMinute], windowSeconds: 60 },
        link: { scope: 'link', limit: e[ENV.rateLimitLinkPerMinute], windowSeconds: 60 },
      },
      scannerNetworks: networkList([...KNOWN_SCANNER_NETWORKS, ...e[ENV.scannerNetworks].split(',')]),
      dwell: { minSecondsAfterSend: e[ENV.dwellMinSecondsAfterSend], holdSeconds: e[ENV.dwellHoldSeconds] },
    },
    alerts: {
      dashboardUrl: e[ENV.dashboardUrl]?.replace(/\/$/, '') ?? `${publicBaseUrl}/dashboard`,
      commentWaitSeconds: e[ENV.alertCommentWaitSeconds],
      ackDeadlineSeconds: e[ENV.alertAckDeadlineSeconds],
      maxReminders: e[ENV.alertMaxReminders],
      language: e[ENV.alertLanguage],
      churnThreshold: e[ENV.churnAlertThreshold],
      churnWeights: e[ENV.churnRiskWeights],
    },
    login: loginOf(e),
    auditRetentionDays: e[ENV.auditRetentionDays],
    outbound: {
      queueUrl: e[ENV.outboundQueueUrl],
      deadLetterQueueUrl: e[ENV.outboundDlqUrl],
      secretPrefix: e[ENV.outboundSecretPrefix],
      allowLoopback: e[ENV.outboundAllowLoopback] === 'true',
      retryScale: e[ENV.outboundRetryScale],
    },
  };
}

let current: Env | undefined;

/** Builds and installs the configuration: the local runtime and tests call it before handlers run. */
export function configure(source: Record<string, string | undefined> = process.env): Env {
  current = parseEnv(source);
  return current;
}

/** The installed configuration (on Lambda: process.env, parsed on first use). */
export function env(): Env {
  return current ?? configure();
}
