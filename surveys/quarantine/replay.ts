/**
 * POST /api/quarantine/{id}/replay: a rejected input runs again through the path it failed on, once its
 * cause is fixed (a mapping, a subscribed topic, a secret).
 *
 * Primary course:
 *  1. Read the item with its payload (not found: 404).
 *  2. Settled already (accepted or skipped): answer that first outcome, run nothing (idempotent).
 *  3. By its source: a webhook delivery is verified again (signature on the raw body as kept, Zendesk's
 *     timestamp against the time it was received) and mapped; an EventBridge event is validated again.
 *  4. Receive it like any event (the trigger's dedupe on the event id holds: one survey at most).
 *  5. Record the outcome on the item: accepted, skipped (with its reason), or rejected (the new reason).
 *     A concurrent replay that settled first wins; its outcome is answered.
 * Alternative courses:
 *  - unreplayable: a payload cut to fit the table, a webhook kept without its signature headers (only
 *    the body was kept: its signature cannot be verified, so it is not replayed), or a source that is
 *    not replayed from here (stream records, queue messages): nothing runs, nothing is recorded.
 */
import { describeIssues, joinIssues } from '../issues.ts';
import { incomingEventSchema } from '../model.ts';
import { describeOutcome, receiveEvent } from '../use-cases/receive-event.ts';
import { receiveWebhook, type WebhookDeps, type WebhookOutcome } from '../use-cases/receive-webhook.ts';
import { type InboundDeps, isWebhookSource, verifyAndMap, WEBHOOK_HEADERS, type WebhookSource } from '../webhooks/inbound.ts';
import type { WebhookMapping } from '../webhooks/mapping.ts';
import { fromShopifyEventBridge, mapShopify } from '../webhooks/shopify.ts';
import { isSettled, type QuarantinedItem, type ReplayRecord } from './model.ts';

export interface QuarantineBook {
  /** The item; its payload as kept (JSON text) when `payload` is asked for. */
  get(id: string, options: { payload: boolean }): Promise<(QuarantinedItem & { payload?: string }) | undefined>;
  /** Stores the outcome unless one already settled it; answers the outcome the item holds afterwards. */
  recordReplay(id: string, receivedAt: string, replay: ReplayRecord): Promise<ReplayRecord>;
}

export interface ReplayDeps extends WebhookDeps {
  book: QuarantineBook;
  secret: InboundDeps['secret'];
  defaultRegion?: InboundDeps['defaultRegion'];
}

export type ReplayAnswer =
  | { status: 'not-found' }
  | { status: 'unreplayable'; reason: string }
  | { status: 'replayed'; id: string; source: string; replay: ReplayRecord; repeated: boolean };

type Run = Omit<ReplayRecord, 'at'>;

export async function replayQuarantined(id: string, deps: ReplayDeps): Promise<ReplayAnswer> {
  const item = await deps.book.get(id, { payload: true });
  if (!item) return { status: 'not-found' };
  if (isSettled(item.replay)) return { status: 'replayed', id, source: item.source, replay: item.replay, repeated: true };
  if (item.truncated) return { status: 'unreplayable', reason: 'the payload was cut to fit the table when it was kept: resend it from its source' };
  let payload: unknown;
  try {
    payload = JSON.parse(item.payload ?? '');
  } catch {
    return { status: 'unreplayable', reason: 'the kept payload is not readable JSON: resend it from its source' };
  }
  const run = await runAgain(item, payload, deps);
  if ('unreplayable' in run) return { status: 'unreplayable', reason: run.unreplayable };
  const at = deps.now().toISOString();
  const stored = await deps.book.recordReplay(id, item.receivedAt, { at, ...run });
  // Another replay settled it while this one ran: its outcome stands (the trigger's dedupe made this one a duplicate).
  return { status: 'replayed', id, source: item.source, replay: stored, repeated: stored.at !== at };
}

