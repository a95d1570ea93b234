/**
 * The pure part of `npm run bench:month` (bench/month-batches.ts, bench/month-lifecycle.ts): Lambda's batches
 * cut from timed records, one write per distinct page a batch touches (the writers' own folds), and the
 * month's lifecycle offsets.
 */
import { describe, expect, it } from 'vitest';
import { handOverTime } from '../../bench/aggregate-levels.ts';
import { funnelWrites, scoreWrites, tallyWindowedWriter, tallyWriter, topicWrites } from '../../bench/month-batches.ts';
import { ANSWERED_SHARE, classified, type ItemChange, monthOfSurveys, OFFSETS, streamOf } from '../../bench/month-lifecycle.ts';

const PAGE_WINDOW = { windowSeconds: 300, batchSize: 1000 };

const invitation = (id: string, store: string, status: string, sentAt?: string) => ({
  pk: `INV#${id}`,
  sk: 'INVITATION',
  id,
  surveyId: 'nps-post-purchase',
  channel: 'email',
  locale: 'pl',
  status,
  segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store },
  createdAt: '2026-11-02T10:00:00.000Z',
  sendAt: '2026-11-05T10:00:00.000Z',
  ...(sentAt ? { sentAt } : {}),
});

/** A send (sending → sent) of invitation `id` in `store` at `sentAt`. */
const sent = (id: string, store: string, sentAt: string): ItemChange => ({
  at: 0,
  eventName: 'MODIFY',
  old: invitation(id, store, 'sending'),
  new: invitation(id, store, 'sent', sentAt),
});

const answer = (id: string, store: string, comment?: string): ItemChange => ({
  at: 0,
  eventName: 'INSERT',
  new: {
    pk: `INV#${id}`,
    sk: 'RESPONSE',
    invitationId: id,
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    customerId: `c-${id}`,
    score: 9,
    ...(comment ? { comment } : {}),
    segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store },
    locale: 'pl',
    subjectRef: `o-${id}`,
    status: 'final',
    version: 1,
    answeredAt: '2026-11-05T12:00:00.000Z',
    updatedAt: '2026-11-05T12:00:00.000Z',
    evidence: 'button',
  },
});

const records = (changes: ItemChange[]) => streamOf(changes).map((r) => r.record);

describe("Lambda's batches in virtual time", () => {
  it('hands a batch over when its window has passed since its first record, or at its last record when full', () => {
    // Prepare: records at 0, 10, 299 s (one window), 301 s (past it) and 1,000 s
    const timed = [0, 10, 299, 301, 1000].map((at) => ({ at, record: at }));
    // Act
    const byWindow = tallyWriter(timed, PAGE_WINDOW, (batch) => batch.length * 10);
    const byFullness = tallyWriter(timed, { windowSeconds: 300, batchSize: 2 }, () => 1);
    // Assess
    expect(byWindow).toMatchObject({ records: 5, calls: 3, writes: 50 });
    expect(byWindow.handedOverAt).toEqual([300, 300, 300, 601, 1300]);
    expect(byFullness.calls).toBe(3);
    expect(byFullness.handedOverAt).toEqual([10, 10, 301, 301, 1300]);
    expect(handOverTime([5], [0, 1], { windowSeconds: 0, batchSize: 100 })).toBe(5.25);
  });

  it('folds the batches of a tumbling window and writes once per window, in one more call: the final one', () => {
    // Prepare: records at 0, 10, 299, 301 s (the first 900 s window: two batches) and 1,000 s (the next window)
    const timed = [0, 10, 299, 301, 1000].map((at) => ({ at, record: at }));
    const windows: number[][] = [];
    // Act
    const windowed = tallyWindowedWriter(timed, PAGE_WINDOW, 900, (records) => (windows.push(records), records.length * 10));
    const alone = tallyWindowedWriter(timed, { windowSeconds: 0, batchSize: 1 }, 0, () => 1);
    // Assess
    expect(windows).toEqual([[0, 10, 299, 301], [1000]]);
    expect(windowed).toMatchObject({ records: 5, calls: 2 + 1 + 1 + 1, writes: 50 });
    expect(windowed.handedOverAt).toEqual([900, 900, 900, 900, 1800]);
    expect(alone).toMatchObject({ calls: 10, writes: 5 });
  });

  it('never batches records of two windows together, though the batching window would', () => {
    // Prepare: 890 s and 905 s are 15 s apart, in two 900 s windows
    const timed = [890, 905].map((at) => ({ at, record: at }));
    // Act
    const windowed = tallyWindowedWriter(timed, PAGE_WINDOW, 900, () => 1);
    // Assess: a batch and a final call per window
    expect(windowed).toMatchObject({ calls: 4, writes: 2 });
  });
});

