/**
 * Every Lambda function of ankieta and the HTTP routes it serves. The CDK stack creates one function
 * per entry and one HTTP API route per route; the local runtime routes its HTTP server with the same
 * table, so a route exists in both places or in neither. Pure data.
 */
import { COMMERCE_EVENT_FILTER, FINAL_RESPONSE_FILTER } from './adapters/dynamodb/table/filters.ts';

export type FunctionName =
  | 'dashboard'
  | 'readerAuthorizer'
  | 'ingestEvents'
  | 'triggerSurvey'
  | 'sendDue'
  | 'respond'
  | 'privacyApi'
  | 'aggregateScores'
  | 'raiseAlerts'
  | 'readApi'
  | 'alertsApi'
  | 'trackHealth'
  | 'alertSweep'
  | 'webhooks'
  | 'smsInbound'
  | 'emailFeedback'
  | 'unsubscribe'
  | 'shortLink';

export interface HttpRoute {
  method: 'GET' | 'POST' | 'HEAD';
  /** API Gateway HTTP API path syntax: {name} for one segment. */
  path: string;
  fn: FunctionName;
  /**
   * Who may call it on AWS: the public (survey takers, webhook senders with a signature), IAM-signed
   * callers, or support leads with the dashboard key (`Authorization: Bearer …`, checked by the
   * readerAuthorizer Lambda authorizer: a browser cannot sign with IAM).
   */
  auth: 'public' | 'iam' | 'key';
}

export const FUNCTIONS: Record<FunctionName, { entry: string; description: string }> = {
  dashboard: {
    entry: 'functions/dashboard/handler.ts',
    description: "GET /dashboard: the support leads' dashboard page and its assets (no data: it reads the API)",
  },
  readerAuthorizer: { entry: 'functions/read-api/authorizer.ts', description: "HTTP API authorizer: the dashboard key (bearer) for the support leads' routes" },
  ingestEvents: { entry: 'functions/ingest-events/handler.ts', description: 'POST /events: validates commerce events and triggers surveys' },
  triggerSurvey: { entry: 'functions/trigger-survey/handler.ts', description: 'EventBridge rule target: triggers a survey from a commerce event' },
  sendDue: { entry: 'functions/send-due/handler.ts', description: 'Every minute: sends the invitations whose time has come' },
  respond: { entry: 'functions/respond/handler.ts', description: 'Survey links: rating page, confirmation, comment' },
  privacyApi: { entry: 'functions/privacy-api/handler.ts', description: 'GDPR erasure of a customer by id or e-mail address' },
  aggregateScores: { entry: 'functions/aggregate-scores/handler.ts', description: 'DynamoDB stream: folds final responses into daily score buckets' },
  raiseAlerts: { entry: 'functions/raise-alerts/handler.ts', description: 'DynamoDB stream: raises and publishes detractor alerts' },
  readApi: { entry: 'functions/read-api/handler.ts', description: 'GET /api/scores for support leads' },
  alertsApi: { entry: 'functions/alerts-api/handler.ts', description: 'Alerts for support leads: list, acknowledge, resolve, statistics, customer health' },
  trackHealth: {
    entry: 'functions/track-health/handler.ts',
    description: 'DynamoDB stream: customer health from answers and events; raises churn-risk alerts',
  },
  alertSweep: {
    entry: 'functions/alert-sweep/handler.ts',
    description: 'Every minute: sends alerts whose comment wait is over, reminds about unacknowledged ones',
  },
  webhooks: { entry: 'functions/webhooks/handler.ts', description: 'POST /webhooks/{source}: signed Shopify and Zendesk webhooks, mapped to commerce events' },
  smsInbound: { entry: 'functions/sms-inbound/handler.ts', description: 'SNS (End User Messaging SMS two-way): SMS replies become answers, comments or STOP' },
  emailFeedback: { entry: 'functions/email-feedback/handler.ts', description: 'SNS (SES configuration set): bounces and complaints suppress the address' },
  unsubscribe: { entry: 'functions/unsubscribe/handler.ts', description: '/u/{token}: unsubscribe page (GET) and one-click unsubscribe (POST, RFC 8058)' },
  shortLink: { entry: 'functions/short-link/handler.ts', description: 'GET /s/{code}: SMS short link, redirects to the survey page' },
};

export const HTTP_ROUTES: HttpRoute[] = [
  { method: 'POST', path: '/events', fn: 'ingestEvents', auth: 'iam' },
  { method: 'GET', path: '/r/{token}', fn: 'respond', auth: 'public' },
  // Scanners send HEAD to every link: answered without reading or writing anything.
  { method: 'HEAD', path: '/r/{token}', fn: 'respond', auth: 'public' },
  { method: 'POST', path: '/r/{token}', fn: 'respond', auth: 'public' },
  { method: 'POST', path: '/r/{token}/comment', fn: 'respond', auth: 'public' },
  { method: 'POST', path: '/api/customers/{id}/erase', fn: 'privacyApi', auth: 'iam' },
  { method: 'POST', path: '/api/erasure', fn: 'privacyApi', auth: 'iam' },
  { method: 'POST', path: '/webhooks/{source}', fn: 'webhooks', auth: 'public' },
  { method: 'GET', path: '/u/{token}', fn: 'unsubscribe', auth: 'public' },
  { method: 'HEAD', path: '/u/{token}', fn: 'unsubscribe', auth: 'public' },
  { method: 'POST', path: '/u/{token}', fn: 'unsubscribe', auth: 'public' },
  { method: 'GET', path: '/s/{code}', fn: 'shortLink', auth: 'public' },
  { method: 'GET', path: '/api/scores', fn: 'readApi', auth: 'key' },
  { method: 'GET', path: '/api/scores/daily', fn: 'readApi', auth: 'key' },
  { method: 'GET', path: '/api/export/scores', fn: 'readApi', auth: 'key' },
  { method: 'GET', path: '/api/export/responses', fn: 'readApi', auth: 'key' },
  // The dashboard page and its scripts hold no data (the figures come from the 'key' routes above).
  { method: 'GET', path: '/dashboard', fn: 'dashboard', auth: 'public' },
  { method: 'GET', path: '/dashboard/assets/{file}', fn: 'dashboard', auth: 'public' },
  // Support leads' routes: the dashboard key, like the scores, so that the dashboard's buttons work from a browser.
  { method: 'GET', path: '/api/alerts', fn: 'alertsApi', auth: 'key' },
  { method: 'GET', path: '/api/alerts/stats', fn: 'alertsApi', auth: 'key' },
  { method: 'POST', path: '/api/alerts/{id}/ack', fn: 'alertsApi', auth: 'key' },
  { method: 'POST', path: '/api/alerts/{id}/resolve', fn: 'alertsApi', auth: 'key' },
  { method: 'GET', path: '/api/customers/{id}/health', fn: 'alertsApi', auth: 'key' },
];

