/**
 * Every Lambda function of ankieta and the HTTP routes it serves. The CDK stack creates one function
 * per entry and one HTTP API route per route; the local runtime routes its HTTP server with the same
 * table, so a route exists in both places or in neither. Pure data.
 */
import { COMMERCE_EVENT_FILTER, DETRACTOR_RESPONSE_FILTER, FINAL_RESPONSE_FILTER, LIVE_RESPONSE_FILTER } from './adapters/dynamodb/table/filters.ts';
import { ALERT_CHANGE_FILTER, UNSUBSCRIBE_FILTER } from './adapters/dynamodb/outbound-filters.ts';
import type { Role } from './shared/principal.ts';

export type FunctionName =
  | 'dashboard'
  | 'ingestEvents'
  | 'triggerSurvey'
  | 'sendDue'
  | 'sendDueSms'
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
  | 'funnelApi'
  | 'quarantineApi';

export type HttpRoute = {
  method: 'GET' | 'POST' | 'HEAD' | 'DELETE';
  /** API Gateway HTTP API path syntax: {name} for one segment. */
  path: string;
  fn: FunctionName;
} & (
  | {
      /**
       * Who may call it on AWS: the public (survey takers, webhook senders with a signature), IAM-signed
       * callers (integrations, scripts), or signed-in support leads and machine clients ('jwt': the HTTP
       * API's JWT authorizer on the Cognito user pool; functions/shared/principal.ts is the contract).
       */
      auth: 'public' | 'iam';
    }
  | {
      auth: 'jwt';
      /** The role the caller needs (viewer < lead < admin), checked by the authorize() middleware. */
      role: Role;
    }
);

