/**
 * The process dies between two writes of a use case — a Lambda timeout, an out-of-memory kill — and
 * the work is retried by a new process (Lambda's retry of the event, the stream's redelivery, the next
 * sweep, the person pressing the button again). For every point of each use case's writes, in turn:
 * the process dies just before or just after that write, then the retry runs on the same table.
 * After the retry the state must be the one a clean run leaves: no lost response, no second survey,
 * no second alert, no alert left unsent.
 *
 * The real use cases and DynamoDB adapters run on DynamoDB Local; a proxy around them (DyingProcess)
 * counts the effectful calls and kills the process at the chosen one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoContactStore } from '../../functions/adapters/dynamodb/contact-store.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { surveyPorts, type SurveyPorts } from '../support/stores.ts';
import { createLinkSigner } from '../../surveys/links.ts';
import type { CancellingEvent, CommerceEvent, SurveyResponse } from '../../surveys/model.ts';
import type { EmailSender, OutgoingEmail, SmsSender } from '../../surveys/ports.ts';
import { DEFAULT_ALERT_RULES, sweepAlerts, type NotifyDeps } from '../../surveys/use-cases/alert-lifecycle.ts';
import { raiseDetractorAlert } from '../../surveys/use-cases/raise-alert.ts';
import { receiveEvent, type ReceiveDeps } from '../../surveys/use-cases/receive-event.ts';
import { answerSurvey, commentOnSurvey } from '../../surveys/use-cases/record-response.ts';
import { addSummaries, sendDueInvitations } from '../../surveys/use-cases/send-due.ts';
import { emailChannel } from '../../surveys/use-cases/send-email.ts';
import { smsChannel } from '../../surveys/use-cases/send-sms.ts';
import { InMemoryPublisher } from '../support/in-memory-alerts.ts';
import { orderDelivered } from '../support/http.ts';
import { PERSON_UA } from '../support/survey-links.ts';
import { ProcessDied, survive } from '../support/process-death.ts';
import { freshTable, invitationsOf } from '../support/table.ts';

type CrashPoint = { call: number; when: 'before' | 'after' };

/** Effectful calls go through here; at the chosen one the process dies (before or after it takes effect) and does nothing more. */
class DyingProcess {
  readonly calls: string[] = [];
  private dead = false;

  constructor(private readonly crash?: CrashPoint) {}

  wrap<T extends object>(target: T, effectful: readonly string[]): T {
    return new Proxy(target, {
      get: (t, prop, receiver) => {
        const value = Reflect.get(t, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (this.dead) throw new ProcessDied();
          if (!effectful.includes(String(prop))) return (value as (...a: unknown[]) => unknown).apply(t, args);
          const n = this.calls.push(String(prop));
          if (this.crash?.call === n && this.crash.when === 'before') this.die();
          const result = await (value as (...a: unknown[]) => unknown).apply(t, args);
          if (this.crash?.call === n && this.crash.when === 'after') this.die();
          return result;
        };
      },
    });
  }

  private die(): never {
    this.dead = true;
    throw new ProcessDied();
  }
}

const STORE_WRITES = [
  'recordTrigger',
  'cancelInvitation',
  'dropSubject',
  'markSubjectCancelled',
  'recordEvent',
  'releasePending',
  'claim',
  'markSent',
  'markRetry',
  'markFailed',
  'markCancelled',
  'claimReminder',
  'putResponse',
  'createAlert',
  'saveAlert',
] as const;
const CONTACT_WRITES = ['suppress', 'putShortLink', 'rememberSmsThread', 'keepInboundSms'] as const;

/** The crash points of a use case whose clean run makes `writes`: before the first, and after each. */
function crashPoints(writes: readonly string[]): Array<[string, CrashPoint]> {
  return [
    [`before ${writes[0]}`, { call: 1, when: 'before' }],
    ...writes.map((w, i): [string, CrashPoint] => [`after ${w} (write ${i + 1} of ${writes.length})`, { call: i + 1, when: 'after' }]),
  ];
}

