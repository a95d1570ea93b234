import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE, type SurveyDefinition } from '../../surveys/catalogue.ts';
import { createLinkSigner } from '../../surveys/links.ts';
import type { Invitation } from '../../surveys/model.ts';
import { SendError, type CustomerProfile, type InvitationStore, type OutgoingEmail } from '../../surveys/ports.ts';
import { smsSegments } from '../../surveys/templates/sms.ts';
import { InMemoryContacts } from '../support/in-memory-stores.ts';
import { addSummaries, backoffMs, SEND_RULES, SHORT_CODE_PATTERN, sendDueInvitations, type SendDeps } from '../../surveys/use-cases/send-due.ts';
import { emailChannel } from '../../surveys/use-cases/send-email.ts';
import { smsChannel } from '../../surveys/use-cases/send-sms.ts';
import type { Channel } from '../../surveys/model.ts';

const HOUR = 3600_000;

/** In memory, with the adapter's conditional state changes. */
class InMemoryInvitationStore implements InvitationStore {
  readonly invitations = new Map<string, Invitation & { contactSentTo?: string }>();
  readonly profiles = new Map<string, CustomerProfile>();
  readonly answered = new Set<string>();

  async listDue(now: string, _limit: number, channel: Channel) {
    return [...this.invitations.values()]
      .filter((i) => i.channel === channel)
      .filter((i) => (i.status === 'scheduled' && i.sendAt <= now) || (i.status === 'sent' && i.reminderAt && !i.remindedAt && i.reminderAt <= now))
      .sort((a, b) => a.sendAt.localeCompare(b.sendAt))
      .map((i) => structuredClone(i));
  }
  async claim(id: string) {
    const i = this.invitations.get(id);
    if (i?.status !== 'scheduled') return undefined;
    i.status = 'sending';
    return structuredClone(i);
  }
  async markSent(id: string, sentAt: string, expiresAt: string, details: { sentTo?: string; reminderAt?: string } = {}) {
    const i = this.invitations.get(id)!;
    if (i.status !== 'sending') throw new Error('not sending');
    Object.assign(i, { status: 'sent', sentAt, expiresAt, contactSentTo: details.sentTo, ...(details.reminderAt ? { reminderAt: details.reminderAt } : {}) });
    delete i.failureReason;
  }
  async markRetry(id: string, retryAt: string, reason: string) {
    const i = this.invitations.get(id)!;
    Object.assign(i, { status: 'scheduled', sendAt: retryAt, failureReason: reason, attempts: (i.attempts ?? 0) + 1 });
  }
  async markFailed(id: string, reason: string) {
    const i = this.invitations.get(id)!;
    Object.assign(i, { status: 'failed', failureReason: reason, attempts: (i.attempts ?? 0) + 1 });
  }
  async markCancelled(id: string, reason: string, at: string) {
    Object.assign(this.invitations.get(id)!, { status: 'cancelled', failureReason: reason, cancelledAt: at });
  }
  async claimReminder(id: string, now: string) {
    const i = this.invitations.get(id);
    if (i?.status !== 'sent' || !i.reminderAt || i.remindedAt || i.reminderAt > now) return undefined;
    i.remindedAt = now;
    return structuredClone(i);
  }
  async hasResponse(id: string) {
    return this.answered.has(id);
  }
  async getProfile(customerId: string) {
    return this.profiles.get(customerId);
  }
}

/** A sender that fails the first `failures` sends with `error`, then delivers. */
class ScriptedSender<T> {
  readonly sent: T[] = [];
  constructor(private failures: Array<Error> = []) {}
  async send(message: T) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(message);
    return { messageId: `m-${this.sent.length}` };
  }
}

const NOW = new Date('2026-11-20T12:00:00.000Z');
const signer = createLinkSigner('x'.repeat(40));

