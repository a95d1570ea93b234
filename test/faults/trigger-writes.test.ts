/**
 * The trigger's writes without a transaction (functions/adapters/dynamodb/trigger-store.ts): pointers and
 * e-mail lookups, the profile (the claim on the customer), the invitation(s) or the merge, the event's
 * marker. For every one of them the process dies just before or just after it, then the event is
 * delivered again: the state must be the one a clean run leaves — one survey, one mail to be, the marker.
 * Also: two events of one customer at once, a redelivery after everything, and a death after the profile
 * that is never delivered again (the pending survey that was never written).
 *
 * The real use cases and DynamoDB adapters on DynamoDB Local; a table client (DyingTable) counts the
 * write commands and kills the process at the chosen one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCancellationStore } from '../../functions/adapters/dynamodb/cancellation-store.ts';
import { DynamoContactStore } from '../../functions/adapters/dynamodb/contact-store.ts';
import { DynamoTriggerStore } from '../../functions/adapters/dynamodb/trigger-store.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { DEFAULT_CATALOGUE } from '../../surveys/catalogue.ts';
import { createLinkSigner } from '../../surveys/links.ts';
import type { CancellingEvent, CommerceEvent } from '../../surveys/model.ts';
import type { OutgoingEmail } from '../../surveys/ports.ts';
import { PHANTOM_GRACE_MS } from '../../surveys/trigger-marks.ts';
import { cancelSurvey } from '../../surveys/use-cases/cancel-survey.ts';
import { sendDueInvitations } from '../../surveys/use-cases/send-due.ts';
import { emailChannel } from '../../surveys/use-cases/send-email.ts';
import { triggerSurvey, type TriggerOutcome } from '../../surveys/use-cases/trigger-survey.ts';
import { surveyPorts } from '../support/stores.ts';
import { ProcessDied, survive } from '../support/process-death.ts';
import { freshTable, invitationsOf } from '../support/table.ts';

type CrashPoint = { write: number; when: 'before' | 'after' };
const WRITES = [PutCommand, UpdateCommand, DeleteCommand];

/** A table client that logs each write (`put PROFILE`, `update INVITATION`…) and dies at the chosen one. */
class DyingTable {
  readonly writes: string[] = [];
  private dead = false;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly crash?: CrashPoint,
  ) {}

  readonly send = async (command: PutCommand | UpdateCommand | GetCommand): Promise<unknown> => {
    if (this.dead) throw new ProcessDied();
    if (!WRITES.some((kind) => command instanceof kind)) return this.doc.send(command as never);
    const input = command.input as { Item?: { entity?: string }; Key?: { sk?: string } };
    const n = this.writes.push(command instanceof PutCommand ? `put ${input.Item?.entity}` : `update ${input.Key?.sk?.toLowerCase()}`);
    if (this.crash?.write === n && this.crash.when === 'before') this.die();
    const result = await this.doc.send(command as never);
    if (this.crash?.write === n && this.crash.when === 'after') this.die();
    return result;
  };

  private die(): never {
    this.dead = true;
    throw new ProcessDied();
  }
}

const T0 = new Date('2026-11-20T12:00:00.000Z');
const withCes = DEFAULT_CATALOGUE.map((s) => (s.id === 'ces-post-ticket' ? { ...s, enabled: true } : s));

const delivered = (eventId: string, customerId: string, orderId = `o-${eventId}`): CommerceEvent => ({
  source: 'shop.example',
  'detail-type': 'order.delivered',
  detail: {
    eventId,
    occurredAt: T0.toISOString(),
    customer: { id: customerId, email: `${customerId}@example.com`, locale: 'en-GB' },
    order: { id: orderId, total: 10, currency: 'PLN', store: 'web', channel: 'online' },
  },
});

const solved = (eventId: string, customerId: string): CommerceEvent => ({
  source: 'helpdesk.example',
  'detail-type': 'ticket.solved',
  detail: {
    eventId,
    occurredAt: T0.toISOString(),
    customer: { id: customerId, email: `${customerId}@example.com`, locale: 'en-GB' },
    ticket: { id: `t-${eventId}`, team: 'billing', channel: 'email' },
  },
});

