import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FUNNEL_PAGES,
  funnelCellsOf,
  funnelPageAfter,
  funnelPageFirstSeq,
  funnelPageOf,
  funnelPages,
  parseCell,
  splitFunnelPage,
  type FunnelPageDelta,
} from '../../surveys/funnel/pages.ts';
import { funnelReport, leaderOf, wilson, type FunnelDay } from '../../surveys/funnel/report.ts';
import { FUNNEL_SEGMENTS, funnelStepsOf, skipReasonOf, type FunnelChange, type FunnelInvitation, type FunnelResponse } from '../../surveys/funnel/steps.ts';

const SENT_AT = '2026-11-20T14:05:00.000Z';

function invitation(overrides: Partial<FunnelInvitation> = {}): FunnelInvitation {
  return {
    id: 'inv-1',
    surveyId: 'nps-post-delivery',
    channel: 'email',
    locale: 'pl',
    status: 'scheduled',
    segments: { survey: 'nps-post-delivery', channel: 'email', locale: 'pl', store: 'krakow' },
    createdAt: '2026-11-19T09:00:00.000Z',
    sendAt: '2026-11-20T14:00:00.000Z',
    ...overrides,
  };
}

function response(overrides: Partial<FunnelResponse> = {}): FunnelResponse {
  return {
    invitationId: 'inv-1',
    surveyId: 'nps-post-delivery',
    locale: 'pl',
    status: 'final',
    segments: { survey: 'nps-post-delivery', channel: 'email', locale: 'pl', store: 'krakow' },
    answeredAt: '2026-11-21T08:00:00.000Z',
    sentAt: SENT_AT,
    ...overrides,
  };
}

const inv = (old: Partial<FunnelInvitation> | undefined, next: Partial<FunnelInvitation>): FunnelChange => ({
  kind: 'invitation',
  ...(old ? { old: invitation(old) } : {}),
  new: invitation(next),
});
const steps = (change: FunnelChange) => funnelStepsOf(change).map((s) => `${s.step}${s.reason ? `.${s.reason}` : ''}${s.delta < 0 ? '-' : ''}@${s.day}`);