function invitationFactory(overrides: Partial<Invitation> = {}): Invitation {
  return {
    id: 'AAAAAAAAAAAAAAAAAAAAAA',
    surveyId: 'csat-post-ticket',
    metric: 'csat',
    channel: 'email',
    customerId: 'c-1',
    locale: 'en',
    eventId: 'e-1',
    eventType: 'ticket.solved',
    subjectRef: 't-1',
    segments: {},
    status: 'scheduled',
    createdAt: '2026-11-19T12:00:00.000Z',
    sendAt: '2026-11-20T11:59:00.000Z',
    ...overrides,
  };
}

function setup(options: { email?: Error[]; sms?: Error[]; catalogue?: SurveyDefinition[] } = {}) {
  const store = new InMemoryInvitationStore();
  const contacts = new InMemoryContacts();
  const email = new ScriptedSender<OutgoingEmail>(options.email);
  const sms = new ScriptedSender<{ to: string; body: string }>(options.sms);
  const clock = { now: NOW };
  store.profiles.set('c-1', { customerId: 'c-1', email: 'john@example.com', phone: '+48600100200', name: 'John', locale: 'en', version: 1 });
  const deps: SendDeps = {
    store,
    contacts,
    channel: emailChannel({ email }),
    links: signer,
    now: () => clock.now,
    publicBaseUrl: 'https://ank.example',
    brand: 'Example Shop',
    random: () => 0.5, // no jitter
    ...(options.catalogue ? { catalogue: options.catalogue } : {}),
  };
  // The SMS sweep: the same but for its channel (sendDueSms).
  const smsDeps: SendDeps = { ...deps, channel: smsChannel({ sms, links: contacts, publicBaseUrl: deps.publicBaseUrl }) };
  const add = (i: Invitation) => store.invitations.set(i.id, structuredClone(i));
  return { store, contacts, email, sms, clock, deps, smsDeps, add };
}

const throttling = (name = 'TooManyRequestsException') => new SendError(`SES ${name}: Maximum sending rate exceeded.`, false, true);

describe('sending by e-mail', () => {
  it('Should send with one-click unsubscribe headers and the invitation tag, and remember the address it went to', async () => {
    // Prepare
    const { store, email, deps, add } = setup();
    add(invitationFactory());

    // Act
    const summary = await sendDueInvitations(deps);

    // Assess
    expect(summary).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
      cancelled: 0,
      reminded: 0,
      throttled: false,
      sentByChannel: { email: 1, sms: 0 },
      oldestDueAt: expect.any(String),
    });
    const mail = email.sent[0]!;
    expect(mail.to).toBe('john@example.com');
    expect(mail.headers['List-Unsubscribe']).toBe(`<https://ank.example/u/${signer.sign('AAAAAAAAAAAAAAAAAAAAAA')}>`);
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.tags).toEqual({ invitation: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({
      status: 'sent',
      contactSentTo: 'john@example.com',
      sentAt: NOW.toISOString(),
      expiresAt: '2026-12-04T12:00:00.000Z',
    });
  });

  it.each([
    {
      name: 'unsubscribed since it was scheduled (the list, per address)',
      list: { 'john@example.com': 'unsubscribed' },
      profile: {},
      reason: 'email suppressed: unsubscribed',
    },
    { name: 'bounced on the profile', list: {}, profile: { suppressed: { email: 'bounced' } }, reason: 'email suppressed: bounced' },
  ])('Should cancel instead of sending when $name', async ({ list, profile, reason }) => {
    // Prepare
    const { store, contacts, email, deps, add } = setup();
    for (const [k, v] of Object.entries(list)) contacts.suppressions.set(k, v);
    Object.assign(store.profiles.get('c-1')!, profile);
    add(invitationFactory());

    // Act
    const summary = await sendDueInvitations(deps);

    // Assess
    expect(summary.cancelled).toBe(1);
    expect(email.sent).toHaveLength(0);
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ status: 'cancelled', failureReason: reason });
  });
});

