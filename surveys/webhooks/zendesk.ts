/**
 * Zendesk webhooks → the commerce event contract. Pure.
 *
 * Zendesk sends ticket changes through a webhook connected to a trigger, with a JSON body the admin
 * writes from placeholders (docs/webhooks.md has the two triggers and the body to paste):
 *   { "event": "ticket.solved" | "ticket.reopened",
 *     "ticket": { "id", "group", "assignee_id", "via" },
 *     "requester": { "id", "email", "phone", "name", "locale", "time_zone", "sms_consent" } }
 * Placeholders render missing values as "": those fields count as absent. The event id is the
 * invocation id (`X-Zendesk-Webhook-Invocation-Id`: the same on each retry of one invocation); the
 * source is `zendesk:<account id>`; the event time is the signature timestamp unless the body has one.
 *
 * A webhook subscribed to the event `zen:event-type:ticket.status_changed` (no trigger needed) sends
 * Zendesk's own body instead: https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/
 *   { "type": "zen:event-type:ticket.status_changed", "account_id", "id", "time", "subject": "zen:ticket:<id>",
 *     "detail": { "id", "requester_id", "assignee_id", "group_id", "via": { "channel" }, … },
 *     "event": { "current": "SOLVED", "previous": "OPEN" } }
 * Solved → `ticket.solved`, solved/closed → open/pending/new → `ticket.reopened`; other changes are
 * ignored. That body names the requester by id only: the e-mail or phone comes from the customer's
 * stored profile (an earlier trigger body or event), else the delivery is quarantined saying so.
 * Its dedupe key is the event's own `id` from the signed body, its source `zendesk:<account_id>`.
 * Phone numbers typed in national format ("600 100 200") are read in the configured default region.
 */
import type { CountryCode } from 'libphonenumber-js/mobile';
import * as z from '../zod.ts';
import { adminError, asEvent, e164, idText, localeTag, looksLikeXml, optionalText, timeZone, type WebhookMapping } from './mapping.ts';

export interface ZendeskDelivery {
  accountId: string | undefined;
  invocationId: string | undefined;
  /** The signature timestamp, already checked to be recent. */
  timestamp: string;
  payload: unknown;
  /** The raw body, to tell an XML delivery from a broken one. */
  rawBody?: string;
  /** Region of phone numbers written without a country code (settings: `zendesk.defaultPhoneRegion`). */
  defaultRegion?: CountryCode;
}

export const ZENDESK_STATUS_CHANGED = 'zen:event-type:ticket.status_changed';

const statusChangedSchema = z.object({
  type: z.literal(ZENDESK_STATUS_CHANGED),
  account_id: idText,
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  time: z.string().check(z.minLength(1), z.maxLength(40)),
  detail: z.object({
    id: idText,
    requester_id: idText,
    assignee_id: z.nullish(idText),
    group_id: z.nullish(idText),
    via: z.nullish(z.object({ channel: z.string().check(z.maxLength(64)) })),
  }),
  event: z.object({ current: z.string(), previous: z.nullish(z.string()) }),
});

const SOLVED = ['solved', 'closed'];
const OPEN = ['new', 'open', 'pending', 'hold'];

function mapStatusChanged(payload: unknown): WebhookMapping {
  const parsed = statusChangedSchema.safeParse(payload);
  if (!parsed.success) return { kind: 'invalid', error: parsed.error };
  const p = parsed.data;
  const current = p.event.current.toLowerCase();
  const previous = (p.event.previous ?? '').toLowerCase();
  const base = { source: `zendesk:${p.account_id}`, occurredAt: p.time };
  const ticket = {
    id: p.detail.id,
    ...(p.detail.assignee_id ? { agentId: p.detail.assignee_id } : {}),
    ...(p.detail.group_id ? { team: p.detail.group_id } : {}),
    ...(p.detail.via?.channel ? { channel: p.detail.via.channel } : {}),
  };
  if (current === 'solved') {
    return {
      kind: 'needs-contact',
      candidate: {
        source: base.source,
        'detail-type': 'ticket.solved',
        detail: { eventId: p.id, occurredAt: base.occurredAt, customer: { id: p.detail.requester_id }, ticket },
      },
    };
  }
  if (SOLVED.includes(previous) && OPEN.includes(current)) {
    return asEvent({
      source: base.source,
      'detail-type': 'ticket.reopened',
      detail: { eventId: p.id, occurredAt: base.occurredAt, customer: { id: p.detail.requester_id }, ticket: { id: p.detail.id } },
    });
  }
  return { kind: 'ignored', reason: `ticket status ${previous || '(none)'} → ${current}: only solved, and reopened after solved, matter` };
}

