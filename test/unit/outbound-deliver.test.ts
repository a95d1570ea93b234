import { describe, expect, it } from 'vitest';
import { type DeliverDeps, deliver } from '../../surveys/outbound/deliver.ts';
import { emitOutbound } from '../../surveys/outbound/emit.ts';
import type { OutboundRequest } from '../../surveys/outbound/ports.ts';
import { DEFAULT_RETRY_POLICY } from '../../surveys/outbound/routing.ts';
import { alertCreatedEvent, endpoint, InMemoryOutbound } from '../support/outbound.ts';

function setUp(answers: Array<{ ok: boolean; status?: number; body?: string }>) {
  const store = new InMemoryOutbound();
  const sent: OutboundRequest[] = [];
  const followUps: unknown[] = [];
  let clock = Date.parse('2026-12-01T10:00:00.000Z');
  const deps: DeliverDeps = {
    endpoints: store,
    deliveries: store,
    secrets: store,
    sender: {
      send: async (request) => {
        sent.push(request);
        const a = answers.shift() ?? { ok: true, status: 200 };
        return a.ok ? { ok: true, status: a.status ?? 200, responseBody: a.body } : { ok: false, status: a.status, error: `HTTP ${a.status}` };
      },
    },
    recordFollowUp: async (alertId, f) => {
      followUps.push({ alertId, ...f });
    },
    policy: DEFAULT_RETRY_POLICY,
    language: 'en',
    allowLoopback: false,
    leaseSeconds: 60,
    now: () => new Date(clock),
    random: () => 0.5,
  };
  const later = (seconds: number) => {
    clock += seconds * 1000;
  };
  return { store, sent, followUps, deps, later };
}

const job = { endpointId: 'ep-1', event: alertCreatedEvent() };

