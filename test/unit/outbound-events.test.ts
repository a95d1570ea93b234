import { describe, expect, it } from 'vitest';
import type { Alert, SurveyResponse } from '../../surveys/model.ts';
import { checkEndpointUrl, newEndpointSchema, urlHint } from '../../surveys/outbound/endpoints.ts';
import { alertEvents, customerRef, eventBody, responseEvent, unsubscribedEvent } from '../../surveys/outbound/events.ts';
import { endpointsFor, judgeAttempt, DEFAULT_RETRY_POLICY, retryDelaySeconds, retryHorizonSeconds, routes } from '../../surveys/outbound/routing.ts';
import { alertCreatedEvent, endpoint } from '../support/outbound.ts';

const response: SurveyResponse = {
  invitationId: 'inv-1',
  surveyId: 'nps-post-purchase',
  metric: 'nps',
  customerId: 'c-1',
  score: 3,
  segments: { team: 'support', store: 'web' },
  locale: 'pl',
  subjectRef: 'o-9',
  status: 'final',
  version: 1,
  answeredAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
};
const alert: Alert = {
  id: 'detractor-inv-1',
  kind: 'detractor',
  customerId: 'c-1',
  survey: 'nps-post-purchase',
  metric: 'nps',
  score: 3,
  segments: { team: 'support' },
  status: 'open',
  createdAt: '2026-12-01T10:00:00.000Z',
  revision: 1,
};
const profile = { name: 'Ala', email: 'ala@example.com', phone: '+48600100200' };

describe('outbound events from table changes', () => {
  it('Should make response.created of a first final answer and response.updated of a newer version, with ids that a replay repeats', () => {
    // Act
    const created = responseEvent({ new: response }, customerRef('c-1', profile, false));
    const updated = responseEvent({ old: response, new: { ...response, version: 2, comment: 'x' } }, customerRef('c-1', profile, false));
    const replay = responseEvent({ new: response }, customerRef('c-1', profile, false));
    const older = responseEvent({ old: { ...response, version: 2 }, new: response }, customerRef('c-1', profile, false));

    // Assess
    expect(created).toMatchObject({ type: 'response.created', data: { score: 3, category: 'detractor', customer: { maskedContact: 'a***@example.com' } } });
    expect(updated).toMatchObject({ type: 'response.updated', data: { version: 2, comment: 'x' } });
    expect(replay!.id).toBe(created!.id);
    expect(updated!.id).not.toBe(created!.id);
    expect(older).toBeUndefined();
  });

  it('Should mask the contact unless the endpoint is trusted', () => {
    // Act / Assess
    expect(customerRef('c-1', profile, false)).toEqual({ id: 'c-1', name: 'Ala', maskedContact: 'a***@example.com' });
    expect(customerRef('c-1', profile, true)).toMatchObject({ email: 'ala@example.com', phone: '+48600100200' });
  });

  it('Should make alert.created when the alert is first sent, then acknowledged and resolved on those transitions', () => {
    // Prepare
    const c = customerRef('c-1', profile, false);
    const notified = { ...alert, notifiedAt: '2026-12-01T10:03:00.000Z', comment: 'late' };
    const acked = { ...notified, status: 'acked' as const, owner: 'ola', ackedAt: '2026-12-01T10:10:00.000Z', revision: 3 };
    const resolved = {
      ...acked,
      status: 'resolved' as const,
      resolvedAt: '2026-12-01T11:00:00.000Z',
      resolution: { note: 'called', rootCause: 'delivery' as const, by: 'ola' },
      revision: 4,
    };

    // Act
    const onInsert = alertEvents({ new: alert }, c, 'u');
    const onNotify = alertEvents({ old: alert, new: notified }, c, 'u');
    const onAck = alertEvents({ old: notified, new: acked }, c, 'u');
    const onResolve = alertEvents({ old: acked, new: resolved }, c, 'u');
    const autoClosed = alertEvents({ old: notified, new: { ...notified, status: 'resolved', resolvedAt: 'x', closedReason: 'edited-to-promoter' } }, c, 'u');

    // Assess
    expect(onInsert).toEqual([]);
    expect(onNotify.map((e) => e.type)).toEqual(['alert.created']);
    expect(onNotify[0]!.data).toMatchObject({ comment: 'late', url: 'u' });
    expect(onAck.map((e) => e.type)).toEqual(['alert.acknowledged']);
    expect(onResolve.map((e) => e.type)).toEqual(['alert.resolved']);
    expect(onResolve[0]!.data).toMatchObject({ resolution: { note: 'called' } });
    expect(autoClosed).toEqual([]);
  });

  it('Should make contact.unsubscribed of an unsubscribe or STOP, not of a bounce', () => {
    // Act / Assess
    expect(unsubscribedEvent({ channel: 'email', reason: 'unsubscribed', at: '2026-12-01T10:00:00.000Z', contactHash: 'ab'.repeat(32) })?.type).toBe(
      'contact.unsubscribed',
    );
    expect(unsubscribedEvent({ channel: 'email', reason: 'bounced', at: '2026-12-01T10:00:00.000Z', contactHash: 'ab'.repeat(32) })).toBeUndefined();
  });

  it('Should give a webhook the body { type, timestamp, data }', () => {
    // Act
    const body = eventBody(alertCreatedEvent());

    // Assess
    expect(Object.keys(body)).toEqual(['type', 'timestamp', 'data']);
  });
});

