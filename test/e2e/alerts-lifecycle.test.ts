/**
 * Alerts end to end through the local runtime's HTTP contract: a detractor click becomes an alert
 * listed within seconds, with its context; the notification waits for a comment and never longer; an
 * edit to a promoter closes it; leads acknowledge, resolve and read statistics; unacknowledged alerts
 * remind; answers that say "I am leaving" raise a churn-risk alert and show in the customer's health.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configure } from '../../functions/shared/env.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { mailsTo, orderDelivered, postForm, ratingLinks, waitFor } from '../support/http.ts';

const COMMENT_WAIT_SECONDS = 3;
const ACK_DEADLINE_SECONDS = 4;
const LONG_COMMENT_WAIT_SECONDS = 30; // 12 s was once too short under load: listed after almost 10 s, the comment's way to the message took 2 more

let runtime: Runtime;
/** Each test's survey, sent before the tests: the mails and the 2 s before a person may answer are waited for once. */
const surveys = new Map<string, { answerUrl: string; alertId: string }>();
const survey = (customerId: string) => surveys.get(customerId)!;

beforeAll(async () => {
  // Short waits so the test sees the whole lifecycle; the runtime keeps values set before it starts.
  process.env.ALERT_COMMENT_WAIT_SECONDS = String(COMMENT_WAIT_SECONDS);
  process.env.ALERT_ACK_DEADLINE_SECONDS = String(ACK_DEADLINE_SECONDS);
  runtime = await startTestRuntime();
  const customers = [['c-alert-ctx', 'krakow'], ['c-alert-nocomment'], ['c-alert-edit'], ['c-alert-loop'], ['c-churn']] as const;
  for (const [customerId, sent] of await Promise.all(customers.map(async ([id, store]) => [id, await surveyFor(id, store)] as const)))
    surveys.set(customerId, sent);
});
afterEach(() => {
  process.env.ALERT_COMMENT_WAIT_SECONDS = String(COMMENT_WAIT_SECONDS); // a test may have set its own
  configure();
});
afterAll(async () => {
  await runtime?.stop();
});

interface ApiAlert {
  id: string;
  kind: string;
  customerId: string;
  status: string;
  score?: number;
  comment?: string;
  reasons?: string[];
  createdAt: string;
  customerName?: string;
  maskedContact?: string;
  subjectRef?: string;
  segments: Record<string, string>;
  closedReason?: string;
  owner?: string;
  riskScore?: number;
}
interface OutboxEntry {
  subject?: string;
  body: string;
  attributes: Record<string, string>;
  at: string;
}

const api = (path: string, init?: RequestInit) => fetch(`${runtime.apiUrl}${path}`, init);
const postJson = (path: string, body: unknown) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const alerts = async () => (await (await api('/api/alerts?limit=500')).json()) as ApiAlert[];
const outbox = async () => (await (await api('/local/outbox?channel=alert')).json()) as OutboxEntry[];
const messagesAbout = async (alertId: string) => (await outbox()).filter((m) => m.body.includes(`#alert=${encodeURIComponent(alertId)}`));

/** Sends an order.delivered event and returns the survey link's POST URL once the mail is there and a person could have read it. */
async function surveyFor(customerId: string, store = 'web'): Promise<{ answerUrl: string; alertId: string }> {
  const email = `${customerId}@example.com`;
  const res = await api('/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(orderDelivered({ eventId: `evt-${customerId}`, customerId, email, store })),
  });
  expect(res.status).toBe(202);
  const [mail] = await waitFor(`the survey mail to ${customerId}`, async () => {
    const mails = await mailsTo(runtime.sesUrl, email);
    return mails.length ? mails : undefined;
  });
  const link = ratingLinks(mail!.body.html!).get(0)!;
  await new Promise((r) => setTimeout(r, 2100)); // answers within 2 s of sending are scanners
  const answerUrl = link.split('?')[0]!;
  const invitationId = answerUrl.split('/r/')[1]!.split('.')[0]!;
  return { answerUrl, alertId: `detractor-${invitationId}` };
}

const answer = (url: string, score: number) => postForm(url, { score: String(score), evidence: 'button' });
const alertById = (id: string) => waitFor(`alert ${id}`, async () => (await alerts()).find((a) => a.id === id));