describe('funnelStepsOf', () => {
  it('Should count a new eligible invitation as scheduled on the day it was created', () => {
    // Prepare
    const change = inv(undefined, { status: 'scheduled' });

    // Act
    const counted = steps(change);

    // Assess
    expect(counted).toEqual(['scheduled@2026-11-19']);
  });

  it.each([
    ['no-consent: no consent for sms', 'no-consent'],
    ['suppressed: email suppressed: bounced', 'suppressed'],
    ['Not Sampled: outside the 10 % sample', 'not-sampled'],
    [undefined, 'unknown'],
  ])('Should count a skipped invitation under the reason its failureReason names first (%s)', (failureReason, reason) => {
    // Prepare
    const change = inv(undefined, { status: 'skipped', ...(failureReason ? { failureReason } : {}) });

    // Act
    const counted = funnelStepsOf(change);

    // Assess
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({ step: 'skipped', reason });
    expect(skipReasonOf(failureReason)).toBe(reason);
  });

  it('Should count the send, delivery, person open, unsubscribe and complaint once each, on the day of the send', () => {
    // Prepare
    const sending = { status: 'sending' as const };
    const sent = { status: 'sent' as const, sentAt: SENT_AT };
    const chain: FunnelChange[] = [
      inv({ status: 'scheduled' }, sending),
      inv(sending, sent),
      inv(sent, { ...sent, deliveredAt: '2026-11-20T14:05:02.000Z' }),
      inv({ ...sent, deliveredAt: '2026-11-20T14:05:02.000Z' }, { ...sent, deliveredAt: '2026-11-20T14:05:02.000Z', openedAt: '2026-11-21T07:59:00.000Z' }),
      inv(sent, { ...sent, unsubscribedAt: '2026-11-22T10:00:00.000Z', complainedAt: '2026-11-22T10:00:00.000Z' }),
    ];

    // Act
    const counted = chain.flatMap(steps);

    // Assess
    expect(counted).toEqual(['sent@2026-11-20', 'delivered@2026-11-20', 'opened@2026-11-20', 'unsubscribed@2026-11-20', 'complained@2026-11-20']);
  });

  it('Should take an open back when a scanner burst removes it', () => {
    // Prepare
    const sent = { status: 'sent' as const, sentAt: SENT_AT };
    const change = inv({ ...sent, openedAt: '2026-11-20T14:05:03.000Z' }, sent);

    // Act
    const counted = steps(change);

    // Assess
    expect(counted).toEqual(['opened-@2026-11-20']);
  });

  it('Should count a bounce of a sent survey as bounced and a failed send as failed, never both', () => {
    // Prepare
    const bounce = inv({ status: 'sent', sentAt: SENT_AT }, { status: 'failed', sentAt: SENT_AT, bouncedAt: '2026-11-20T14:06:00.000Z' });
    const sendFailure = inv({ status: 'sending' }, { status: 'failed', failureReason: 'ses: MessageRejected' });

    // Act
    const counted = [...steps(bounce), ...steps(sendFailure)];

    // Assess
    expect(counted).toEqual(['bounced@2026-11-20', 'failed@2026-11-20']);
  });

  it('Should count nothing for a claim, a retry, a reminder or a merged order', () => {
    // Prepare
    const changes = [
      inv({ status: 'scheduled' }, { status: 'sending' }),
      inv({ status: 'sending' }, { status: 'scheduled', failureReason: 'throttled' }),
      inv({ status: 'sent', sentAt: SENT_AT }, { status: 'sent', sentAt: SENT_AT }),
    ];

    // Act
    const counted = changes.flatMap(steps);

    // Assess
    expect(counted).toEqual([]);
  });

  it('Should count a cancelled survey as skipped for the reason cancelled', () => {
    // Prepare
    const change = inv({ status: 'scheduled' }, { status: 'cancelled', failureReason: 'cancelled: order.refunded (e-1)' });

    // Act
    const counted = steps(change);

    // Assess
    expect(counted).toEqual(['skipped.cancelled@2026-11-19']);
  });

  it('Should count an answer once, its first comment once, and an edited score not at all, in the cohort of its send', () => {
    // Prepare
    const changes: FunnelChange[] = [
      { kind: 'response', new: response() },
      { kind: 'response', old: response(), new: response({ comment: 'Szybko' }) },
      { kind: 'response', old: response({ comment: 'Szybko' }), new: response({ comment: 'Szybko!' }) },
    ];

    // Act
    const counted = changes.flatMap(steps);

    // Assess
    expect(counted).toEqual(['answered@2026-11-20', 'commented@2026-11-20']);
  });

  it('Should put a step under its survey and its send hour in UTC', () => {
    // Prepare
    const change = inv({ status: 'sending' }, { status: 'sent', sentAt: SENT_AT });

    // Act
    const [count] = funnelStepsOf(change);

    // Assess
    expect(count).toMatchObject({ survey: 'nps-post-delivery', values: { channel: 'email', locale: 'pl', store: 'krakow', sendHour: '14' } });
  });
});

/** A page store that applies deltas the way the DynamoDB writer does: condition on the shard's watermark, else the rest past it. */
class PageStore {
  readonly pages = new Map<string, { cells: Record<string, number>; wm: Record<string, string> }>();

  apply(delta: FunnelPageDelta, shard: string, maxCells = 200): void {
    for (const part of splitFunnelPage(delta, maxCells)) {
      const id = `${part.key.dimension}|${part.key.day}|${part.key.page}`;
      const page = this.pages.get(id) ?? { cells: {}, wm: {} };
      const wm = page.wm[shard];
      const pending = wm === undefined || wm < funnelPageFirstSeq(part) ? part : funnelPageAfter(part, wm);
      if (!pending) continue;
      for (const { cell, count } of funnelCellsOf(pending)) page.cells[cell] = (page.cells[cell] ?? 0) + count;
      page.wm[shard] = pending.lastSeq;
      this.pages.set(id, page);
    }
  }

  cells(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, page] of this.pages) for (const [cell, n] of Object.entries(page.cells)) if (n !== 0) out[`${id}|${cell}`] = n;
    return out;
  }
}

/** A random invitation lifecycle as the stream shows it: each record's old and new image. */
const lifecycleArb = fc
  .record({
    id: fc.integer({ min: 1, max: 10_000 }),
    skipped: fc.boolean(),
    channel: fc.constantFrom('email' as const, 'sms' as const),
    store: fc.constantFrom('krakow', 'gdansk', 'web', 'lodz', 'poznan'),
    hour: fc.integer({ min: 0, max: 23 }),
    delivered: fc.boolean(),
    opened: fc.boolean(),
    answered: fc.boolean(),
    commented: fc.boolean(),
  })
  .map((l): FunnelChange[] => {
    const base = {
      id: `inv-${l.id}`,
      channel: l.channel,
      segments: { survey: 'nps-post-delivery', channel: l.channel, locale: 'pl', store: l.store },
    };
    if (l.skipped) return [inv(undefined, { ...base, status: 'skipped', failureReason: 'fatigue: asked 3 days ago' })];
    const sentAt = `2026-11-20T${String(l.hour).padStart(2, '0')}:00:00.000Z`;
    const sent = { ...base, status: 'sent' as const, sentAt };
    const out: FunnelChange[] = [inv(undefined, base), inv(base, { ...base, status: 'sending' }), inv({ ...base, status: 'sending' }, sent)];
    let last: Partial<FunnelInvitation> = sent;
    if (l.delivered) out.push(inv(last, (last = { ...last, deliveredAt: sentAt })));
    if (l.opened) out.push(inv(last, (last = { ...last, openedAt: sentAt })));
    if (l.answered) {
      const answer = response({ invitationId: base.id, segments: base.segments, sentAt });
      out.push({ kind: 'response', new: answer });
      if (l.commented) out.push({ kind: 'response', old: answer, new: { ...answer, comment: 'ok' } });
    }
    return out;
  });

