import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE, surveyFor } from '../../surveys/catalogue.ts';
import { commerceEventSchema, type CommerceEvent, type EventType, type Invitation } from '../../surveys/model.ts';
import {
  ConcurrentUpdateError,
  DuplicateEventError,
  MergeTargetGoneError,
  type Channel,
  type CustomerProfile,
  type SubjectKey,
  type TriggerRecord,
  type TriggerStore,
} from '../../surveys/ports.ts';
import { eventKey, RACE_ATTEMPTS, triggerSurvey, type TriggerDeps } from '../../surveys/use-cases/trigger-survey.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// An in-memory TriggerStore with the adapter's outcomes — duplicate, concurrent update (profile
// version), merge target gone — applied all at once. The partial states a death between the adapter's
// writes leaves are played on DynamoDB Local (test/faults/trigger-writes.test.ts) or set up by hand here.
// ---------------------------------------------------------------------------------------------

class InMemoryTriggerStore implements TriggerStore {
  readonly profiles = new Map<string, CustomerProfile>();
  readonly events = new Set<string>();
  readonly invitations: Invitation[] = [];
  readonly subjects = new Map<SubjectKey, string[]>();
  /** The suppression list, by channel and contact (the adapter hashes; the semantics are the same). */
  readonly suppressed = new Map<string, string>();
  readonly cancelledSubjects = new Map<SubjectKey, { at: string; eventType: string }>();
  recordCalls = 0;

  async suppressionsFor(contacts: { email?: string; phone?: string }): Promise<Partial<Record<Channel, string>>> {
    const email = contacts.email && this.suppressed.get(`email#${contacts.email}`);
    const sms = contacts.phone && this.suppressed.get(`sms#${contacts.phone}`);
    return { ...(email ? { email } : {}), ...(sms ? { sms } : {}) };
  }

  async subjectCancelledAt(subject: SubjectKey) {
    return this.cancelledSubjects.get(subject);
  }
  /** Runs before each recordTrigger is checked: lets a test commit a concurrent writer first. */
  beforeRecord?: (record: TriggerRecord, call: number) => void;

  async getProfile(customerId: string): Promise<CustomerProfile | undefined> {
    const stored = this.profiles.get(customerId);
    return stored && structuredClone(stored);
  }

  async recordTrigger(record: TriggerRecord): Promise<void> {
    this.recordCalls++;
    this.beforeRecord?.(record, this.recordCalls);
    if (this.events.has(record.eventKey)) throw new DuplicateEventError(record.eventKey);
    const stored = this.profiles.get(record.profile.customerId);
    if ((stored?.version ?? 0) !== record.profile.version) throw new ConcurrentUpdateError(`customer ${record.profile.customerId}`);
    if (record.mergeInto) {
      const target = this.invitations.find((i) => i.id === record.mergeInto);
      if (target?.status !== 'scheduled') throw new MergeTargetGoneError(record.mergeInto);
      target.mergedSubjectRefs = [...(target.mergedSubjectRefs ?? []), record.invitation.subjectRef];
      this.subjects.set(record.subject, [...(this.subjects.get(record.subject) ?? []), record.mergeInto]);
    } else {
      for (const invitation of [record.invitation, ...(record.companions ?? [])]) {
        this.invitations.push(structuredClone(invitation));
        if (invitation.status === 'scheduled') this.subjects.set(record.subject, [...(this.subjects.get(record.subject) ?? []), invitation.id]);
      }
    }
    this.events.add(record.eventKey);
    this.profiles.set(record.profile.customerId, { ...structuredClone(record.profile), version: record.profile.version + 1 });
  }

  /** Another trigger of the same customer committing in between our read and our write. */
  commitConcurrently(customerId: string, changes: Partial<CustomerProfile>): void {
    const stored = this.profiles.get(customerId) ?? { customerId, locale: 'en', version: 0 };
    this.profiles.set(customerId, { ...stored, ...changes, version: stored.version + 1 });
  }
}

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------

type CustomerInput = {
  id?: string;
  email?: string;
  phone?: string;
  locale?: string;
  name?: string;
  timezone?: string;
  consent?: { email?: boolean; sms?: boolean };
};

function orderEventFactory(
  overrides: { eventId?: string; source?: string; customer?: CustomerInput; order?: Record<string, unknown>; occurredAt?: string } = {},
): CommerceEvent {
  return commerceEventSchema.parse({
    source: overrides.source ?? 'shop.example',
    'detail-type': 'order.delivered',
    detail: {
      eventId: overrides.eventId ?? 'evt-order-1',
      occurredAt: overrides.occurredAt ?? '2026-11-20T10:00:00Z',
      customer: { id: 'c-1', email: 'ala@example.com', locale: 'pl-PL', name: 'Ala', timezone: 'Europe/Warsaw', ...overrides.customer },
      order: overrides.order ?? { id: 'o-9', total: 199.99, currency: 'PLN', store: 'web', channel: 'online' },
    },
  });
}

function ticketEventFactory(overrides: { eventId?: string; source?: string; customer?: CustomerInput; ticket?: Record<string, unknown> } = {}): CommerceEvent {
  return commerceEventSchema.parse({
    source: overrides.source ?? 'helpdesk.example',
    'detail-type': 'ticket.solved',
    detail: {
      eventId: overrides.eventId ?? 'evt-ticket-1',
      occurredAt: '2026-11-20T12:00:00Z',
      customer: { id: 'c-2', email: 'john@example.com', locale: 'en-GB', name: 'John', timezone: 'Europe/London', ...overrides.customer },
      ticket: overrides.ticket ?? { id: 't-42', agentId: 'agent-7', team: 'billing', channel: 'email', subject: 'Refund' },
    },
  });
}

function eventFactory(type: EventType, overrides: { eventId?: string; customer?: CustomerInput } = {}): CommerceEvent {
  return type === 'order.delivered' ? orderEventFactory(overrides) : ticketEventFactory(overrides);
}

/** A store and a clock the test can move; deps with the given options. */
function setup(options: Partial<Omit<TriggerDeps, 'store' | 'now'>> & { now?: string } = {}) {
  const store = new InMemoryTriggerStore();
  const clock = { now: new Date(options.now ?? '2026-11-20T12:00:00.000Z') };
  const deps: TriggerDeps = { ...options, store, suppressions: store, cancellations: store, now: () => clock.now };
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { store, clock, deps, advance };
}

// ---------------------------------------------------------------------------------------------

describe('scheduling', () => {
  describe.each([
    { type: 'order.delivered', delayScale: undefined },
    { type: 'order.delivered', delayScale: 1 },
    { type: 'order.delivered', delayScale: 0.001 },
    { type: 'ticket.solved', delayScale: 1 },
    { type: 'ticket.solved', delayScale: 1 / 3600 },
    { type: 'ticket.solved', delayScale: 0 },
  ] as const)('a $type event with delay scale $delayScale', ({ type, delayScale }) => {
    it('Should schedule the catalogue survey by e-mail after the catalogue delay times the scale', async () => {
      // Prepare
      const { store, clock, deps } = setup(delayScale === undefined ? {} : { delayScale });
      const event = eventFactory(type);
      const survey = surveyFor(type)!;

      // Act
      const outcome = await triggerSurvey(event, deps);

      // Assess
      // The delay counts from when the event happened, never before now (DESIGN.md "Event time").
      const fromEvent = Date.parse(event.detail.occurredAt) + survey.delaySeconds * (delayScale ?? 1) * 1000;
      const expectedSendAt = new Date(Math.max(clock.now.getTime(), fromEvent)).toISOString();
      expect(outcome).toMatchObject({ status: 'scheduled', sendAt: expectedSendAt, channel: 'email' });
      expect(store.invitations).toHaveLength(1);
      expect(store.invitations[0]).toMatchObject({
        status: 'scheduled',
        surveyId: survey.id,
        metric: survey.metric,
        channel: 'email',
        customerId: event.detail.customer.id,
        eventId: event.detail.eventId,
        eventType: type,
        createdAt: clock.now.toISOString(),
        sendAt: expectedSendAt,
      });
      expect(outcome.status === 'scheduled' && outcome.invitationId).toBe(store.invitations[0]!.id);
    });
  });

  it('Should name the order or ticket the survey is about', async () => {
    // Prepare
    const { store, deps } = setup();

    // Act
    await triggerSurvey(orderEventFactory({ customer: { id: 'c-a' } }), deps);
    await triggerSurvey(ticketEventFactory({ customer: { id: 'c-b' } }), deps);

    // Assess
    expect(store.invitations.map((i) => i.subjectRef)).toEqual(['o-9', 't-42']);
  });

  it('Should give each invitation an unguessable 128-bit id', async () => {
    // Prepare
    const { store, deps } = setup();

    // Act
    for (let i = 0; i < 20; i++) await triggerSurvey(orderEventFactory({ eventId: `e-${i}`, customer: { id: `c-${i}` } }), deps);

    // Assess
    const ids = store.invitations.map((i) => i.id);
    expect(new Set(ids).size).toBe(20);
    for (const id of ids) expect(Buffer.from(id, 'base64url')).toHaveLength(16);
  });

  it('Should remember when the customer was asked and keep the event customer data in the profile', async () => {
    // Prepare
    const { store, clock, deps } = setup();
    const event = orderEventFactory({ customer: { id: 'c-1', phone: '+48600100200', consent: { sms: true } } });

    // Act
    await triggerSurvey(event, deps);

    // Assess
    expect(store.profiles.get('c-1')).toMatchObject({
      customerId: 'c-1',
      email: 'ala@example.com',
      phone: '+48600100200',
      name: 'Ala',
      locale: 'pl-PL',
      timezone: 'Europe/Warsaw',
      consent: { sms: true },
      lastSurveyedAt: clock.now.toISOString(),
      version: 1,
    });
  });

  it('Should defer an SMS survey out of the customer quiet hours', async () => {
    // Prepare: 21:30 UTC is 22:30 in Warsaw; the customer can only be reached by SMS
    const { deps } = setup({ now: '2026-11-20T21:30:00.000Z', delayScale: 0 });
    const event = ticketEventFactory({ customer: { email: undefined, phone: '+48600100200', consent: { sms: true }, timezone: 'Europe/Warsaw' } });

    // Act
    const outcome = await triggerSurvey(event, deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'scheduled', channel: 'sms', sendAt: '2026-11-21T08:00:00.000Z' });
  });

  it('Should give no-survey, and record nothing, for an event type the catalogue does not cover', async () => {
    // Prepare
    const { store, deps } = setup({ catalogue: DEFAULT_CATALOGUE.filter((s) => s.eventType !== 'ticket.solved') });

    // Act
    const outcome = await triggerSurvey(ticketEventFactory(), deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'no-survey' });
    expect(outcome.status === 'no-survey' && outcome.reason).toContain('ticket.solved');
    expect(store.recordCalls).toBe(0);
  });
});