const T0 = new Date('2026-11-20T12:00:00.000Z');
const SECRET = 'crash-between-writes-secret-0123456789';
const links = createLinkSigner(SECRET);

async function world() {
  const table = await freshTable();
  const store = surveyPorts(table.doc, table.tableName);
  const contacts = new DynamoContactStore(table.doc, table.tableName);
  const clock = { now: T0 };
  const mails: OutgoingEmail[] = [];
  const email: EmailSender = { send: async (m) => (mails.push(m), { messageId: `m-${mails.length}` }) };
  const sms: SmsSender = { send: async () => ({ messageId: 'sms' }) };
  const publisher = new InMemoryPublisher();

  /** The ports as one process sees them. */
  const as = (process: DyingProcess) => ({
    store: process.wrap(store, STORE_WRITES),
    contacts: process.wrap(contacts, CONTACT_WRITES),
    email: process.wrap(email, ['send']),
    sms: process.wrap(sms, ['send']),
    publisher: process.wrap(publisher, ['publish']),
  });
  const now = () => clock.now;
  const receive = (process: DyingProcess, event: CommerceEvent | CancellingEvent) => {
    const p = as(process);
    const deps: ReceiveDeps = { store: p.store, suppressions: p.contacts, cancellations: p.store, now, delayScale: 1 };
    return receiveEvent(event, deps);
  };
  // The e-mail sweep, then the SMS one (sendDue, sendDueSms): a process that dies in one never runs the next.
  const sweep = async (process: DyingProcess) => {
    const p = as(process);
    const common = { store: p.store, contacts: p.contacts, links, now, publicBaseUrl: 'https://surveys.example', brand: 'ankieta shop' };
    const byEmail = await sendDueInvitations({ ...common, channel: emailChannel({ email: p.email }) });
    const bySms = await sendDueInvitations({ ...common, channel: smsChannel({ sms: p.sms, links: p.contacts, publicBaseUrl: common.publicBaseUrl }) });
    return addSummaries([byEmail, bySms]);
  };
  const notifyDeps = (process: DyingProcess): NotifyDeps & { customers: SurveyPorts } => {
    const p = as(process);
    return {
      alerts: p.store,
      publisher: p.publisher,
      now,
      rules: DEFAULT_ALERT_RULES,
      language: 'en',
      dashboardUrl: 'https://leads.example/dashboard',
      customers: p.store,
    };
  };
  return {
    table,
    store,
    contacts,
    clock,
    mails,
    publisher,
    receive,
    sweep,
    notifyDeps,
    invitationsOf: (customerId: string) => invitationsOf(table, customerId),
  };
}

const refund = (eventId: string, orderId: string, customerId: string): CancellingEvent => ({
  source: 'shop.example',
  'detail-type': 'order.refunded',
  detail: { eventId, occurredAt: '2026-11-20T11:00:00Z', customer: { id: customerId }, order: { id: orderId } },
});

const later = (w: { clock: { now: Date } }, ms: number) => void (w.clock.now = new Date(w.clock.now.getTime() + ms));

describe('triggering a survey', () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => void (w = await world()));

  it('Should make exactly one store call: recordTrigger (its writes inside: trigger-writes.test.ts)', async () => {
    const process = new DyingProcess();
    await w.receive(process, orderDelivered({ eventId: 'clean-trigger', customerId: 'clean-trigger' }) as CommerceEvent);
    expect(process.calls).toEqual(['recordTrigger']);
  });

  it.each(crashPoints(['recordTrigger']))('Should leave one survey when the process dies %s and the event is delivered again', async (_name, crash) => {
    // Prepare
    const customerId = `trigger-${crash.when}`;
    const event = orderDelivered({ eventId: `evt-${customerId}`, customerId }) as CommerceEvent;

    // Act
    const died = await survive(w.receive(new DyingProcess(crash), event));
    const retried = await w.receive(new DyingProcess(), event);

    // Assess
    expect(died).toBeInstanceOf(ProcessDied);
    expect(retried.status).toBe(crash.when === 'before' ? 'scheduled' : 'duplicate');
    const invitations = await w.invitationsOf(customerId);
    expect(invitations).toHaveLength(1);
    expect((await w.store.getProfile(customerId))?.pendingInvitation?.id).toBe(invitations[0]!.id);
  });
});