/** Stream records of one shard: changes in order, numbered by sequence. */
const streamArb = fc
  .array(lifecycleArb, { minLength: 1, maxLength: 25 })
  .map((lives) => lives.flat().map((change, i) => ({ ...change, seq: String(1000 + i * 7) })));

describe('funnel pages under redelivery', () => {
  it('Should write each page once per batch and keep every value of store within its pages', () => {
    // Prepare
    const stream = fc.sample(streamArb, { numRuns: 1, seed: 7 })[0]!;

    // Act
    const pages = funnelPages(stream);

    // Assess
    const ids = pages.map((p) => `${p.key.dimension}|${p.key.day}|${p.key.page}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const dimension of FUNNEL_SEGMENTS) expect(funnelPageOf(dimension, 'x|anything')).toBeLessThan(FUNNEL_PAGES[dimension]);
  });

  it('Should end with the same pages however batches are cut, redelivered, bisected or resumed', () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.constantFrom('once', 'twice', 'bisect', 'resume'), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 2, max: 40 }),
        (stream, sizes, modes, maxCells) => {
          // Prepare
          const expected = new PageStore();
          for (const page of funnelPages(stream)) expected.apply(page, 'shard-1');
          const replayed = new PageStore();

          // Act
          let at = 0;
          for (let b = 0; at < stream.length; b++) {
            const batch = stream.slice(at, at + sizes[b % sizes.length]!);
            const mode = modes[b % modes.length]!;
            const deliver = (records: typeof batch) => {
              for (const page of funnelPages(records)) replayed.apply(page, 'shard-1', maxCells);
            };
            if (mode === 'bisect') deliver(batch.slice(0, Math.ceil(batch.length / 2)));
            if (mode === 'resume') deliver(batch.slice(0, 1));
            deliver(batch);
            if (mode === 'twice') deliver(batch);
            at += batch.length;
          }
          for (const page of funnelPages(stream)) replayed.apply(page, 'shard-1', maxCells); // the whole stream again: a no-op

          // Assess
          expect(replayed.cells()).toEqual(expected.cells());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('Should count exactly the sends and answers of the lifecycles in the stream', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        // Prepare
        const store = new PageStore();
        const sent = stream.filter((c) => c.kind === 'invitation' && c.new.status === 'sent' && c.old?.status === 'sending').length;
        const answered = stream.filter((c) => c.kind === 'response' && !c.old).length;

        // Act
        for (const page of funnelPages(stream)) store.apply(page, 'shard-1');
        const days: FunnelDay[] = [...store.pages].filter(([id]) => id.startsWith('survey|')).map(([id, p]) => ({ day: id.split('|')[1]!, cells: p.cells }));
        const report = funnelReport({ window: '7d', from: '2026-11-14', to: '2026-11-20' }, days);

        // Assess
        expect(report.sent).toBe(sent);
        expect(report.answered).toBe(answered);
      }),
      { numRuns: 100 },
    );
  });

  it('Should cut a big page delta only between changes, each part no wider than asked', () => {
    // Prepare
    const stream = fc.sample(streamArb, { numRuns: 1, seed: 11 })[0]!;
    const page = funnelPages(stream).find((p) => p.key.dimension === 'store')!;

    // Act
    const parts = splitFunnelPage(page, 3);

    // Assess
    expect(parts.flatMap((p) => p.changes)).toHaveLength(page.changes.length);
    for (const part of parts) expect(new Set(part.changes.map((c) => c.cell)).size).toBeLessThanOrEqual(3);
    for (let i = 1; i < parts.length; i++) expect(funnelPageFirstSeq(parts[i]!) > parts[i - 1]!.lastSeq).toBe(true);
  });
});

describe('funnelReport', () => {
  const days: FunnelDay[] = [
    {
      day: '2026-11-20',
      cells: {
        'scheduled:nps': 10,
        'skipped.fatigue:nps': 3,
        'sent:nps': 9,
        'delivered:nps': 8,
        'answered:nps': 4,
        'commented:nps': 1,
        'sent:csat': 5,
        'answered:csat': 1,
      },
    },
    { day: '2026-11-21', cells: { 'sent:nps': 1, 'answered:nps': 1, 'opened:nps': 2, 'skipped.fatigue:csat': 1, 'skipped.no-consent:nps': 2 } },
  ];
  const channelDays: FunnelDay[] = [
    { day: '2026-11-20', cells: { 'sent:nps|email': 6, 'answered:nps|email': 4, 'sent:nps|sms': 3, 'sent:csat|sms': 5, 'answered:csat|sms': 1 } },
    { day: '2026-11-21', cells: { 'sent:nps|email': 1, 'answered:nps|email': 1 } },
  ];
  const query = { window: '7d', from: '2026-11-15', to: '2026-11-21' };

  it('Should sum the days of every survey into the contract shape with rates as fractions', () => {
    // Prepare: two days of two surveys

    // Act
    const report = funnelReport(query, days);

    // Assess
    expect(report).toMatchObject({ window: '7d', scheduled: 10, skipped: { fatigue: 4, 'no-consent': 2 }, sent: 15, delivered: 8, opened: 2, answered: 6 });
    expect(report.responseRate).toBe(0.4);
    expect(report.deliveredResponseRate).toBe(0.75);
    expect(report.segments).toBeUndefined();
  });

  it('Should narrow the totals and a split to one survey', () => {
    // Prepare: the same days, asked for nps by channel

    // Act
    const report = funnelReport({ ...query, survey: 'nps', segment: 'channel' }, days, channelDays);

    // Assess
    expect(report.sent).toBe(10);
    expect(report.answered).toBe(5);
    expect(report.segments?.map((s) => [s.key, s.sent, s.answered])).toEqual([
      ['email', 7, 5],
      ['sms', 3, 0],
    ]);
    expect(report.segments?.[0]?.smallSample).toBe(true);
  });

  it('Should split by survey from the survey pages themselves', () => {
    // Prepare: the same days

    // Act
    const report = funnelReport({ ...query, segment: 'survey' }, days);

    // Assess
    expect(report.segments?.map((s) => s.key)).toEqual(['nps', 'csat']);
  });
});

describe('wilson', () => {
  it.each([
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
    [50, 100, 0.4038, 0.5962],
  ])('Should give the Wilson interval of %i out of %i', (k, n, low, high) => {
    // Prepare: known values (Wilson 1927, z = 1.96)

    // Act
    const rate = wilson(k, n);

    // Assess
    expect(rate.low).toBeCloseTo(low, 3);
    expect(rate.high).toBeCloseTo(high, 3);
  });

  it('Should give no rate without a denominator', () => {
    // Prepare, Act
    const rate = wilson(0, 0);

    // Assess
    expect(rate).toEqual({ value: null });
  });
});

describe('leaderOf', () => {
  const row = (key: string, sent: number, answered: number) => {
    const r = wilson(answered, sent);
    return {
      key,
      sent,
      delivered: sent,
      opened: 0,
      answered,
      responseRate: r.value,
      deliveredResponseRate: r.value,
      low: r.low,
      high: r.high,
      smallSample: sent < 30,
    };
  };

  it('Should call a segment clearly ahead only when its interval clears the others', () => {
    // Prepare
    const clear = [row('sms', 400, 200), row('email', 400, 80)];
    const close = [row('sms', 40, 20), row('email', 40, 16)];

    // Act
    const [a, b] = [leaderOf(clear), leaderOf(close)];

    // Assess
    expect(a).toMatchObject({ key: 'sms', clearlyAhead: true });
    expect(b).toMatchObject({ key: 'sms', clearlyAhead: false });
  });

  it('Should name no leader among small samples', () => {
    // Prepare, Act
    const leader = leaderOf([row('sms', 10, 9), row('email', 10, 1)]);

    // Assess
    expect(leader).toBeUndefined();
  });
});

describe('parseCell', () => {
  it.each([
    ['sent:nps|email', { step: 'sent', value: 'nps|email' }],
    ['skipped.no-consent:nps|a:b', { step: 'skipped', reason: 'no-consent', value: 'nps|a:b' }],
  ])('Should read %s back', (name, expected) => {
    // Prepare, Act
    const cell = parseCell(name);

    // Assess
    expect(cell).toEqual(expected);
  });
});