describe('the same event twice', () => {
  describe.each(['order.delivered', 'ticket.solved'] as const)('for %s', (type) => {
    it('Should answer duplicate the second time and keep one invitation', async () => {
      // Prepare
      const { store, deps, advance } = setup();
      const event = eventFactory(type);

      // Act
      const first = await triggerSurvey(event, deps);
      advance(5 * 60_000);
      const second = await triggerSurvey(event, deps);

      // Assess
      expect(first.status).toBe('scheduled');
      expect(second).toEqual({ status: 'duplicate' });
      expect(store.invitations).toHaveLength(1);
    });
  });

  it('Should answer duplicate for an event seen before even when its first delivery was skipped', async () => {
    // Prepare
    const { store, deps } = setup();
    const event = orderEventFactory({ customer: { email: undefined, phone: '+48600100200' } }); // NPS is e-mail only

    // Act
    const first = await triggerSurvey(event, deps);
    const second = await triggerSurvey(event, deps);

    // Assess
    expect(first.status).toBe('skipped');
    expect(second).toEqual({ status: 'duplicate' });
    expect(store.invitations).toHaveLength(1);
  });

  it('Should key events on source and event id: the same id from another source is another event', () => {
    // Prepare
    const shop = orderEventFactory({ source: 'shop.example', eventId: 'evt-1' });
    const marketplace = orderEventFactory({ source: 'marketplace.example', eventId: 'evt-1' });

    // Act
    const keys = [eventKey(shop), eventKey(marketplace), eventKey(orderEventFactory({ source: 'shop.example', eventId: 'evt-1' }))];

    // Assess
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[0]).toBe(keys[2]);
  });
});