describe('a detractor answer', () => {
  it('Should be listed within 10 s with its context, and be sent with the comment that comes within the wait', async () => {
    // Prepare
    const { answerUrl, alertId } = survey('c-alert-ctx');

    // The comment comes once the alert is listed, which may take up to the 10 s asserted below on a loaded machine:
    // a wait longer than that for this alert, so that the comment always comes within it.
    process.env.ALERT_COMMENT_WAIT_SECONDS = String(LONG_COMMENT_WAIT_SECONDS);
    configure();

    // Act
    const clickedAt = Date.now();
    expect((await answer(answerUrl, 2)).status).toBe(200);
    const listed = await alertById(alertId);
    const listedAfterMs = Date.now() - clickedAt;
    const sentBeforeComment = await messagesAbout(alertId);
    expect((await postForm(`${answerUrl}/comment`, { comment: 'Paczka przyszła zniszczona' })).status).toBe(200);

    // Assess
    expect(listedAfterMs).toBeLessThan(10_000);
    expect(listed).toMatchObject({
      kind: 'detractor',
      customerId: 'c-alert-ctx',
      status: 'open',
      score: 2,
      customerName: 'Test Customer',
      maskedContact: 'c***@example.com',
      subjectRef: 'o-evt-c-alert-ctx',
    });
    expect(sentBeforeComment).toEqual([]);
    const [message] = await waitFor('the alert message', async () => {
      const m = await messagesAbout(alertId);
      return m.length ? m : undefined;
    });
    expect(message!.body).toContain('> Paczka przyszła zniszczona');
    expect(message!.body).toContain('Store: krakow');
    expect(message!.attributes).toEqual({ kind: 'detractor', survey: 'nps-post-purchase', store: 'krakow', severity: 'high' });
    expect(Date.parse(message!.at) - clickedAt, 'sent as the comment came, before the wait was over').toBeLessThan(LONG_COMMENT_WAIT_SECONDS * 1000);
    expect((await alertById(alertId)).comment).toBe('Paczka przyszła zniszczona');
  });

  it('Should be sent without a comment when the wait is over, and not much later', async () => {
    // Prepare
    const { answerUrl, alertId } = survey('c-alert-nocomment');

    // Act
    await answer(answerUrl, 5);
    const listed = await alertById(alertId);
    const [message] = await waitFor('the alert message', async () => {
      const m = await messagesAbout(alertId);
      return m.length ? m : undefined;
    });

    // Assess
    const waited = Date.parse(message!.at) - Date.parse(listed.createdAt);
    expect(waited).toBeGreaterThanOrEqual(COMMENT_WAIT_SECONDS * 1000);
    expect(waited).toBeLessThan(COMMENT_WAIT_SECONDS * 1000 + 2_000);
    expect(message!.body).toContain('Comment: (no comment)');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await messagesAbout(alertId)).toHaveLength(1);
  });

  it('Should close by itself, unsent, when the customer edits the answer to a promoter score within the edit window', async () => {
    // Prepare
    const { answerUrl, alertId } = survey('c-alert-edit');
    // The edit comes once the alert is listed, which may take longer than a short wait on a loaded machine.
    process.env.ALERT_COMMENT_WAIT_SECONDS = String(LONG_COMMENT_WAIT_SECONDS);
    configure();
    await answer(answerUrl, 1);
    await alertById(alertId);

    // Act
    expect((await answer(answerUrl, 10)).status).toBe(200);
    const closed = await waitFor('the alert to close', async () => {
      const a = (await alerts()).find((x) => x.id === alertId);
      return a?.status === 'resolved' ? a : undefined;
    });
    await runtime.runScheduled('alertSweep'); // and a sweep after the close sends nothing (past the wait too: test/unit/raise-alert.test.ts)

    // Assess
    expect(closed).toMatchObject({ closedReason: 'edited-to-promoter', score: 10 });
    expect(await messagesAbout(alertId)).toEqual([]);
  });
});