describe('triggering a survey: inside the store', () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => void (w = await world()));

  it('Should leave one survey that a refund still cancels, and its customer found by e-mail, when the process dies between the pointers and the profile', async () => {
    // Prepare: a table client that dies at the profile write (the subject pointer and e-mail lookups are written before it)
    const customerId = 'trigger-between-pointers';
    const event = orderDelivered({ eventId: `evt-${customerId}`, customerId }) as CommerceEvent;
    const isProfileWrite = (command: unknown) => command instanceof UpdateCommand && command.input.Key?.sk === keys.profile(customerId).sk;
    const dying = {
      send: (command: unknown) => (isProfileWrite(command) ? Promise.reject(new ProcessDied()) : w.table.doc.send(command as never)),
    };
    const dyingStore = surveyPorts(dying as unknown as typeof w.table.doc, w.table.tableName);
    const deps: ReceiveDeps = { store: dyingStore, suppressions: w.contacts, cancellations: dyingStore, now: () => w.clock.now, delayScale: 1 };

    // Act
    const died = await survive(receiveEvent(event, deps));
    const retried = await w.receive(new DyingProcess(), event);
    const refunded = await w.receive(new DyingProcess(), refund(`refund-${customerId}`, `o-evt-${customerId}`, customerId));
    const { Items: lookups = [] } = await w.table.doc.send(
      new QueryCommand({
        TableName: w.table.tableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.emailLookup(`${customerId}@example.com`, customerId).pk },
      }),
    );

    // Assess
    expect(died).toBeInstanceOf(ProcessDied);
    expect(retried.status).toBe('scheduled');
    const invitations = await w.invitationsOf(customerId);
    expect(invitations).toHaveLength(1);
    expect(refunded).toMatchObject({ status: 'cancelled', cancelled: [invitations[0]!.id] });
    expect((await w.store.getInvitation(String(invitations[0]!.id)))?.status).toBe('cancelled');
    expect(lookups.map((item) => item.sk)).toEqual([`CUST#${customerId}`]); // the lookup names the customer by its key
  });
});

