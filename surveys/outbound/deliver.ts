/**
 * Deliver one queued job: one event to one endpoint, at most once per (endpoint, event id) however
 * often the queue hands it over.
 *
 * Primary course:
 *  1. Find the endpoint (deleted: nothing to do) and claim the attempt on the delivery record: a
 *     finished delivery or one another worker is on (an unexpired claim) is not attempted again.
 *  2. Read its connection from the secret store and render the request for its kind: a signed
 *     webhook (Standard Webhooks), a Slack or Teams message in the lead's language, a Zendesk ticket or note.
 *  3. Send it with a short timeout and judge the answer (routing.ts): delivered; retried later with
 *     exponential backoff and jitter; dead-lettered after the last attempt or a client error a retry
 *     cannot fix; 410 Gone disables the endpoint. The record keeps the status, attempts, last error.
 *  4. A Zendesk ticket created for an alert is recorded on the alert (its follow-up).
 * Alternative: a crash after sending and before recording leaves the claim until its lease ends; the
 * queue then retries and the receiver sees the same webhook-id again (Zendesk the same Idempotency-Key).
 */
import { surveyById } from '../catalogue.ts';
import type { Language } from '../model.ts';
import { checkEndpointUrl, type Endpoint, type EndpointConnection } from './endpoints.ts';
import { eventBody, type OutboundEvent } from './events.ts';
import type { DeliveryJob, DeliveryStore, EndpointSecrets, EndpointStore, FollowUpRecorder, OutboundRequest, OutboundSender } from './ports.ts';
import { type AttemptResult, judgeAttempt, type RetryPolicy } from './routing.ts';
import { slackMessage } from './slack.ts';
import { teamsMessage } from './teams.ts';
import { zendeskRequest } from './zendesk.ts';

export interface DeliverDeps {
  endpoints: Pick<EndpointStore, 'getEndpoint' | 'disableEndpoint'>;
  deliveries: Pick<DeliveryStore, 'claimAttempt' | 'finishAttempt'>;
  secrets: Pick<EndpointSecrets, 'get'>;
  sender: OutboundSender;
  recordFollowUp: FollowUpRecorder;
  policy: RetryPolicy;
  /** The leads' language when the endpoint names none (ALERT_LANGUAGE). */
  language: Language;
  /** Local runtime only: http://127.0.0.1:* receivers. */
  allowLoopback: boolean;
  /** Longer than a delivery takes (timeout and bookkeeping) and shorter than the first retry's wait would matter. */
  leaseSeconds: number;
  now: () => Date;
  random: () => number;
}

export type DeliverOutcome =
  | { outcome: 'delivered'; attempt: number }
  | { outcome: 'retry'; attempt: number; delaySeconds: number; error: string }
  | { outcome: 'dead-lettered'; attempt: number; error: string }
  | { outcome: 'cancelled'; reason: string }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'busy' };

const json = { 'content-type': 'application/json' };

/** The HTTP request of an event for an endpoint, or a reason why there is none. */
export function renderRequest(
  endpoint: Endpoint,
  connection: EndpointConnection,
  event: OutboundEvent,
  options: { language: Language; now: Date; timeoutMs: number },
): OutboundRequest | { none: string } {
  const language = endpoint.language ?? options.language;
  const base = { method: 'POST' as const, url: connection.url, headers: json, timeoutMs: options.timeoutMs };
  switch (endpoint.kind) {
    case 'webhook':
      if (!connection.signingSecret) return { none: 'the webhook has no signing secret' };
      return { ...base, body: JSON.stringify(eventBody(event)), signing: { secret: connection.signingSecret, messageId: event.id, timestamp: options.now } };
    case 'slack':
      return { ...base, body: JSON.stringify(slackMessage(event, language)) };
    case 'teams':
      return { ...base, body: JSON.stringify(teamsMessage(event, language)) };
    case 'zendesk': {
      if (!connection.zendesk) return { none: 'the Zendesk endpoint has no credentials' };
      const survey = 'survey' in event.data && event.data.survey ? surveyById(event.data.survey) : undefined;
      const request = zendeskRequest(event, {
        language,
        mode: endpoint.zendeskMode ?? 'ticket',
        aboutTicket: survey?.eventType.startsWith('ticket.') ?? false,
      });
      if (!request) return { none: 'nothing to do in Zendesk for this event' };
      const auth = Buffer.from(`${connection.zendesk.email}/token:${connection.zendesk.token}`).toString('base64');
      return {
        method: request.method,
        url: `${connection.url.replace(/\/+$/, '')}${request.path}`, // the base may carry a path (a proxy); Zendesk's is the origin
        headers: { ...json, authorization: `Basic ${auth}`, ...(request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {}) },
        body: JSON.stringify(request.body),
        timeoutMs: options.timeoutMs,
      };
    }
  }
}

