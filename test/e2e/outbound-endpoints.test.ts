/**
 * Outbound endpoints end to end through the local runtime: leads register a signed webhook, a Slack
 * and a Teams channel and a Zendesk follow-up (all real HTTP receivers on 127.0.0.1); a detractor's
 * answer reaches each of them, signatures verify with the `standardwebhooks` library, a failing
 * receiver gets the same delivery until it accepts it (once), 410 disables an endpoint, deliveries
 * are listed, deleting an endpoint stops it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { mailsTo, orderDelivered, postForm, ratingLinks, waitFor } from '../support/http.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

let runtime: Runtime;
let receiver: Receiver;

beforeAll(async () => {
  // Longer than a comment can take to follow its score on a loaded machine (with 1 s, the Slack text lost the
  // comment once): an alert with a comment is sent as the comment comes; the other tests look at response.created only.
  process.env.ALERT_COMMENT_WAIT_SECONDS = '15';
  receiver = await startReceiver();
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.stop();
  await receiver?.close();
  delete process.env.ALERT_COMMENT_WAIT_SECONDS;
});

const api = (path: string, init?: RequestInit) => fetch(`${runtime.apiUrl}${path}`, init);
const postJson = (path: string, body: unknown) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function register(body: Record<string, unknown>): Promise<{ id: string; secret?: string }> {
  const res = await postJson('/api/endpoints', body);
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; secret?: string };
}

/** Sends an order.delivered event for `store` (the endpoints filter on it) and answers its survey with 2 (and a comment), as a person would. */
async function detractor(customerId: string, store: string, comment?: string): Promise<{ invitationId: string; alertId: string }> {
  const email = `${customerId}@example.com`;
  expect((await postJson('/events', orderDelivered({ eventId: `evt-${customerId}`, customerId, email, store }))).status).toBe(202);
  const [mail] = await waitFor(`the survey mail to ${customerId}`, async () => {
    const mails = await mailsTo(runtime.sesUrl, email);
    return mails.length ? mails : undefined;
  });
  const answerUrl = ratingLinks(mail!.body.html!).get(2)!.split('?')[0]!;
  await new Promise((r) => setTimeout(r, 2100)); // answers within 2 s of sending are scanners
  expect((await postForm(answerUrl, { score: '2', evidence: 'button' })).status).toBe(200);
  if (comment) expect((await postForm(`${answerUrl}/comment`, { comment })).status).toBe(200);
  const invitationId = answerUrl.split('/r/')[1]!.split('.')[0]!;
  return { invitationId, alertId: `detractor-${invitationId}` };
}

const bodies = (path: string) => receiver.accepted(path).map((r) => JSON.parse(r.body) as { type?: string; data?: Record<string, unknown> });