describe('delivering an event to an endpoint', () => {
  it('Should sign a webhook and deliver it once, however often the queue hands the job over', async () => {
    // Prepare
    const { store, sent, deps } = setUp([]);
    await store.createEndpoint(endpoint());
    await store.put('ep-1', { url: 'https://hooks.example.com/in', signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });

    // Act
    const first = await deliver(job, deps);
    const again = await deliver(job, deps);

    // Assess
    expect(first).toEqual({ outcome: 'delivered', attempt: 1 });
    expect(again).toEqual({ outcome: 'skipped', reason: 'already delivered' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.signing).toMatchObject({ messageId: job.event.id });
    expect(JSON.parse(sent[0]!.body)).toMatchObject({ type: 'alert.created', data: { alertId: 'detractor-inv-1' } });
    expect((await store.listDeliveries('ep-1'))[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200 });
  });

  it('Should retry a failing receiver with a growing wait and record the last error', async () => {
    // Prepare
    const { store, deps, later } = setUp([
      { ok: false, status: 503 },
      { ok: false, status: 503 },
    ]);
    await store.createEndpoint(endpoint({ kind: 'slack' }));
    await store.put('ep-1', { url: 'https://hooks.slack.com/services/T/B/x' });

    // Act
    const first = await deliver(job, deps);
    later(60);
    const second = await deliver(job, deps);
    later(60);
    const third = await deliver(job, deps);

    // Assess
    expect(first).toMatchObject({ outcome: 'retry', attempt: 1, delaySeconds: 3.75 });
    expect(second).toMatchObject({ outcome: 'retry', attempt: 2, delaySeconds: 7.5 });
    expect(third).toEqual({ outcome: 'delivered', attempt: 3 });
    expect((await store.listDeliveries('ep-1'))[0]).toMatchObject({ status: 'delivered', attempts: 3, lastError: 'HTTP 503' });
  });

  it('Should not attempt while another worker holds the claim', async () => {
    // Prepare
    const { store, deps } = setUp([]);
    await store.createEndpoint(endpoint());
    await store.claimAttempt({ endpointId: 'ep-1', eventId: job.event.id, type: job.event.type }, deps.now().toISOString(), 60);

    // Act / Assess
    expect(await deliver(job, deps)).toEqual({ outcome: 'busy' });
  });

  it('Should dead-letter after the last attempt', async () => {
    // Prepare
    const { store, deps, later } = setUp(Array.from({ length: 16 }, () => ({ ok: false, status: 500 })));
    await store.createEndpoint(endpoint({ kind: 'teams' }));
    await store.put('ep-1', { url: 'https://prod.westeurope.logic.azure.com/workflows/x' });

    // Act
    const outcomes = [];
    for (let i = 0; i < 16; i++) {
      outcomes.push((await deliver(job, deps)).outcome);
      later(5 * 3600);
    }

    // Assess
    expect(outcomes.slice(0, 15).every((o) => o === 'retry')).toBe(true);
    expect(outcomes[15]).toBe('dead-lettered');
    expect((await store.listDeliveries('ep-1'))[0]).toMatchObject({ status: 'dead-lettered', attempts: 16 });
  });

  it('Should disable the endpoint when the receiver answers 410 Gone, and cancel what is still queued for it', async () => {
    // Prepare
    const { store, sent, deps } = setUp([{ ok: false, status: 410 }]);
    await store.createEndpoint(endpoint());
    await store.put('ep-1', { url: 'https://hooks.example.com/in', signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    const next = { endpointId: 'ep-1', event: { ...alertCreatedEvent(), id: 'msg_other' } };

    // Act
    const gone = await deliver(job, deps);
    const queued = await deliver(next, deps);

    // Assess
    expect(gone.outcome).toBe('cancelled');
    expect((await store.getEndpoint('ep-1'))?.status).toBe('disabled');
    expect(queued).toMatchObject({ outcome: 'cancelled' });
    expect(sent).toHaveLength(1);
  });

  it('Should refuse an http receiver on AWS and dead-letter with the reason', async () => {
    // Prepare
    const { store, sent, deps } = setUp([]);
    await store.createEndpoint(endpoint());
    await store.put('ep-1', { url: 'http://127.0.0.1:9/hook', signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });

    // Act
    const outcome = await deliver(job, deps);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'dead-lettered', error: 'url: loopback receivers are allowed only in the local runtime' });
    expect(sent).toEqual([]);
  });

  it('Should open a Zendesk ticket and record its id on the alert', async () => {
    // Prepare
    const { store, sent, followUps, deps } = setUp([{ ok: true, status: 201, body: JSON.stringify({ ticket: { id: 35436 } }) }]);
    await store.createEndpoint(endpoint({ kind: 'zendesk', zendeskMode: 'ticket' }));
    await store.put('ep-1', { url: 'https://shop.zendesk.com', zendesk: { email: 'bot@shop.example', token: 'tok-123456789' } });

    // Act
    await deliver(job, deps);

    // Assess
    expect(sent[0]).toMatchObject({ method: 'POST', url: 'https://shop.zendesk.com/api/v2/tickets.json' });
    expect(sent[0]!.headers['idempotency-key']).toBe(job.event.id);
    expect(sent[0]!.headers.authorization).toBe(`Basic ${Buffer.from('bot@shop.example/token:tok-123456789').toString('base64')}`);
    expect(followUps).toEqual([
      { alertId: 'detractor-inv-1', system: 'zendesk', ticketId: 35436, kind: 'ticket', url: 'https://shop.zendesk.com/agent/tickets/35436' },
    ]);
  });
});

describe('emitting events from table changes', () => {
  it('Should queue one job per matching endpoint, the trusted one with the whole contact, and note them pending', async () => {
    // Prepare
    const store = new InMemoryOutbound();
    await store.createEndpoint(endpoint({ id: 'masked' }));
    await store.createEndpoint(endpoint({ id: 'trusted', trusted: true }));
    await store.createEndpoint(endpoint({ id: 'other-team', filter: { team: 'returns' } }));
    const queued: Array<{ endpointId: string; event: { data: unknown } }> = [];
    const alert = {
      id: 'detractor-inv-1',
      kind: 'detractor' as const,
      customerId: 'c-1',
      segments: { team: 'support' },
      status: 'open' as const,
      createdAt: '2026-12-01T10:00:00.000Z',
    };

    // Act
    const summary = await emitOutbound([{ kind: 'alert', old: alert, new: { ...alert, notifiedAt: '2026-12-01T10:03:00.000Z' } }], {
      endpoints: store,
      deliveries: store,
      queue: { enqueue: async (jobs) => void queued.push(...jobs) },
      customers: { getProfile: async () => ({ id: 'c-1', email: 'ala@example.com', name: 'Ala' }) as never },
      dashboardUrl: 'https://x.example/dashboard',
      now: () => new Date('2026-12-01T10:03:01.000Z'),
    });

    // Assess
    expect(summary).toEqual({ events: 1, jobs: 2 });
    expect(queued.map((j) => j.endpointId)).toEqual(['masked', 'trusted']);
    expect(queued[0]!.event.data).toMatchObject({ customer: { maskedContact: 'a***@example.com' } });
    expect(queued[0]!.event.data).not.toHaveProperty('customer.email');
    expect(queued[1]!.event.data).toMatchObject({ customer: { email: 'ala@example.com' } });
    expect((await store.listDeliveries('masked'))[0]).toMatchObject({ status: 'pending' });
  });
});