/** The Zendesk ticket id in an answer to a create or update (`{ ticket: { id } }`). */
function zendeskTicketId(body: string | undefined): number | undefined {
  try {
    const id = (JSON.parse(body ?? '') as { ticket?: { id?: unknown } }).ticket?.id;
    return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

export async function deliver(job: DeliveryJob, deps: DeliverDeps): Promise<DeliverOutcome> {
  const endpoint = await deps.endpoints.getEndpoint(job.endpointId);
  if (!endpoint) return { outcome: 'skipped', reason: 'the endpoint was deleted' };
  const key = { endpointId: endpoint.id, eventId: job.event.id };
  const claim = await deps.deliveries.claimAttempt({ ...key, type: job.event.type }, deps.now().toISOString(), deps.leaseSeconds);
  if (!claim.claimed) return claim.why === 'busy' ? { outcome: 'busy' } : { outcome: 'skipped', reason: `already ${claim.status}` };
  const finish = (
    status: 'delivered' | 'retrying' | 'dead-lettered' | 'cancelled',
    extra: { lastError?: string; lastStatusCode?: number; nextAttemptAt?: string } = {},
  ) => deps.deliveries.finishAttempt(key, { status, at: deps.now().toISOString(), ...extra });

  if (endpoint.status !== 'active') {
    const reason = `the endpoint is disabled${endpoint.disabledReason ? `: ${endpoint.disabledReason}` : ''}`;
    await finish('cancelled', { lastError: reason });
    return { outcome: 'cancelled', reason };
  }
  const connection = await deps.secrets.get(endpoint.id);
  const refused = connection ? checkEndpointUrl(connection.url, { allowLoopback: deps.allowLoopback }) : 'no connection in the secret store';
  const request =
    connection && !refused
      ? renderRequest(endpoint, connection, job.event, { language: deps.language, now: deps.now(), timeoutMs: deps.policy.timeoutMs })
      : undefined;
  if (!request || 'none' in request) {
    const reason = refused ?? (request as { none: string }).none;
    const dead = !connection || refused !== undefined;
    await finish(dead ? 'dead-lettered' : 'cancelled', { lastError: reason });
    return dead ? { outcome: 'dead-lettered', attempt: claim.attempt, error: reason } : { outcome: 'cancelled', reason };
  }

  let result: AttemptResult & { responseBody?: string };
  try {
    result = await deps.sender.send(request);
  } catch (error) {
    result = { ok: false, error: (error as Error).message };
  }
  const verdict = judgeAttempt(result, claim.attempt, deps.policy, deps.random());
  const statusCode = result.status !== undefined ? { lastStatusCode: result.status } : {};
  switch (verdict.outcome) {
    case 'delivered': {
      const ticketId = endpoint.kind === 'zendesk' && job.event.type === 'alert.created' ? zendeskTicketId(result.responseBody) : undefined;
      let followUpError: string | undefined;
      if (ticketId !== undefined && 'alertId' in job.event.data) {
        const kind = request.method === 'POST' ? 'ticket' : 'note';
        const url = `${connection!.url.replace(/\/+$/, '')}/agent/tickets/${ticketId}`;
        await deps.recordFollowUp(job.event.data.alertId, { system: 'zendesk', ticketId, kind, url }).catch((e: Error) => {
          followUpError = `delivered; the ticket id was not recorded on the alert: ${e.message}`;
        });
      }
      await finish('delivered', { ...statusCode, ...(followUpError ? { lastError: followUpError } : {}) });
      return { outcome: 'delivered', attempt: claim.attempt };
    }
    case 'retry':
      await finish('retrying', {
        ...statusCode,
        lastError: verdict.error,
        nextAttemptAt: new Date(deps.now().getTime() + verdict.delaySeconds * 1000).toISOString(),
      });
      return { outcome: 'retry', attempt: claim.attempt, delaySeconds: verdict.delaySeconds, error: verdict.error };
    case 'endpoint-gone': {
      const reason = `the receiver answered 410 Gone (${deps.now().toISOString()})`;
      await deps.endpoints.disableEndpoint(endpoint.id, reason, deps.now().toISOString());
      await finish('cancelled', { ...statusCode, lastError: reason });
      return { outcome: 'cancelled', reason };
    }
    case 'dead-lettered':
      await finish('dead-lettered', { ...statusCode, lastError: verdict.error });
      return { outcome: 'dead-lettered', attempt: claim.attempt, error: verdict.error };
  }
}