const refund = (eventId: string, orderId: string, customerId: string): CancellingEvent => ({
  source: 'shop.example',
  'detail-type': 'order.refunded',
  detail: { eventId, occurredAt: T0.toISOString(), customer: { id: customerId }, order: { id: orderId } },
});

async function world() {
  const table = await freshTable();
  const clock = { now: T0 };
  const ports = surveyPorts(table.doc, table.tableName);
  const contacts = new DynamoContactStore(table.doc, table.tableName);
  const mails: OutgoingEmail[] = [];
  /** The trigger as one process runs it, over a table client that may die. */
  const trigger = (event: CommerceEvent, process = new DyingTable(table.doc), catalogue = DEFAULT_CATALOGUE): Promise<TriggerOutcome> => {
    const db = process as unknown as DynamoDBDocumentClient;
    return triggerSurvey(event, {
      store: new DynamoTriggerStore(db, table.tableName),
      suppressions: contacts,
      cancellations: new DynamoCancellationStore(db, table.tableName),
      now: () => clock.now,
      catalogue,
    });
  };
  const sweep = () =>
    sendDueInvitations({
      store: ports,
      contacts,
      channel: emailChannel({ email: { send: async (m: OutgoingEmail) => (mails.push(m), { messageId: `m-${mails.length}` }) } }),
      links: createLinkSigner('trigger-writes-secret-0123456789abcdef'),
      now: () => clock.now,
      publicBaseUrl: 'https://surveys.example',
      brand: 'ankieta shop',
    });
  const marker = async (event: CommerceEvent) =>
    (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.event(`${event.source}#${event.detail.eventId}`) }))).Item;
  return { table, clock, ports, mails, trigger, sweep, marker, invitationsOf: (customerId: string) => invitationsOf(table, customerId) };
}

/** Before the first write, and after each of a clean run's writes. */
function crashPoints(writes: readonly string[]): Array<[string, CrashPoint]> {
  return [
    [`before ${writes[0]}`, { write: 1, when: 'before' }],
    ...writes.map((w, i): [string, CrashPoint] => [`after ${w} (write ${i + 1} of ${writes.length})`, { write: i + 1, when: 'after' }]),
  ];
}

const LOOKUPS = ['put email-lookup']; // hashed e-mail → customer (its mirror is a set on the profile)
const ORDER_WRITES = ['put subject', ...LOOKUPS, 'update profile', 'put invitation', 'put event'];
const TICKET_WITH_CES_WRITES = ['put subject', 'put subject', ...LOOKUPS, 'update profile', 'put invitation', 'put invitation', 'put event'];
const MERGE_WRITES = ['put subject', ...LOOKUPS, 'update profile', 'update invitation', 'put event'];

