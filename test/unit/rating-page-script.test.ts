/**
 * The rating page's script in a minimal fake DOM: it posts the score after a trusted interaction on a
 * visible page, not before the page has been open 2.5 s, once the choice has settled, and sends a
 * pending choice when the page hides; a page read 3 s without input posts a dwell, asks again when the
 * server's hold is over, and says "saved" only then. (A real browser runs it in
 * test/e2e/browser-responses.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RATING_SCRIPT } from '../../surveys/templates/pages.ts';

const TOKEN = 'AbC-123_x.yZ0123456789ab';
const SETTLE_MS = 300;
const MIN_DWELL_MS = 2500;
const READ_MS = 3000;
const OPENED = '1764590400000';

function fakeDom(options: { saved?: boolean; savedEvidence?: string; checked?: string; hidden?: boolean } = {}) {
  const windowListeners = new Map<string, Set<(e: unknown) => void>>();
  const documentListeners = new Map<string, (e: unknown) => void>();
  const formListeners = new Map<string, (e: unknown) => void>();
  let checked = options.checked ?? '7';
  const status = { textContent: '' };
  const chosen = { textContent: '' };
  const hint = { hidden: false };
  const attributes: Record<string, string> = {
    action: `/r/${TOKEN}`,
    'data-saved': String(options.saved ?? false),
    'data-saved-evidence': options.savedEvidence ?? '',
    'data-opened': OPENED,
    'data-text-chosen': 'Your answer: {score} out of 10',
    'data-text-saving': 'saving',
    'data-text-saved': 'saved',
    'data-text-failed': 'failed',
  };
  const form = {
    getAttribute: (name: string) => attributes[name] ?? null,
    querySelector: () => ({ value: checked }),
    addEventListener: (name: string, fn: (e: unknown) => void) => formListeners.set(name, fn),
  };
  const document = {
    visibilityState: options.hidden ? 'hidden' : 'visible',
    getElementById: (id: string) => ({ 'rating-form': form, status, chosen, 'confirm-hint': hint })[id] ?? null,
    addEventListener: (name: string, fn: (e: unknown) => void) => documentListeners.set(name, fn),
  };
  const fetch = vi.fn(async (_url: string, _init: Record<string, unknown>) => ({ ok: true, status: 200, json: async () => ({}) }));
  const window = {
    fetch,
    addEventListener: (name: string, fn: (e: unknown) => void) => {
      if (!windowListeners.has(name)) windowListeners.set(name, new Set());
      windowListeners.get(name)!.add(fn);
    },
    removeEventListener: (name: string, fn: (e: unknown) => void) => windowListeners.get(name)?.delete(fn),
  };
  new Function('window', 'document', 'fetch', RATING_SCRIPT)(window, document, fetch);
  return {
    fetch,
    status,
    chosen,
    hint,
    document,
    dispatch: (name: string, isTrusted = true) => [...(windowListeners.get(name) ?? [])].forEach((fn) => fn({ isTrusted })),
    choose: (value: string, isTrusted = true) => {
      checked = value;
      formListeners.get('change')?.({ isTrusted, target: { name: 'score', value } });
    },
    hide: () => {
      document.visibilityState = 'hidden';
      documentListeners.get('visibilitychange')?.({});
    },
    show: () => {
      document.visibilityState = 'visible';
      documentListeners.get('visibilitychange')?.({});
    },
  };
}

/** Lets the settle timer fire and the chained fetch promises resolve. */
async function settle(ms = SETTLE_MS) {
  await vi.advanceTimersByTimeAsync(ms);
}

