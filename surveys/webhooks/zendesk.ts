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
 */
import * as z from '../zod.ts';
import { asEvent, e164, idText, localeTag, optionalText, timeZone, type WebhookMapping } from './mapping.ts';

export interface ZendeskDelivery {
  accountId: string | undefined;
  invocationId: string | undefined;
  /** The signature timestamp, already checked to be recent. */
  timestamp: string;
  payload: unknown;
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
  const phone = e164(r.phone);
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