describe('the writes of one trigger', () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => void (w = await world()));

  it.each([
    ['an order survey', (id: string) => delivered(id, id), DEFAULT_CATALOGUE, ORDER_WRITES],
    ['CSAT with its CES companion', (id: string) => solved(id, id), withCes, TICKET_WITH_CES_WRITES],
  ] as const)('Should write %s with plain writes, profile before invitation, marker last', async (name, event, catalogue, writes) => {
    const process = new DyingTable(w.table.doc);
    const outcome = await w.trigger(event(`clean-${name.length}`), process, catalogue);
    expect(outcome.status).toBe('scheduled');
    expect(process.writes).toEqual(writes);
  });

  it.each(crashPoints(ORDER_WRITES))(
    'Should leave one survey, one mail and the marker when the process dies %s and the event is delivered again',
    async (_name, crash) => {
      // Prepare
      const customerId = `order-${crash.when}-${crash.write}`;
      const event = delivered(`evt-${customerId}`, customerId);

      // Act
      const died = await survive(w.trigger(event, new DyingTable(w.table.doc, crash)));
      const retried = await w.trigger(event);
      w.clock.now = new Date(T0.getTime() + 4 * 24 * 3600_000);
      await w.sweep();
      w.clock.now = T0;

      // Assess
      expect(died).toBeInstanceOf(ProcessDied);
      expect(retried.status).toBe(crash.when === 'after' && crash.write === ORDER_WRITES.length ? 'duplicate' : 'scheduled');
      const invitations = await w.invitationsOf(customerId);
      expect(invitations.map((i) => i.status)).toEqual(['sent']);
      expect(w.mails.filter((m) => m.to === `${customerId}@example.com`)).toHaveLength(1);
      expect(await w.marker(event)).toMatchObject({ invitationId: invitations[0]!.id, outcome: 'scheduled' });
      expect((await w.ports.getProfile(customerId))?.pendingInvitation?.id).toBe(invitations[0]!.id);
    },
  );

  it.each(crashPoints(TICKET_WITH_CES_WRITES))(
    'Should write CSAT and its CES companion once each when the process dies %s and the event is delivered again',
    async (_name, crash) => {
      // Prepare
      const customerId = `ces-${crash.when}-${crash.write}`;
      const event = solved(`evt-${customerId}`, customerId);

      // Act
      const died = await survive(w.trigger(event, new DyingTable(w.table.doc, crash), withCes));
      const retried = await w.trigger(event, undefined, withCes);

      // Assess
      expect(died).toBeInstanceOf(ProcessDied);
      expect(retried.status).toBe(crash.when === 'after' && crash.write === TICKET_WITH_CES_WRITES.length ? 'duplicate' : 'scheduled');
      const invitations = await w.invitationsOf(customerId);
      expect(invitations.map((i) => `${i.metric}:${i.status}`).sort()).toEqual(['ces:scheduled', 'csat:scheduled']);
      expect(invitations[0]!.sendAt).toBe(invitations[1]!.sendAt);
      expect(await w.marker(event)).toBeDefined();
    },
  );

  it.each(crashPoints(MERGE_WRITES))('Should merge the second order once when the process dies %s and the event is delivered again', async (_name, crash) => {
    // Prepare: a survey pending about the first order
    const customerId = `merge-${crash.when}-${crash.write}`;
    const first = (await w.trigger(delivered(`evt-1-${customerId}`, customerId))) as { invitationId: string };
    const second = delivered(`evt-2-${customerId}`, customerId);

    // Act
    const died = await survive(w.trigger(second, new DyingTable(w.table.doc, crash)));
    const retried = await w.trigger(second);

    // Assess
    expect(died).toBeInstanceOf(ProcessDied);
    expect(retried.status).toBe(crash.when === 'after' && crash.write === MERGE_WRITES.length ? 'duplicate' : 'merged');
    const invitations = await w.invitationsOf(customerId);
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toMatchObject({ id: first.invitationId, status: 'scheduled', mergedSubjectRefs: [`o-evt-2-${customerId}`] });
    expect(await w.marker(second)).toMatchObject({ outcome: 'merged', invitationId: first.invitationId });
  });

  it('Should answer duplicate and write nothing when the event comes again after everything was written', async () => {
    // Prepare
    const event = delivered('evt-done', 'done');
    await w.trigger(event);
    const again = new DyingTable(w.table.doc);

    // Act
    const outcome = await w.trigger(event, again);

    // Assess
    expect(outcome.status).toBe('duplicate');
    expect(again.writes).toEqual([]);
    expect(await w.invitationsOf('done')).toHaveLength(1);
  });
});

describe('two events of one customer at once', () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => void (w = await world()));

  it.each([1, 2, 3, 4, 5])('Should schedule one survey for two orders racing (run %i): the other joins it, or is skipped by the hard cap', async (run) => {
    // Prepare
    const customerId = `race-orders-${run}`;

    // Act
    const outcomes = await Promise.all([w.trigger(delivered(`a-${run}`, customerId)), w.trigger(delivered(`b-${run}`, customerId))]);

    // Assess
    const scheduled = (await w.invitationsOf(customerId)).filter((i) => i.status === 'scheduled');
    expect(scheduled).toHaveLength(1);
    const [winner, other] = outcomes[0]!.status === 'scheduled' ? outcomes : [outcomes[1]!, outcomes[0]!];
    expect(winner).toMatchObject({ status: 'scheduled', invitationId: scheduled[0]!.id });
    if (other!.status === 'merged') expect(scheduled[0]!.mergedSubjectRefs).toHaveLength(1);
    else expect(other).toMatchObject({ status: 'skipped', reason: expect.stringContaining('hard-cap') });
    expect((await w.ports.getProfile(customerId))?.pendingInvitation?.id).toBe(scheduled[0]!.id);
  });

  it('Should schedule one survey for an order and a ticket racing: the other is skipped by the hard cap', async () => {
    // Act
    const outcomes = await Promise.all([w.trigger(delivered('race-o', 'race-kinds')), w.trigger(solved('race-t', 'race-kinds'))]);

    // Assess
    expect(outcomes.map((o) => o.status).sort()).toEqual(['scheduled', 'skipped']);
    expect(outcomes.find((o) => o.status === 'skipped')).toMatchObject({ reason: expect.stringContaining('hard-cap') });
    expect((await w.invitationsOf('race-kinds')).map((i) => i.status).sort()).toEqual(['scheduled', 'skipped']);
  });
});

