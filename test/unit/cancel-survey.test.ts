import { describe, expect, it } from 'vitest';
import { cancellingEventSchema, type CancellingEvent, type Invitation } from '../../surveys/model.ts';
import { ConcurrentUpdateError, type CancellationStore, type CustomerProfile, type SubjectKey } from '../../surveys/ports.ts';
import { cancelSurvey } from '../../surveys/use-cases/cancel-survey.ts';
import { describeOutcome, receiveEvent } from '../../surveys/use-cases/receive-event.ts';

/** In memory, with the adapter's semantics: state changes are conditional on the state they expect. */
class InMemoryCancellationStore implements CancellationStore {
  readonly invitations = new Map<string, Invitation>();
  readonly subjects = new Map<SubjectKey, string[]>();
  readonly cancelledSubjects = new Map<SubjectKey, { at: string; eventType: string }>();
  readonly events = new Map<string, { eventType: string; customerId?: string; subjectRef: string; outcome: string }>();
  readonly profiles = new Map<string, CustomerProfile>();
  releaseConflicts = 0;

  add(invitation: Invitation, ...subjects: SubjectKey[]) {
    this.invitations.set(invitation.id, invitation);
    for (const s of subjects) this.subjects.set(s, [...(this.subjects.get(s) ?? []), invitation.id]);
  }

  async invitationsAbout(subject: SubjectKey) {
    return (this.subjects.get(subject) ?? []).map((id) => structuredClone(this.invitations.get(id)!));
  }
  async cancelInvitation(id: string, reason: string, at: string) {
    const i = this.invitations.get(id);
    if (i?.status !== 'scheduled') return false;
    Object.assign(i, { status: 'cancelled', failureReason: reason, cancelledAt: at });
    return true;
  }
  async dropSubject(id: string, subjectRef: string) {
    const i = this.invitations.get(id);
    if (i?.status !== 'scheduled') return false;
    const remaining = [i.subjectRef, ...(i.mergedSubjectRefs ?? [])].filter((r) => r !== subjectRef);
    Object.assign(i, { subjectRef: remaining[0], mergedSubjectRefs: remaining.slice(1) });
    return true;
  }
  async markSubjectCancelled(subject: SubjectKey, at: string, eventType: string) {
    const current = this.cancelledSubjects.get(subject);
    if (!current || current.at < at) this.cancelledSubjects.set(subject, { at, eventType });
  }
  async subjectCancelledAt(subject: SubjectKey) {
    return this.cancelledSubjects.get(subject);
  }
  async recordEvent(marker: { eventKey: string; eventType: string; customerId?: string; subjectRef: string; outcome: string }) {
    if (this.events.has(marker.eventKey)) return false;
    this.events.set(marker.eventKey, marker);
    return true;
  }
  async getProfile(customerId: string) {
    return structuredClone(this.profiles.get(customerId));
  }
  async releasePending(profile: CustomerProfile) {
    const stored = this.profiles.get(profile.customerId)!;
    if (this.releaseConflicts > 0) {
      this.releaseConflicts--;
      stored.version++;
      throw new ConcurrentUpdateError('customer');
    }
    if (stored.version !== profile.version) throw new ConcurrentUpdateError('customer');
    const { pendingInvitation, ...rest } = stored;
    this.profiles.set(profile.customerId, { ...rest, lastSurveyedAt: pendingInvitation?.previousSurveyedAt, version: stored.version + 1 });
  }
}