async function runAgain(item: QuarantinedItem, payload: unknown, deps: ReplayDeps): Promise<Run | { unreplayable: string }> {
  const source = item.source;
  if (source.startsWith('webhook:')) {
    const provider = source.slice('webhook:'.length);
    if (!isWebhookSource(provider)) return { unreplayable: `no webhook "${provider}"` };
    return replayWebhook(provider, payload, item, deps);
  }
  if (source === 'eventbridge:shopify') {
    const delivery = fromShopifyEventBridge(payload);
    if (!delivery) return { result: 'rejected', reason: 'not a Shopify EventBridge delivery' };
    return fromMapping(mapShopify(delivery), deps);
  }
  if (source === 'eventbridge') {
    const parsed = incomingEventSchema.safeParse(payload);
    if (!parsed.success) return { result: 'rejected', reason: joinIssues(describeIssues(parsed.error)) };
    const outcome = describeOutcome(await receiveEvent(parsed.data, deps));
    return classify({ status: 'accepted', eventId: parsed.data.detail.eventId, detailType: parsed.data['detail-type'], ...outcome });
  }
  return {
    unreplayable: `input of ${source} (a stream record or a queue message) is not replayed from here: its consumer reads the table again or the message is redriven from its queue`,
  };
}

const keptDelivery = (value: unknown): { body: string; headers?: Record<string, string> } | undefined => {
  if (typeof value !== 'object' || value === null || typeof (value as { body?: unknown }).body !== 'string') return undefined;
  const headers = (value as { headers?: unknown }).headers;
  return { body: (value as { body: string }).body, ...(typeof headers === 'object' && headers !== null ? { headers: headers as Record<string, string> } : {}) };
};

async function replayWebhook(provider: WebhookSource, payload: unknown, item: QuarantinedItem, deps: ReplayDeps): Promise<Run | { unreplayable: string }> {
  const kept = keptDelivery(payload);
  if (!kept) return { unreplayable: 'the kept payload holds no webhook body' };
  const signature = WEBHOOK_HEADERS[provider][0];
  // Never replayed unverified: a payload without its signature would be input anyone could have sent.
  if (!kept.headers?.[signature]) {
    return {
      unreplayable: `only the body of this ${provider} delivery was kept, without its signature (${signature}): it cannot be verified, so it is not replayed; resend it from ${provider}`,
    };
  }
  const inbound = await verifyAndMap(
    { source: provider, headers: kept.headers, body: kept.body },
    { secret: deps.secret, receivedAt: new Date(item.receivedAt), defaultRegion: deps.defaultRegion },
  );
  if (!inbound.ok) return { result: 'rejected', reason: inbound.reason };
  return fromMapping(inbound.mapping, deps);
}

async function fromMapping(mapping: WebhookMapping, deps: ReplayDeps): Promise<Run> {
  if (mapping.kind === 'invalid') return { result: 'rejected', reason: joinIssues(describeIssues(mapping.error)) };
  return classify(await receiveWebhook(mapping, deps));
}

/** A survey scheduled, merged, moved or cancelled is accepted; a decision without one is skipped, saying why. */
function classify(outcome: WebhookOutcome): Run {
  if (outcome.status === 'quarantine') return { result: 'rejected', reason: joinIssues(outcome.errors) };
  if (outcome.status === 'ignored') return { result: 'skipped', reason: outcome.reason, outcome: 'ignored' };
  const ids = { eventId: outcome.eventId, ...(outcome.invitationId ? { invitationId: outcome.invitationId } : {}) };
  if (outcome.outcome === 'skipped') return { result: 'skipped', reason: outcome.reason ?? 'skipped', outcome: outcome.outcome, ...ids };
  if (outcome.outcome === 'duplicate') return { result: 'skipped', reason: 'duplicate: this event was already received', outcome: outcome.outcome, ...ids };
  if (outcome.outcome === 'no-survey' || outcome.outcome === 'nothing-pending')
    return { result: 'skipped', reason: outcome.reason ?? outcome.outcome, outcome: outcome.outcome, ...ids };
  return { result: 'accepted', outcome: outcome.outcome, ...ids, ...(outcome.reason ? { reason: outcome.reason } : {}) };
}