describe('sending by SMS', () => {
  it('Should send a short, single-segment text with a short link and remember which survey a reply answers', async () => {
    // Prepare
    const { store, contacts, sms, smsDeps: deps, add } = setup();
    add(invitationFactory({ channel: 'sms', locale: 'pl' }));

    // Act
    await sendDueInvitations(deps);

    // Assess
    const message = sms.sent[0]!;
    expect(message.to).toBe('+48600100200');
    const code = /https:\/\/ank\.example\/s\/(\w+)$/.exec(message.body)![1]!;
    expect(code).toMatch(SHORT_CODE_PATTERN);
    expect(contacts.shortLinks.get(code)).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(contacts.threads.get('+48600100200')).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(message.body).toContain('1-5');
    expect(smsSegments(message.body).segments).toBe(1);
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ status: 'sent', contactSentTo: '+48600100200' });
  });

  it.each([
    { name: 'a landline', phone: '+48221234567' },
    { name: 'a number one digit short', phone: '+4860010020' },
  ])('Should fail for good, without sending, to $name', async ({ phone }) => {
    // Prepare
    const { store, sms, smsDeps: deps, add } = setup();
    store.profiles.get('c-1')!.phone = phone;
    add(invitationFactory({ channel: 'sms' }));

    // Act
    const summary = await sendDueInvitations(deps);

    // Assess
    expect(summary.failed).toBe(1);
    expect(sms.sent).toHaveLength(0);
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')!.failureReason).toContain('not a valid E.164 number');
  });

  it('Should cancel an SMS to a number that sent STOP since', async () => {
    // Prepare
    const { store, contacts, sms, smsDeps: deps, add } = setup();
    contacts.suppressions.set('+48600100200', 'stop');
    add(invitationFactory({ channel: 'sms' }));

    // Act
    await sendDueInvitations(deps);

    // Assess
    expect(sms.sent).toHaveLength(0);
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ status: 'cancelled', failureReason: 'sms suppressed: stop' });
  });
});

describe('failures', () => {
  it('Should put a throttled invitation back with a backoff, record why, and leave the rest of the sweep for the next one', async () => {
    // Prepare
    const { store, email, deps, add } = setup({ email: [throttling()] });
    add(invitationFactory({ id: 'AAAAAAAAAAAAAAAAAAAAA1', sendAt: '2026-11-20T11:00:00.000Z' }));
    add(invitationFactory({ id: 'AAAAAAAAAAAAAAAAAAAAA2', sendAt: '2026-11-20T11:30:00.000Z' }));

    // Act
    const summary = await sendDueInvitations(deps);

    // Assess
    expect(summary).toMatchObject({ sent: 0, retried: 1, throttled: true });
    expect(email.sent).toHaveLength(0);
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAA1')).toMatchObject({
      status: 'scheduled',
      attempts: 1,
      sendAt: new Date(NOW.getTime() + SEND_RULES.backoffBaseMs).toISOString(),
      failureReason: 'attempt 1: throttled, SendError: SES TooManyRequestsException: Maximum sending rate exceeded.',
    });
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAA2')).toMatchObject({ status: 'scheduled', sendAt: '2026-11-20T11:30:00.000Z' });
  });

  it('Should send a throttled invitation once the backoff has passed', async () => {
    // Prepare
    const { store, email, clock, deps, add } = setup({ email: [throttling()] });
    add(invitationFactory());
    await sendDueInvitations(deps);

    // Act
    clock.now = new Date(NOW.getTime() + 2 * SEND_RULES.backoffBaseMs);
    const summary = await sendDueInvitations(deps);

    // Assess
    expect(summary.sent).toBe(1);
    expect(email.sent).toHaveLength(1);
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it.each([
    { name: 'a permanent failure at once', errors: [new SendError('SES MessageRejected: Email address is not verified.', true)], sweeps: 1, attempts: 1 },
    { name: 'a transient failure five times', errors: Array.from({ length: 5 }, () => new Error('socket hang up')), sweeps: 5, attempts: 5 },
  ])('Should mark it failed with the reason after $name', async ({ errors, sweeps, attempts }) => {
    // Prepare
    const { store, clock, deps, add } = setup({ email: errors });
    add(invitationFactory());

    // Act
    for (let i = 0; i < sweeps; i++) {
      await sendDueInvitations(deps);
      clock.now = new Date(clock.now.getTime() + 2 * HOUR);
    }

    // Assess
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({
      status: 'failed',
      attempts,
      failureReason: expect.stringContaining(`attempt ${attempts}:`),
    });
  });

  it("Should keep retrying while throttled longer than a transient failure would (throttling is not the message's fault)", async () => {
    // Prepare
    const { store, clock, deps, add } = setup({ email: Array.from({ length: 7 }, () => throttling('LimitExceededException')) });
    add(invitationFactory());

    // Act
    for (let i = 0; i < 8; i++) {
      await sendDueInvitations(deps);
      clock.now = new Date(clock.now.getTime() + 2 * HOUR);
    }

    // Assess
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ status: 'sent', attempts: 7 });
  });

  it('Should fail a survey its catalogue no longer knows, with the reason', async () => {
    // Prepare
    const { store, deps, add } = setup();
    add(invitationFactory({ surveyId: 'gone' }));

    // Act
    await sendDueInvitations(deps);

    // Assess
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({
      status: 'failed',
      failureReason: expect.stringContaining('gone is not in the catalogue'),
    });
  });
});