describe('fatigue', () => {
  describe.each([
    { name: 'a minute later', after: 60_000, reason: 'hard-cap' },
    { name: '23 hours later', after: 23 * HOUR, reason: 'hard-cap' },
    { name: '3 days later', after: 3 * DAY, reason: 'fatigue' },
    { name: '29 days later', after: 29 * DAY, reason: 'fatigue' },
  ])('a second, different event of the customer $name, once the first survey was sent', ({ after, reason }) => {
    it(`Should be skipped with a ${reason} reason and recorded with it`, async () => {
      // Prepare
      const { store, deps, advance, clock } = setup();
      await triggerSurvey(orderEventFactory({ eventId: 'evt-1' }), deps);
      store.invitations[0]!.status = 'sent'; // nothing pending to merge into any more
      const firstAskedAt = clock.now.toISOString();
      advance(after);

      // Act
      const outcome = await triggerSurvey(orderEventFactory({ eventId: 'evt-2', order: { id: 'o-10' } }), deps);

      // Assess
      expect(outcome.status).toBe('skipped');
      expect(outcome.status === 'skipped' && outcome.reason).toContain(reason);
      expect(store.invitations).toHaveLength(2);
      expect(store.invitations[1]).toMatchObject({ status: 'skipped', subjectRef: 'o-10' });
      expect(store.invitations[1]!.failureReason).toContain(reason);
      expect(store.profiles.get('c-1')!.lastSurveyedAt).toBe(firstAskedAt);
    });
  });

  it('Should apply fatigue across surveys: a ticket survey after an order survey is skipped', async () => {
    // Prepare
    const { deps, advance } = setup();
    await triggerSurvey(orderEventFactory({ customer: { id: 'c-1' } }), deps);
    advance(2 * DAY);

    // Act
    const outcome = await triggerSurvey(ticketEventFactory({ customer: { id: 'c-1' } }), deps);

    // Assess
    expect(outcome.status === 'skipped' && outcome.reason).toMatch(/fatigue/);
  });

  it('Should schedule again once the fatigue window has passed', async () => {
    // Prepare
    const { store, deps, advance } = setup();
    await triggerSurvey(orderEventFactory({ eventId: 'evt-1' }), deps);
    advance(31 * DAY);

    // Act
    const outcome = await triggerSurvey(orderEventFactory({ eventId: 'evt-2', occurredAt: '2026-12-21T11:00:00Z' }), deps);

    // Assess
    expect(outcome.status).toBe('scheduled');
    expect(store.invitations.map((i) => i.status)).toEqual(['scheduled', 'scheduled']);
  });

  it('Should not count a skipped survey as asking: a reachable customer is asked next time', async () => {
    // Prepare
    const { deps, advance } = setup();
    await triggerSurvey(orderEventFactory({ eventId: 'evt-1', customer: { email: undefined, phone: '+48600100200' } }), deps);
    advance(HOUR);

    // Act
    const outcome = await triggerSurvey(orderEventFactory({ eventId: 'evt-2' }), deps);

    // Assess
    expect(outcome.status).toBe('scheduled');
  });

  it('Should keep a suppression from the stored profile although the event brings the address again', async () => {
    // Prepare
    const { store, deps } = setup();
    store.profiles.set('c-1', { customerId: 'c-1', email: 'ala@example.com', locale: 'pl-PL', suppressed: { email: 'unsubscribed' }, version: 3 });

    // Act
    const outcome = await triggerSurvey(orderEventFactory(), deps);

    // Assess
    expect(outcome.status === 'skipped' && outcome.reason).toMatch(/suppressed.*unsubscribed/);
  });
});