export const FUNCTIONS: Record<FunctionName, { entry: string; description: string }> = {
  dashboard: {
    entry: 'functions/dashboard/handler.ts',
    description: "GET /dashboard: the support leads' dashboard page and its assets (no data: it reads the API)",
  },
  ingestEvents: { entry: 'functions/ingest-events/handler.ts', description: 'POST /events: validates commerce events and triggers surveys' },
  triggerSurvey: { entry: 'functions/trigger-survey/handler.ts', description: 'EventBridge rule target: triggers a survey from a commerce event' },
  sendDue: {
    entry: 'functions/send-due/handler.ts',
    description: 'Every minute: sends the e-mail invitations whose time has come, confirms the held dwell answers',
  },
  // The SMS sends apart from the e-mail ones (no SNS client and no phone metadata in sendDue, no SES here): docs/architecture.md "Bundles".
  sendDueSms: { entry: 'functions/send-due-sms/handler.ts', description: 'Every minute: sends the SMS invitations whose time has come' },
  respond: { entry: 'functions/respond/handler.ts', description: 'Survey links: rating page, confirmation, comment' },
  privacyApi: { entry: 'functions/privacy-api/handler.ts', description: 'GDPR erasure of a customer by id or e-mail address; the audit log for admins' },
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
  quarantineApi: {
    entry: 'functions/quarantine-api/handler.ts',
    description: 'Rejected input for support leads: list, count, read, replay once the cause is fixed',
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
  { method: 'GET', path: '/api/scores', fn: 'readApi', auth: 'jwt', role: 'viewer' },
  { method: 'GET', path: '/api/insights', fn: 'readApi', auth: 'jwt', role: 'viewer' }, // comment topics that drive the score
  { method: 'GET', path: '/api/scores/daily', fn: 'readApi', auth: 'jwt', role: 'viewer' },
  { method: 'GET', path: '/api/export/scores', fn: 'readApi', auth: 'jwt', role: 'viewer' },
  { method: 'GET', path: '/api/export/responses', fn: 'readApi', auth: 'jwt', role: 'admin' },
  // The dashboard page and its scripts hold no data (the figures come from the 'jwt' routes above).
  { method: 'GET', path: '/dashboard', fn: 'dashboard', auth: 'public' },
  { method: 'GET', path: '/dashboard/assets/{file}', fn: 'dashboard', auth: 'public' },
  // The dashboard's login settings (issuer, client id, endpoints): public by nature, no secret (functions/shared/principal.ts).
  { method: 'GET', path: '/dashboard/auth.json', fn: 'dashboard', auth: 'public' },
  // Support leads' routes: a signed-in lead (JWT), like the scores, so that the dashboard's buttons work from a browser.
  { method: 'GET', path: '/api/alerts', fn: 'alertsApi', auth: 'jwt', role: 'viewer' },
  { method: 'GET', path: '/api/alerts/stats', fn: 'alertsApi', auth: 'jwt', role: 'viewer' },
  { method: 'POST', path: '/api/alerts/{id}/ack', fn: 'alertsApi', auth: 'jwt', role: 'lead' },
  { method: 'POST', path: '/api/alerts/{id}/resolve', fn: 'alertsApi', auth: 'jwt', role: 'lead' },
  { method: 'GET', path: '/api/customers/{id}/health', fn: 'alertsApi', auth: 'jwt', role: 'viewer' },
  { method: 'POST', path: '/api/endpoints', fn: 'endpointsApi', auth: 'jwt', role: 'lead' },
  { method: 'GET', path: '/api/endpoints', fn: 'endpointsApi', auth: 'jwt', role: 'lead' },
  { method: 'GET', path: '/api/endpoints/{id}/deliveries', fn: 'endpointsApi', auth: 'jwt', role: 'lead' },
  { method: 'DELETE', path: '/api/endpoints/{id}', fn: 'endpointsApi', auth: 'jwt', role: 'lead' },
  { method: 'GET', path: '/api/funnel', fn: 'funnelApi', auth: 'jwt', role: 'viewer' },
  { method: 'GET', path: '/api/comments', fn: 'funnelApi', auth: 'jwt', role: 'viewer' },
  // Admins: erasure from the dashboard (the 'iam' routes above stay for integrations) and the audit log.
  { method: 'POST', path: '/api/admin/erasure', fn: 'privacyApi', auth: 'jwt', role: 'admin' },
  { method: 'GET', path: '/api/audit', fn: 'privacyApi', auth: 'jwt', role: 'admin' },
  // Rejected input (docs/webhooks.md "Rejected input"); stats before {id}: the local router takes the first match.
  // Admins only: reasons may name a customer or order, the payload holds personal data, a replay acts on it.
  { method: 'GET', path: '/api/quarantine', fn: 'quarantineApi', auth: 'jwt', role: 'admin' },
  { method: 'GET', path: '/api/quarantine/stats', fn: 'quarantineApi', auth: 'jwt', role: 'admin' },
  { method: 'GET', path: '/api/quarantine/{id}', fn: 'quarantineApi', auth: 'jwt', role: 'admin' }, // ?include=payload: personal data
  { method: 'POST', path: '/api/quarantine/{id}/replay', fn: 'quarantineApi', auth: 'jwt', role: 'admin' },
];

/**
 * Functions fed by the table's DynamoDB stream, with the Lambda filter pattern of their mapping. The
 * CDK stack creates one event source mapping each; the local stream reader applies the same filters.
 */
export interface StreamSubscription {
  fn: FunctionName;
  /** One Lambda filter pattern, or several: a record passes when it matches any of them (Lambda ORs a mapping's filters). */
  filter: Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[];
  /**
   * Lambda puts the shard id in the event only with a tumbling window: set for consumers that need it. These are
   * the page writers, which also write their pages once per window (PAGE_WINDOW_SECONDS).
   */
  needsShardId?: boolean;
  /**
   * How long Lambda gathers records (at most 300 s) and how many it passes at most: STREAM_BATCHING by
   * default. A consumer that writes one page per batch writes fewer the fuller its batches (docs/cost.md,
   * "Aggregation at every traffic level"); one someone waits for keeps a short window.
   */
  batching?: StreamBatching;
}

export interface StreamBatching {
  windowSeconds: number;
  batchSize: number;
}

/** The default: batches of up to 100 records, gathered for at most 5 s. */
export const STREAM_BATCHING: StreamBatching = { windowSeconds: 5, batchSize: 100 };
/** Page writers (scores, topics, funnel): counts can be minutes late, so batches gather 5 minutes (or 1,000 records). */
export const PAGE_BATCHING: StreamBatching = { windowSeconds: 300, batchSize: 1000 };
/**
 * The page writers' tumbling window (Lambda's longest): every batch of a window is folded into its state and
 * each page is written once, at the window's end (functions/shared/page-window.ts), so a quiet shop's pages are
 * not written once per batch of one record. Counts can be ~15 + 5 minutes late (the window, then a batch that
 * waited its 300 s): scores, topics and the funnel are read by day and 7/30/90-day windows, none of them live.
 */
export const PAGE_WINDOW_SECONDS = 900;

/**
 * Every change of an invitation item the funnel can count (created, sent, delivered, opened, bounced…). A send's
 * claim (status `sending`) counts nothing (surveys/funnel/steps.ts), so it is not delivered: one consumer call less
 * per send when the traffic is low enough for each record to make a batch of its own.
 */
export const INVITATION_CHANGE_FILTER = {
  dynamodb: { NewImage: { sk: { S: ['INVITATION'] }, status: { S: [{ 'anything-but': ['sending'] }] } } },
} as const;

export const STREAM_CONSUMERS: StreamSubscription[] = [
  { fn: 'aggregateScores', filter: FINAL_RESPONSE_FILTER, needsShardId: true, batching: PAGE_BATCHING }, // per-shard exactly-once watermark
  // Click to alert listed: goal p95 ≤ 10 s (docs/alerts.md), so the default 5 s window at most.
  { fn: 'raiseAlerts', filter: DETRACTOR_RESPONSE_FILTER }, // responses that are or were a detractor's: the only ones with an alert
  { fn: 'classifyComments', filter: FINAL_RESPONSE_FILTER, batching: PAGE_BATCHING }, // its own write (insights) comes back filtered by version
  { fn: 'trackHealth', filter: [LIVE_RESPONSE_FILTER, COMMERCE_EVENT_FILTER], batching: { windowSeconds: 60, batchSize: 100 } }, // customer health from answers and events
  { fn: 'countFunnel', filter: [INVITATION_CHANGE_FILTER, LIVE_RESPONSE_FILTER], needsShardId: true, batching: PAGE_BATCHING }, // per-shard exactly-once watermark
  // Outbound events: final answers, alert changes (the handler keeps the transitions), unsubscribes. Goal p95 ≤ 2 s to the receiver.
  { fn: 'emitOutbound', filter: [LIVE_RESPONSE_FILTER, ALERT_CHANGE_FILTER, UNSUBSCRIBE_FILTER], batching: { windowSeconds: 1, batchSize: 100 } },
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
  { fn: 'sendDue', everyMinutes: 1, localEverySeconds: 1, description: 'Due sweep: sends the e-mail invitations whose time has come' },
  { fn: 'sendDueSms', everyMinutes: 1, localEverySeconds: 1, description: 'SMS due sweep: sends the SMS invitations whose time has come' },
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
  // The dashboard's login (functions/shared/principal.ts): the OpenID Connect issuer, the public client, its endpoints.
  authIssuer: 'AUTH_ISSUER',
  authClientId: 'AUTH_CLIENT_ID',
  authAuthorizationEndpoint: 'AUTH_AUTHORIZATION_ENDPOINT',
  authTokenEndpoint: 'AUTH_TOKEN_ENDPOINT',
  authEndSessionEndpoint: 'AUTH_END_SESSION_ENDPOINT',
  // The audit log (exports, erasures, acks, resolves, replays): how long its items are kept.
  auditRetentionDays: 'AUDIT_RETENTION_DAYS',
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
  // The dwell rules' waits (surveys/human-evidence.ts DEFAULT_EVIDENCE_RULES): shorter in tests of the local runtime only.
  dwellMinSecondsAfterSend: 'DWELL_MIN_SECONDS_AFTER_SEND',
  dwellHoldSeconds: 'DWELL_HOLD_SECONDS',
  // Outbound endpoints (docs/alerts.md): the delivery queue and its dead-letter queue, where endpoint
  // secrets live, and, locally only, loopback receivers and a shorter retry schedule.
  outboundQueueUrl: 'OUTBOUND_QUEUE_URL',
  outboundDlqUrl: 'OUTBOUND_DLQ_URL',
  outboundSecretPrefix: 'OUTBOUND_SECRET_PREFIX',
  outboundAllowLoopback: 'OUTBOUND_ALLOW_LOOPBACK',
  outboundRetryScale: 'OUTBOUND_RETRY_SCALE',
} as const;