function invitationFactory(overrides: Partial<Invitation> = {}): Invitation {
  return {
    id: 'inv-1',
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    channel: 'email',
    customerId: 'c-1',
    locale: 'pl',
    eventId: 'evt-d',
    eventType: 'order.delivered',
    subjectRef: 'o-9',
    segments: { survey: 'nps-post-purchase' },
    status: 'scheduled',
    createdAt: '2026-11-20T10:00:00.000Z',
    sendAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

function refund(overrides: { eventId?: string; orderId?: string; customerId?: string | null } = {}): CancellingEvent {
  return cancellingEventSchema.parse({
    source: 'shop.example',
    'detail-type': 'order.refunded',
    detail: {
      eventId: overrides.eventId ?? 'evt-r',
      occurredAt: '2026-11-21T09:00:00Z',
      ...(overrides.customerId === null ? {} : { customer: { id: overrides.customerId ?? 'c-1' } }),
      order: { id: overrides.orderId ?? 'o-9' },
    },
  });
}

const NOW = new Date('2026-11-21T09:00:05.000Z');

function setup() {
  const store = new InMemoryCancellationStore();
  return { store, deps: { store, now: () => NOW } };
}

describe('cancelling a pending survey', () => {
  it('Should cancel the scheduled survey of a refunded order, give the fatigue budget back and record the event', async () => {
    // Prepare
    const { store, deps } = setup();
    store.add(invitationFactory(), 'order#o-9');
    store.profiles.set('c-1', {
      customerId: 'c-1',
      locale: 'pl',
      lastSurveyedAt: '2026-11-20T10:00:00.000Z',
      pendingInvitation: { id: 'inv-1', surveyId: 'nps-post-purchase', sendAt: '2026-11-23T10:00:00.000Z', previousSurveyedAt: '2026-09-01T10:00:00.000Z' },
      version: 3,
    });

    // Act
    const outcome = await cancelSurvey(refund(), deps);

    // Assess
    expect(outcome).toEqual({ status: 'cancelled', cancelled: ['inv-1'], narrowed: [], tooLate: [] });
    expect(store.invitations.get('inv-1')).toMatchObject({
      status: 'cancelled',
      failureReason: 'cancelled: order.refunded (evt-r)',
      cancelledAt: NOW.toISOString(),
    });
    expect(store.profiles.get('c-1')).toMatchObject({ lastSurveyedAt: '2026-09-01T10:00:00.000Z', version: 4 });
    expect(store.profiles.get('c-1')).not.toHaveProperty('pendingInvitation');
    expect(store.events.get('shop.example#evt-r')).toMatchObject({ eventType: 'order.refunded', customerId: 'c-1', subjectRef: 'o-9', outcome: 'cancelled' });
    expect(store.cancelledSubjects.get('order#o-9')).toEqual({ at: '2026-11-21T09:00:00Z', eventType: 'order.refunded' });
  });

  it('Should report a survey already sent as too late, and still record the event', async () => {
    // Prepare
    const { store, deps } = setup();
    store.add(invitationFactory({ status: 'sent' }), 'order#o-9');

    // Act
    const outcome = await cancelSurvey(refund(), deps);

    // Assess
    expect(outcome).toEqual({ status: 'nothing-pending', cancelled: [], narrowed: [], tooLate: ['inv-1'] });
    expect(store.events.get('shop.example#evt-r')).toMatchObject({ outcome: 'nothing-pending', customerId: 'c-1' });
    expect(describeOutcome(outcome)).toEqual({ outcome: 'nothing-pending', reason: '0 pending survey(s) cancelled; 1 already sent' });
  });

  it('Should take only the refunded order off a survey that asks about several orders', async () => {
    // Prepare
    const { store, deps } = setup();
    store.add(invitationFactory({ subjectRef: 'o-9', mergedSubjectRefs: ['o-10'] }), 'order#o-9', 'order#o-10');

    // Act
    const outcome = await cancelSurvey(refund(), deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'cancelled', cancelled: [], narrowed: ['inv-1'] });
    expect(store.invitations.get('inv-1')).toMatchObject({ status: 'scheduled', subjectRef: 'o-10', mergedSubjectRefs: [] });
  });

  it('Should cancel a CES companion with its CSAT, and give the budget back once', async () => {
    // Prepare
    const { store, deps } = setup();
    const ticket = { eventType: 'ticket.solved' as const, subjectRef: 't-1', surveyId: 'csat-post-ticket', metric: 'csat' as const };
    store.add(invitationFactory({ id: 'csat-1', ...ticket }), 'ticket#t-1');
    store.add(invitationFactory({ id: 'ces-1', ...ticket, surveyId: 'ces-post-ticket', metric: 'ces', companionOf: 'csat-post-ticket' }), 'ticket#t-1');
    store.profiles.set('c-1', {
      customerId: 'c-1',
      locale: 'pl',
      lastSurveyedAt: '2026-11-20T10:00:00.000Z',
      pendingInvitation: { id: 'csat-1', surveyId: 'csat-post-ticket', sendAt: '2026-11-21T10:00:00.000Z' },
      version: 1,
    });
    const reopened = cancellingEventSchema.parse({
      source: 'helpdesk',
      'detail-type': 'ticket.reopened',
      detail: { eventId: 'e-o', occurredAt: '2026-11-21T09:00:00Z', ticket: { id: 't-1' } },
    });

    // Act
    const outcome = await cancelSurvey(reopened, deps);

    // Assess
    expect(outcome.cancelled.sort()).toEqual(['ces-1', 'csat-1']);
    expect(store.profiles.get('c-1')).toMatchObject({ version: 2 });
    expect(store.profiles.get('c-1')!.lastSurveyedAt).toBeUndefined();
  });

  it("Should leave another customer's survey about an order with the same id alone", async () => {
    // Prepare
    const { store, deps } = setup();
    store.add(invitationFactory({ customerId: 'c-other' }), 'order#o-9');

    // Act
    const outcome = await cancelSurvey(refund({ customerId: 'c-1' }), deps);

    // Assess
    expect(outcome.status).toBe('nothing-pending');
    expect(store.invitations.get('inv-1')!.status).toBe('scheduled');
  });

  it('Should cancel by order alone when the refund names no customer (Shopify refunds carry none), recording the customer it found', async () => {
    // Prepare
    const { store, deps } = setup();
    store.add(invitationFactory(), 'order#o-9');

    // Act
    const outcome = await cancelSurvey(refund({ customerId: null }), deps);

    // Assess
    expect(outcome.cancelled).toEqual(['inv-1']);
    expect(store.events.get('shop.example#evt-r')).toMatchObject({ customerId: 'c-1' });
  });

  it('Should keep the budget of a newer survey pending since', async () => {
    // Prepare
    const { store, deps } = setup();
    store.add(invitationFactory(), 'order#o-9');
    store.profiles.set('c-1', {
      customerId: 'c-1',
      locale: 'pl',
      lastSurveyedAt: '2026-11-21T08:00:00.000Z',
      pendingInvitation: { id: 'inv-newer', surveyId: 'x', sendAt: '2026-11-22T08:00:00.000Z' },
      version: 5,
    });

    // Act
    await cancelSurvey(refund(), deps);

    // Assess
    expect(store.profiles.get('c-1')).toMatchObject({ lastSurveyedAt: '2026-11-21T08:00:00.000Z', version: 5 });
  });

  it('Should retry the budget release after a concurrent profile write', async () => {
    // Prepare
    const { store, deps } = setup();
    store.add(invitationFactory(), 'order#o-9');
    store.profiles.set('c-1', {
      customerId: 'c-1',
      locale: 'pl',
      lastSurveyedAt: '2026-11-20T10:00:00.000Z',
      pendingInvitation: { id: 'inv-1', surveyId: 'nps-post-purchase', sendAt: '2026-11-23T10:00:00.000Z' },
      version: 1,
    });
    store.releaseConflicts = 1;

    // Act
    await cancelSurvey(refund(), deps);

    // Assess
    expect(store.profiles.get('c-1')).not.toHaveProperty('pendingInvitation');
    expect(store.profiles.get('c-1')!.version).toBe(3);
  });

  it('Should give the budget back for a survey an earlier delivery of the refund cancelled but died before releasing', async () => {
    // Prepare: cancelled, but the profile still holds it as pending
    const { store, deps } = setup();
    store.add(invitationFactory({ status: 'cancelled' }), 'order#o-9');
    store.profiles.set('c-1', {
      customerId: 'c-1',
      locale: 'pl',
      lastSurveyedAt: '2026-11-20T10:00:00.000Z',
      pendingInvitation: { id: 'inv-1', surveyId: 'nps-post-purchase', sendAt: '2026-11-23T10:00:00.000Z' },
      version: 1,
    });

    // Act
    await cancelSurvey(refund(), deps);

    // Assess
    expect(store.profiles.get('c-1')).not.toHaveProperty('pendingInvitation');
    expect(store.profiles.get('c-1')!.lastSurveyedAt).toBeUndefined();
  });

  it('Should answer duplicate for the same refund twice, changing nothing the second time', async () => {
    // Prepare
    const { store, deps } = setup();
    store.add(invitationFactory(), 'order#o-9');

    // Act
    const first = await cancelSurvey(refund(), deps);
    const second = await cancelSurvey(refund(), deps);

    // Assess
    expect(first.status).toBe('cancelled');
    expect(second).toEqual({ status: 'duplicate', cancelled: [], narrowed: [], tooLate: [] });
  });

  it('Should record a refund of an order that never had a survey (the stream reads it: churn risk)', async () => {
    // Prepare
    const { store, deps } = setup();

    // Act
    const outcome = await cancelSurvey(refund({ orderId: 'o-none' }), deps);

    // Assess
    expect(outcome.status).toBe('nothing-pending');
    expect(store.events.get('shop.example#evt-r')).toMatchObject({ eventType: 'order.refunded', customerId: 'c-1', subjectRef: 'o-none' });
  });

  it('Should route cancelling events to the cancellation and triggers to the trigger (receiveEvent)', async () => {
    // Prepare
    const { store } = setup();
    store.add(invitationFactory(), 'order#o-9');
    const trigger = {
      store: { getProfile: async () => undefined, recordTrigger: async () => undefined },
      suppressions: { suppressionsFor: async () => ({}) },
      cancellations: store,
      now: () => NOW,
    };

    // Act
    const outcome = await receiveEvent(refund(), trigger);

    // Assess
    expect(outcome).toMatchObject({ status: 'cancelled', cancelled: ['inv-1'] });
  });
});