describe('segments', () => {
  describe.each([
    {
      name: 'an order with a store',
      event: () => orderEventFactory(),
      expected: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: 'web' },
    },
    {
      name: 'an order without a store',
      event: () => orderEventFactory({ order: { id: 'o-1' } }),
      expected: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl' },
    },
    {
      name: 'a ticket with agent and team',
      event: () => ticketEventFactory(),
      expected: { survey: 'csat-post-ticket', channel: 'email', locale: 'en', agent: 'agent-7', team: 'billing' },
    },
    {
      name: 'a ticket without agent and team',
      event: () => ticketEventFactory({ ticket: { id: 't-1' } }),
      expected: { survey: 'csat-post-ticket', channel: 'email', locale: 'en' },
    },
    {
      name: 'a ticket answered by SMS',
      event: () => ticketEventFactory({ customer: { email: undefined, phone: '+48600100200', consent: { sms: true } } }),
      expected: { survey: 'csat-post-ticket', channel: 'sms', locale: 'en', agent: 'agent-7', team: 'billing' },
    },
  ])('for $name', ({ event, expected }) => {
    it('Should store exactly the segments it will be counted in', async () => {
      // Prepare
      const { store, deps } = setup();

      // Act
      await triggerSurvey(event(), deps);

      // Assess
      expect(store.invitations[0]!.segments).toEqual(expected);
    });
  });
});

