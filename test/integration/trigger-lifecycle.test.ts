/**
 * The trigger and cancellation paths against DynamoDB Local, with the real stores: SUBJECT items
 * written in the trigger transaction, merges conditional on the survey still being scheduled, a
 * refund finding and cancelling the survey (EVENT item with eventType, customerId, subjectRef), the
 * suppression list by hash, SMS short links and reply threads, reminders claimed once.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactStore } from '../../functions/adapters/dynamodb/contact-store.ts';
import { contactHash, indexKeys, keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { SEND_CLAIM_LEASE_SECONDS } from '../../functions/adapters/dynamodb/invitation-store.ts';
import { surveyPorts, type SurveyPorts } from '../support/stores.ts';
import { DEFAULT_CATALOGUE } from '../../surveys/catalogue.ts';
import { cancellingEventSchema, commerceEventSchema } from '../../surveys/model.ts';
import { cancelSurvey } from '../../surveys/use-cases/cancel-survey.ts';
import { RACE_ATTEMPTS, triggerSurvey, type TriggerDeps } from '../../surveys/use-cases/trigger-survey.ts';
import { freshTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let store: SurveyPorts;
let contacts: DynamoContactStore;
const clock = { now: new Date('2026-11-20T12:00:00.000Z') };

beforeAll(async () => {
  table = await freshTable();
  store = surveyPorts(table.doc, table.tableName);
  contacts = new DynamoContactStore(table.doc, table.tableName);
});

const deps = (overrides: Partial<TriggerDeps> = {}): TriggerDeps => ({
  store,
  suppressions: contacts,
  cancellations: store,
  now: () => clock.now,
  ...overrides,
});
const get = async (key: { pk: string; sk: string }) =>
  (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;

function delivered(eventId: string, customerId: string, orderId: string, email = `${customerId}@example.com`) {
  return commerceEventSchema.parse({
    source: 'shop.example',
    'detail-type': 'order.delivered',
    detail: { eventId, occurredAt: '2026-11-20T10:00:00Z', customer: { id: customerId, email, locale: 'pl-PL' }, order: { id: orderId, store: 'web' } },
  });
}

function refunded(eventId: string, orderId: string, customerId?: string) {
  return cancellingEventSchema.parse({
    source: 'shop.example',
    'detail-type': 'order.refunded',
    detail: { eventId, occurredAt: '2026-11-20T13:00:00Z', ...(customerId ? { customer: { id: customerId } } : {}), order: { id: orderId } },
  });
}

describe('trigger, merge and cancel', () => {
  it('Should write a SUBJECT item with the invitation and a pending note on the profile', async () => {
    // Act
    const outcome = await triggerSurvey(delivered('t-1', 'c-sub', 'o-sub'), deps());

    // Assess
    const invitationId = outcome.status === 'scheduled' ? outcome.invitationId : '';
    expect(await get(keys.subject('order#o-sub', invitationId))).toMatchObject({ invitationId, entity: 'subject' });
    expect(await get(keys.profile('c-sub'))).toMatchObject({ pendingInvitation: { id: invitationId, surveyId: 'nps-post-purchase' } });
    expect(await get(keys.event('shop.example#t-1'))).toMatchObject({
      eventType: 'order.delivered',
      customerId: 'c-sub',
      subjectRef: 'o-sub',
      outcome: 'scheduled',
    });
  });

  it('Should merge a second order of the customer into the pending survey, and a refund of it only narrows the survey', async () => {
    // Prepare
    const first = await triggerSurvey(delivered('m-1', 'c-merge', 'o-m1'), deps());
    const invitationId = first.status === 'scheduled' ? first.invitationId : '';

    // Act
    const second = await triggerSurvey(delivered('m-2', 'c-merge', 'o-m2'), deps());
    const refund = await cancelSurvey(refunded('m-r', 'o-m1', 'c-merge'), { store, now: () => clock.now });

    // Assess
    expect(second).toEqual({ status: 'merged', invitationId, reason: expect.stringContaining('merged') });
    expect(refund).toMatchObject({ status: 'cancelled', cancelled: [], narrowed: [invitationId] });
    expect(await store.getInvitation(invitationId)).toMatchObject({ status: 'scheduled', subjectRef: 'o-m2', mergedSubjectRefs: [] });
    expect(await get(keys.event('shop.example#m-2'))).toMatchObject({ invitationId, outcome: 'merged', subjectRef: 'o-m2' });
  });

  it("Should take a burst of one customer's orders at once: one survey, the others merged into it, no error", async () => {
    // Act: as many concurrent events as the trigger has attempts (each round, one of them wins)
    const outcomes = await Promise.all(
      Array.from({ length: RACE_ATTEMPTS }, (_, i) => triggerSurvey(delivered(`burst-${i}`, 'c-burst', `o-burst-${i}`), deps())),
    );

    // Assess
    const statuses = outcomes.map((o) => o.status).sort();
    expect(statuses).toEqual(['merged', 'merged', 'merged', 'scheduled']);
    const scheduled = outcomes.find((o) => o.status === 'scheduled')!;
    const invitation = await store.getInvitation(scheduled.status === 'scheduled' ? scheduled.invitationId : '');
    expect([invitation!.subjectRef, ...(invitation!.mergedSubjectRefs ?? [])].sort()).toEqual(['o-burst-0', 'o-burst-1', 'o-burst-2', 'o-burst-3']);
  });

  it('Should refuse a merge into a survey that is no longer scheduled, in the same transaction', async () => {
    // Prepare
    const first = await triggerSurvey(delivered('g-1', 'c-gone', 'o-g1'), deps());
    const invitationId = first.status === 'scheduled' ? first.invitationId : '';
    await store.claim(invitationId, clock.now.toISOString()); // the sweep took it

    // Act
    const second = await triggerSurvey(delivered('g-2', 'c-gone', 'o-g2'), deps());

    // Assess: decided again without merging — the 24 h cap — and recorded with that reason
    expect(second).toMatchObject({ status: 'skipped', reason: expect.stringContaining('hard-cap') });
    expect(await get(keys.event('shop.example#g-2'))).toMatchObject({ outcome: 'skipped' });
    expect((await store.getInvitation(invitationId))!.mergedSubjectRefs).toBeUndefined();
  });

  it('Should cancel a pending survey on refund, give the fatigue budget back, and record the refund for the stream', async () => {
    // Prepare
    const first = await triggerSurvey(delivered('r-1', 'c-refund', 'o-r1'), deps());
    const invitationId = first.status === 'scheduled' ? first.invitationId : '';

    // Act
    const outcome = await cancelSurvey(refunded('r-2', 'o-r1'), { store, now: () => clock.now });
    const again = await cancelSurvey(refunded('r-2', 'o-r1'), { store, now: () => clock.now });
    const next = await triggerSurvey(delivered('r-3', 'c-refund', 'o-r3'), deps());

    // Assess
    expect(outcome).toMatchObject({ status: 'cancelled', cancelled: [invitationId] });
    expect(again.status).toBe('duplicate');
    const invitation = await get(keys.invitation(invitationId));
    expect(invitation).toMatchObject({ status: 'cancelled', failureReason: 'cancelled: order.refunded (r-2)' });
    expect(invitation!.gsi1pk).toBeUndefined(); // off the due index
    expect(await get(keys.event('shop.example#r-2'))).toMatchObject({
      entity: 'event',
      eventType: 'order.refunded',
      customerId: 'c-refund',
      subjectRef: 'o-r1',
      outcome: 'cancelled',
    });
    expect(next.status).toBe('scheduled'); // the cancelled survey did not count as asking
  });

  it('Should skip a delivery whose refund was processed first (events out of order)', async () => {
    // Prepare
    await cancelSurvey(refunded('o-1', 'o-early', 'c-early'), { store, now: () => clock.now });

    // Act
    const outcome = await triggerSurvey(delivered('o-2', 'c-early', 'o-early'), deps());

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: expect.stringContaining('subject-cancelled: order.refunded') });
  });

  it('Should write CSAT and CES in one transaction, each findable by the ticket', async () => {
    // Prepare
    const catalogue = DEFAULT_CATALOGUE.map((s) => (s.id === 'ces-post-ticket' ? { ...s, enabled: true } : s));
    const solved = commerceEventSchema.parse({
      source: 'helpdesk',
      'detail-type': 'ticket.solved',
      detail: { eventId: 'ces-1', occurredAt: '2026-11-20T11:00:00Z', customer: { id: 'c-ces', email: 'ces@example.com' }, ticket: { id: 't-ces' } },
    });

    // Act
    await triggerSurvey(solved, deps({ catalogue }));

    // Assess
    const about = await store.invitationsAbout('ticket#t-ces');
    expect(about.map((i) => i.metric).sort()).toEqual(['ces', 'csat']);
  });
});

describe('contacts', () => {
  it('Should find a suppression by the hash of the address only, keep the first reason, and store no address', async () => {
    // Act
    await contacts.suppress({ channel: 'email', contact: ' Ala@Example.com ', reason: 'unsubscribed', at: '2026-11-20T12:00:00Z', source: 'unsubscribe:x' });
    await contacts.suppress({ channel: 'email', contact: 'ala@example.com', reason: 'bounced', at: '2026-11-21T12:00:00Z', source: 'ses:y' });
    await contacts.suppress({ channel: 'sms', contactHash: contactHash('+48600100200'), reason: 'stop', at: '2026-11-20T12:00:00Z', source: 'sms' });

    // Assess
    expect(await contacts.suppressionsFor({ email: 'ala@example.com', phone: '+48600100200' })).toEqual({ email: 'unsubscribed', sms: 'stop' });
    expect(await contacts.suppressionsFor({ email: 'ola@example.com' })).toEqual({});
    const item = await get(keys.suppression('email', 'ala@example.com'));
    expect(JSON.stringify(item)).not.toContain('ala@');
  });

  it('Should keep an unsubscribed address suppressed when a trigger arrives for another customer id', async () => {
    // Prepare
    await contacts.suppress({ channel: 'email', contact: 'shared@example.com', reason: 'unsubscribed', at: '2026-11-20T12:00:00Z', source: 'test' });

    // Act
    const outcome = await triggerSurvey(delivered('s-1', 'c-shared', 'o-s1', 'shared@example.com'), deps());

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'suppressed: email suppressed: unsubscribed' });
  });

  it('Should resolve short links and the survey a reply from a number answers (the latest)', async () => {
    // Act
    await contacts.putShortLink('Ab3dE5gH7k', 'inv-1', '2026-12-04T12:00:00.000Z');
    await contacts.rememberSmsThread('+48600100201', 'inv-1', '2026-12-04T12:00:00.000Z');
    await contacts.rememberSmsThread('+48600100201', 'inv-2', '2026-12-05T12:00:00.000Z');
    const duplicateCode = await contacts.putShortLink('Ab3dE5gH7k', 'inv-3', '2026-12-04T12:00:00.000Z').then(
      () => 'stored',
      (e: Error) => e.name,
    );

    // Assess
    expect(await contacts.resolveShortLink('Ab3dE5gH7k')).toBe('inv-1');
    expect(await contacts.resolveShortLink('Zz9zZz9zZz')).toBeUndefined();
    expect(await contacts.latestSmsInvitation('+48600100201')).toBe('inv-2');
    expect(duplicateCode).toBe('ConditionalCheckFailedException'); // a colliding code never redirects elsewhere
    const thread = await get(keys.smsThread('+48600100201'));
    expect(thread!.pk).not.toContain('600100201');
  });
});

describe('claims', () => {
  it('Should let a later sweep take over an invitation whose claim expired, and nobody before', async () => {
    // Prepare: claimed by a sweep that then died
    const outcome = await triggerSurvey(delivered('lease-1', 'c-lease', 'o-lease'), deps());
    const id = outcome.status === 'scheduled' ? outcome.invitationId : '';
    const claimedAt = new Date('2026-11-23T12:00:00.000Z');
    await store.claim(id, claimedAt.toISOString());
    const at = (seconds: number) => new Date(claimedAt.getTime() + seconds * 1000).toISOString();

    // Act
    const dueDuringLease = (await store.listDue(at(SEND_CLAIM_LEASE_SECONDS - 1), 100, 'email')).map((i) => i.id);
    const duringLease = await store.claim(id, at(SEND_CLAIM_LEASE_SECONDS - 1));
    const dueAfterLease = (await store.listDue(at(SEND_CLAIM_LEASE_SECONDS + 1), 100, 'email')).map((i) => i.id);
    const afterLease = await store.claim(id, at(SEND_CLAIM_LEASE_SECONDS + 1));
    await store.markSent(id, at(SEND_CLAIM_LEASE_SECONDS + 2), '2026-12-23T12:00:00.000Z');

    // Assess
    expect(dueDuringLease).not.toContain(id);
    expect(duringLease).toBeUndefined();
    expect(dueAfterLease).toContain(id);
    expect(afterLease).toMatchObject({ id, status: 'sending' });
    expect((await store.listDue('2027-01-01T00:00:00.000Z', 1000, 'email')).map((i) => i.id)).not.toContain(id); // sent: off the index
  });
});

describe('one due sweep per channel', () => {
  it("Should list each channel's due invitations only, reading past index pages that hold only the other channel's", async () => {
    // Prepare: in one due-index shard, three e-mail invitations due before an SMS one
    const smsId = 'channel-sms-0001';
    const shard = keys.dueShard(smsId);
    const emailIds = Array.from({ length: 40 }, (_, i) => `channel-email-${String(i).padStart(4, '0')}`)
      .filter((id) => keys.dueShard(id) === shard)
      .slice(0, 3);
    const put = (id: string, channel: 'email' | 'sms', sendAt: string) =>
      table.doc.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { ...keys.invitation(id), ...indexKeys.due(id, sendAt), entity: 'invitation', id, channel, status: 'scheduled', sendAt },
        }),
      );
    await Promise.all(emailIds.map((id, i) => put(id, 'email', `2030-01-01T00:00:0${i}.000Z`)));
    await put(smsId, 'sms', '2030-01-01T00:00:09.000Z');

    // Act: a limit of 1 makes each index page one item
    const sms = await store.listDue('2030-01-01T00:01:00.000Z', 1, 'sms');
    const email = await store.listDue('2030-01-01T00:01:00.000Z', 100, 'email');

    // Assess
    expect(emailIds).toHaveLength(3);
    expect(sms.map((i) => i.id)).toEqual([smsId]);
    expect(email.map((i) => i.id)).toEqual(expect.arrayContaining(emailIds));
    expect(email.map((i) => i.id)).not.toContain(smsId);
  });
});

describe('sent, reminded, bounced', () => {
  it('Should keep the hash of the address a survey went to, put the reminder on the due index, and claim it once', async () => {
    // Prepare
    const outcome = await triggerSurvey(delivered('rem-1', 'c-rem', 'o-rem'), deps());
    const id = outcome.status === 'scheduled' ? outcome.invitationId : '';
    await store.claim(id, '2026-11-23T12:00:00.000Z');

    // Act
    await store.markSent(id, '2026-11-23T12:00:00.000Z', '2026-12-23T12:00:00.000Z', { sentTo: 'c-rem@example.com', reminderAt: '2026-11-25T12:00:00.000Z' });
    const due = await store.listDue('2026-11-25T12:00:01.000Z', 100, 'email');
    const claims = await Promise.all([store.claimReminder(id, '2026-11-25T12:00:01.000Z'), store.claimReminder(id, '2026-11-25T12:00:01.000Z')]);

    // Assess
    expect(await get(keys.invitation(id))).toMatchObject({ contactHash: contactHash('c-rem@example.com') });
    expect(due.map((i) => i.id)).toContain(id);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await store.listDue('2026-11-26T00:00:00.000Z', 100, 'email')).map((i) => i.id)).not.toContain(id);
    expect(await store.hasResponse(id)).toBe(false);
  });

  it('Should mark a bounced survey failed once, and only a sent one', async () => {
    // Prepare
    const outcome = await triggerSurvey(delivered('b-1', 'c-bounce', 'o-b'), deps());
    const id = outcome.status === 'scheduled' ? outcome.invitationId : '';

    // Act
    const beforeSending = await store.markUndeliverable(id, 'bounced: Permanent', '2026-11-23T12:00:00.000Z');
    await store.claim(id, '2026-11-23T12:00:00.000Z');
    await store.markSent(id, '2026-11-23T12:00:00.000Z', '2026-12-23T12:00:00.000Z');
    const afterSending = await store.markUndeliverable(id, 'bounced: Permanent (General)', '2026-11-23T12:01:00.000Z');
    const twice = await store.markUndeliverable(id, 'bounced again', '2026-11-23T12:02:00.000Z');

    // Assess
    expect([beforeSending, afterSending, twice]).toEqual([false, true, false]);
    expect(await store.getInvitation(id)).toMatchObject({ status: 'failed', failureReason: 'bounced: Permanent (General)' });
  });

  it('Should list SUBJECT items only under their subject (no scan)', async () => {
    // Act
    const { Items = [] } = await table.doc.send(
      new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'SUBJECT#order#o-sub' } }),
    );

    // Assess
    expect(Items.map((i) => i.sk)).toEqual([expect.stringMatching(/^INV#/)]);
  });
});
