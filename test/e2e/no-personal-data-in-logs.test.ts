/**
 * No personal data in logs: the local runtime runs in this process at the most talkative log level
 * (POWERTOOLS_LOG_LEVEL=DEBUG, set before any handler is loaded), everything written to stdout and
 * stderr (and through console.*) is captured during a full flow, and the test fails on any e-mail
 * address or phone number in it. The flow: an order with e-mail and phone, a ticket answered by SMS,
 * an answer whose comment carries an e-mail address and a phone number, a detractor alert, an invalid
 * event, a forged link, an SMS reply and an erasure request by e-mail address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime.ts';
import { BROWSER_UA, mailsTo, orderDelivered, postForm, ratingLinks, waitFor } from '../support/http.ts';

// Before the runtime (and so any handler and its logger) is imported: vitest.config sets ERROR for every file.
const previousEnv = { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL, ALERT_COMMENT_WAIT_SECONDS: process.env.ALERT_COMMENT_WAIT_SECONDS };
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.ALERT_COMMENT_WAIT_SECONDS = '1';

/** E-mail addresses, plain and percent-encoded (a logged URL or form body). */
const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/**
 * Phone numbers: E.164 with or without separators (+48 600 100 200, +14155550123), grouped local forms
 * (600 100 200, 600-100-200, (415) 555-0123, 415.555.0123), and bare Polish mobile (9 digits from 4-8)
 * and North American (10 digits, NXX-NXX-XXXX) numbers that stand alone — not inside a longer run of
 * digits or letters, as timestamps, ids, sequence numbers and hashes are.
 */
const PHONE = [
  /(?<![\w+])\+\d(?:[\s.-]?\d){7,14}(?![\w])/g,
  /(?<![\w.+-])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{3,4}(?![\w-])/g,
  /(?<![\w.+:-])[4-8]\d{8}(?![\w.:-])/g,
  /(?<![\w.+:-])[2-9]\d{2}[2-9]\d{6}(?![\w.:-])/g,
];

function personalDataIn(text: string): string[] {
  return [...text.matchAll(EMAIL), ...PHONE.flatMap((p) => [...text.matchAll(p)])].map((m) => m[0]);
}

/** The captured lines that hold personal data, so that a failure names them. */
function linesWithPersonalData(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => personalDataIn(line).length > 0)
    .map((line) => `${personalDataIn(line).join(', ')} in: ${line.slice(0, 400)}`);
}

/**
 * Everything this process writes: both streams and the console (vitest routes console.* around the
 * streams). Kept, not passed on: DEBUG output would drown the test report.
 */