describe('language', () => {
  describe.each([
    { locale: 'pl-PL', language: 'pl' },
    { locale: 'pl', language: 'pl' },
    { locale: 'PL_pl', language: 'pl' },
    { locale: 'en-GB', language: 'en' },
    { locale: 'de-DE', language: 'en' },
    { locale: 'fr', language: 'en' },
    { locale: undefined, language: 'en' },
  ])('for customer locale $locale', ({ locale, language }) => {
    it(`Should survey in ${language} and count the answer under locale ${language}`, async () => {
      // Prepare
      const { store, deps } = setup();
      const event = orderEventFactory({ customer: { locale } });

      // Act
      await triggerSurvey(event, deps);

      // Assess
      expect(store.invitations[0]!.locale).toBe(language);
      expect(store.invitations[0]!.segments.locale).toBe(language);
    });
  });

  // BUG (surveys/use-cases/trigger-survey.ts, mergeProfile: `locale: c.locale ?? existing?.locale ?? 'en'`):
  // customerSchema gives `locale` a zod `.default('en')`, so a parsed event always has a locale and the
  // fallback to the stored one never happens: a Polish customer whose next event omits the locale is
  // re-profiled as 'en' and surveyed in English. Making the schema field optional (no default) and
  // keeping the `?? 'en'` at the end would give the intended order: event, profile, English.
  it('Should keep the stored language when a later event of the customer carries no locale', async () => {
    // Prepare
    const { store, deps, advance } = setup();
    await triggerSurvey(orderEventFactory({ eventId: 'evt-1', customer: { locale: 'pl-PL' } }), deps);
    advance(31 * DAY);

    // Act
    await triggerSurvey(orderEventFactory({ eventId: 'evt-2', customer: { locale: undefined }, occurredAt: '2026-12-21T11:00:00Z' }), deps);

    // Assess
    expect(store.invitations[1]!.status).toBe('scheduled');
    expect(store.invitations[1]!.locale).toBe('pl');
  });
});

