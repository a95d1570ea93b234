/**
 * The walking skeleton end to end, through the local runtime's HTTP contract only:
 * event → NPS mail in the local SES store → click → response → score → detractor alert in the SNS outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { BROWSER_UA, mailsTo, orderDelivered, postForm, ratingLinks, waitFor } from '../support/http.ts';

let runtime: Runtime;

beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.stop();
});

const postEvents = (body: unknown) =>
  fetch(`${runtime.apiUrl}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('the survey pipeline on the local runtime', () => {
  it('turns the shipped sample event into a Polish NPS mail with 11 one-click links, and a click into a score and an alert', async () => {
    // Prepare
    const sample = JSON.parse(readFileSync('surveys/samples/order-delivered.json', 'utf8'));
    sample.detail.occurredAt = new Date().toISOString(); // an event older than the link validity is skipped (stale-event)

    // Act: the commerce system posts the event
    const accepted = await postEvents(sample);

    // Assess: accepted, then a mail within seconds
    expect(accepted.status).toBe(202);
    const [mail] = await waitFor('the survey mail', async () => {
      const mails = await mailsTo(runtime.sesUrl, 'ala@example.com');
      return mails.length ? mails : undefined;
    });
    expect(mail!.subject).toMatch(/poleci/i);
    expect(mail!.body.text).toBeTruthy();
    const links = ratingLinks(mail!.body.html!);
    expect([...links.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(mail!.headers?.find((h) => h.name === 'List-Unsubscribe-Post')?.value).toBe('List-Unsubscribe=One-Click');

    // Act: the customer clicks "2"; the page opens; they press the button (the no-script path)
    await new Promise((r) => setTimeout(r, 2100)); // no person answers within 2 s of delivery
    const page = await fetch(links.get(2)!, { headers: { 'user-agent': BROWSER_UA } });
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const pageHtml = await page.text();
    expect(pageHtml).toContain('lang="pl"');
    await new Promise((r) => setTimeout(r, 2100)); // a person reads the page before pressing the button
    const postUrl = links.get(2)!.split('?')[0]!;
    const answered = await postForm(postUrl, { score: '2', evidence: 'button', comment: 'Paczka przyszła zniszczona' });
    expect(answered.status).toBe(200);

    // Assess: the score counts, overall and per store; a detractor alert is listed and published
    const scores = await waitFor('the score', async () => {
      const s = (await (await fetch(`${runtime.apiUrl}/api/scores?metric=nps&window=30d&segment=store`)).json()) as {
        responses: number;
        value: number;
        detractors: number;
        segments: Array<{ key: string; responses: number; value: number }>;
      };
      // the overall page and the store's page are two items, written one after the other: wait for both
      return s.responses === 1 && s.segments.length > 0 ? s : undefined;
    });
    expect(scores.value).toBe(-100);
    expect(scores.segments).toEqual([expect.objectContaining({ key: 'web', responses: 1, value: -100 })]);

    const alerts = await waitFor('the alert', async () => {
      const a = (await (await fetch(`${runtime.apiUrl}/api/alerts?status=open`)).json()) as Array<{ kind: string; score: number; customerId: string }>;
      return a.length ? a : undefined;
    });
    expect(alerts).toEqual([expect.objectContaining({ kind: 'detractor', score: 2, customerId: 'c-1' })]);
    const published = await waitFor('the SNS alert', async () => {
      const out = (await (await fetch(`${runtime.apiUrl}/local/outbox?channel=alert`)).json()) as Array<{ attributes: Record<string, string>; body: string }>;
      return out.length ? out : undefined;
    });
    expect(published[0]!.attributes).toMatchObject({ kind: 'detractor', survey: 'nps-post-purchase', store: 'web' });
  });

  it('answers a bad request per entry: the invalid entry names its field, the valid one goes through', async () => {
    // Prepare
    const valid = orderDelivered({ eventId: 'mixed-ok', customerId: 'c-mixed' });
    const invalid = orderDelivered({ eventId: 'mixed-bad', customerId: 'c-mixed-2' });
    (invalid.detail.customer as { email?: string }).email = 'not-an-email';

    // Act
    const res = await postEvents([valid, invalid]);
    const body = (await res.json()) as { accepted: number; results: Array<{ index: number; status: number; errors?: string[] }> };

    // Assess
    expect(res.status).toBe(202);
    expect(body.accepted).toBe(1);
    expect(body.results[0]).toMatchObject({ index: 0, status: 202 });
    expect(body.results[1]).toMatchObject({ index: 1, status: 400 });
    expect(body.results[1]!.errors!.join()).toContain('detail.customer.email');
  });

  it('refuses a body that is not JSON with 400 and an oversized one with 413', async () => {
    expect((await postEvents('{not json')).status).toBe(400);
    expect((await postEvents('x'.repeat(300 * 1024))).status).toBe(413);
  });

  it('sends one survey when the same event arrives twice at the same moment', async () => {
    // Prepare
    const event = orderDelivered({ eventId: 'dup-1', customerId: 'c-dup', email: 'dup@example.com' });

    // Act
    const answers = await Promise.all([postEvents(event), postEvents(event), postEvents(event)]);
    const outcomes = await Promise.all(answers.map(async (a) => ((await a.json()) as { results: Array<{ outcome: string }> }).results[0]!.outcome));

    // Assess
    expect(outcomes.filter((o) => o === 'scheduled')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(2);
    await waitFor('the one mail', async () => ((await mailsTo(runtime.sesUrl, 'dup@example.com')).length ? true : undefined));
    await runtime.sweep(); // two whole sweeps after the mail (each awaited: timers may lag on a loaded machine)
    await runtime.sweep();
    expect(await mailsTo(runtime.sesUrl, 'dup@example.com')).toHaveLength(1);
  });
});