const yes = z.pipe(
  z.transform((v: unknown) => (typeof v === 'string' ? ['true', 'yes', '1', 'tak'].includes(v.trim().toLowerCase()) : v === true)),
  z.boolean(),
);

export const zendeskPayloadSchema = z.object({
  event: z.enum(['ticket.solved', 'ticket.reopened']),
  occurred_at: optionalText(40),
  ticket: z.object({
    id: idText,
    group: optionalText(64),
    assignee_id: optionalText(128),
    via: optionalText(64),
  }),
  requester: z.optional(
    z.object({
      id: idText,
      email: optionalText(254),
      phone: optionalText(32),
      name: optionalText(200),
      locale: optionalText(35),
      time_zone: optionalText(64),
      sms_consent: z.optional(yes),
    }),
  ),
});

export function mapZendesk(delivery: ZendeskDelivery): WebhookMapping {
  if (delivery.payload === undefined && delivery.rawBody !== undefined && looksLikeXml(delivery.rawBody)) {
    return { kind: 'invalid', error: adminError("the body is XML: set the webhook's request format to JSON (Admin Center → Webhooks → Edit)") };
  }
  const type = (delivery.payload as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && type.startsWith('zen:event-type:')) {
    if (type !== ZENDESK_STATUS_CHANGED) return { kind: 'ignored', reason: `event ${type} is not used by ankieta: unsubscribe it from the webhook` };
    return mapStatusChanged(delivery.payload);
  }
  const payload = zendeskPayloadSchema.safeParse(delivery.payload);
  if (!payload.success) return { kind: 'invalid', error: payload.error };
  const p = payload.data;
  const base = {
    source: `zendesk:${delivery.accountId ?? 'unknown-account'}`,
    detail: { eventId: delivery.invocationId, occurredAt: p.occurred_at ?? delivery.timestamp },
  };

  if (p.event === 'ticket.reopened') {
    return asEvent({
      ...base,
      'detail-type': 'ticket.reopened',
      detail: { ...base.detail, ...(p.requester ? { customer: { id: p.requester.id } } : {}), ticket: { id: p.ticket.id } },
    });
  }

  const r = p.requester;
  if (!r) return asEvent({ ...base, 'detail-type': 'ticket.solved', detail: { ...base.detail, ticket: { id: p.ticket.id } } }); // names the missing customer
  const phone = e164(r.phone, delivery.defaultRegion);
  const zone = timeZone(r.time_zone);
  return asEvent({
    ...base,
    'detail-type': 'ticket.solved',
    detail: {
      ...base.detail,
      customer: {
        id: r.id,
        ...(r.email ? { email: r.email } : {}),
        ...(phone ? { phone } : {}),
        ...(localeTag(r.locale) ? { locale: localeTag(r.locale) } : {}),
        ...(r.name ? { name: r.name } : {}),
        ...(zone ? { timezone: zone } : {}),
        consent: { sms: r.sms_consent === true },
      },
      ticket: {
        id: p.ticket.id,
        ...(p.ticket.assignee_id ? { agentId: p.ticket.assignee_id } : {}),
        ...(p.ticket.group ? { team: p.ticket.group } : {}),
        ...(p.ticket.via ? { channel: p.ticket.via } : {}),
      },
    },
  });
}
