/**
 * The composition root: wires the domain's ports to their AWS adapters, each built on first use and
 * kept for the container's life (rebuilt only when configure() installs another configuration).
 * Handlers take their adapters from here; nothing else in functions/ constructs one.
 */

import { DynamoAlertStore } from '#functions/adapters/dynamodb/alert-store.ts';
import { DynamoAuditLog } from '#functions/adapters/dynamodb/audit-log.ts';
import { DynamoCancellationStore } from '#functions/adapters/dynamodb/cancellation-store.ts';
import { DynamoContactStore } from '#functions/adapters/dynamodb/contact-store.ts';
import { DynamoCustomerHistory } from '#functions/adapters/dynamodb/customer-history.ts';
import { DynamoErasureStore } from '#functions/adapters/dynamodb/erasure-store.ts';
import { DynamoInsightsWriter } from '#functions/adapters/dynamodb/insights-store.ts';
import { DynamoFunnelMarks } from '#functions/adapters/dynamodb/funnel-marks.ts';
import { FunnelPageReader, FunnelPageWriter } from '#functions/adapters/dynamodb/funnel-pages.ts';
import { DynamoErasureLedger } from '#functions/adapters/dynamodb/erasure-ledger.ts';
import { DynamoInvitationStore } from '#functions/adapters/dynamodb/invitation-store.ts';
import { DynamoLinkActivityStore } from '#functions/adapters/dynamodb/link-activity-store.ts';
import { DynamoOrderMemory } from '#functions/adapters/dynamodb/order-memory.ts';
import { DynamoQuarantineStore } from '#functions/adapters/dynamodb/quarantine-store.ts';
import { DynamoResponseExport } from '#functions/adapters/dynamodb/response-export.ts';
import { DynamoResponseStore } from '#functions/adapters/dynamodb/response-store.ts';
import { ScoreBucketReader, ScoreBucketWriter } from '#functions/adapters/dynamodb/score-buckets.ts';
import { TopicPageReader, topicPageWriter } from '#functions/adapters/dynamodb/topic-pages.ts';
import { DynamoTriggerStore } from '#functions/adapters/dynamodb/trigger-store.ts';
import { linkSigner } from '#functions/adapters/secrets/link-secret.ts';
import { resolveSecret } from '#functions/adapters/secrets/secrets.ts';
import { SesEmailSender } from '#functions/adapters/ses/ses-email-sender.ts';
import { SnsSmsSender } from '#functions/adapters/sns/sns-publishers.ts';
import { dynamoDocumentClient, sesClient, snsClient } from '#functions/shared/clients.ts';
import { type Env, env } from '#functions/shared/env.ts';
import { logger } from '#functions/shared/logger.ts';
import { MemoryRateLimiter } from '#functions/shared/rate-limit.ts';
import { countMetric } from '#functions/shared/metrics.ts';
import type { ReceiveDeps } from '#surveys/use-cases/receive-event.ts';
import type { WebhookDeps } from '#surveys/use-cases/receive-webhook.ts';
import type { ReplayDeps } from '#surveys/quarantine/replay.ts';
import { type InboundDeps, WebhookNotConfigured } from '#surveys/webhooks/inbound.ts';
import type { CountryCode } from 'libphonenumber-js/mobile';
import { catalogueOf, policyOf, questionFor } from '#surveys/settings/apply.ts';
import type { Language, Metric } from '#surveys/model.ts';
import { surveysSettings } from '#functions/shared/settings.ts';
import type { ResponseDeps } from '#surveys/use-cases/record-response.ts';
import { DEFAULT_EVIDENCE_RULES, type EvidenceRules } from '#surveys/human-evidence.ts';

/** An adapter built on first use from the installed configuration (and again after configure() installs another). */
export function lazy<T>(build: (config: Env) => T): () => T {
  let built: { config: Env; value: T } | undefined;
  return () => {
    const config = env();
    if (built?.config !== config) built = { config, value: build(config) };
    return built.value;
  };
}

export const systemClock = () => new Date();