function captureOutput() {
  const chunks: string[] = [];
  const restores: Array<() => void> = [];
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
    restores.push(() => (stream.write = original));
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      chunks.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message}\n${a.stack}` : JSON.stringify(a))).join(' '));
    };
    restores.push(() => (console[method] = original));
  }
  return { text: () => chunks.join('\n'), clear: () => void (chunks.length = 0), restore: () => restores.forEach((r) => r()) };
}

describe('the personal-data matcher', () => {
  it.each([
    'ala@example.com',
    'Ala.Kot+survey@mail.example.co.uk',
    'to=ala%40example.com',
    '+48600100200',
    '+48 600 100 200',
    '+1 415-555-0123',
    '600 100 200',
    '600-100-200',
    '(415) 555-0123',
    '415.555.0123',
    '"phone":"600100200"',
    'phone=4155550123',
  ])('finds %s', (sample) => {
    expect(personalDataIn(`{"level":"INFO","message":"x","value":${JSON.stringify(sample)}}`)).not.toEqual([]);
  });

  it.each([
    '{"level":"DEBUG","timestamp":"2026-11-26T02:14:44.123Z","service":"ankieta","xray_trace_id":"1-5759e988-bd862e3fe1be46a994272793"}',
    '{"function_request_id":"c0ffee00-1234-5678-9abc-def012345678","cold_start":true,"function_memory_size":"512"}',
    '{"message":"due sweep","sent":12,"retried":0,"durationMs":1764113684,"sequenceNumber":"000000000000000000123456789"}',
    'GET /r/Qm9uam91cg4155550123.c2lnbmF0dXJl600100200 200',
    '{"pk":"SUPPRESS#email#9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","sk":"SUPPRESSION"}',
    'node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js:1234:56',
  ])('leaves alone %s', (line) => {
    expect(personalDataIn(line)).toEqual([]);
  });
});

describe('logs of a full flow on the local runtime', () => {
  let runtime: Runtime;
  let capture: ReturnType<typeof captureOutput>;

  beforeAll(async () => {
    capture = captureOutput();
    const { startTestRuntime } = await import('../support/runtime.ts'); // loaded after the capture starts
    runtime = await startTestRuntime();
  });
  afterAll(async () => {
    await runtime?.stop();
    capture?.restore();
    for (const [name, value] of Object.entries(previousEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("carries a line the handlers' logger writes at DEBUG into the capture, where the matcher finds a planted address and phone", async () => {
    // Prepare
    const { logger } = await import('../../functions/shared/logger.ts');
    capture.clear();

    // Act
    logger.debug('planted sample', { to: 'planted@example.com', phone: '+48 600 999 888' });

    // Assess
    expect(capture.text()).toContain('planted sample');
    expect(personalDataIn(capture.text())).toEqual(expect.arrayContaining(['planted@example.com', '+48 600 999 888']));
    capture.clear();
  });

  it('writes no e-mail address or phone number to stdout or stderr from event to alert, invalid input and erasure included', async () => {
    // Prepare: a daytime zone for the SMS (no quiet-hours deferral), contacts the customer and the comment carry
    const zone = ['Europe/Warsaw', 'America/New_York', 'Asia/Tokyo', 'America/Los_Angeles', 'Australia/Sydney'].find((tz) => {
      const hour = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: tz }).format(new Date()));
      return hour >= 10 && hour < 20;
    })!;
    const order = orderDelivered({ eventId: 'pii-order', customerId: 'c-pii-1', email: 'ala.kot@example.com' });
    Object.assign(order.detail.customer, { phone: '+48600100200', timezone: 'Europe/Warsaw' });
    const ticket = {
      source: 'helpdesk.example',
      'detail-type': 'ticket.solved',
      detail: {
        eventId: 'pii-ticket',
        occurredAt: new Date().toISOString(),
        customer: { id: 'c-pii-2', phone: '+14155550123', locale: 'en-US', timezone: zone, consent: { email: false, sms: true } },
        ticket: { id: 't-pii', agentId: 'agent-1', team: 'billing', channel: 'phone', subject: 'Call back on 415-555-0123' },
      },
    };
    const invalid = orderDelivered({ eventId: 'pii-invalid', customerId: 'c-pii-3' });
    Object.assign(invalid.detail.customer, { email: 'jan.nowak@example', phone: '+48 600 1' });
    const post = (path: string, body: unknown) =>
      fetch(`${runtime.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    // Act: events (one invalid), the e-mail answered with a detractor score and a comment full of contacts
    const accepted = await post('/events', [order, ticket, invalid]);
    const [mail] = await waitFor('the survey mail', async () => {
      const mails = await mailsTo(runtime.sesUrl, 'ala.kot@example.com');
      return mails.length ? mails : undefined;
    });
    await waitFor('the SMS', async () => {
      const sms = (await (await fetch(`${runtime.apiUrl}/local/outbox?channel=sms`)).json()) as unknown[];
      return sms.length ? sms : undefined;
    });
    const link = ratingLinks(mail!.body.html!).get(2)!;
    await new Promise((r) => setTimeout(r, 2100)); // no person answers within 2 s of sending
    const page = await fetch(link, { headers: { 'user-agent': BROWSER_UA } });
    await page.text();
    await new Promise((r) => setTimeout(r, 2100)); // nor within 2 s of opening the page
    const answered = await postForm(link.split('?')[0]!, {
      score: '2',
      evidence: 'button',
      comment: 'Broken parcel. Call me on +48 600 100 200 or 600-100-200, or write to ala.kot@example.com / ala%40example.com',
    });
    await answered.text();
    // a forged link (GET and POST), an SMS reply with contacts in it, an erasure by e-mail address
    const forged = await fetch(`${runtime.apiUrl}/r/AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB?s=3`, { headers: { 'user-agent': BROWSER_UA } });
    await forged.text();
    await (
      await postForm(`${runtime.apiUrl}/r/AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB`, {
        score: '3',
        evidence: 'button',
        comment: 'mail me: eve@example.com',
      })
    ).text();
    const reply = await post('/local/sms-inbound', {
      originationNumber: '+14155550123',
      destinationNumber: '+18005550100',
      messageKeyword: 'KEYWORD_1',
      messageBody: '5 thanks, text me at 415 555 0123',
      inboundMessageId: 'pii-inbound-1',
    });
    await reply.text();
    const alerts = await waitFor('the detractor alert published', async () => {
      const out = (await (await fetch(`${runtime.apiUrl}/local/outbox?channel=alert`)).json()) as unknown[];
      return out.length ? out : undefined;
    });
    const erasure = await post('/api/erasure', { email: 'ala.kot@example.com' });
    await erasure.text();
    await runtime.drainStream();

    // Assess: the flow ran (so the handlers had the data in hand), then not one contact in the output
    expect(accepted.status).toBe(202);
    expect(answered.status).toBe(200);
    expect(forged.status).toBe(404);
    expect(alerts.length).toBeGreaterThan(0);
    expect([reply.status, erasure.status].every((s) => s < 500)).toBe(true);
    expect(capture.text().length).toBeGreaterThan(0); // DEBUG level: the handlers did write
    expect(linesWithPersonalData(capture.text())).toEqual([]);
  });
});