/**
 * Functions fed by the table's DynamoDB stream, with the Lambda filter pattern of their mapping. The
 * CDK stack creates one event source mapping each; the local stream reader applies the same filters.
 */
export interface StreamSubscription {
  fn: FunctionName;
  /** One Lambda filter pattern, or several: a record passes when it matches any of them (Lambda ORs a mapping's filters). */
  filter: Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[];
  /** Lambda puts the shard id in the event only with a tumbling window: set for consumers that need it. */
  needsShardId?: boolean;
}

export const STREAM_CONSUMERS: StreamSubscription[] = [
  { fn: 'aggregateScores', filter: FINAL_RESPONSE_FILTER, needsShardId: true }, // per-shard exactly-once watermark
  { fn: 'raiseAlerts', filter: FINAL_RESPONSE_FILTER },
  { fn: 'trackHealth', filter: [FINAL_RESPONSE_FILTER, COMMERCE_EVENT_FILTER] }, // customer health from answers and events
];

/** Functions run on a timer: every `everyMinutes` on AWS (EventBridge rule), every `localEverySeconds` locally. */
export interface Schedule {
  fn: FunctionName;
  everyMinutes: number;
  localEverySeconds: number;
  description: string;
}

export const SCHEDULES: Schedule[] = [
  { fn: 'sendDue', everyMinutes: 1, localEverySeconds: 1, description: 'Due sweep: sends the invitations whose time has come' },
  {
    fn: 'alertSweep',
    everyMinutes: 1,
    localEverySeconds: 1,
    description: 'Alert sweep: sends alerts after the comment wait, reminds about unacknowledged ones, rechecks churn risk',
  },
];

/** Environment variables the functions read: their defaults and meanings are in functions/shared/env.ts (one zod schema); the stack sets them. */
export const ENV = {
  tableName: 'TABLE_NAME',
  senderEmail: 'SENDER_EMAIL',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  alertsTopicArn: 'ALERTS_TOPIC_ARN',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  linkSecret: 'LINK_SECRET',
  linkSecretArn: 'LINK_SECRET_ARN',
  delayScale: 'SURVEY_DELAY_SCALE',
  // The dashboard key of the support leads' routes: a Secrets Manager ARN on AWS, the value in tests.
  readerKeySecretArn: 'READER_KEY_SECRET_ARN',
  readerKey: 'READER_KEY',
  // Webhook signing secrets (docs/webhooks.md): the value locally, a Secrets Manager ARN on AWS.
  shopifyWebhookSecret: 'SHOPIFY_WEBHOOK_SECRET',
  shopifyWebhookSecretArn: 'SHOPIFY_WEBHOOK_SECRET_ARN',
  zendeskWebhookSecret: 'ZENDESK_WEBHOOK_SECRET',
  zendeskWebhookSecretArn: 'ZENDESK_WEBHOOK_SECRET_ARN',
  // Key of the contact hashes (HMAC-SHA-256 of addresses, numbers, ids in keys): the value locally, a Secrets Manager ARN on AWS.
  contactHashKey: 'CONTACT_HASH_KEY',
  contactHashKeyArn: 'CONTACT_HASH_KEY_ARN',
  // Alerts (README "Alerts"): the wait for a comment, the acknowledgment deadline, the leads' language, churn-risk overrides.
  dashboardUrl: 'DASHBOARD_URL',
  alertCommentWaitSeconds: 'ALERT_COMMENT_WAIT_SECONDS',
  alertAckDeadlineSeconds: 'ALERT_ACK_DEADLINE_SECONDS',
  alertMaxReminders: 'ALERT_MAX_REMINDERS',
  alertLanguage: 'ALERT_LANGUAGE',
  churnAlertThreshold: 'CHURN_ALERT_THRESHOLD',
  churnRiskWeights: 'CHURN_RISK_WEIGHTS',
  // The shop's name in texts; how long raw invitations and responses are kept; the survey links' guards.
  brandName: 'BRAND_NAME',
  responseRetentionDays: 'RESPONSE_RETENTION_DAYS',
  rateLimitAddressPerMinute: 'RATE_LIMIT_ADDRESS_PER_MINUTE',
  rateLimitLinkPerMinute: 'RATE_LIMIT_LINK_PER_MINUTE',
  scannerNetworks: 'SCANNER_NETWORKS',
} as const;