describe('backoff', () => {
  it.each([
    { attempts: 1, ms: 60_000 },
    { attempts: 2, ms: 120_000 },
    { attempts: 3, ms: 240_000 },
    { attempts: 7, ms: 3600_000 },
    { attempts: 30, ms: 3600_000 },
  ])('Should wait $ms ms after attempt $attempts (no jitter)', ({ attempts, ms }) => {
    // Assess
    expect(backoffMs(attempts, () => 0.5)).toBe(ms);
  });

  it('Should spread retries by ±20 %', () => {
    // Assess
    expect(backoffMs(1, () => 0)).toBe(48_000);
    expect(backoffMs(1, () => 0.999999)).toBeCloseTo(72_000, -1);
  });
});

describe('the optional reminder', () => {
  const withReminder = DEFAULT_CATALOGUE.map((s) => (s.id === 'csat-post-ticket' ? { ...s, reminderAfterHours: 48 } : s));

  it('Should be off by default: no reminder time, nothing sent later', async () => {
    // Prepare
    const { store, email, clock, deps, add } = setup();
    add(invitationFactory());
    await sendDueInvitations(deps);

    // Act
    clock.now = new Date(NOW.getTime() + 72 * HOUR);
    await sendDueInvitations(deps);

    // Assess
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')!.reminderAt).toBeUndefined();
    expect(email.sent).toHaveLength(1);
  });

  it('Should remind once, with the reminder prefix, when the survey is still unanswered', async () => {
    // Prepare
    const { email, clock, deps, add } = setup({ catalogue: withReminder });
    add(invitationFactory());
    await sendDueInvitations(deps);

    // Act
    clock.now = new Date(NOW.getTime() + 49 * HOUR);
    const summary = await sendDueInvitations(deps);
    await sendDueInvitations(deps);

    // Assess
    expect(summary.reminded).toBe(1);
    expect(email.sent.map((m) => m.subject)).toEqual([
      'Example Shop: how did we do with your request?',
      'Reminder: Example Shop: how did we do with your request?',
    ]);
  });

  it('Should not remind someone who answered', async () => {
    // Prepare
    const { store, email, clock, deps, add } = setup({ catalogue: withReminder });
    add(invitationFactory());
    await sendDueInvitations(deps);
    store.answered.add('AAAAAAAAAAAAAAAAAAAAAA');

    // Act
    clock.now = new Date(NOW.getTime() + 49 * HOUR);
    const summary = await sendDueInvitations(deps);

    // Assess
    expect(summary.reminded).toBe(0);
    expect(email.sent).toHaveLength(1);
  });
});

