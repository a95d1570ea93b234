/**
 * Triggers and channels end to end, through the local runtime's HTTP contract only: the shipped
 * ticket.solved sample becomes a CSAT e-mail; its unsubscribe link shows a page on GET and
 * unsubscribes on the one-click POST; an SMS survey goes to the outbox, a reply by number becomes the
 * answer and STOP stops the next one; a refund cancels the order's pending survey.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { BROWSER_UA, mailsTo, orderDelivered, waitFor } from '../support/http.ts';

let runtime: Runtime;

beforeAll(async () => {
  runtime = await startTestRuntime();
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

interface EventResult {
  status: number;
  outcome?: string;
  invitationId?: string;
  reason?: string;
}

async function postEvent(event: unknown): Promise<EventResult> {
  const res = await fetch(`${runtime.apiUrl}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
  const body = (await res.json()) as { results: EventResult[] };
  return body.results[0]!;
}

interface OutboxSms {
  to: string;
  body: string;
}

async function smsTo(phone: string): Promise<OutboxSms[]> {
  const all = (await (await fetch(`${runtime.apiUrl}/local/outbox?channel=sms`)).json()) as OutboxSms[];
  return all.filter((m) => m.to === phone);
}

async function scores(metric: string): Promise<{ responses: number; value: number | null }> {
  return (await (await fetch(`${runtime.apiUrl}/api/scores?metric=${metric}&window=30d`)).json()) as { responses: number; value: number | null };
}

/** A fixed-offset zone where it is now mid-day, so SMS quiet hours never defer the test's message. */
function daytimeZone(): string {
  const offset = 13 - new Date().getUTCHours(); // local 13:00
  const wrapped = ((offset + 12 + 24) % 24) - 12; // -12..11
  return wrapped === 0 ? 'UTC' : `Etc/GMT${wrapped > 0 ? '-' : '+'}${Math.abs(wrapped)}`; // Etc/GMT signs are inverted
}

