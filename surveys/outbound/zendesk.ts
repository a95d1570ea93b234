/**
 * Zendesk follow-ups of alerts, through the Ticketing API:
 *  - a detractor alert (alert.created) opens a ticket with the score, the comment and the context as a
 *    private note (`POST /api/v2/tickets.json`), or, in `note` mode and when the answer was about a
 *    ticket, adds that private note to the rated ticket (`PUT /api/v2/tickets/{id}.json`);
 *  - acknowledging or resolving an alert that has a follow-up adds a private note to it.
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/ (comments are created through
 * the ticket, `comment: { body, public: false }` is an internal note) and
 * https://developer.zendesk.com/api-reference/ticketing/introduction/#idempotency (`Idempotency-Key`
 * on ticket creation: a retried create returns the first ticket). Authentication `{email}/token:{token}`.
 */
import type { Language } from '../model.ts';
import type { OutboundEvent } from './events.ts';
import { quotedBlock } from './safe-text.ts';
import { eventView } from './view.ts';

export interface ZendeskRequest {
  method: 'POST' | 'PUT';
  /** Path under the Zendesk base URL (`https://{subdomain}.zendesk.com`). */
  path: string;
  body: { ticket: Record<string, unknown> };
  /** For ticket creation: Zendesk answers a repeated key with the ticket it created the first time. */
  idempotencyKey?: string;
  /** What the answer means for the alert: a new follow-up to record on it. */
  records?: 'ticket' | 'note';
}

/** Plain text of an event for a Zendesk comment: the comment is a quoted block, values one line each. */
export function zendeskText(event: OutboundEvent, language: Language): string {
  const view = eventView(event, language);
  return [
    view.headline,
    ...(view.intro ? [view.intro] : []),
    '',
    ...(view.comment.length ? [quotedBlock(view.comment.join('\n')), ''] : view.noComment ? [view.noComment, ''] : []),
    ...view.fields.map((f) => `${f.label}: ${f.value}`),
    ...(view.link ? ['', `${view.link.label}: ${view.link.url}`] : []),
  ].join('\n');
}

/** Zendesk ticket ids are positive integers; an order id or a non-Zendesk ticket id is not one. */
const ticketId = (ref: string | undefined) => (ref && /^[1-9]\d{0,15}$/.test(ref) ? ref : undefined);

/** The request this event makes for a Zendesk endpoint, or undefined when it makes none. */
export function zendeskRequest(
  event: OutboundEvent,
  options: { language: Language; mode: 'ticket' | 'note'; aboutTicket: boolean },
): ZendeskRequest | undefined {
  if (!event.type.startsWith('alert.') || !('alertId' in event.data)) return undefined;
  const d = event.data;
  const body = zendeskText(event, options.language);
  if (event.type === 'alert.created') {
    const rated = options.aboutTicket ? ticketId(d.subjectRef) : undefined;
    if (options.mode === 'note' && rated) {
      return { method: 'PUT', path: `/api/v2/tickets/${rated}.json`, body: { ticket: { comment: { body, public: false } } }, records: 'note' };
    }
    const view = eventView(event, options.language);
    return {
      method: 'POST',
      path: '/api/v2/tickets.json',
      idempotencyKey: event.id,
      records: 'ticket',
      body: {
        ticket: {
          subject: view.headline.slice(0, 150),
          comment: { body, public: false },
          priority: d.kind === 'churn-risk' || (d.score ?? 10) <= 2 ? 'high' : 'normal',
          tags: ['ankieta', d.kind, ...(d.metric ? [d.metric] : [])],
          external_id: d.alertId,
        },
      },
    };
  }
  // Acknowledged or resolved: a note on the follow-up, if there is one.
  if (!d.followUp) return undefined;
  return { method: 'PUT', path: `/api/v2/tickets/${d.followUp.ticketId}.json`, body: { ticket: { comment: { body, public: false } } } };
}