describe('routing events to endpoints', () => {
  it.each([
    [{}, true],
    [{ team: 'support' }, true],
    [{ team: 'returns' }, false],
    [{ store: 'web', kind: 'detractor' as const }, true],
    [{ kind: 'churn-risk' as const }, false],
    [{ survey: 'csat-post-ticket' }, false],
  ])('Should apply the filter %j: %s', (filter, expected) => {
    // Act / Assess
    expect(routes(endpoint({ filter }), alertCreatedEvent())).toBe(expected);
  });

  it('Should skip disabled endpoints, unsubscribed types, and Zendesk for anything but alerts', () => {
    // Prepare
    const event = alertCreatedEvent();
    const responseCreated = responseEvent({ new: response }, { id: 'c-1' })!;
    const all = [
      endpoint({ id: 'a' }),
      endpoint({ id: 'b', status: 'disabled' }),
      endpoint({ id: 'c', events: ['alert.resolved'] }),
      endpoint({ id: 'd', kind: 'zendesk' }),
    ];

    // Act / Assess
    expect(endpointsFor(event, all).map((e) => e.id)).toEqual(['a', 'd']);
    expect(endpointsFor(responseCreated, all).map((e) => e.id)).toEqual(['a']);
  });
});

describe('the retry schedule', () => {
  it('Should back off exponentially with jitter up to 4 hours, for more than 10 hours, in 16 attempts', () => {
    // Act
    const low = [1, 2, 3, 10, 15].map((a) => retryDelaySeconds(a, DEFAULT_RETRY_POLICY, 0));
    const high = [1, 2, 3, 10, 15].map((a) => retryDelaySeconds(a, DEFAULT_RETRY_POLICY, 0.999999));

    // Assess
    expect(low).toEqual([2.5, 5, 10, 1280, 7200]);
    expect(high.map(Math.round)).toEqual([5, 10, 20, 2560, 14400]);
    expect(retryHorizonSeconds(DEFAULT_RETRY_POLICY) / 3600).toBeGreaterThan(10);
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(16);
  });

  it.each([
    [{ ok: true as const, status: 200 }, 1, 'delivered'],
    [{ ok: false as const, status: 500, error: 'HTTP 500' }, 1, 'retry'],
    [{ ok: false as const, status: 429, error: 'HTTP 429' }, 3, 'retry'],
    [{ ok: false as const, error: 'timeout' }, 2, 'retry'],
    [{ ok: false as const, status: 500, error: 'HTTP 500' }, 16, 'dead-lettered'],
    [{ ok: false as const, status: 400, error: 'HTTP 400' }, 1, 'dead-lettered'],
    [{ ok: false as const, status: 410, error: 'HTTP 410' }, 1, 'endpoint-gone'],
  ])('Should judge %j at attempt %i as %s', (result, attempt, outcome) => {
    // Act / Assess
    expect(judgeAttempt(result, attempt, DEFAULT_RETRY_POLICY, 0.5).outcome).toBe(outcome);
  });
});

describe('registering an endpoint', () => {
  it('Should accept the DESIGN.md body and refuse a Zendesk endpoint without credentials, naming the field', () => {
    // Act
    const ok = newEndpointSchema.safeParse({ kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/xyz', events: ['alert.created'] });
    const bad = newEndpointSchema.safeParse({ kind: 'zendesk', url: 'https://shop.zendesk.com', events: ['alert.created'] });

    // Assess
    expect(ok.success && ok.data.trusted).toBe(false);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['zendesk']);
  });

  it.each([
    ['https://hooks.example.com/x', false, undefined],
    ['http://hooks.example.com/x', false, 'url: must be https'],
    ['http://127.0.0.1:4000/hook', true, undefined],
    ['http://127.0.0.1:4000/hook', false, 'url: loopback receivers are allowed only in the local runtime'],
    ['https://169.254.169.254/latest', false, 'url: private and link-local addresses are not allowed'],
    ['https://10.0.0.2/x', false, 'url: private and link-local addresses are not allowed'],
  ])('Should judge %s (loopback allowed: %s) as %s', (url, allowLoopback, expected) => {
    // Act / Assess
    expect(checkEndpointUrl(url, { allowLoopback })).toBe(expected);
  });

  it('Should show a Slack URL only by its start: the URL is the credential', () => {
    // Act / Assess
    expect(urlHint('slack', 'https://hooks.slack.com/services/T000/B000/secretpart')).toBe('https://hooks.slack.com/services/T0…');
  });
});
