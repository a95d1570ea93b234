/**
 * Every Lambda function of ankieta and the HTTP routes it serves. The CDK stack creates one function
 * per entry and one HTTP API route per route; the local runtime routes its HTTP server with the same
 * table, so a route exists in both places or in neither. Pure data.
 */
import { COMMERCE_EVENT_FILTER, FINAL_RESPONSE_FILTER, LIVE_RESPONSE_FILTER } from './adapters/dynamodb/table/filters.ts';
import { ALERT_CHANGE_FILTER, UNSUBSCRIBE_FILTER } from './adapters/dynamodb/outbound-filters.ts';

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
  | 'classifyComments'
  | 'readApi'
  | 'alertsApi'
  | 'trackHealth'
  | 'alertSweep'
  | 'webhooks'
  | 'smsInbound'
  | 'emailFeedback'
  | 'unsubscribe'
  | 'shortLink'
  | 'endpointsApi'
  | 'emitOutbound'
  | 'deliverOutbound'
  | 'countFunnel'
  | 'funnelApi';

export interface HttpRoute {
  method: 'GET' | 'POST' | 'HEAD' | 'DELETE';
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
  classifyComments: {
    entry: 'functions/classify-comments/handler.ts',
    description: 'DynamoDB stream: topics and sentiment of each new or edited comment, stored on the response',
  },
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
  // Outbound endpoints (issue 14, docs/alerts.md "Outbound endpoints").
  endpointsApi: { entry: 'functions/endpoints-api/handler.ts', description: 'Outbound endpoints for support leads: register, list, deliveries, delete' },
  emitOutbound: {
    entry: 'functions/emit-outbound/handler.ts',
    description: 'DynamoDB stream: answers, alert transitions and unsubscribes become outbound events, queued per endpoint',
  },
  deliverOutbound: {
    entry: 'functions/deliver-outbound/handler.ts',
    description: 'SQS: delivers outbound events (signed webhooks, Slack, Teams, Zendesk) with retries, then dead-letters',
  },
  countFunnel: { entry: 'functions/count-funnel/handler.ts', description: 'DynamoDB stream: folds invitation changes and answers into daily funnel pages' },
  funnelApi: {
    entry: 'functions/funnel-api/handler.ts',
    description: 'GET /api/funnel and /api/comments: how many answer, and what they wrote, for support leads',
  },
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
  { method: 'GET', path: '/api/insights', fn: 'readApi', auth: 'key' }, // comment topics that drive the score
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
  { method: 'POST', path: '/api/endpoints', fn: 'endpointsApi', auth: 'key' },
  { method: 'GET', path: '/api/endpoints', fn: 'endpointsApi', auth: 'key' },
  { method: 'GET', path: '/api/endpoints/{id}/deliveries', fn: 'endpointsApi', auth: 'key' },
  { method: 'DELETE', path: '/api/endpoints/{id}', fn: 'endpointsApi', auth: 'key' },
  { method: 'GET', path: '/api/funnel', fn: 'funnelApi', auth: 'key' },
  { method: 'GET', path: '/api/comments', fn: 'funnelApi', auth: 'key' },
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

/** Every change of an invitation item (created, claimed, sent, delivered, opened, bounced…): the funnel reads them. */
export const INVITATION_CHANGE_FILTER = { dynamodb: { NewImage: { sk: { S: ['INVITATION'] } } } } as const;

export const STREAM_CONSUMERS: StreamSubscription[] = [
  { fn: 'aggregateScores', filter: FINAL_RESPONSE_FILTER, needsShardId: true }, // per-shard exactly-once watermark
  { fn: 'raiseAlerts', filter: LIVE_RESPONSE_FILTER },
  { fn: 'classifyComments', filter: FINAL_RESPONSE_FILTER }, // its own write (insights) comes back filtered by version
  { fn: 'trackHealth', filter: [LIVE_RESPONSE_FILTER, COMMERCE_EVENT_FILTER] }, // customer health from answers and events
  { fn: 'countFunnel', filter: [INVITATION_CHANGE_FILTER, LIVE_RESPONSE_FILTER], needsShardId: true }, // per-shard exactly-once watermark
  // Outbound events: final answers, alert changes (the handler keeps the transitions), unsubscribes.
  { fn: 'emitOutbound', filter: [LIVE_RESPONSE_FILTER, ALERT_CHANGE_FILTER, UNSUBSCRIBE_FILTER] },
];

/**
 * Functions fed by an SQS queue the stack creates for them (with a dead-letter queue and alarms); the
 * local runtime hosts the same queue in memory and polls it every `localPollMs`.
 */
export interface QueueSubscription {
  fn: FunctionName;
  /** The queue's name suffix and the environment variables that carry its URLs. */
  queue: 'outbound';
  urlEnv: string;
  deadLetterUrlEnv: string;
  batchSize: number;
  /** A message received this often without being deleted goes to the dead-letter queue (a safety net: the function dead-letters itself). */
  maxReceiveCount: number;
  /** At least six times the function's timeout (AWS guidance for Lambda event sources). */
  visibilityTimeoutSeconds: number;
  functionTimeoutSeconds: number;
  localPollMs: number;
}

export const QUEUE_CONSUMERS: QueueSubscription[] = [
  {
    fn: 'deliverOutbound',
    queue: 'outbound',
    urlEnv: 'OUTBOUND_QUEUE_URL',
    deadLetterUrlEnv: 'OUTBOUND_DLQ_URL',
    batchSize: 10,
    maxReceiveCount: 40,
    visibilityTimeoutSeconds: 180,
    functionTimeoutSeconds: 30,
    localPollMs: 50,
  },
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
  // The link secret before the last rotation, still accepted locally (on AWS: the secret's AWSPREVIOUS version).
  linkSecretPrevious: 'LINK_SECRET_PREVIOUS',
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
  // Outbound endpoints (docs/alerts.md): the delivery queue and its dead-letter queue, where endpoint
  // secrets live, and, locally only, loopback receivers and a shorter retry schedule.
  outboundQueueUrl: 'OUTBOUND_QUEUE_URL',
  outboundDlqUrl: 'OUTBOUND_DLQ_URL',
  outboundSecretPrefix: 'OUTBOUND_SECRET_PREFIX',
  outboundAllowLoopback: 'OUTBOUND_ALLOW_LOOPBACK',
  outboundRetryScale: 'OUTBOUND_RETRY_SCALE',
} as const;
