/**
 * The one configuration of every function: each environment variable (names in functions/manifest.ts
 * ENV) with its default and meaning, parsed once with zod. Variables the libraries read themselves
 * (AWS_REGION, AWS_ENDPOINT_URL_*, POWERTOOLS_*) are not repeated here.
 *
 * On Lambda the first env() call parses process.env. The local runtime and tests call configure()
 * before the handlers run, so nothing reads the environment behind their back.
 */
import * as z from 'zod';
import { KNOWN_SCANNER_NETWORKS, type NetworkList, networkList } from '#surveys/human-evidence.ts';
import { ENV } from '#functions/manifest.ts';
import type { RateRule } from '#functions/shared/rate-limit.ts';

const text = z.string().trim().min(1);
const secret = text.optional();

export const envSchema = z.object({
  [ENV.tableName]: text.optional().describe('the DynamoDB table of everything (required by every function but the authorizer)'),
  [ENV.senderEmail]: z.string().default('surveys@ankieta.local').describe('From: address of survey mails'),
  [ENV.sesConfigurationSet]: z.string().optional().describe('SES configuration set whose events feed email-feedback'),
  [ENV.alertsTopicArn]: z.string().default('arn:aws:sns:local:000000000000:ankieta-alerts').describe('SNS topic of alerts to leads'),
  [ENV.publicBaseUrl]: z.url().default('http://localhost:3000').describe('origin of survey, unsubscribe and short links'),
  [ENV.linkSecret]: z.string().min(32).optional().describe('link-signing secret, as a value (local, tests)'),
  [ENV.linkSecretArn]: secret.describe('link-signing secret, as a Secrets Manager ARN (AWS)'),
  [ENV.linkSecretPrevious]: z.string().min(32).optional().describe('the link secret before the last rotation, still verified (local, tests)'),
  [ENV.delayScale]: z.coerce.number().positive().default(1).describe('multiplies survey delays (seconds instead of days locally)'),
  [ENV.brandName]: z.string().default('ankieta shop').describe("the shop's name in texts"),
  [ENV.responseRetentionDays]: z.coerce.number().int().positive().default(400).describe('raw invitations and responses expire after (TTL)'),
  [ENV.authIssuer]: z.url().optional().describe("the dashboard login's OpenID Connect issuer (Cognito user pool; the local provider)"),
  [ENV.authClientId]: text.optional().describe("the dashboard's public client id (authorization code + PKCE, no secret)"),
  [ENV.authAuthorizationEndpoint]: z.url().optional().describe("the issuer's authorization endpoint (Cognito: the hosted UI's /oauth2/authorize)"),
  [ENV.authTokenEndpoint]: z.url().optional().describe("the issuer's token endpoint (Cognito: /oauth2/token)"),
  [ENV.authEndSessionEndpoint]: z.url().optional().describe("the issuer's logout endpoint (Cognito: /logout)"),
  [ENV.auditRetentionDays]: z.coerce
    .number()
    .int()
    .positive()
    .default(400)
    .describe('audit items (exports, erasures, acks, resolves, replays) expire after (TTL)'),
  [ENV.shopifyWebhookSecret]: secret.describe('Shopify webhook signing secret, as a value (local)'),
  [ENV.shopifyWebhookSecretArn]: secret.describe('Shopify webhook signing secret, as a Secrets Manager ARN (AWS)'),
  [ENV.zendeskWebhookSecret]: secret.describe('Zendesk webhook signing secret, as a value (local)'),
  [ENV.zendeskWebhookSecretArn]: secret.describe('Zendesk webhook signing secret, as a Secrets Manager ARN (AWS)'),
  [ENV.contactHashKey]: z.string().min(32).optional().describe('key of the contact hashes (HMAC-SHA-256), as a value (local, tests)'),
  [ENV.contactHashKeyArn]: secret.describe('key of the contact hashes (HMAC-SHA-256), as a Secrets Manager ARN (AWS)'),
  [ENV.rateLimitAddressPerMinute]: z.coerce.number().int().positive().default(120).describe('survey-link requests per minute from one address (IPv6: /64)'),
  [ENV.rateLimitLinkPerMinute]: z.coerce.number().int().positive().default(60).describe('weighted requests per minute on one survey link (a POST weighs 3)'),
  [ENV.scannerNetworks]: z.string().default('').describe('extra mail-gateway networks, comma-separated CIDRs, added to the published ones'),
  [ENV.dashboardUrl]: z.url().optional().describe('dashboard link in alerts (default: PUBLIC_BASE_URL/dashboard)'),
  [ENV.alertCommentWaitSeconds]: z.coerce.number().nonnegative().optional().describe('wait for a comment before alerting'),
  [ENV.alertAckDeadlineSeconds]: z.coerce.number().positive().optional().describe('remind leads of an alert nobody acknowledged after'),
  [ENV.alertMaxReminders]: z.coerce.number().int().nonnegative().optional().describe('reminders per alert at most'),
  [ENV.alertLanguage]: z.enum(['en', 'pl']).default('en').describe("the leads' language"),
  [ENV.churnAlertThreshold]: z.coerce.number().min(1).max(100).optional().describe('churn risk that raises an alert'),
  [ENV.churnRiskWeights]: z.string().optional().describe('JSON { signal: weight } overriding churn-risk weights'),
  [ENV.outboundQueueUrl]: z.url().optional().describe('the outbound delivery queue (SQS)'),
  [ENV.outboundDlqUrl]: z.url().optional().describe("the outbound delivery queue's dead-letter queue"),
  [ENV.outboundSecretPrefix]: z.string().min(1).default('ankieta/endpoints/').describe('name prefix of endpoint connection secrets'),
  [ENV.outboundAllowLoopback]: z.enum(['true', 'false']).default('false').describe('accept http://127.0.0.1 receivers (local runtime only)'),
  [ENV.outboundRetryScale]: z.coerce.number().positive().max(1).default(1).describe('multiplies the outbound retry waits (shorter locally)'),
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
  respond: { limits: { address: RateRule; link: RateRule }; scannerNetworks: NetworkList };
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
    throw new Error(`Invalid function configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
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