describe('cancelling a survey on refund', () => {
  let w: Awaited<ReturnType<typeof world>>;
  const CANCEL_WRITES = ['cancelInvitation', 'releasePending', 'markSubjectCancelled', 'recordEvent'];
  beforeAll(async () => void (w = await world()));

  /** A pending survey about order o-<customer>, then its refund through a process that may die. */
  async function refundWith(customerId: string, crash?: CrashPoint) {
    const order = orderDelivered({ eventId: `evt-${customerId}`, customerId }) as CommerceEvent;
    const scheduled = await w.receive(new DyingProcess(), order);
    expect(scheduled.status).toBe('scheduled');
    const process = new DyingProcess(crash);
    const outcome = await survive(w.receive(process, refund(`refund-${customerId}`, `o-evt-${customerId}`, customerId)));
    return { process, outcome, invitationId: (scheduled as { invitationId: string }).invitationId };
  }

  it('Should write in this order: cancel, give the fatigue budget back, remember the subject, record the event', async () => {
    const { process } = await refundWith('clean-cancel');
    expect(process.calls).toEqual(CANCEL_WRITES);
  });

  /** After the retry: the survey cancelled, the customer may be asked again, a late delivery is skipped. */
  async function expectCleanState(customerId: string, invitationId: string) {
    expect((await w.store.getInvitation(invitationId))?.status).toBe('cancelled');
    expect(await w.store.subjectCancelledAt(`order#o-evt-${customerId}`)).toBeDefined();
    const profile = await w.store.getProfile(customerId);
    expect(profile?.pendingInvitation).toBeUndefined();
    expect(profile?.lastSurveyedAt).toBeUndefined();
    // The customer was never asked: their next order gets its survey.
    const next = await w.receive(new DyingProcess(), orderDelivered({ eventId: `evt-${customerId}-next`, customerId }) as CommerceEvent);
    expect(next.status).toBe('scheduled');
  }

  // A crash right after the cancellation (points 1 and 2, the same state): see the dedicated test below.
  it.each(crashPoints(CANCEL_WRITES).filter(([, c]) => !(c.when === 'after' && c.call === 1) && !(c.when === 'before' && c.call === 2)))(
    'Should finish the cancellation when the process dies %s and the refund is delivered again',
    async (_name, crash) => {
      // Prepare
      const customerId = `cancel-${crash.when}-${crash.call}`;

      // Act
      const { outcome, invitationId } = await refundWith(customerId, crash);
      const retried = await w.receive(new DyingProcess(), refund(`refund-${customerId}`, `o-evt-${customerId}`, customerId));

      // Assess
      expect(outcome).toBeInstanceOf(ProcessDied);
      // The retry reports what it did itself: the cancelling if the first run died before it, the duplicate once the event was recorded.
      expect(retried.status).toBe(crash.when === 'before' ? 'cancelled' : crash.call === 4 ? 'duplicate' : 'nothing-pending');
      await expectCleanState(customerId, invitationId);
    },
  );

  // A repeated refund finds the invitation already cancelled and still gives the budget back.
  it('Should give the fatigue budget back when the process dies right after cancelling', async () => {
    const customerId = 'cancel-after-1';
    const { outcome, invitationId } = await refundWith(customerId, { call: 1, when: 'after' });
    await w.receive(new DyingProcess(), refund(`refund-${customerId}`, `o-evt-${customerId}`, customerId));
    expect(outcome).toBeInstanceOf(ProcessDied);
    await expectCleanState(customerId, invitationId);
  });
});

describe('answering and commenting', () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => void (w = await world()));

  /** A survey mailed an hour ago (a person has had time to read it). */
  async function sentSurvey(customerId: string): Promise<string> {
    const scheduled = (await w.receive(new DyingProcess(), orderDelivered({ eventId: `evt-${customerId}`, customerId }) as CommerceEvent)) as {
      invitationId: string;
    };
    later(w, 4 * 24 * 3600_000);
    await w.sweep(new DyingProcess());
    later(w, 3600_000);
    expect((await w.store.getInvitation(scheduled.invitationId))?.status).toBe('sent');
    return scheduled.invitationId;
  }

  const responseDeps = (process: DyingProcess) => ({ store: process.wrap(w.store, STORE_WRITES), links, now: () => w.clock.now });
  const answer = (process: DyingProcess, invitationId: string, score: number) =>
    answerSurvey({ token: links.sign(invitationId), score, evidence: { kind: 'button', userAgent: PERSON_UA } }, responseDeps(process));
  const comment = (process: DyingProcess, invitationId: string, text: string) =>
    commentOnSurvey({ token: links.sign(invitationId), comment: text }, responseDeps(process));

  it.each(crashPoints(['putResponse']))(
    'Should keep one answer, counted once, when the process dies %s and the person sends it again',
    async (_name, crash) => {
      // Prepare
      const invitationId = await sentSurvey(`answer-${crash.when}`);

      // Act
      const died = await survive(answer(new DyingProcess(crash), invitationId, 3));
      const again = await answer(new DyingProcess(), invitationId, 3);

      // Assess
      expect(died).toBeInstanceOf(ProcessDied);
      expect(again.status).toBe(crash.when === 'before' ? 'recorded' : 'unchanged');
      // Version 1: the stream saw one insert, so the aggregator and the alerts count it once.
      expect(await w.store.getResponse(invitationId)).toMatchObject({ score: 3, version: 1 });
    },
  );

  it.each(crashPoints(['putResponse']))('Should keep the comment once when the process dies %s and the person sends it again', async (_name, crash) => {
    // Prepare
    const invitationId = await sentSurvey(`comment-${crash.when}`);
    await answer(new DyingProcess(), invitationId, 2);

    // Act
    const died = await survive(comment(new DyingProcess(crash), invitationId, 'the parcel was wet'));
    const again = await comment(new DyingProcess(), invitationId, 'the parcel was wet');

    // Assess
    expect(died).toBeInstanceOf(ProcessDied);
    expect(again.status).toBe('saved');
    expect(await w.store.getResponse(invitationId)).toMatchObject({ score: 2, comment: 'the parcel was wet', version: 2 });
  });
});