describe('page writes of a batch', () => {
  it('writes each funnel page once for two sends of one store and hour, and twice as many when they come apart', () => {
    // Prepare: two sends in the same store, day and hour; a third in another store
    const same = [sent('a', 'store-1', '2026-11-05T10:01:02.000Z'), sent('b', 'store-1', '2026-11-05T10:31:00.000Z')];
    // Act
    const together = funnelWrites(records(same));
    const apart = same.reduce((sum, change) => sum + funnelWrites(records([change])), 0);
    const otherStore = funnelWrites(records([...same, sent('c', 'store-2', '2026-11-05T10:40:00.000Z')]));
    // Assess: survey, channel, locale, store and send-hour pages
    expect(together).toBe(5);
    expect(apart).toBe(10);
    expect(otherStore).toBeGreaterThanOrEqual(5);
    expect(otherStore).toBeLessThanOrEqual(6);
  });

  it('counts score pages for answers and topic pages only for the classified version of a commented one', () => {
    // Prepare: two answers of one store and day, the first commented and then classified
    const first = answer('a', 'store-1', 'Szybko.');
    const second = answer('b', 'store-1');
    const version = classified(first, 7_200)!;
    // Act
    const scores = scoreWrites(records([first, second]));
    const topicsOfAnswers = topicWrites(records([first, second]));
    const topicsOfVersion = topicWrites(records([version]));
    const scoresOfVersion = scoreWrites(records([version]));
    // Assess: all, survey, channel, store, locale and evidence pages; the version moves no score
    expect(scores).toBe(6);
    expect(topicsOfAnswers).toBe(0);
    expect(topicsOfVersion).toBe(6);
    expect(scoresOfVersion).toBe(0);
    expect(classified(second, 7_200)).toBeUndefined();
  });
});

describe("a month's lifecycles", () => {
  it('puts each step at its offset, answers about the answered share, and is the same for the same seed', () => {
    // Act
    const month = monthOfSurveys(2_000, 5);
    const again = monthOfSurveys(2_000, 5);
    // Assess
    expect(again).toEqual(month);
    const scheduled = month.filter((c) => c.eventName === 'INSERT' && c.new.sk === 'INVITATION');
    const claims = month.filter((c) => c.new.status === 'sending');
    const sends = month.filter((c) => c.new.status === 'sent' && c.old?.status === 'sending');
    const deliveries = month.filter((c) => c.new.deliveredAt && !c.old?.deliveredAt);
    const answers = month.filter((c) => c.new.sk === 'RESPONSE');
    expect(scheduled).toHaveLength(2_000);
    expect(sends).toHaveLength(2_000);
    claims.forEach((claim, i) => {
      const sendAt = scheduled[i]!.at + OFFSETS.sendDelay;
      expect(claim.at - sendAt).toBeGreaterThan(0);
      expect(claim.at - sendAt).toBeLessThanOrEqual(60 + OFFSETS.claimAfterSweep);
      expect(sends[i]!.at - claim.at).toBe(OFFSETS.sentAfterClaim);
      expect(deliveries[i]!.at - sends[i]!.at).toBeGreaterThanOrEqual(OFFSETS.deliveredAfterSent[0]);
      expect(deliveries[i]!.at - sends[i]!.at).toBeLessThanOrEqual(OFFSETS.deliveredAfterSent[1]);
    });
    expect(answers.length / 2_000).toBeGreaterThan(ANSWERED_SHARE - 0.03);
    expect(answers.length / 2_000).toBeLessThan(ANSWERED_SHARE + 0.03);
  });
});