describe('a race on the customer profile', () => {
  it('Should retry once with fresh data and schedule when the concurrent write changed nothing that matters', async () => {
    // Prepare
    const { store, deps } = setup();
    store.beforeRecord = (record, call) => {
      if (call === 1) store.commitConcurrently(record.profile.customerId, { name: 'Alicja' });
    };

    // Act
    const outcome = await triggerSurvey(orderEventFactory(), deps);

    // Assess
    expect(outcome.status).toBe('scheduled');
    expect(store.recordCalls).toBe(2);
    expect(store.invitations).toHaveLength(1);
    expect(store.profiles.get('c-1')!.version).toBe(2);
  });

  it('Should decide again on the fresh profile: another survey committed first makes this one hit the hard cap', async () => {
    // Prepare
    const { store, clock, deps } = setup();
    store.beforeRecord = (record, call) => {
      if (call === 1) store.commitConcurrently(record.profile.customerId, { lastSurveyedAt: clock.now.toISOString() });
    };

    // Act
    const outcome = await triggerSurvey(orderEventFactory(), deps);

    // Assess
    expect(outcome.status).toBe('skipped');
    expect(outcome.status === 'skipped' && outcome.reason).toContain('hard-cap');
    expect(store.invitations.map((i) => i.status)).toEqual(['skipped']);
  });

  it('Should give up with ConcurrentUpdateError when the race is lost on every attempt, recording nothing', async () => {
    // Prepare
    const { store, deps } = setup();
    store.beforeRecord = (record) => store.commitConcurrently(record.profile.customerId, {});

    // Act
    const run = triggerSurvey(orderEventFactory(), deps);

    // Assess
    await expect(run).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(store.recordCalls).toBe(RACE_ATTEMPTS);
    expect(store.invitations).toHaveLength(0);
  });

  it('Should pass on any other store failure without retrying', async () => {
    // Prepare
    const { store, deps } = setup();
    store.beforeRecord = () => {
      throw new Error('ProvisionedThroughputExceeded');
    };

    // Act
    const run = triggerSurvey(orderEventFactory(), deps);

    // Assess
    await expect(run).rejects.toThrow('ProvisionedThroughputExceeded');
    expect(store.recordCalls).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Production rules: merging orders, companions, the suppression list, cancelled subjects
// ---------------------------------------------------------------------------------------------

describe('several orders inside the window', () => {
  it('Should merge a second order into the pending survey: one survey about both orders, the event recorded', async () => {
    // Prepare
    const { store, deps, advance } = setup();
    const first = await triggerSurvey(orderEventFactory({ eventId: 'evt-1', order: { id: 'o-1' } }), deps);
    advance(6 * HOUR);

    // Act
    const second = await triggerSurvey(orderEventFactory({ eventId: 'evt-2', order: { id: 'o-2' } }), deps);

    // Assess
    expect(second).toMatchObject({ status: 'merged', invitationId: first.status === 'scheduled' ? first.invitationId : '' });
    expect(store.invitations).toHaveLength(1);
    expect(store.invitations[0]).toMatchObject({ subjectRef: 'o-1', mergedSubjectRefs: ['o-2'], status: 'scheduled' });
    expect(store.events.has('shop.example#evt-2')).toBe(true);
    expect(store.subjects.get('order#o-2')).toEqual([store.invitations[0]!.id]);
  });

  it('Should decide again without merging when the pending survey went out meanwhile (hard cap, recorded)', async () => {
    // Prepare: the profile still names the survey as pending, but it was sent a moment ago
    const { store, deps, advance } = setup();
    await triggerSurvey(orderEventFactory({ eventId: 'evt-1', order: { id: 'o-1' } }), deps);
    store.invitations[0]!.status = 'sent';
    advance(HOUR);

    // Act
    const second = await triggerSurvey(orderEventFactory({ eventId: 'evt-2', order: { id: 'o-2' } }), deps);

    // Assess
    expect(second).toMatchObject({ status: 'skipped', reason: expect.stringContaining('hard-cap') });
    expect(store.recordCalls).toBe(3); // first, the refused merge, the skip
    expect(store.invitations.map((i) => i.status)).toEqual(['sent', 'skipped']);
  });

  it('Should not merge a ticket into a pending order survey: another kind of survey is fatigue', async () => {
    // Prepare
    const { deps, advance } = setup();
    await triggerSurvey(orderEventFactory({ customer: { id: 'c-1' } }), deps);
    advance(2 * HOUR);

    // Act
    const outcome = await triggerSurvey(ticketEventFactory({ customer: { id: 'c-1' } }), deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: expect.stringContaining('hard-cap') });
  });
});

describe('CES with CSAT where configured', () => {
  const withCes = DEFAULT_CATALOGUE.map((s) => (s.id === 'ces-post-ticket' ? { ...s, enabled: true } : s));

  it('Should schedule only CSAT with the default catalogue (CES is switched off)', async () => {
    // Prepare
    const { store, deps } = setup();

    // Act
    const outcome = await triggerSurvey(ticketEventFactory(), deps);

    // Assess
    expect(outcome).not.toHaveProperty('companions');
    expect(store.invitations.map((i) => i.metric)).toEqual(['csat']);
  });

  it('Should schedule CSAT and CES together when CES is switched on: same send time, one ask for fatigue', async () => {
    // Prepare
    const { store, deps } = setup({ catalogue: withCes });

    // Act
    const outcome = await triggerSurvey(ticketEventFactory(), deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'scheduled', companions: [store.invitations[1]!.id] });
    expect(store.invitations.map((i) => [i.metric, i.status, i.companionOf ?? '-'])).toEqual([
      ['csat', 'scheduled', '-'],
      ['ces', 'scheduled', 'csat-post-ticket'],
    ]);
    expect(store.invitations[1]!.sendAt).toBe(store.invitations[0]!.sendAt);
    expect(store.invitations[1]!.segments).toMatchObject({ survey: 'ces-post-ticket', team: 'billing' });
    expect(store.subjects.get('ticket#t-42')).toHaveLength(2);
  });

  it('Should record the CES decision with its reason when CSAT goes by SMS', async () => {
    // Prepare
    const { store, deps } = setup({ catalogue: withCes });

    // Act
    await triggerSurvey(ticketEventFactory({ customer: { email: undefined, phone: '+48600100200', consent: { sms: true } } }), deps);

    // Assess
    expect(store.invitations.map((i) => [i.metric, i.status])).toEqual([
      ['csat', 'scheduled'],
      ['ces', 'skipped'],
    ]);
    expect(store.invitations[1]!.failureReason).toContain('not asked by sms');
  });

  it('Should ask CES only for the teams it is configured for', async () => {
    // Prepare
    const { store, deps } = setup({ catalogue: withCes.map((s) => (s.id === 'ces-post-ticket' ? { ...s, when: { teams: ['returns'] } } : s)) });

    // Act
    await triggerSurvey(ticketEventFactory({ ticket: { id: 't-1', team: 'billing' } }), deps);
    await triggerSurvey(ticketEventFactory({ eventId: 'evt-r', customer: { id: 'c-r' }, ticket: { id: 't-2', team: 'returns' } }), deps);

    // Assess
    expect(store.invitations.map((i) => `${i.subjectRef}:${i.metric}`)).toEqual(['t-1:csat', 't-2:csat', 't-2:ces']);
  });
});

describe('the suppression list', () => {
  it('Should skip a customer whose address is on the list although the profile knows nothing of it (another customer id unsubscribed it)', async () => {
    // Prepare
    const { store, deps } = setup();
    store.suppressed.set('email#ala@example.com', 'unsubscribed');

    // Act
    const outcome = await triggerSurvey(orderEventFactory(), deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'suppressed: email suppressed: unsubscribed' });
  });

  it('Should fall back to SMS when only the e-mail address is on the list', async () => {
    // Prepare
    const { store, deps } = setup();
    store.suppressed.set('email#john@example.com', 'bounced');

    // Act
    const outcome = await triggerSurvey(ticketEventFactory({ customer: { phone: '+48600100200', consent: { sms: true }, timezone: 'UTC' } }), deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'scheduled', channel: 'sms' });
  });
});

