import { describe, expect, it } from 'vitest';
import type { LinkActivity } from '../../surveys/human-evidence.ts';
import { noteFunnelOpen, type FunnelMarks, type MarkField } from '../../surveys/funnel/marks.ts';
import type { Invitation } from '../../surveys/model.ts';

const SENT = Date.parse('2026-11-20T14:00:00.000Z');
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const person = { userAgent: BROWSER, sourceIp: '83.10.20.30' };

function invitation(overrides: Partial<Invitation> = {}): Invitation {
  return {
    id: 'inv-1',
    surveyId: 'nps-post-delivery',
    metric: 'nps',
    channel: 'email',
    customerId: 'c-1',
    locale: 'pl',
    eventId: 'e-1',
    eventType: 'order.delivered',
    subjectRef: 'o-1',
    segments: { survey: 'nps-post-delivery', channel: 'email', locale: 'pl' },
    status: 'sent',
    createdAt: '2026-11-19T14:00:00.000Z',
    sendAt: '2026-11-20T14:00:00.000Z',
    sentAt: new Date(SENT).toISOString(),
    ...overrides,
  };
}

function marks() {
  const written: Array<[string, MarkField | 'unmark']> = [];
  const store: FunnelMarks = {
    mark: async (id, field) => (written.push([id, field]), true),
    unmarkOpened: async (id) => (written.push([id, 'unmark']), true),
  };
  return { written, store };
}

const activity = (opens: LinkActivity['opens']) => ({ getActivity: async () => ({ opens, lastOpenAt: Math.max(...(Object.values(opens) as number[])) }) });

describe('noteFunnelOpen', () => {
  it('Should mark the first open of a person, minutes after the send', async () => {
    // Prepare
    const now = new Date(SENT + 30 * 60_000);
    const { written, store } = marks();

    // Act
    const outcome = await noteFunnelOpen(invitation(), person, now, { marks: store, activity: activity({ 9: now.getTime() }) });

    // Assess
    expect(outcome).toBe('marked');
    expect(written).toEqual([['inv-1', 'openedAt']]);
  });

  it.each([
    ['a scanner user agent', { userAgent: 'Mozilla/5.0 (compatible; proofpoint)', sourceIp: '83.10.20.30' }, 30 * 60_000],
    ['a mail gateway network', { userAgent: BROWSER, sourceIp: '40.107.1.2' }, 30 * 60_000],
    ['no user agent', { sourceIp: '83.10.20.30' }, 30 * 60_000],
    ['an open within a second of the send', person, 500],
  ])('Should not count an open by %s', async (_name, visitor, afterSend) => {
    // Prepare
    const now = new Date(SENT + afterSend);
    const { written, store } = marks();

    // Act
    const outcome = await noteFunnelOpen(invitation(), visitor, now, { marks: store, activity: activity({ 9: now.getTime() }) });

    // Assess
    expect(outcome).toBe('not-a-person');
    expect(written).toEqual([]);
  });

  it('Should not count an open amid a burst of different links', async () => {
    // Prepare
    const now = new Date(SENT + 60_000);
    const { written, store } = marks();

    // Act
    const outcome = await noteFunnelOpen(invitation(), person, now, { marks: store, activity: activity({ 0: now.getTime() - 2000, 10: now.getTime() }) });

    // Assess
    expect(outcome).toBe('not-a-person');
    expect(written).toEqual([]);
  });

  it('Should take back an open that a burst follows within seconds', async () => {
    // Prepare
    const openedAt = SENT + 60_000;
    const now = new Date(openedAt + 3000);
    const { written, store } = marks();

    // Act
    const outcome = await noteFunnelOpen(invitation({ openedAt: new Date(openedAt).toISOString() }), person, now, {
      marks: store,
      activity: activity({ 0: openedAt, 5: now.getTime() }),
    });

    // Assess
    expect(outcome).toBe('unmarked');
    expect(written).toEqual([['inv-1', 'unmark']]);
  });

  it('Should leave an open alone when the person comes back later', async () => {
    // Prepare
    const openedAt = SENT + 60_000;
    const now = new Date(openedAt + 5 * 60_000);
    const { written, store } = marks();

    // Act
    const outcome = await noteFunnelOpen(invitation({ openedAt: new Date(openedAt).toISOString() }), person, now, {
      marks: store,
      activity: activity({ 0: openedAt, 5: now.getTime() }),
    });

    // Assess
    expect(outcome).toBe('unchanged');
    expect(written).toEqual([]);
  });
});
