/**
 * The pure part of the page writers' tumbling windows (surveys/page-window.ts): batches folded into a
 * window's pending deltas give the pages one fold of the whole window would; the state survives its
 * encoding; a state that does not parse says why without its content; the size guard's measure.
 */
import { describe, expect, it } from 'vitest';
import { BUCKET_PAGES, bucketKeyOf, preAggregate, toPages, type ResponseChange } from '../../surveys/aggregation.ts';
import { FUNNEL_PAGES_FAMILY, funnelPages } from '../../surveys/funnel/pages.ts';
import {
  decodeWindow,
  emptyPending,
  encodeWindow,
  foldInto,
  mergePending,
  pendingDeltas,
  stateBytes,
  WINDOW_STATE_KEY,
  WINDOW_STATE_MAX_BYTES,
} from '../../surveys/page-window.ts';

type Change = ResponseChange & { seq: string };

function answer(seq: number, i: number, score: number, old?: number): Change {
  const response = (s: number) => ({
    score: s,
    status: 'final' as const,
    metric: 'nps' as const,
    segments: { survey: 'nps-a', channel: 'email', store: i % 2 ? 'krakow|old town' : 'web', locale: 'pl' },
    answeredAt: `2026-11-${String(20 + (i % 2)).padStart(2, '0')}T10:00:00.000Z`,
    evidence: 'button' as const,
  });
  return { seq: String(seq), new: response(score), ...(old === undefined ? {} : { old: response(old) }) };
}

const changes: Change[] = [answer(1001, 1, 9), answer(1002, 2, 3), answer(1003, 3, 10), answer(1004, 4, 7), answer(1005, 1, 6, 9), answer(1006, 5, 0)];
const pagesOf = (cs: Change[]) => toPages(preAggregate(cs));
/** Page deltas in one order (by page), so that two folds compare whatever order their maps kept. */
const sorted = <T extends { key: object }>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));

describe('a window of page deltas', () => {
  it('Should give the pages of one fold of the whole window when its batches are folded one after the other', () => {
    // Prepare
    const pending = emptyPending();
    // Act
    foldInto(pending, 'scores', BUCKET_PAGES, pagesOf(changes.slice(0, 2)));
    foldInto(pending, 'scores', BUCKET_PAGES, pagesOf(changes.slice(2)));
    // Assess
    expect(sorted(pendingDeltas(pending, 'scores', BUCKET_PAGES))).toEqual(sorted(pagesOf(changes)));
  });

  it('Should merge two windows into what folding both gives, the later after the earlier', () => {
    // Prepare
    const [a, b, both] = [emptyPending('0001003'), emptyPending('0001005'), emptyPending()];
    foldInto(a, 'scores', BUCKET_PAGES, pagesOf(changes.slice(0, 3)));
    foldInto(b, 'scores', BUCKET_PAGES, pagesOf(changes.slice(3)));
    foldInto(both, 'scores', BUCKET_PAGES, pagesOf(changes));
    // Act
    const merged = mergePending(a, b);
    // Assess
    expect(merged.upTo).toBe('0001005');
    expect(sorted(pendingDeltas(merged, 'scores', BUCKET_PAGES))).toEqual(sorted(pendingDeltas(both, 'scores', BUCKET_PAGES)));
  });

  it('Should hand back the same pending deltas from its encoded state, sequence numbers padded again', () => {
    // Prepare
    const pending = emptyPending(changes[5]!.seq.padStart(40, '0'));
    foldInto(pending, 'scores', BUCKET_PAGES, pagesOf(changes));
    const funnel = funnelPages([
      {
        kind: 'response',
        seq: '1007',
        new: {
          invitationId: 'i-7',
          surveyId: 'nps-a',
          locale: 'pl',
          status: 'final',
          segments: { store: 'web' },
          comment: 'ok',
          answeredAt: '2026-11-21T10:00:00.000Z',
        },
      },
    ]);
    foldInto(pending, 'funnel', FUNNEL_PAGES_FAMILY, funnel);
    // Act
    const state = encodeWindow(pending);
    const read = decodeWindow(state);
    // Assess
    expect(read).toEqual({ ok: true, pending });
    expect(state[WINDOW_STATE_KEY]).not.toContain('0000000000'); // kept without their leading zeros
    expect(sorted(pendingDeltas(read.ok ? read.pending : emptyPending(), 'funnel', FUNNEL_PAGES_FAMILY))).toEqual(sorted(funnel));
  });

  it('Should read a missing or empty state as an empty window', () => {
    expect(decodeWindow(undefined)).toEqual({ ok: true, pending: emptyPending() });
    expect(decodeWindow({})).toEqual({ ok: true, pending: emptyPending() });
  });

  it.each([
    ['not JSON', { [WINDOW_STATE_KEY]: '{"v":1,"s":["12"' }],
    ['another version', { [WINDOW_STATE_KEY]: '{"v":2,"s":[],"f":{}}' }],
    [
      'a change naming a sequence number it does not hold',
      { [WINDOW_STATE_KEY]: '{"v":1,"s":["12"],"f":{"scores":{"nps|store|krakow|2026-11-20":[[3,9,1]]}}}' },
    ],
    ['a cell change of +2', { [WINDOW_STATE_KEY]: '{"v":1,"s":["12"],"f":{"scores":{"nps|store|krakow|2026-11-20":[[0,9,2]]}}}' }],
  ])('Should refuse a state that is %s, saying why without its segment values', (_, state) => {
    // Act
    const read = decodeWindow(state);
    // Assess
    expect(read.ok).toBe(false);
    expect(read.ok ? '' : read.reason).not.toContain('krakow');
  });

  it('Should measure the state as Lambda does, its JSON with the inner quotes escaped', () => {
    // Prepare
    const pending = emptyPending();
    foldInto(pending, 'scores', BUCKET_PAGES, pagesOf(changes));
    const state = encodeWindow(pending);
    // Act
    const bytes = stateBytes(state);
    // Assess
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(state)));
    expect(bytes).toBeGreaterThan(state[WINDOW_STATE_KEY]!.length);
    expect(bytes).toBeLessThan(WINDOW_STATE_MAX_BYTES);
  });

  it('Should find a bucket again from its id when the segment value holds the separator', () => {
    expect(bucketKeyOf('nps|store|krakow|old town|2026-11-21')).toEqual({ metric: 'nps', dimension: 'store', value: 'krakow|old town', day: '2026-11-21' });
  });
});
