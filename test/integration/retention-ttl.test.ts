/**
 * Retention of what is kept about a customer, on DynamoDB Local through the real adapters: the profile,
 * both e-mail lookup items and the health profile get their TTL (`expiresAtEpoch`) when written, and every
 * later survey or health update pushes it out again, so only a customer inactive for the retention
 * period (RESPONSE_RETENTION_DAYS) expires. Invitations and subject pointers live only as long as they are
 * needed (functions/adapters/dynamodb/retention.ts), never longer than the retention.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoHealthStore } from '../../functions/adapters/dynamodb/health-store.ts';
import { DynamoInvitationStore } from '../../functions/adapters/dynamodb/invitation-store.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { DynamoTriggerStore } from '../../functions/adapters/dynamodb/trigger-store.ts';
import { churnModel, healthStore } from '../../functions/shared/alerts.ts';
import { parseEnv } from '../../functions/shared/env.ts';
import { emptyHealth } from '../../surveys/churn-risk.ts';
import type { Invitation } from '../../surveys/model.ts';
import type { CustomerProfile } from '../../surveys/ports.ts';
import { newInvitationId } from '../../surveys/use-cases/trigger-survey.ts';
import { configureFor } from '../support/functions.ts';
import { freshTable } from '../support/table.ts';

type Table = Awaited<ReturnType<typeof freshTable>>;
const DAY = 24 * 3600;
const RETENTION_DAYS = 30;
const FIRST = '2026-09-01T10:00:00.000Z';
const LATER = '2026-11-20T10:00:00.000Z';
const epoch = (iso: string) => Date.parse(iso) / 1000;

let table: Table;
let retentionDays: number;

beforeAll(async () => {
  table = await freshTable();
  // The setting as the composition root reads it (functions/shared/env.ts) and hands it to the stores.
  ({ retentionDays } = parseEnv({ TABLE_NAME: table.tableName, RESPONSE_RETENTION_DAYS: String(RETENTION_DAYS) }));
});

afterEach(() => {
  vi.useRealTimers();
});

function invitationFactory(customerId: string, createdAt: string): Invitation {
  const eventId = `evt-${newInvitationId()}`;
  return {
    id: newInvitationId(),
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    channel: 'email',
    customerId,
    locale: 'pl',
    eventId,
    eventType: 'order.delivered',
    subjectRef: `o-${eventId}`,
    segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: 'web' },
    status: 'scheduled',
    createdAt,
    sendAt: createdAt,
  };
}

async function expiryOf(key: { pk: string; sk: string }): Promise<number | undefined> {
  return (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item?.expiresAtEpoch;
}

/** The TTL of the profile (which holds the lookup's mirror, its e-mail hashes) and of the e-mail lookup item (hash → customer). */
async function customerExpiries(customerId: string, email: string) {
  return {
    profile: await expiryOf(keys.profile(customerId)),
    emailLookup: await expiryOf(keys.emailLookup(email, customerId)),
  };
}

const allExpiringAt = (at: string) => {
  const expected = epoch(at) + RETENTION_DAYS * DAY;
  return { profile: expected, emailLookup: expected };
};

describe('retention of customer profiles and e-mail lookups', () => {
  it.each([
    { next: 'a new survey', merge: false },
    { next: 'an order merged into the pending survey', merge: true },
  ])('Should give them the retention TTL on the first survey and renew it on $next', async ({ merge }) => {
    // Prepare
    const customerId = `c-${merge ? 'merge' : 'new'}`;
    const email = `${customerId}@shop.example`;
    const triggers = new DynamoTriggerStore(table.doc, table.tableName, retentionDays);
    const first = invitationFactory(customerId, FIRST);
    const profile: CustomerProfile = { customerId, email, locale: 'pl', version: 0 };
    await triggers.recordTrigger({ eventKey: `shop.example#${first.eventId}`, invitation: first, profile, subject: `order#${first.subjectRef}` });
    const afterFirst = await customerExpiries(customerId, email);
    const stored = (await triggers.getProfile(customerId))!;
    const later = invitationFactory(customerId, LATER);

    // Act
    await triggers.recordTrigger({
      eventKey: `shop.example#${later.eventId}`,
      invitation: later,
      profile: stored,
      subject: `order#${later.subjectRef}`,
      ...(merge ? { mergeInto: first.id } : {}),
    });

    // Assess
    expect(afterFirst).toEqual(allExpiringAt(FIRST));
    expect(await customerExpiries(customerId, email)).toEqual(allExpiringAt(LATER));
  });
});