describe('an order refunded or a ticket reopened before its trigger arrived', () => {
  it('Should skip the survey with the cancellation as the reason', async () => {
    // Prepare: the reopen (12:30) was processed first; the solve happened at 12:00
    const { store, deps } = setup();
    store.cancelledSubjects.set('ticket#t-42', { at: '2026-11-20T12:30:00Z', eventType: 'ticket.reopened' });

    // Act
    const outcome = await triggerSurvey(ticketEventFactory(), deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: expect.stringContaining('subject-cancelled: ticket.reopened') });
  });

  it('Should survey a ticket solved again after it was reopened', async () => {
    // Prepare
    const { store, deps } = setup();
    store.cancelledSubjects.set('ticket#t-42', { at: '2026-11-20T11:00:00Z', eventType: 'ticket.reopened' });

    // Act
    const outcome = await triggerSurvey(ticketEventFactory(), deps);

    // Assess
    expect(outcome.status).toBe('scheduled');
  });
});

describe('sampling on retries', () => {
  it('Should decide the same when the same event is delivered again after a failed write', async () => {
    // Prepare: half the customers; the first write fails (a throttled table), the retry succeeds
    const catalogue = DEFAULT_CATALOGUE.map((s) => ({ ...s, sampleRate: 0.5 }));
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { store, deps } = setup({ catalogue });
      let failed = false;
      store.beforeRecord = () => {
        if (!failed) {
          failed = true;
          throw new Error('ProvisionedThroughputExceeded');
        }
      };
      const event = orderEventFactory({ eventId: `evt-${i}`, customer: { id: `c-${i}` } });
      await triggerSurvey(event, deps).catch(() => undefined);

      // Act
      const retried = await triggerSurvey(event, deps);
      outcomes.push(retried.status);

      // Assess: the decision of the failed attempt is the one recorded now
      const again = await triggerSurvey(orderEventFactory({ eventId: `evt-${i}`, customer: { id: `c-${i}` } }), { ...setup({ catalogue }).deps });
      expect(again.status).toBe(retried.status);
    }
    expect(outcomes).toContain('scheduled');
    expect(outcomes).toContain('skipped');
  });
});