describe('raising and notifying a detractor alert', () => {
  let w: Awaited<ReturnType<typeof world>>;
  const ALERT_WRITES = ['createAlert', 'saveAlert', 'publish', 'saveAlert'];
  beforeAll(async () => void (w = await world()));

  function detractorAnswer(customerId: string): SurveyResponse {
    const at = w.clock.now.toISOString();
    return {
      invitationId: `inv-${customerId}`,
      surveyId: 'nps-post-purchase',
      metric: 'nps',
      customerId,
      score: 2,
      comment: 'never again', // with the comment in, the notification is due at once
      segments: { survey: 'nps-post-purchase', channel: 'email', store: 'web' },
      locale: 'en',
      subjectRef: `o-${customerId}`,
      status: 'final',
      version: 1,
      answeredAt: at,
      updatedAt: at,
    };
  }

  // The message links to the alert: `#alert=detractor-inv-<customer>`.
  const publishedFor = (customerId: string) => w.publisher.published.filter((m) => new RegExp(`#alert=detractor-inv-${customerId}(?![\\w-])`).test(m.body));

  it('Should write in this order: create, claim the notification, publish, record it', async () => {
    const process = new DyingProcess();
    await raiseDetractorAlert({ new: detractorAnswer('clean-alert') }, w.notifyDeps(process));
    expect(process.calls).toEqual(ALERT_WRITES);
    expect(publishedFor('clean-alert')).toHaveLength(1);
  });

  it.each(crashPoints(ALERT_WRITES))(
    'Should keep one alert and notify it when the process dies %s, after the redelivery and the sweep',
    async (name, crash) => {
      // Prepare
      const customerId = `alert-${crash.when}-${crash.call}`;
      const change = { new: detractorAnswer(customerId) };

      // Act: the stream delivers the record again at once; the sweep runs after the claim's lease
      const died = await survive(raiseDetractorAlert(change, w.notifyDeps(new DyingProcess(crash))));
      await raiseDetractorAlert(change, w.notifyDeps(new DyingProcess()));
      later(w, (DEFAULT_ALERT_RULES.claimLeaseSeconds + 60) * 1000);
      await sweepAlerts(w.notifyDeps(new DyingProcess()));
      await sweepAlerts(w.notifyDeps(new DyingProcess()));

      // Assess
      expect(died).toBeInstanceOf(ProcessDied);
      const alerts = (await w.store.listAlerts(undefined, 1000)).filter((a) => a.customerId === customerId);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ status: 'open', score: 2 });
      expect(alerts[0]!.notifiedAt).toBeDefined();
      expect(alerts[0]!.notifyClaimAt).toBeUndefined();
      // Dying between the publish and its record is the one window of a second notification, by design
      // (alert-lifecycle.ts: at-least-once, since SNS to e-mail cannot deduplicate); it comes after the lease, not at once.
      expect(publishedFor(customerId)).toHaveLength(name.startsWith('after publish') ? 2 : 1);
    },
  );
});