describe('closing the loop', () => {
  it('Should remind while nobody acknowledges, then take an owner, a resolution, and show in the statistics', async () => {
    // Prepare
    const { answerUrl, alertId } = survey('c-alert-loop');
    await answer(answerUrl, 0);
    await alertById(alertId);

    // Act: nobody reacts to the first message: a reminder follows
    const reminder = await waitFor('the reminder', async () => (await messagesAbout(alertId)).find((m) => m.attributes.reminder === '1'), 20_000);
    const acked = await postJson(`/api/alerts/${encodeURIComponent(alertId)}/ack`, { owner: 'ola@shop.example' });
    const badResolve = await postJson(`/api/alerts/${encodeURIComponent(alertId)}/resolve`, { note: 'x', rootCause: 'bad luck' });
    const resolved = await postJson(`/api/alerts/${encodeURIComponent(alertId)}/resolve`, { note: 'Called her, sent a new parcel', rootCause: 'delivery' });
    const again = await postJson(`/api/alerts/${encodeURIComponent(alertId)}/resolve`, { note: 'twice', rootCause: 'delivery' });
    const unknown = await postJson('/api/alerts/detractor-nope/ack', { owner: 'ola' });
    const stats = (await (await api('/api/alerts/stats?window=7d')).json()) as {
      resolved: number;
      timeToResolve: { count: number };
      rootCauses: Record<string, number>;
    };

    // Assess
    expect(reminder.subject).toMatch(/Reminder 1/);
    expect(reminder.attributes.severity).toBe('high');
    expect(acked.status).toBe(200);
    expect(await acked.json()).toMatchObject({ status: 'acked', owner: 'ola@shop.example' });
    expect(badResolve.status).toBe(400);
    expect(JSON.stringify(await badResolve.json())).toContain('rootCause');
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({
      status: 'resolved',
      resolution: { rootCause: 'delivery', note: 'Called her, sent a new parcel', by: 'ola@shop.example' },
    });
    expect(again.status).toBe(409);
    expect(unknown.status).toBe(404);
    expect(stats.resolved).toBeGreaterThanOrEqual(1);
    expect(stats.timeToResolve.count).toBeGreaterThanOrEqual(1);
    expect(stats.rootCauses.delivery).toBeGreaterThanOrEqual(1);
    const count = (await messagesAbout(alertId)).length;
    await new Promise((r) => setTimeout(r, ACK_DEADLINE_SECONDS * 1000 + 1000));
    expect(await messagesAbout(alertId)).toHaveLength(count); // no reminder once resolved
  });
});

describe('churn risk', () => {
  it('Should raise a churn-risk alert with its reasons when a detractor writes they are leaving, and show the customer health', async () => {
    // Prepare
    const { answerUrl } = survey('c-churn');

    // Act: NPS 1 (30) with "rezygnuję" (35) = 65, over the threshold of 50
    await postForm(answerUrl, { score: '1', evidence: 'button', comment: 'Rezygnuję, nigdy więcej nie zamówię' });
    const churn = await waitFor('the churn-risk alert', async () => (await alerts()).find((a) => a.kind === 'churn-risk' && a.customerId === 'c-churn'));
    const health = await (await api('/api/customers/c-churn/health')).json();
    const none = await api('/api/customers/c-nobody/health');

    // Assess
    expect(churn).toMatchObject({ status: 'open', riskScore: 65, customerName: 'Test Customer' });
    expect(churn.reasons).toEqual([expect.stringMatching(/^Comment mentions leaving: "rezygnuj"/), expect.stringMatching(/^Low NPS score: 1/)]);
    expect(health).toMatchObject({ customerId: 'c-churn', risk: { score: 65, band: 'high', threshold: 50 } });
    expect(health.history.at(-1)).toMatchObject({ score: 65 });
    expect(health.events).toEqual([expect.objectContaining({ type: 'order.delivered' })]);
    expect(none.status).toBe(404);
    const [message] = await waitFor('the churn-risk message', async () => {
      const m = await messagesAbout(churn.id);
      return m.length ? m : undefined;
    });
    expect(message!.attributes).toMatchObject({ kind: 'churn-risk', severity: 'high', store: 'web' });
  });

  it('Should take refunds into the customer health, and alert again when the risk rises a band', async () => {
    // Prepare: the customer of the previous test (65, high) gets their order refunded (+20: 85, critical)
    const refund = {
      source: 'shop.example',
      'detail-type': 'order.refunded',
      detail: { eventId: 'evt-refund-c-churn', occurredAt: new Date().toISOString(), customer: { id: 'c-churn' }, order: { id: 'o-evt-c-churn' } },
    };

    // Act
    const res = await api('/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(refund) });
    const critical = await waitFor('the second churn-risk alert', async () =>
      (await alerts()).find((a) => a.kind === 'churn-risk' && a.customerId === 'c-churn' && a.riskScore === 85),
    );
    const health = await (await api('/api/customers/c-churn/health')).json();

    // Assess
    expect(res.status).toBe(202);
    expect(critical.reasons).toContainEqual(expect.stringMatching(/^Refund \(/));
    expect(health.risk).toMatchObject({ score: 85, band: 'critical' });
    expect(health.events.map((e: { type: string }) => e.type).sort()).toEqual(['order.delivered', 'order.refunded']);
    // from 0 (not stored: churn-risk.ts withHistory): answered with the comment (one response version: docs/cost.md), refunded
    expect(health.history.map((h: { score: number }) => h.score)).toEqual([65, 85]);
  });
});