const bodies = (dom: ReturnType<typeof fakeDom>) => dom.fetch.mock.calls.map((call) => call[1].body);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('rating page script', () => {
  it('Should not post while the page stays hidden (a background tab, a prerender), however long', async () => {
    // Prepare / Act
    const dom = fakeDom({ hidden: true });
    await settle(60_000);

    // Assess
    expect(dom.fetch).not.toHaveBeenCalled();
  });

  it('Should post a dwell once the page has been visible 3 s without input, with the time its page was opened', async () => {
    // Prepare
    const dom = fakeDom();

    // Act
    await settle(READ_MS - 1);
    const beforeRead = dom.fetch.mock.calls.length;
    await settle(1);
    await settle(60_000);

    // Assess
    expect(beforeRead).toBe(0);
    expect(bodies(dom)).toEqual([`score=7&evidence=dwell&opened=${OPENED}`]);
    expect(dom.status.textContent).toBe('saved');
  });

  it('Should count only visible time: hidden before 3 s, it starts again when shown', async () => {
    // Prepare
    const dom = fakeDom();

    // Act: 2 s visible, 10 s away, then 3 s visible again
    await settle(2_000);
    dom.hide();
    await settle(10_000);
    const whileAway = dom.fetch.mock.calls.length;
    dom.show();
    await settle(READ_MS);

    // Assess
    expect(whileAway).toBe(0);
    expect(bodies(dom)).toEqual([`score=7&evidence=dwell&opened=${OPENED}`]);
  });

  it('Should not say "saved" while the dwell is held, and ask again when the hold is over', async () => {
    // Prepare: the server holds the dwell for 30 s, then confirms it
    const dom = fakeDom();
    dom.fetch.mockImplementationOnce(async () => ({ ok: true, status: 202, json: async () => ({ status: 'held', retryAfterMs: 30_000 }) }));

    // Act
    await settle(READ_MS);
    const statusWhileHeld = dom.status.textContent;
    const hintWhileHeld = dom.hint.hidden;
    await settle(30_500);

    // Assess
    expect(statusWhileHeld).toBe('');
    expect(hintWhileHeld).toBe(false);
    expect(bodies(dom)).toEqual([`score=7&evidence=dwell&opened=${OPENED}`, `score=7&evidence=dwell&opened=${OPENED}`]);
    expect(dom.status.textContent).toBe('saved');
  });

  it('Should stay quiet when a dwell is refused: the hint already asks for Send', async () => {
    // Prepare
    const dom = fakeDom();
    dom.fetch.mockImplementationOnce(async () => ({ ok: false, status: 403, json: async () => ({}) }));

    // Act
    await settle(READ_MS);

    // Assess
    expect(dom.fetch).toHaveBeenCalledTimes(1);
    expect(dom.status.textContent).toBe('');
    expect(dom.hint.hidden).toBe(false);
  });

  it('Should upgrade a saved dwell with an interaction on the same score, and never post a dwell over a stronger answer', async () => {
    // Prepare
    const readOnly = fakeDom({ saved: true, savedEvidence: 'dwell' });
    const sent = fakeDom({ saved: true, savedEvidence: 'button' });

    // Act
    for (const dom of [readOnly, sent]) {
      await settle(READ_MS);
      dom.dispatch('pointermove');
      await settle(MIN_DWELL_MS);
    }

    // Assess
    expect(bodies(readOnly)).toEqual(['score=7&evidence=interaction']);
    expect(bodies(sent)).toEqual([]);
  });

  it('Should not post on synthetic events, synthetic changes, or while the page is hidden', async () => {
    // Prepare
    const dom = fakeDom();

    // Act
    dom.dispatch('pointermove', false);
    dom.choose('3', false);
    dom.document.visibilityState = 'hidden';
    dom.dispatch('keydown');
    await settle(5_000);

    // Assess
    expect(dom.fetch).not.toHaveBeenCalled();
  });

  it.each(['pointermove', 'pointerdown', 'keydown', 'touchstart', 'scroll', 'focusin'])(
    'Should post the score once on the first trusted %s, when the page has been open 2.5 s, then say it is saved',
    async (eventName) => {
      // Prepare
      const dom = fakeDom();

      // Act
      dom.dispatch(eventName);
      await settle(MIN_DWELL_MS - 1);
      const beforeDwell = dom.fetch.mock.calls.length;
      await settle(1);
      dom.dispatch(eventName);
      dom.dispatch('pointerdown');
      await settle();

      // Assess
      expect(beforeDwell).toBe(0);
      expect(dom.fetch).toHaveBeenCalledTimes(1);
      expect(dom.fetch).toHaveBeenCalledWith(`/r/${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        credentials: 'same-origin',
        keepalive: false,
        body: 'score=7&evidence=interaction',
      });
      expect(dom.status.textContent).toBe('saved');
      expect(dom.hint.hidden).toBe(true);
    },
  );

  it('Should send only the last of quickly changed scores (arrowing through the radios)', async () => {
    // Prepare
    const dom = fakeDom({ checked: '10' });

    // Act: after reading a while, keyboard arrows from 10 down to 5 and back up to 8, passing detractor scores
    await settle(MIN_DWELL_MS);
    dom.dispatch('keydown');
    for (const value of ['9', '8', '7', '6', '5', '8']) {
      dom.choose(value);
      await settle(100);
    }
    await settle();

    // Assess
    expect(bodies(dom)).toEqual(['score=8&evidence=interaction']);
    expect(dom.chosen.textContent).toBe('Your answer: 8 out of 10');
  });

  it('Should post a changed score, and not post again an already saved one', async () => {
    // Prepare
    const dom = fakeDom({ saved: true, checked: '7' });

    // Act
    dom.dispatch('pointermove');
    await settle(MIN_DWELL_MS);
    const afterInteraction = dom.fetch.mock.calls.length;
    dom.choose('9');
    await settle();

    // Assess
    expect(afterInteraction).toBe(0);
    expect(bodies(dom)).toEqual(['score=9&evidence=interaction']);
  });

  it('Should post a choice made after the first 2.5 s once it settles', async () => {
    // Prepare
    const dom = fakeDom();
    await settle(2_600);

    // Act
    dom.choose('4');
    await settle(SETTLE_MS - 1);
    const beforeSettled = dom.fetch.mock.calls.length;
    await settle(1);

    // Assess
    expect(beforeSettled).toBe(0);
    expect(bodies(dom)).toEqual(['score=4&evidence=interaction']);
  });

  it('Should send a pending choice at once, with keepalive, when the page is hidden', async () => {
    // Prepare
    const dom = fakeDom();
    dom.dispatch('touchstart');
    dom.choose('2');

    // Act
    dom.hide();
    await vi.advanceTimersByTimeAsync(0);

    // Assess
    expect(dom.fetch).toHaveBeenCalledTimes(1);
    expect(dom.fetch.mock.calls[0]![1]).toMatchObject({ body: 'score=2&evidence=interaction', keepalive: true });
    await settle();
    expect(dom.fetch).toHaveBeenCalledTimes(1);
  });

  it('Should say so when saving fails, keep the hint, and try again on the next change', async () => {
    // Prepare
    const dom = fakeDom();
    dom.fetch.mockImplementationOnce(async () => ({ ok: false, status: 403, json: async () => ({}) }));

    // Act
    dom.dispatch('keydown');
    await settle(MIN_DWELL_MS);
    const statusAfterFailure = dom.status.textContent;
    const hintAfterFailure = dom.hint.hidden;
    dom.choose('7');
    await settle();

    // Assess
    expect(statusAfterFailure).toBe('failed');
    expect(hintAfterFailure).toBe(false);
    expect(dom.fetch).toHaveBeenCalledTimes(2);
    expect(dom.status.textContent).toBe('saved');
  });
});