describe('SMS quiet hours after scheduling', () => {
  it('Should not retry a throttled SMS in the night: the retry waits for 09:00 in the customer zone', async () => {
    // Prepare: 20:59:30 in Warsaw (UTC+1); the first retry would come at 21:00:30
    const { store, clock, smsDeps: deps, add } = setup({ sms: [new SendError('SNS ThrottledException: Rate exceeded', false, true)] });
    store.profiles.get('c-1')!.timezone = 'Europe/Warsaw';
    clock.now = new Date('2026-11-20T19:59:30.000Z');
    add(invitationFactory({ channel: 'sms', sendAt: '2026-11-20T19:59:00.000Z' }));

    // Act
    await sendDueInvitations(deps);

    // Assess
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ status: 'scheduled', sendAt: '2026-11-21T08:00:00.000Z' });
  });

  it('Should move an SMS reminder that falls in the night to the morning', async () => {
    // Prepare: sent at 10:00 Warsaw, a reminder 12 hours later would be 22:00
    const catalogue = DEFAULT_CATALOGUE.map((s) => (s.id === 'csat-post-ticket' ? { ...s, reminderAfterHours: 12 } : s));
    const { store, clock, smsDeps: deps, add } = setup({ catalogue });
    store.profiles.get('c-1')!.timezone = 'Europe/Warsaw';
    clock.now = new Date('2026-11-20T09:00:00.000Z');
    add(invitationFactory({ channel: 'sms', sendAt: '2026-11-20T09:00:00.000Z' }));

    // Act
    await sendDueInvitations(deps);

    // Assess
    expect(store.invitations.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ status: 'sent', reminderAt: '2026-11-21T08:00:00.000Z' });
  });
});

describe('one sweep per channel', () => {
  it('Should send only its own channel: the e-mail sweep leaves SMS invitations due for the SMS sweep, and the other way round', async () => {
    // Prepare
    const { store, email, sms, deps, smsDeps, add } = setup();
    add(invitationFactory({ id: 'EMAILEMAILEMAILEMAIL00' }));
    add(invitationFactory({ id: 'SMSSMSSMSSMSSMSSMSSMS0', channel: 'sms' }));

    // Act
    const byEmail = await sendDueInvitations(deps);
    const smsWaiting = store.invitations.get('SMSSMSSMSSMSSMSSMSSMS0')!.status;
    const bySms = await sendDueInvitations(smsDeps);

    // Assess
    expect(byEmail.sentByChannel).toEqual({ email: 1, sms: 0 });
    expect(smsWaiting).toBe('scheduled');
    expect(bySms.sentByChannel).toEqual({ email: 0, sms: 1 });
    expect(email.sent.map((m) => m.tags?.invitation)).toEqual(['EMAILEMAILEMAILEMAIL00']);
    expect(sms.sent.map((m) => m.to)).toEqual(['+48600100200']);
    expect([...store.invitations.values()].map((i) => i.status)).toEqual(['sent', 'sent']);
  });

  it('Should add up the summaries of the sweeps, keeping the oldest due time and any throttle', () => {
    // Prepare
    const none = { sent: 0, retried: 0, failed: 0, cancelled: 0, reminded: 0, throttled: false, sentByChannel: { email: 0, sms: 0 } };
    const byEmail = { ...none, sent: 2, failed: 1, sentByChannel: { email: 2, sms: 0 }, oldestDueAt: '2026-11-20T11:00:00.000Z' };
    const bySms = { ...none, sent: 1, retried: 1, throttled: true, sentByChannel: { email: 0, sms: 1 }, oldestDueAt: '2026-11-20T10:00:00.000Z' };

    // Act
    const total = addSummaries([byEmail, bySms]);

    // Assess
    expect(total).toEqual({
      sent: 3,
      retried: 1,
      failed: 1,
      cancelled: 0,
      reminded: 0,
      throttled: true,
      sentByChannel: { email: 2, sms: 1 },
      oldestDueAt: '2026-11-20T10:00:00.000Z',
    });
  });
});