function ticketSolved(overrides: { eventId: string; customerId: string; email?: string; phone?: string; sms?: boolean; locale?: string; ticketId?: string }) {
  return {
    source: 'helpdesk.example',
    'detail-type': 'ticket.solved',
    detail: {
      eventId: overrides.eventId,
      occurredAt: new Date().toISOString(),
      customer: {
        id: overrides.customerId,
        ...(overrides.email ? { email: overrides.email } : {}),
        ...(overrides.phone ? { phone: overrides.phone } : {}),
        locale: overrides.locale ?? 'pl-PL',
        timezone: daytimeZone(),
        consent: { sms: overrides.sms ?? false },
      },
      ticket: { id: overrides.ticketId ?? `t-${overrides.eventId}`, agentId: 'agent-1', team: 'support' },
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('e-mail', () => {
  it('turns the shipped ticket.solved sample into an English CSAT e-mail with five one-click links and one-click unsubscribe headers', async () => {
    // Prepare
    const sample = JSON.parse(readFileSync('surveys/samples/ticket-solved.json', 'utf8'));
    sample.detail.occurredAt = new Date().toISOString(); // an event older than the link validity is skipped (stale-event)

    // Act
    const result = await postEvent(sample);

    // Assess
    expect(result).toMatchObject({ status: 202, outcome: 'scheduled' });
    const [mail] = await waitFor('the CSAT mail', async () => {
      const mails = await mailsTo(runtime.sesUrl, 'john@example.com');
      return mails.length ? mails : undefined;
    });
    expect(mail!.subject).toContain('how did we do with your request?');
    const scoresLinked = [...mail!.body.html!.matchAll(/href="[^"]*\/r\/[^"?]+\?s=(\d+)"/g)].map((m) => Number(m[1]));
    expect(scoresLinked).toEqual([1, 2, 3, 4, 5]);
    expect(mail!.body.text).toContain('5 – Very satisfied');
    const header = (name: string) => mail!.headers?.find((h) => h.name === name)?.value;
    expect(header('List-Unsubscribe')).toMatch(/^<http:\/\/localhost:\d+\/u\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}>$/);
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  });

  it('shows a confirmation on GET that unsubscribes nobody, unsubscribes on the one-click POST, and skips the next survey', async () => {
    // Prepare: a sent survey and its unsubscribe URL
    await postEvent(ticketSolved({ eventId: 'unsub-1', customerId: 'c-unsub', email: 'unsub@example.com' }));
    const [mail] = await waitFor('the mail', async () => {
      const mails = await mailsTo(runtime.sesUrl, 'unsub@example.com');
      return mails.length ? mails : undefined;
    });
    const url = /^<(.+)>$/.exec(mail!.headers!.find((h) => h.name === 'List-Unsubscribe')!.value)![1]!;

    // Act: a scanner (or a person) opens the link
    const page = await fetch(url, { headers: { 'user-agent': BROWSER_UA } });
    const pageHtml = await page.text();
    const afterGet = await postEvent(ticketSolved({ eventId: 'unsub-2', customerId: 'c-unsub-other', email: 'unsub@example.com' }));

    // Assess: a page with a button, in Polish; nothing suppressed
    expect(page.status).toBe(200);
    expect(pageHtml).toContain('lang="pl"');
    expect(pageHtml).toContain('Wypisz mnie');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(afterGet.outcome).toBe('scheduled');

    // Act: the mail client's one-click POST, without cookies
    const post = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    const again = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    const next = await postEvent(ticketSolved({ eventId: 'unsub-3', customerId: 'c-unsub-third', email: 'unsub@example.com' }));

    // Assess: unsubscribed (idempotently), and the address is suppressed for any customer id
    expect(post.status).toBe(200);
    expect(await post.text()).toContain('Wypisano Cię z ankiet');
    expect(again.status).toBe(200);
    expect(next).toMatchObject({ outcome: 'skipped' });
    expect(next.reason).toMatch(/suppressed: unsubscribed/);
  });

  it('answers a forged unsubscribe link with 404 and unsubscribes nobody', async () => {
    // Act
    const res = await fetch(`${runtime.apiUrl}/u/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA`, { method: 'POST', body: 'List-Unsubscribe=One-Click' });

    // Assess
    expect(res.status).toBe(404);
  });
});

describe('SMS both ways', () => {
  it('sends an SMS with a short link, counts a reply by number as the answer, and stops after STOP', async () => {
    // Prepare: a customer reachable by SMS only
    const phone = '+48601234567';
    const before = await scores('csat');

    // Act: the ticket is solved
    const triggered = await postEvent(ticketSolved({ eventId: 'sms-1', customerId: 'c-sms', phone, sms: true }));
    const [sms] = await waitFor('the SMS', async () => {
      const out = await smsTo(phone);
      return out.length ? out : undefined;
    });

    // Assess: short, Polish, a short link that leads to the survey page
    expect(triggered.outcome).toBe('scheduled');
    expect(sms!.body).toMatch(/Odpisz liczba 1-5/); // plain letters: one GSM-7 segment instead of two in UCS-2
    const link = /(http:\/\/localhost:\d+\/s\/[0-9A-Za-z]{10})/.exec(sms!.body)![1]!;
    const redirect = await fetch(link, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(/\/r\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);

    // Act: the customer replies "4 szybko i miło" (after the 2 s no-person-is-that-fast rule)
    await sleep(2_100);
    const reply = await fetch(`${runtime.apiUrl}/local/sms-inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        originationNumber: phone,
        destinationNumber: '+48500000000',
        messageKeyword: '',
        messageBody: '4 szybko i miło',
        inboundMessageId: 'in-1',
      }),
    });

    // Assess: answered with a comment, counted in the scores
    expect(reply.status).toBe(202);
    expect(await reply.json()).toEqual([{ status: 'answered', invitationId: triggered.invitationId, score: 4, commented: true }]);
    const after = await waitFor('the CSAT answer in the scores', async () => {
      const s = await scores('csat');
      return s.responses === before.responses + 1 ? s : undefined;
    });
    expect(after.responses).toBe(before.responses + 1);

    // Act: STOP, then another solved ticket a month later is not possible here — a new customer id with the same number
    const stop = await fetch(`${runtime.apiUrl}/local/sms-inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        originationNumber: phone,
        destinationNumber: '+48500000000',
        messageKeyword: 'STOP',
        messageBody: 'Stop',
        inboundMessageId: 'in-2',
      }),
    });
    const next = await postEvent(ticketSolved({ eventId: 'sms-2', customerId: 'c-sms-2', phone, sms: true }));

    // Assess
    expect(await stop.json()).toEqual([{ status: 'suppressed' }]);
    expect(next).toMatchObject({ outcome: 'skipped' });
    expect(next.reason).toMatch(/sms suppressed: stop/);
  });

  it('keeps a reply it cannot use, and refuses a payload that is not a reply, without crashing', async () => {
    // Act
    const unknown = await fetch(`${runtime.apiUrl}/local/sms-inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ originationNumber: '+48609999999', destinationNumber: '+48500000000', messageBody: 'Kto to?', inboundMessageId: 'in-3' }),
    });
    const garbage = await fetch(`${runtime.apiUrl}/local/sms-inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hello":' });

    // Assess
    expect(unknown.status).toBe(202);
    expect(await unknown.json()).toEqual([{ status: 'kept', reason: 'no SMS survey was sent to this number' }]);
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toEqual([{ status: 'quarantined', errors: ['(root): the SNS message is not JSON'] }]);
  });
});

describe('cancelling events', () => {
  it('cancels a pending NPS survey when its order is refunded, and sends nothing', async () => {
    // Prepare: a delay long enough to refund before sending (NPS: 3 days → 3 s locally)
    const delivered = orderDelivered({ eventId: 'refund-1', customerId: 'c-refund', email: 'refund@example.com' });

    // Act
    const triggered = await postEvent(delivered);
    const refunded = await postEvent({
      source: 'shop.example',
      'detail-type': 'order.refunded',
      detail: { eventId: 'refund-1-r', occurredAt: new Date().toISOString(), customer: { id: 'c-refund' }, order: { id: delivered.detail.order.id } },
    });
    await sleep(3_500); // past the survey's send time (3 days → 3 s locally)
    await runtime.sweep(); // and a whole sweep after it, awaited: the interval's may lag on a loaded machine

    // Assess
    expect(triggered.outcome).toBe('scheduled');
    expect(refunded).toMatchObject({ status: 202, outcome: 'cancelled' });
    expect(refunded.reason).toContain('1 pending survey(s) cancelled');
    expect(await mailsTo(runtime.sesUrl, 'refund@example.com')).toHaveLength(0);
  });
});