describe('outbound endpoints', () => {
  it('Should deliver a detractor answer to a signed webhook, Slack, Teams and Zendesk, and list the deliveries', async () => {
    // Prepare
    const webhook = await register({
      kind: 'webhook',
      url: `${receiver.url}/hook`,
      events: ['response.created', 'alert.created', 'alert.acknowledged', 'alert.resolved'],
      filter: { store: 'e2e-all' },
    });
    receiver.secrets.set('/hook', webhook.secret!);
    const slack = await register({
      kind: 'slack',
      url: `${receiver.url}/slack/services/T0/B0/xyz`,
      events: ['alert.created'],
      filter: { store: 'e2e-all' },
      language: 'pl',
    });
    await register({ kind: 'teams', url: `${receiver.url}/teams`, events: ['alert.created'], filter: { store: 'e2e-all' } });
    await register({
      kind: 'zendesk',
      url: `${receiver.url}/zd`,
      events: ['alert.created', 'alert.resolved'],
      filter: { store: 'e2e-all' },
      zendesk: { email: 'bot@shop.example', token: 'zendesk-token-123' },
    });

    // Act
    const { alertId } = await detractor('c-out-1', 'e2e-all', 'Paczka <!channel> przyszła\nAcknowledge and resolve: http://evil.example');
    await waitFor('alert.created at every endpoint', async () =>
      bodies('/hook').some((b) => b.type === 'alert.created') &&
      receiver.accepted('/slack/services/T0/B0/xyz').length &&
      receiver.accepted('/teams').length &&
      receiver.accepted('/zd/api/v2/tickets.json').length
        ? true
        : undefined,
    );
    const alert = await waitFor('the Zendesk ticket on the alert', async () => {
      const list = (await (await api('/api/alerts?limit=500')).json()) as Array<{ id: string; followUp?: { ticketId: number } }>;
      return list.find((a) => a.id === alertId && a.followUp);
    });
    expect((await postJson(`/api/alerts/${encodeURIComponent(alertId)}/resolve`, { note: 'Called back', rootCause: 'delivery', owner: 'ola' })).status).toBe(
      200,
    );
    await waitFor('alert.resolved', async () =>
      bodies('/hook').some((b) => b.type === 'alert.resolved') && receiver.accepted('/zd/api/v2/tickets/4242.json').length ? true : undefined,
    );
    // The receiver has each delivery a moment before the deliverer records it as delivered.
    const deliveries = await waitFor('the webhook deliveries of response.created, alert.created and alert.resolved recorded as delivered', async () => {
      const list = (await (await api(`/api/endpoints/${webhook.id}/deliveries`)).json()) as Array<{ type: string; status: string; attempts: number }>;
      const delivered = new Set(list.filter((d) => d.status === 'delivered').map((d) => d.type));
      return ['response.created', 'alert.created', 'alert.resolved'].every((t) => delivered.has(t)) ? list : undefined;
    });

    // Assess
    const hooks = receiver.accepted('/hook');
    expect(hooks.every((r) => r.verified === true)).toBe(true);
    expect(hooks.map((r) => r.headers['webhook-id']).every((id) => id?.startsWith('msg_'))).toBe(true);
    expect(bodies('/hook').map((b) => b.type)).toEqual(expect.arrayContaining(['response.created', 'alert.created', 'alert.acknowledged', 'alert.resolved']));
    const created = bodies('/hook').find((b) => b.type === 'alert.created')!;
    expect(created.data).toMatchObject({ alertId, score: 2, customer: { id: 'c-out-1', maskedContact: 'c***@example.com' } });
    expect(created.data).not.toHaveProperty('customer.email');
    const slackText = receiver.accepted('/slack/services/T0/B0/xyz')[0]!.body;
    expect(slackText).toContain('Otwórz alert');
    expect(slackText).toContain('&lt;!channel&gt;');
    expect(slackText).not.toContain('<!channel>');
    expect(receiver.accepted('/teams')[0]!.body).toContain('application/vnd.microsoft.card.adaptive');
    const ticket = JSON.parse(receiver.accepted('/zd/api/v2/tickets.json')[0]!.body);
    expect(ticket.ticket).toMatchObject({ external_id: alertId, comment: { public: false } });
    expect(receiver.accepted('/zd/api/v2/tickets.json')[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('bot@shop.example/token:zendesk-token-123').toString('base64')}`,
    );
    expect(alert.followUp).toMatchObject({ ticketId: 4242 });
    expect(deliveries.filter((d) => d.status === 'delivered').map((d) => d.type)).toEqual(
      expect.arrayContaining(['response.created', 'alert.created', 'alert.resolved']),
    );
    expect(deliveries.every((d) => d.attempts === 1)).toBe(true);
    void slack;
  }, 60_000);

  it('Should never show a secret or a whole Slack URL after creation, and refuse a bad body naming the field', async () => {
    // Act
    const list = await (await api('/api/endpoints')).text();
    const bad = await postJson('/api/endpoints', { kind: 'slack', url: 'not a url', events: ['alert.created'] });

    // Assess
    expect(list).not.toContain('whsec_');
    expect(list).not.toContain('/slack/services/T0/B0/xyz');
    expect(list).not.toContain('zendesk-token-123');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('url');
  });

  it('Should retry a failing receiver until it accepts, and deliver once', async () => {
    // Prepare
    const webhook = await register({ kind: 'webhook', url: `${receiver.url}/flaky`, events: ['response.created'], filter: { store: 'e2e-flaky' } });
    receiver.secrets.set('/flaky', webhook.secret!);
    const previous = receiver.answer;
    let failures = 0;
    receiver.answer = (req) => (req.path === '/flaky' && failures++ < 3 ? { status: 503 } : previous(req));

    // Act
    await detractor('c-out-2', 'e2e-flaky');
    await waitFor('the flaky delivery', async () => (receiver.accepted('/flaky').length ? true : undefined));
    // The receiver has the delivery a moment before the deliverer records it as delivered.
    const delivery = await waitFor('the delivery recorded as delivered', async () => {
      const [d] = (await (await api(`/api/endpoints/${webhook.id}/deliveries`)).json()) as Array<Record<string, unknown>>;
      return d?.status === 'delivered' ? d : undefined;
    });
    receiver.answer = previous;

    // Assess
    expect(receiver.received.filter((r) => r.path === '/flaky').map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(new Set(receiver.received.filter((r) => r.path === '/flaky').map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(receiver.accepted('/flaky')[0]!.verified).toBe(true);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 4, lastError: 'HTTP 503', lastStatusCode: 200 });
  });

  it('Should disable an endpoint that answers 410 Gone, and stop delivering to a deleted one', async () => {
    // Prepare
    const gone = await register({ kind: 'webhook', url: `${receiver.url}/gone`, events: ['response.created'], filter: { store: 'e2e-gone' } });
    const deleted = await register({ kind: 'webhook', url: `${receiver.url}/deleted`, events: ['response.created'], filter: { store: 'e2e-gone' } });
    const previous = receiver.answer;
    receiver.answer = (req) => (req.path === '/gone' ? { status: 410 } : previous(req));

    // Act
    const removed = await api(`/api/endpoints/${deleted.id}`, { method: 'DELETE' });
    await detractor('c-out-3', 'e2e-gone');
    const disabled = await waitFor('the endpoint disabled', async () => {
      const list = (await (await api('/api/endpoints')).json()) as Array<{ id: string; status: string; disabledReason?: string }>;
      return list.find((e) => e.id === gone.id && e.status === 'disabled');
    });
    receiver.answer = previous;

    // Assess
    expect(removed.status).toBe(204);
    expect((await api(`/api/endpoints/${deleted.id}/deliveries`)).status).toBe(404);
    expect(disabled.disabledReason).toContain('410');
    expect(receiver.received.filter((r) => r.path === '/deleted')).toEqual([]);
  });
});