describe('retention of health profiles', () => {
  it('Should give a health profile the retention TTL when written and renew it on each update', async () => {
    // Prepare: only Date is faked, the SDK's timers stay real
    vi.useFakeTimers({ toFake: ['Date'] });
    const health = new DynamoHealthStore(table.doc, table.tableName, retentionDays);
    vi.setSystemTime(new Date(FIRST));
    await health.putHealth(emptyHealth('c-health'), 0);
    const afterFirst = await expiryOf(keys.health('c-health'));
    const stored = (await health.getHealth('c-health'))!;

    // Act
    vi.setSystemTime(new Date(LATER));
    await health.putHealth({ ...stored, recheckAt: '2026-12-20T10:00:00.000Z' }, stored.version);

    // Assess
    expect(afterFirst).toBe(epoch(FIRST) + RETENTION_DAYS * DAY);
    expect(await expiryOf(keys.health('c-health'))).toBe(epoch(LATER) + RETENTION_DAYS * DAY);
  });
});

describe('retention of health profiles by need', () => {
  it('Should keep a health profile no longer than the churn model keeps its facts, as the composition root wires it', async () => {
    // Prepare: the store as the alert functions get it, with a retention longer than the facts are kept
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(FIRST));
    configureFor(table, { RESPONSE_RETENTION_DAYS: '400' });
    const keepFactsDays = churnModel().keepFactsDays;

    // Act
    await healthStore().putHealth(emptyHealth('c-health-wired'), 0);

    // Assess
    expect(keepFactsDays).toBeLessThan(400);
    expect(await expiryOf(keys.health('c-health-wired'))).toBe(epoch(FIRST) + keepFactsDays * DAY);
  });
});

describe('retention of invitations and subject pointers by need', () => {
  const SEND_AT = '2026-09-04T10:00:00.000Z';
  const LINK_EXPIRES = '2026-10-04T10:00:00.000Z';

  async function sentInvitation(customerId: string, days: number) {
    const triggers = new DynamoTriggerStore(table.doc, table.tableName, days);
    const invitations = new DynamoInvitationStore(table.doc, table.tableName, days);
    const invitation = { ...invitationFactory(customerId, FIRST), sendAt: SEND_AT };
    const profile: CustomerProfile = { customerId, locale: 'pl', version: 0 };
    const subject = `order#${invitation.subjectRef}` as const;
    const eventKey = `shop.example#${invitation.eventId}`;
    await triggers.recordTrigger({ eventKey, invitation, profile, subject });
    const unsent = await expiryOf(keys.invitation(invitation.id));
    const pointer = await expiryOf(keys.subject(subject, invitation.id));
    await invitations.claim(invitation.id, SEND_AT);
    await invitations.markSent(invitation.id, SEND_AT, LINK_EXPIRES);
    return { unsent, pointer, sent: await expiryOf(keys.invitation(invitation.id)), marker: await expiryOf(keys.event(eventKey)) };
  }

  it('Should keep an unsent invitation 90 days after its send time, its pointer 30, a sent one 60 days past its link, the event marker 30 after the event', async () => {
    // Prepare, Act
    const expiries = await sentInvitation('c-inv-need', 400);

    // Assess: the marker outlives any redelivery (14 days in a DLQ or the quarantine, 14 more replayed and quarantined again)
    expect(expiries).toEqual({
      unsent: epoch(SEND_AT) + 90 * DAY,
      pointer: epoch(SEND_AT) + 30 * DAY,
      sent: epoch(LINK_EXPIRES) + 60 * DAY,
      marker: epoch(FIRST) + 30 * DAY,
    });
  });

  it('Should never keep them longer than a shorter configured retention', async () => {
    // Prepare, Act: 30 days of retention, shorter than every need above
    const expiries = await sentInvitation('c-inv-short', RETENTION_DAYS);

    // Assess
    expect(expiries).toEqual({
      unsent: epoch(FIRST) + 30 * DAY,
      pointer: epoch(FIRST) + 30 * DAY,
      sent: epoch(SEND_AT) + 30 * DAY,
      marker: epoch(FIRST) + 30 * DAY,
    });
  });
});