// One store per aggregate over the single table (functions/adapters/dynamodb/table/ITEMS.md lists the items).
/** Commerce events that trigger surveys (invitations, subjects, profiles). */
export const triggerStore = /* @__PURE__ */ lazy((c) => new DynamoTriggerStore(dynamoDocumentClient(), c.tableName, c.retentionDays));
/** Due invitations, sending, reminders, bounces. */
export const invitationStore = /* @__PURE__ */ lazy((c) => new DynamoInvitationStore(dynamoDocumentClient(), c.tableName));
/** Refunds and reopens that cancel pending surveys. */
export const cancellationStore = /* @__PURE__ */ lazy((c) => new DynamoCancellationStore(dynamoDocumentClient(), c.tableName));
/** Invitations as a respondent sees them, and their responses. */
export const responseStore = /* @__PURE__ */ lazy((c) => new DynamoResponseStore(dynamoDocumentClient(), c.tableName, c.retentionDays));
export const alertStore = /* @__PURE__ */ lazy((c) => new DynamoAlertStore(dynamoDocumentClient(), c.tableName, c.retentionDays));
/** A customer's profile and past responses. */
export const customerHistory = /* @__PURE__ */ lazy((c) => new DynamoCustomerHistory(dynamoDocumentClient(), c.tableName));
/** Suppression list, SMS short links and reply threads. */
export const contactStore = /* @__PURE__ */ lazy((c) => new DynamoContactStore(dynamoDocumentClient(), c.tableName, c.retentionDays));
export const linkActivity = /* @__PURE__ */ lazy((c) => new DynamoLinkActivityStore(dynamoDocumentClient(), c.tableName));
/** Per-address and per-link request limits, counted in the container's memory (no table write). */
export const rateLimiter = /* @__PURE__ */ lazy(() => new MemoryRateLimiter());
export const erasureStore = /* @__PURE__ */ lazy((c) => new DynamoErasureStore(dynamoDocumentClient(), c.tableName));
/** Erasure tombstones: every consumer of records about customers asks it first (docs/architecture.md). */
export const erasureLedger = /* @__PURE__ */ lazy((c) => new DynamoErasureLedger(dynamoDocumentClient(), c.tableName));
/** Who exported, erased, acknowledged, resolved or replayed what (functions/shared/audit.ts writes it). */
export const auditLog = /* @__PURE__ */ lazy((c) => new DynamoAuditLog(dynamoDocumentClient(), c.tableName, c.auditRetentionDays));
/** Daily score histograms: the aggregator writes them, the read API reads them. */
export const scoreBucketWriter = /* @__PURE__ */ lazy((c) => new ScoreBucketWriter(dynamoDocumentClient(), c.tableName));
export const scoreReader = /* @__PURE__ */ lazy((c) => new ScoreBucketReader(dynamoDocumentClient(), c.tableName));
/** The response funnel: marks on invitations (delivered, opened, unsubscribed, complained) and the daily funnel pages. */
export const funnelMarks = /* @__PURE__ */ lazy((c) => new DynamoFunnelMarks(dynamoDocumentClient(), c.tableName));
export const funnelPageWriter = /* @__PURE__ */ lazy((c) => new FunnelPageWriter(dynamoDocumentClient(), c.tableName));
export const funnelPageReader = /* @__PURE__ */ lazy((c) => new FunnelPageReader(dynamoDocumentClient(), c.tableName));
export const responseExport = /* @__PURE__ */ lazy((c) => new DynamoResponseExport(dynamoDocumentClient(), c.tableName));
/** Comment topics: the classification stored on responses, and the topic pages (surveys/insights/). */
export const insightsWriter = /* @__PURE__ */ lazy((c) => new DynamoInsightsWriter(dynamoDocumentClient(), c.tableName));
export const topicWriter = /* @__PURE__ */ lazy((c) => topicPageWriter(dynamoDocumentClient(), c.tableName));
export const topicReader = /* @__PURE__ */ lazy((c) => new TopicPageReader(dynamoDocumentClient(), c.tableName));
export const emailSender = /* @__PURE__ */ lazy((c) => new SesEmailSender(sesClient(), c.senderEmail, c.sesConfigurationSet));
export const smsSender = /* @__PURE__ */ lazy(() => new SnsSmsSender(snsClient()));
/** Orders' customers for Shopify's delivery events, and moving a pending send to the delivered time. */
export const orderMemory = /* @__PURE__ */ lazy((c) => new DynamoOrderMemory(dynamoDocumentClient(), c.tableName));
/** The quarantine's items: kept, listed, read, replayed (GET/POST /api/quarantine…). */
export const quarantineStore = /* @__PURE__ */ lazy((c) => new DynamoQuarantineStore(dynamoDocumentClient(), c.tableName));

export { linkSigner };
import { SecretUnavailableError } from '#functions/adapters/secrets/secrets.ts';
export { SecretUnavailableError };

