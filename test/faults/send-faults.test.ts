/**
 * Sending under SES faults, through the real handlers (triggerSurvey, sendDue), the real SDK client
 * with its retry strategy and DynamoDB Local; SES is a scripted endpoint (test/support/faulty-providers.ts).
 * A short fault is absorbed by the SDK's own retries; a longer one puts the invitation back with the
 * use case's backoff (the clock is moved past it); a permanent refusal is recorded on the invitation.
 * Whatever happens, each survey mail goes out exactly once or is marked failed with the reason.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { surveyPorts, type SurveyPorts } from '../support/stores.ts';
import { localContext } from '../../local/lambda-context.ts';
import type { Invitation } from '../../surveys/model.ts';
import type { SendSummary } from '../../surveys/use-cases/send-due.ts';
import { orderDelivered } from '../support/http.ts';
import { startFaultyProviders, type Fault, type FaultyProviders } from '../support/faulty-providers.ts';
import { freshTable } from '../support/table.ts';
import { configureFor, handlerOf } from '../support/functions.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
let providers: FaultyProviders;
let store: SurveyPorts;
let triggerSurvey: Handler;
let sendDue: Handler;

beforeAll(async () => {
  const table = await freshTable();
  providers = await startFaultyProviders();
  store = surveyPorts(table.doc, table.tableName);
  configureFor(table, {
    AWS_ENDPOINT_URL_SESV2: providers.url,
    AWS_ENDPOINT_URL_SNS: providers.url,
    LINK_SECRET: 'send-faults-link-secret-0123456789abcdef',
    SURVEY_DELAY_SCALE: '0.000001', // a 3-day delay is 0.26 s
  });
  triggerSurvey = await handlerOf<Handler>('trigger-survey');
  sendDue = await handlerOf<Handler>('send-due');
  // Only Date is faked: the SDK's retry delays and the sockets run in real time, the use case's backoff is skipped by moving the clock.
  vi.useFakeTimers({ toFake: ['Date'] });
});

afterAll(async () => {
  vi.useRealTimers();
  await providers?.close();
});

const later = (ms: number) => vi.setSystemTime(Date.now() + ms);
const sweep = async () => (await sendDue({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }, localContext('sendDue'))) as SendSummary;

/** A new customer's order.delivered through the bus handler; returns the invitation, due now. */
async function dueSurvey(customerId: string): Promise<{ email: string; invitationId: string }> {
  const outcome = (await triggerSurvey(orderDelivered({ eventId: `evt-${customerId}`, customerId }), localContext('triggerSurvey'))) as {
    status: string;
    invitationId: string;
  };
  expect(outcome.status).toBe('scheduled');
  later(1000);
  return { email: `${customerId}@example.com`, invitationId: outcome.invitationId };
}

const mailsTo = (email: string) => providers.delivered.filter((d) => d.service === 'ses' && d.to === email);
const invitation = async (id: string) => (await store.getInvitation(id)) as Invitation;

describe('faults the SDK retries absorb', () => {
  it.each<[string, Fault[]]>([
    ['a ThrottlingException', ['throttling']],
    ['a TooManyRequestsException (429)', ['too-many']],
    ['a connection cut before the answer', ['reset']],
    ['a 503 and a cut connection', ['unavailable', 'reset']],
  ])('Should send once, in the same sweep, after %s', async (_name, faults) => {
    // Prepare
    const { email, invitationId } = await dueSurvey(`absorbed-${faults.join('-')}`);
    const attemptsBefore = providers.attempts.ses;
    providers.fail('ses', ...faults);

    // Act
    const summary = await sweep();

    // Assess
    expect(summary).toMatchObject({ sent: 1, retried: 0, failed: 0 });
    expect(providers.attempts.ses - attemptsBefore).toBe(faults.length + 1);
    expect(mailsTo(email)).toHaveLength(1);
    expect(mailsTo(email)[0]!.detail).toBe(invitationId);
    expect(await invitation(invitationId)).toMatchObject({ status: 'sent' });
  });
});

describe('faults that outlast the SDK retries', () => {
  it.each<[string, Fault, RegExp]>([
    ['throttling', 'throttling', /attempt 1: throttled, .*ThrottlingException/],
    ['the network', 'reset', /attempt 1: .*(ECONNRESET|socket hang up)/],
  ])(
    'Should put the invitation back with a backoff when %s persists, then send it once',
    async (_name, fault, reason) => {
      // Prepare: four failures use up the client's four attempts
      const { email, invitationId } = await dueSurvey(`outlasting-${fault}`);
      providers.fail('ses', fault, fault, fault, fault);

      // Act
      const attemptsBefore = providers.attempts.ses;
      const firstSweepAt = Date.now();
      const first = await sweep();
      const attemptsInFirstSweep = providers.attempts.ses - attemptsBefore;
      const waiting = await invitation(invitationId);
      const tooEarly = await sweep();
      later(2 * 60_000); // past the first backoff (60 s ± 20 %)
      const second = await sweep();
      const third = await sweep();

      // Assess
      expect(first).toMatchObject({ sent: 0, retried: 1, throttled: fault !== 'reset' });
      expect(attemptsInFirstSweep).toBe(4);
      expect(waiting).toMatchObject({ status: 'scheduled', attempts: 1 });
      expect(waiting.failureReason).toMatch(reason);
      expect(Date.parse(waiting.sendAt) - firstSweepAt).toBeGreaterThanOrEqual(48_000); // 60 s - 20 % jitter
      expect(Date.parse(waiting.sendAt) - firstSweepAt).toBeLessThanOrEqual(73_000);
      expect(tooEarly.sent).toBe(0);
      expect(second.sent).toBe(1);
      expect(third.sent).toBe(0);
      expect(mailsTo(email)).toHaveLength(1);
      const sent = await invitation(invitationId);
      expect(sent.status).toBe('sent');
      expect(sent.failureReason).toBeUndefined();
    },
    20_000,
  );

  it('Should send once when two sweeps run at the same time during throttling', async () => {
    // Prepare
    const { email, invitationId } = await dueSurvey('concurrent-sweeps');
    providers.fail('ses', 'throttling');

    // Act
    const summaries = await Promise.all([sweep(), sweep(), sweep()]);

    // Assess
    expect(summaries.reduce((n, s) => n + s.sent, 0)).toBe(1);
    expect(mailsTo(email)).toHaveLength(1);
    expect(await invitation(invitationId)).toMatchObject({ status: 'sent' });
  });
});

describe('a permanent refusal', () => {
  it("Should mark the invitation failed with SES's reason after one attempt, and never send it", async () => {
    // Prepare
    const { email, invitationId } = await dueSurvey('rejected');
    const attemptsBefore = providers.attempts.ses;
    providers.fail('ses', 'rejected');

    // Act
    const first = await sweep();
    later(2 * 3600_000);
    const afterwards = await sweep();

    // Assess
    expect(first).toMatchObject({ sent: 0, failed: 1, retried: 0 });
    expect(afterwards).toMatchObject({ sent: 0, failed: 0 });
    expect(providers.attempts.ses - attemptsBefore).toBe(1); // no SDK retry of a 400 MessageRejected
    expect(mailsTo(email)).toHaveLength(0);
    const failed = await invitation(invitationId);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/MessageRejected: Email address is not verified/);
  });
});