describe('a delivery after one that died behind the profile write', () => {
  // The first delivery wrote the profile with its decision, then died: no invitation, no marker.
  const KEY = 'shop.example#evt-order-1';
  const DECIDED_AT = '2026-11-20T11:00:00.000Z';
  const SEND_AT = '2026-11-23T10:00:00.000Z';

  function afterProfileWrite(outcome: 'scheduled' | 'skipped', overrides: Partial<CustomerProfile> = {}) {
    const ctx = setup();
    // As the trigger writes them: a scheduled survey is named by the pending one, a skip by lastEvent.
    ctx.store.profiles.set('c-1', {
      customerId: 'c-1',
      email: 'ala@example.com',
      locale: 'pl-PL',
      version: 1,
      ...(outcome === 'scheduled'
        ? {
            lastSurveyedAt: DECIDED_AT,
            pendingInvitation: { id: 'inv-decided', surveyId: 'nps-post-purchase', sendAt: SEND_AT, eventKey: KEY, channel: 'email' as const },
          }
        : { lastEvent: { key: KEY, outcome, invitationId: 'inv-decided', at: DECIDED_AT, channel: 'email', detail: 'not-sampled: outside the 10 % sample' } }),
      ...overrides,
    });
    return ctx;
  }

  it('Should finish the recorded survey (same id, same send time) instead of judging it against its own fatigue mark', async () => {
    // Prepare
    const { store, deps } = afterProfileWrite('scheduled');

    // Act
    const outcome = await triggerSurvey(orderEventFactory(), deps);

    // Assess: judged again it would have merged into itself
    expect(outcome).toMatchObject({ status: 'scheduled', invitationId: 'inv-decided', sendAt: SEND_AT });
    expect(store.invitations).toHaveLength(1);
    expect(store.invitations[0]).toMatchObject({ id: 'inv-decided', status: 'scheduled', sendAt: SEND_AT, createdAt: DECIDED_AT });
    expect(store.events.has(KEY)).toBe(true);
    expect(store.profiles.get('c-1')).toMatchObject({ lastSurveyedAt: DECIDED_AT, pendingInvitation: { id: 'inv-decided' }, version: 2 });
  });

  it('Should finish a recorded skip with its reason, although the customer could be asked now', async () => {
    // Prepare
    const { store, deps } = afterProfileWrite('skipped');

    // Act
    const outcome = await triggerSurvey(orderEventFactory(), deps);

    // Assess
    expect(outcome).toEqual({ status: 'skipped', invitationId: 'inv-decided', reason: 'not-sampled: outside the 10 % sample' });
    expect(store.invitations.map((i) => [i.id, i.status])).toEqual([['inv-decided', 'skipped']]);
  });

  it('Should survey nobody and give the budget back when the order was refunded meanwhile', async () => {
    // Prepare
    const { store, deps } = afterProfileWrite('scheduled', { pendingInvitation: undefined });
    store.profiles.get('c-1')!.pendingInvitation = {
      id: 'inv-decided',
      surveyId: 'nps-post-purchase',
      sendAt: SEND_AT,
      previousSurveyedAt: '2026-01-01T00:00:00.000Z',
      eventKey: KEY,
      channel: 'email',
    };
    store.cancelledSubjects.set('order#o-9', { at: '2026-11-20T11:30:00Z', eventType: 'order.refunded' });

    // Act
    const outcome = await triggerSurvey(orderEventFactory(), deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', invitationId: 'inv-decided', reason: expect.stringContaining('subject-cancelled') });
    const profile = store.profiles.get('c-1')!;
    expect(profile.pendingInvitation).toBeUndefined();
    expect(profile.lastSurveyedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('Should judge an event the profile does not name, as before', async () => {
    // Prepare: the profile records another event's survey, pending (finished by its redelivery)
    const { deps } = afterProfileWrite('scheduled');
    await triggerSurvey(orderEventFactory(), deps);

    // Act
    const outcome = await triggerSurvey(orderEventFactory({ eventId: 'evt-other', order: { id: 'o-10' } }), deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'merged', invitationId: 'inv-decided' });
  });
});