/** What receiving a commerce event needs (the bus, POST /events and the webhooks alike). */
export function receiveDeps(): ReceiveDeps {
  const settings = surveysSettings();
  return {
    store: triggerStore(),
    suppressions: contactStore(),
    cancellations: cancellationStore(),
    erasure: erasureLedger(), // a late event of an erased customer surveys nobody
    now: systemClock,
    delayScale: env().delayScale,
    catalogue: catalogueOf(settings),
    policy: policyOf(settings),
  };
}

/** The brand of a store's texts (surveys settings `stores`, else `brand`, else BRAND_NAME). */
export function brandOf(store: string | undefined): string {
  const settings = surveysSettings();
  const own = store !== undefined ? settings.stores[store]?.brand : undefined;
  return own ?? (settings.brand !== DEFAULT_BRAND ? settings.brand : env().brand);
}

const DEFAULT_BRAND = 'ankieta shop';
const DEFAULT_SENDER = 'surveys@ankieta.local';

/** The From: address of a store's mails (surveys settings `stores`, else `sender`, else SENDER_EMAIL). */
export function senderOf(store: string | undefined): string {
  const settings = surveysSettings();
  const own = store !== undefined ? settings.stores[store]?.sender : undefined;
  return own ?? (settings.sender !== DEFAULT_SENDER ? settings.sender : env().senderEmail);
}

/** The question as the settings word it for a language and metric; undefined: the built-in text. */
export function questionOf(language: Language, metric: Metric): string | undefined {
  return questionFor(surveysSettings(), language, metric);
}

/** What a mapped webhook (or Shopify's EventBridge delivery) needs: receiving events, plus the orders' customers. */
export function webhookDeps(): WebhookDeps {
  return { ...receiveDeps(), orders: orderMemory() };
}

/** Keeps input that cannot be processed, with its reason (never dropped). */
export async function quarantine(source: string, reason: string, payload: unknown): Promise<void> {
  const quarantineId = await quarantineStore().keep(source, reason, payload);
  countMetric('quarantined');
  logger.warn('input quarantined', { source, reason, quarantineId });
}

/** A webhook provider's signing secret; `refresh` asks for a fresh copy (after a failed signature: it may have been rotated). */
export function webhookSecret(source: 'shopify' | 'zendesk', options: { refresh?: boolean } = {}): Promise<string> {
  const { secrets } = env();
  return resolveSecret(source === 'shopify' ? secrets.shopifyWebhook : secrets.zendeskWebhook, options);
}

/** A webhook check: the signing secrets (a missing one is WebhookNotConfigured), the time it was received, the phone region. */
export function inboundDeps(receivedAt: Date): InboundDeps {
  return {
    secret: (source, refresh) =>
      webhookSecret(source, { refresh }).catch((error: unknown) => {
        throw error instanceof SecretUnavailableError ? new WebhookNotConfigured(error.message) : error;
      }),
    receivedAt,
    defaultRegion: surveysSettings().zendesk.defaultPhoneRegion as CountryCode | undefined,
  };
}

/** What replaying a quarantined item needs: the path it failed on (webhook check and mapping, or event ingestion). */
export function replayDeps(): ReplayDeps {
  const { secret, defaultRegion } = inboundDeps(systemClock());
  return { ...webhookDeps(), book: quarantineStore(), secret, defaultRegion };
}

/** The evidence rules, with DWELL_* settings over the defaults: a fresh object per configuration, the defaults never changed. */
export const evidenceRules = /* @__PURE__ */ lazy((config): EvidenceRules => {
  const dwell = config.respond.dwell;
  return {
    ...DEFAULT_EVIDENCE_RULES,
    ...(dwell.minSecondsAfterSend !== undefined ? { dwellMinSecondsAfterSend: dwell.minSecondsAfterSend } : {}),
    ...(dwell.holdSeconds !== undefined ? { dwellHoldSeconds: dwell.holdSeconds } : {}),
  };
});

/** What a survey link's use cases need: the store, the signer, the clock, link opens, the scanner networks and the evidence rules. */
export async function responseDeps(): Promise<ResponseDeps> {
  return {
    store: responseStore(),
    links: await linkSigner(),
    now: systemClock,
    activity: linkActivity(),
    held: linkActivity(),
    scannerNetworks: env().respond.scannerNetworks,
    rules: evidenceRules(),
    funnelMarks: funnelMarks(),
  };
}