describe('a death after the profile write that is never delivered again', () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => void (w = await world()));
  const afterProfile: CrashPoint = { write: ORDER_WRITES.indexOf('update profile') + 1, when: 'after' };

  /** The profile names a pending survey that was never written. */
  async function phantom(customerId: string): Promise<string> {
    w.clock.now = T0;
    expect(await survive(w.trigger(delivered(`lost-${customerId}`, customerId), new DyingTable(w.table.doc, afterProfile)))).toBeInstanceOf(ProcessDied);
    const pending = (await w.ports.getProfile(customerId))?.pendingInvitation;
    expect(await w.invitationsOf(customerId)).toHaveLength(0);
    return pending!.id;
  }

  it("Should give the never-written survey's budget back and schedule the next order once the grace has passed", async () => {
    // Prepare
    const lost = await phantom('phantom-late');
    w.clock.now = new Date(T0.getTime() + PHANTOM_GRACE_MS + 60_000);

    // Act
    const next = await w.trigger(delivered('next-late', 'phantom-late'));

    // Assess
    expect(next.status).toBe('scheduled');
    const profile = await w.ports.getProfile('phantom-late');
    expect(profile?.pendingInvitation?.id).not.toBe(lost);
    expect(profile?.pendingInvitation?.previousSurveyedAt).toBeUndefined();
    expect((await w.invitationsOf('phantom-late')).map((i) => i.status)).toEqual(['scheduled']);
  });

  it('Should keep one survey when the next order comes within the grace and the lost event is delivered again after it', async () => {
    // Prepare: within the grace the pending survey may still be on its way (a trigger mid-write), so it is not given back
    const lost = await phantom('phantom-early');
    w.clock.now = new Date(T0.getTime() + 60_000);

    // Act
    const next = await w.trigger(delivered('next-early', 'phantom-early'));
    const redelivered = await w.trigger(delivered('lost-phantom-early', 'phantom-early'));

    // Assess
    expect(next).toMatchObject({ status: 'skipped', reason: expect.stringContaining('hard-cap') });
    expect(redelivered).toMatchObject({ status: 'scheduled', invitationId: lost });
    const scheduled = (await w.invitationsOf('phantom-early')).filter((i) => i.status === 'scheduled');
    expect(scheduled.map((i) => i.id)).toEqual([lost]);
  });

  it('Should survey nobody and give the budget back when the order was refunded before the lost event is delivered again', async () => {
    // Prepare
    await phantom('phantom-refunded');
    w.clock.now = new Date(T0.getTime() + 60_000);
    const refunded = await cancelSurvey(refund('refund-phantom', 'o-lost-phantom-refunded', 'phantom-refunded'), {
      store: new DynamoCancellationStore(w.table.doc, w.table.tableName),
      now: () => w.clock.now,
    });

    // Act
    const redelivered = await w.trigger(delivered('lost-phantom-refunded', 'phantom-refunded'));

    // Assess
    expect(refunded.status).toBe('nothing-pending');
    expect(redelivered).toMatchObject({ status: 'skipped', reason: expect.stringContaining('subject-cancelled') });
    expect((await w.invitationsOf('phantom-refunded')).map((i) => i.status)).toEqual(['skipped']);
    const profile = await w.ports.getProfile('phantom-refunded');
    expect(profile?.pendingInvitation).toBeUndefined();
    expect(profile?.lastSurveyedAt).toBeUndefined();
  });
});