describe('sending a survey', () => {
  let w: Awaited<ReturnType<typeof world>>;
  const SEND_WRITES = ['claim', 'send', 'markSent'];
  beforeAll(async () => void (w = await world()));

  async function dueSurvey(customerId: string): Promise<string> {
    const scheduled = (await w.receive(new DyingProcess(), orderDelivered({ eventId: `evt-${customerId}`, customerId }) as CommerceEvent)) as {
      invitationId: string;
    };
    later(w, 4 * 24 * 3600_000);
    return scheduled.invitationId;
  }

  async function crashThenSweep(customerId: string, crash?: CrashPoint) {
    const invitationId = await dueSurvey(customerId);
    const process = new DyingProcess(crash);
    const died = await survive(w.sweep(process));
    // The next sweeps: a minute later, and an hour later (past any backoff or lease).
    later(w, 60_000);
    await w.sweep(new DyingProcess());
    later(w, 3600_000);
    await w.sweep(new DyingProcess());
    return { died, process, invitationId, mails: w.mails.filter((m) => m.to === `${customerId}@example.com`) };
  }

  it('Should write in this order: claim, send, mark sent', async () => {
    const { process } = await crashThenSweep('clean-send');
    expect(process.calls).toEqual(SEND_WRITES);
  });

  it.each(crashPoints(SEND_WRITES).filter(([, c]) => (c.when === 'before' && c.call === 1) || (c.when === 'after' && (c.call === 1 || c.call === 3))))(
    'Should send once and mark it sent when the process dies %s',
    async (_name, crash) => {
      const { died, invitationId, mails } = await crashThenSweep(`send-${crash.when}-${crash.call}`, crash);
      expect(died).toBeInstanceOf(ProcessDied);
      expect(mails).toHaveLength(1);
      expect((await w.store.getInvitation(invitationId))?.status).toBe('sent');
    },
  );

  // By design (SES has no idempotency key): dying after SES accepted the mail but before it was
  // recorded leaves the claim, whose 5-minute lease a later sweep takes over — the mail goes a second
  // time then, never before, and is never lost (send-due.ts, "at least once").
  it("Should send a second time only after the claim's lease when the process dies after SES accepted the mail", async () => {
    // Prepare
    const customerId = 'send-after-send';
    const invitationId = await dueSurvey(customerId);
    const mailsTo = () => w.mails.filter((m) => m.to === `${customerId}@example.com`);

    // Act
    const died = await survive(w.sweep(new DyingProcess({ call: 2, when: 'after' })));
    later(w, 60_000);
    await w.sweep(new DyingProcess());
    const withinLease = mailsTo().length;
    later(w, 3600_000);
    await w.sweep(new DyingProcess());

    // Assess
    expect(died).toBeInstanceOf(ProcessDied);
    expect(withinLease).toBe(1);
    expect(mailsTo()).toHaveLength(2);
    expect((await w.store.getInvitation(invitationId))?.status).toBe('sent');
  });

  /** The store, with markSent failing the first `failures` times (DynamoDB throttled past the SDK's retries). */
  function markSentFailing(failures: number) {
    let left = failures;
    return new Proxy(w.store, {
      get: (t, prop, receiver) => {
        const value = (Reflect.get(t, prop, receiver) as (...a: unknown[]) => unknown).bind(t);
        if (prop !== 'markSent') return value;
        return async (...args: unknown[]) => {
          if (left-- > 0)
            throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException' });
          return value(...args);
        };
      },
    });
  }

  const sweepWith = (store: SurveyPorts) =>
    sendDueInvitations({
      store,
      contacts: w.contacts,
      channel: emailChannel({ email: { send: async (m: OutgoingEmail) => (w.mails.push(m), { messageId: 'm' }) } }),
      links,
      now: () => w.clock.now,
      publicBaseUrl: 'https://surveys.example',
      brand: 'ankieta shop',
    });

  it.each([
    ['for a moment: recorded in place, one mail', 2, 1],
    ['longer than the sweep retries it: sent again after the lease, never lost', 1000, 2],
  ])('Should keep a send SES accepted when the table throttles recording it %s', async (_name, failures, expectedMails) => {
    // Prepare
    const customerId = `send-mark-sent-throttled-${failures}`;
    const invitationId = await dueSurvey(customerId);

    // Act
    await sweepWith(markSentFailing(failures)).catch(() => undefined); // a record that keeps failing ends the sweep
    later(w, 3600_000);
    await sweepWith(w.store);

    // Assess
    expect(w.mails.filter((m) => m.to === `${customerId}@example.com`)).toHaveLength(expectedMails);
    expect((await w.store.getInvitation(invitationId))?.status).toBe('sent');
  });
});
