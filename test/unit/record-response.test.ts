import { describe, expect, it } from 'vitest';
import type { Evidence, LinkActivity } from '../../surveys/human-evidence.ts';
import { createLinkSigner } from '../../surveys/links.ts';
import { METRICS, type Invitation, type InvitationStatus, type SurveyResponse } from '../../surveys/model.ts';
import { ConcurrentUpdateError, type LinkActivityStore } from '../../surveys/ports.ts';
import { SCALES } from '../../surveys/scales.ts';
import {
  RESPONSE_RULES,
  answerSurvey,
  commentOnSurvey,
  confirmHeldAnswers,
  openSurveyPage,
  type ResponseDeps,
} from '../../surveys/use-cases/record-response.ts';
import { DEFAULT_EVIDENCE_RULES, type EvidenceRules } from '../../surveys/human-evidence.ts';
import { newInvitationId } from '../../surveys/use-cases/trigger-survey.ts';
import { InMemoryHeld, InMemoryResponseStore } from '../support/in-memory-stores.ts';

const MINUTE = 60_000;
const DAY = 24 * 3600_000;
const EDIT_WINDOW = RESPONSE_RULES.editWindowMinutes * MINUTE;

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------

const SECRET = 'a-test-link-secret-that-is-long-enough-0123456789';
const SENT_AT = '2026-11-23T12:00:00.000Z';

const HUMAN_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const human: Evidence = { kind: 'interaction', userAgent: HUMAN_UA };

function invitationFactory(overrides: Partial<Invitation> = {}): Invitation {
  return {
    id: newInvitationId(),
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    channel: 'email',
    customerId: 'c-1',
    locale: 'pl',
    eventId: 'evt-1',
    eventType: 'order.delivered',
    subjectRef: 'o-9',
    segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: 'web' },
    status: 'sent',
    createdAt: '2026-11-20T12:00:00.000Z',
    sendAt: SENT_AT,
    sentAt: SENT_AT,
    expiresAt: new Date(Date.parse(SENT_AT) + 30 * DAY).toISOString(),
    ...overrides,
  };
}

/** A sent invitation in a store, its signed token, and a clock ten minutes after sending. */
function setup(invitationOverrides: Partial<Invitation> = {}) {
  const store = new InMemoryResponseStore();
  const links = createLinkSigner(SECRET);
  const invitation = invitationFactory(invitationOverrides);
  store.invitations.set(invitation.id, invitation);
  const clock = { now: new Date(Date.parse(SENT_AT) + 10 * MINUTE) };
  const deps: ResponseDeps = { store, links, now: () => clock.now };
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { store, links, invitation, token: links.sign(invitation.id), clock, deps, advance };
}

const answer = (deps: ResponseDeps, token: string, score: number, evidence: Evidence = human) => answerSurvey({ token, score, evidence }, deps);

// ---------------------------------------------------------------------------------------------

describe('answering', () => {
  it('Should record a first answer as version 1, counted on the day of the answer, with the invitation segments', async () => {
    // Prepare
    const { store, invitation, token, clock, deps } = setup();

    // Act
    const outcome = await answer(deps, token, 9);

    // Assess
    expect(outcome.status).toBe('recorded');
    const expected: SurveyResponse = {
      invitationId: invitation.id,
      surveyId: invitation.surveyId,
      metric: invitation.metric,
      customerId: invitation.customerId,
      score: 9,
      segments: invitation.segments,
      locale: invitation.locale,
      subjectRef: invitation.subjectRef,
      status: 'final',
      version: 1,
      answeredAt: clock.now.toISOString(),
      updatedAt: clock.now.toISOString(),
      evidence: 'interaction',
      sentAt: invitation.sentAt, // the funnel counts the answer in the cohort of its send
    };
    expect(store.responses.get(invitation.id)).toEqual(expected);
    expect(outcome.status === 'recorded' && outcome.response).toEqual(expected);
  });

  it('Should answer unchanged, and write nothing, when the same score comes again (a double submit)', async () => {
    // Prepare
    const { store, invitation, token, deps, advance } = setup();
    await answer(deps, token, 9);
    advance(3_000);

    // Act
    const outcome = await answer(deps, token, 9);

    // Assess
    expect(outcome.status).toBe('unchanged');
    expect(store.written).toHaveLength(1);
    expect(store.responses.get(invitation.id)!.version).toBe(1);
  });

  it('Should answer unchanged, not edit-closed, when the same score comes again after the edit window', async () => {
    // Prepare
    const { store, token, deps, advance } = setup();
    await answer(deps, token, 9);
    advance(2 * EDIT_WINDOW);

    // Act
    const outcome = await answer(deps, token, 9);

    // Assess
    expect(outcome.status).toBe('unchanged');
    expect(store.written).toHaveLength(1);
  });

  describe.each([
    { name: 'one minute', after: MINUTE, status: 'updated' },
    { name: '14 min 59 s', after: EDIT_WINDOW - 1_000, status: 'updated' },
    { name: 'exactly 15 minutes', after: EDIT_WINDOW, status: 'updated' },
    { name: '15 minutes and 1 ms', after: EDIT_WINDOW + 1, status: 'edit-closed' },
    { name: 'one hour', after: 60 * MINUTE, status: 'edit-closed' },
  ])('a different score $name after the first answer', ({ after, status }) => {
    it(`Should be ${status}`, async () => {
      // Prepare
      const { store, invitation, token, clock, deps, advance } = setup();
      await answer(deps, token, 3);
      const firstAt = clock.now.toISOString();
      advance(after);

      // Act
      const outcome = await answer(deps, token, 10);

      // Assess
      expect(outcome.status).toBe(status);
      const stored = store.responses.get(invitation.id)!;
      if (status === 'updated') {
        expect(stored).toMatchObject({ score: 10, version: 2, answeredAt: firstAt, updatedAt: clock.now.toISOString() });
        expect(store.written.map((r) => [r.score, r.version])).toEqual([
          [3, 1],
          [10, 2],
        ]);
      } else {
        expect(stored).toMatchObject({ score: 3, version: 1, answeredAt: firstAt });
        expect(store.written).toHaveLength(1);
      }
    });
  });

  it('Should measure the edit window from the first answer, not from the last edit', async () => {
    // Prepare
    const { store, invitation, token, deps, advance } = setup();
    await answer(deps, token, 3);
    advance(10 * MINUTE);
    await answer(deps, token, 5);
    advance(10 * MINUTE);

    // Act
    const outcome = await answer(deps, token, 7);

    // Assess
    expect(outcome.status).toBe('edit-closed');
    expect(store.responses.get(invitation.id)).toMatchObject({ score: 5, version: 2 });
  });

  it('Should number successive edits 1, 2, 3', async () => {
    // Prepare
    const { store, token, deps, advance } = setup();

    // Act
    for (const score of [9, 3, 7]) {
      await answer(deps, token, score);
      advance(MINUTE);
    }

    // Assess
    expect(store.written.map((r) => [r.score, r.version])).toEqual([
      [9, 1],
      [3, 2],
      [7, 3],
    ]);
  });

  it('Should mark a response everDetractor from its first detractor version on, through edits to a promoter and comments', async () => {
    // Prepare
    const { store, token, deps, advance } = setup();

    // Act: a promoter, then a detractor, then a promoter again, then a comment
    for (const score of [9, 3, 10]) {
      await answer(deps, token, score);
      advance(MINUTE);
    }
    await commentOnSurvey({ token, comment: 'Jednak dobrze' }, deps);

    // Assess: the alert consumer's filter (DETRACTOR_RESPONSE_FILTER) reads the mark
    expect(store.written.map((r) => [r.score, r.everDetractor ?? false])).toEqual([
      [9, false],
      [3, true],
      [10, true],
      [10, true],
    ]);
  });

  it('Should mark the edit of a response stored before the mark existed by its earlier detractor score', async () => {
    // Prepare: a detractor answer without the mark (stored by an older version)
    const { store, invitation, token, deps } = setup();
    await answer(deps, token, 2);
    const { everDetractor: _mark, ...unmarked } = store.responses.get(invitation.id)!;
    store.responses.set(invitation.id, unmarked);

    // Act
    await answer(deps, token, 9);

    // Assess
    expect(store.responses.get(invitation.id)).toMatchObject({ score: 9, everDetractor: true });
  });

  it.each([
    ['nps', 6, true],
    ['nps', 7, false],
    ['csat', 2, true],
    ['csat', 3, false],
    ['ces', 3, true],
    ['ces', 4, false],
  ] as const)('Should mark a first %s answer of %i everDetractor: %s', async (metric, score, marked) => {
    // Prepare
    const { store, invitation, token, deps } = setup({ metric, surveyId: `${metric}-survey` });

    // Act
    await answer(deps, token, score);

    // Assess
    expect(store.responses.get(invitation.id)?.everDetractor ?? false).toBe(marked);
  });

  describe.each(METRICS.map((metric) => [metric, SCALES[metric]] as const))('on the %s scale', (metric, scale) => {
    it.each([
      { score: scale.min - 1 },
      { score: scale.max + 1 },
      { score: (scale.min + scale.max) / 2 + 0.5 },
      { score: Number.NaN },
      { score: Number.POSITIVE_INFINITY },
    ])('Should refuse score $score as invalid-score and store nothing', async ({ score }) => {
      // Prepare
      const { store, token, deps } = setup({ metric, surveyId: `${metric}-survey` });

      // Act
      const outcome = await answer(deps, token, score);

      // Assess
      expect(outcome.status).toBe('invalid-score');
      expect(store.calls.putResponse).toBe(0);
    });

    it.each([{ score: scale.min }, { score: scale.max }])('Should record the scale end $score', async ({ score }) => {
      // Prepare
      const { store, invitation, token, deps } = setup({ metric, surveyId: `${metric}-survey` });

      // Act
      const outcome = await answer(deps, token, score);

      // Assess
      expect(outcome.status).toBe('recorded');
      expect(store.responses.get(invitation.id)).toMatchObject({ metric, score });
    });
  });

  it('Should judge a score against the survey scale: 0 is a valid NPS but not a valid CSAT', async () => {
    // Prepare
    const nps = setup({ metric: 'nps' });
    const csat = setup({ metric: 'csat', surveyId: 'csat-post-ticket' });

    // Act
    const npsOutcome = await answer(nps.deps, nps.token, 0);
    const csatOutcome = await answer(csat.deps, csat.token, 0);

    // Assess
    expect(npsOutcome.status).toBe('recorded');
    expect(csatOutcome.status).toBe('invalid-score');
  });
});

describe('the link', () => {
  describe.each([
    { name: 'a token signed with another secret', forge: (id: string) => createLinkSigner('another-secret-of-at-least-32-characters!').sign(id) },
    {
      name: 'a token with its MAC altered',
      forge: (id: string, token: string) => `${id}.${token.split('.')[1]!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
    },
    { name: 'a token with its id altered', forge: (id: string, token: string) => `${id.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}.${token.split('.')[1]}` },
    { name: 'the bare invitation id', forge: (id: string) => id },
    { name: 'an empty token', forge: () => '' },
  ])('with $name', ({ forge }) => {
    it('Should answer invalid-link without touching the store', async () => {
      // Prepare
      const { store, invitation, token, deps } = setup();
      const forged = forge(invitation.id, token);

      // Act
      const answered = await answer(deps, forged, 9);
      const commented = await commentOnSurvey({ token: forged, comment: 'hello' }, deps);

      // Assess
      expect(answered.status).toBe('invalid-link');
      expect(commented.status).toBe('invalid-link');
      expect(store.totalCalls).toBe(0);
    });
  });

  it('Should answer not-found for a well-signed link to an invitation that does not exist', async () => {
    // Prepare
    const { store, links, deps } = setup();
    const unknown = links.sign(newInvitationId());

    // Act
    const outcome = await answer(deps, unknown, 9);

    // Assess
    expect(outcome.status).toBe('not-found');
    expect(store.calls.putResponse).toBe(0);
  });

  describe.each(['scheduled', 'sending', 'failed', 'cancelled', 'skipped'] satisfies InvitationStatus[])('for an invitation %s, not sent', (status) => {
    it('Should answer not-found and store nothing', async () => {
      // Prepare
      const { store, token, deps } = setup({ status, sentAt: undefined, expiresAt: undefined });

      // Act
      const outcome = await answer(deps, token, 9);

      // Assess
      expect(outcome.status).toBe('not-found');
      expect(store.calls.putResponse).toBe(0);
    });
  });

  describe.each([
    { name: '1 ms after it expired', offset: 1, status: 'expired' },
    { name: 'a day after it expired', offset: DAY, status: 'expired' },
    { name: 'at the very instant it expires', offset: 0, status: 'recorded' },
    { name: 'a minute before it expires', offset: -MINUTE, status: 'recorded' },
  ])('used $name', ({ offset, status }) => {
    it(`Should be ${status}`, async () => {
      // Prepare
      const { store, invitation, token, clock, deps } = setup();
      clock.now = new Date(Date.parse(invitation.expiresAt!) + offset);

      // Act
      const outcome = await answer(deps, token, 9);

      // Assess
      expect(outcome.status).toBe(status);
      expect(store.written).toHaveLength(status === 'recorded' ? 1 : 0);
    });
  });
});

describe('a person, not a mail scanner', () => {
  describe.each([
    { name: 'no interaction and no button press', evidence: { kind: 'none', userAgent: HUMAN_UA }, afterSend: 10 * MINUTE },
    {
      name: 'a headless Chrome',
      evidence: {
        kind: 'interaction',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36',
      },
      afterSend: 10 * MINUTE,
    },
    { name: 'python-requests', evidence: { kind: 'button', userAgent: 'python-requests/2.31.0' }, afterSend: 10 * MINUTE },
    { name: 'curl', evidence: { kind: 'button', userAgent: 'curl/8.4.0' }, afterSend: 10 * MINUTE },
    { name: 'a Go HTTP client', evidence: { kind: 'button', userAgent: 'Go-http-client/1.1' }, afterSend: 10 * MINUTE },
    {
      name: 'a self-declared bot',
      evidence: { kind: 'interaction', userAgent: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)' },
      afterSend: 10 * MINUTE,
    },
    { name: 'Microsoft Safe Links', evidence: { kind: 'button', userAgent: 'Mozilla/5.0 SafeLinks/1.0' }, afterSend: 10 * MINUTE },
    { name: 'no user agent', evidence: { kind: 'button' }, afterSend: 10 * MINUTE },
    { name: 'an empty user agent', evidence: { kind: 'button', userAgent: '' }, afterSend: 10 * MINUTE },
    { name: 'a browser one second after sending', evidence: { kind: 'interaction', userAgent: HUMAN_UA }, afterSend: 1_000 },
    { name: 'a browser 1.999 s after sending', evidence: { kind: 'interaction', userAgent: HUMAN_UA }, afterSend: 1_999 },
  ] satisfies Array<{ name: string; evidence: Evidence; afterSend: number }>)('for an answer from $name', ({ evidence, afterSend }) => {
    it('Should answer not-a-person with a reason and store nothing', async () => {
      // Prepare
      const { store, token, clock, deps } = setup();
      clock.now = new Date(Date.parse(SENT_AT) + afterSend);

      // Act
      const outcome = await answer(deps, token, 2, evidence);

      // Assess
      expect(outcome.status).toBe('not-a-person');
      expect(outcome.status === 'not-a-person' && outcome.detail).toBeTruthy();
      expect(store.calls.putResponse).toBe(0);
      expect(store.responses.size).toBe(0);
    });
  });

  describe.each([
    { name: 'a desktop Chrome after an interaction', evidence: { kind: 'interaction', userAgent: HUMAN_UA }, afterSend: 10 * MINUTE },
    {
      name: 'an iPhone Safari pressing the no-script button',
      evidence: {
        kind: 'button',
        userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      },
      afterSend: 10 * MINUTE,
    },
    {
      name: 'an Android Firefox',
      evidence: { kind: 'interaction', userAgent: 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0' },
      afterSend: 10 * MINUTE,
    },
    { name: 'a browser exactly 2 s after sending', evidence: { kind: 'interaction', userAgent: HUMAN_UA }, afterSend: 2_000 },
  ] satisfies Array<{ name: string; evidence: Evidence; afterSend: number }>)('for an answer from $name', ({ evidence, afterSend }) => {
    it('Should record it', async () => {
      // Prepare
      const { store, token, clock, deps } = setup();
      clock.now = new Date(Date.parse(SENT_AT) + afterSend);

      // Act
      const outcome = await answer(deps, token, 2, evidence);

      // Assess
      expect(outcome.status).toBe('recorded');
      expect(store.written).toHaveLength(1);
    });
  });

  it('Should not let a scanner edit an answer a person gave', async () => {
    // Prepare
    const { store, invitation, token, deps, advance } = setup();
    await answer(deps, token, 9);
    advance(MINUTE);

    // Act
    const outcome = await answer(deps, token, 0, { kind: 'button', userAgent: 'python-requests/2.31' });

    // Assess
    expect(outcome.status).toBe('not-a-person');
    expect(store.responses.get(invitation.id)).toMatchObject({ score: 9, version: 1 });
  });
});

describe('concurrent submits', () => {
  it('Should look again after losing a race to the same score, and answer unchanged', async () => {
    // Prepare
    const { store, invitation, token, clock, deps } = setup();
    store.beforePut = (next, call) => {
      if (call === 1) store.responses.set(invitation.id, { ...next, answeredAt: clock.now.toISOString() });
    };

    // Act
    const outcome = await answer(deps, token, 9);

    // Assess
    expect(outcome.status).toBe('unchanged');
    expect(store.responses.get(invitation.id)).toMatchObject({ score: 9, version: 1 });
  });

  it('Should look again after losing a race to another score, and update on top of it', async () => {
    // Prepare
    const { store, invitation, token, deps } = setup();
    store.beforePut = (next, call) => {
      if (call === 1) store.responses.set(invitation.id, { ...next, score: 4 });
    };

    // Act
    const outcome = await answer(deps, token, 9);

    // Assess
    expect(outcome.status).toBe('updated');
    expect(store.responses.get(invitation.id)).toMatchObject({ score: 9, version: 2 });
  });

  it('Should give up with ConcurrentUpdateError after three lost races', async () => {
    // Prepare
    const { store, invitation, token, deps } = setup();
    store.beforePut = (next) => {
      const current = store.responses.get(invitation.id);
      store.responses.set(invitation.id, { ...next, score: next.score === 1 ? 2 : 1, version: (current?.version ?? 0) + 1 });
    };

    // Act
    const run = answer(deps, token, 9);

    // Assess
    await expect(run).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(store.calls.putResponse).toBe(3);
  });
});

describe('comments', () => {
  it('Should answer no-answer-yet, and store nothing, when there is no score to attach the comment to', async () => {
    // Prepare
    const { store, token, deps } = setup();

    // Act
    const outcome = await commentOnSurvey({ token, comment: 'Great service' }, deps);

    // Assess
    expect(outcome.status).toBe('no-answer-yet');
    expect(store.calls.putResponse).toBe(0);
  });

  it('Should save a comment, trimmed, as a new version that keeps the score and the day it is counted on', async () => {
    // Prepare
    const { store, invitation, token, clock, deps, advance } = setup();
    await answer(deps, token, 4);
    const answeredAt = clock.now.toISOString();
    advance(2 * MINUTE);

    // Act
    const outcome = await commentOnSurvey({ token, comment: '  The parcel was wet.  \n' }, deps);

    // Assess
    expect(outcome.status).toBe('saved');
    expect(store.responses.get(invitation.id)).toMatchObject({
      score: 4,
      comment: 'The parcel was wet.',
      version: 2,
      answeredAt,
      updatedAt: clock.now.toISOString(),
    });
  });

  it('Should store a first answer and the comment typed with it (CRLF and spaces normalized) in one write, version 1', async () => {
    // Prepare
    const { store, invitation, token, deps } = setup();

    // Act
    const outcome = await answerSurvey({ token, score: 3, evidence: human, comment: '  late\r\nand wet  ' }, deps);
    const again = await commentOnSurvey({ token, comment: 'late\nand wet' }, deps);

    // Assess
    expect(outcome.status).toBe('recorded');
    expect(again.status).toBe('saved');
    expect(store.written.map((r) => [r.version, r.comment])).toEqual([[1, 'late\nand wet']]);
    expect(store.responses.get(invitation.id)?.score).toBe(3);
  });

  it('Should store the score alone when the comment typed with it is too long, leaving the refusal to the comment', async () => {
    // Prepare
    const { store, token, deps } = setup();
    const tooLong = 'x'.repeat(RESPONSE_RULES.commentMaxLength + 1);

    // Act
    const outcome = await answerSurvey({ token, score: 3, evidence: human, comment: tooLong }, deps);
    const comment = await commentOnSurvey({ token, comment: tooLong }, deps);

    // Assess
    expect(outcome.status).toBe('recorded');
    expect(comment.status).toBe('comment-too-long');
    expect(store.written.map((r) => [r.version, r.comment])).toEqual([[1, undefined]]);
  });

  it('Should save the same comment twice without a new version', async () => {
    // Prepare
    const { store, token, deps } = setup();
    await answer(deps, token, 4);
    await commentOnSurvey({ token, comment: 'ok' }, deps);

    // Act
    const outcome = await commentOnSurvey({ token, comment: 'ok' }, deps);

    // Assess
    expect(outcome.status).toBe('saved');
    expect(store.written.map((r) => r.version)).toEqual([1, 2]);
  });

  describe.each([
    { name: 'exactly the maximum length', comment: 'x'.repeat(RESPONSE_RULES.commentMaxLength), status: 'saved' },
    { name: 'the maximum length inside surrounding spaces', comment: `   ${'x'.repeat(RESPONSE_RULES.commentMaxLength)}   `, status: 'saved' },
    { name: 'one character too long', comment: 'x'.repeat(RESPONSE_RULES.commentMaxLength + 1), status: 'comment-too-long' },
    { name: 'far too long', comment: 'x'.repeat(100_000), status: 'comment-too-long' },
  ])('a comment of $name', ({ comment, status }) => {
    it(`Should be ${status}`, async () => {
      // Prepare
      const { store, invitation, token, deps } = setup();
      await answer(deps, token, 4);

      // Act
      const outcome = await commentOnSurvey({ token, comment }, deps);

      // Assess
      expect(outcome.status).toBe(status);
      const stored = store.responses.get(invitation.id)!;
      if (status === 'saved') expect(stored.comment).toBe(comment.trim());
      else {
        expect(stored.version).toBe(1);
        expect(stored.comment).toBeUndefined();
      }
    });
  });

  it('Should welcome a first comment after the edit window', async () => {
    // Prepare
    const { store, invitation, token, deps, advance } = setup();
    await answer(deps, token, 2);
    advance(3 * EDIT_WINDOW);

    // Act
    const outcome = await commentOnSurvey({ token, comment: 'I waited a week' }, deps);

    // Assess
    expect(outcome.status).toBe('saved');
    expect(store.responses.get(invitation.id)).toMatchObject({ comment: 'I waited a week', version: 2 });
  });

  it('Should let a comment be replaced inside the edit window', async () => {
    // Prepare
    const { store, invitation, token, deps, advance } = setup();
    await answer(deps, token, 2);
    await commentOnSurvey({ token, comment: 'first' }, deps);
    advance(5 * MINUTE);

    // Act
    const outcome = await commentOnSurvey({ token, comment: 'second thoughts' }, deps);

    // Assess
    expect(outcome.status).toBe('saved');
    expect(store.responses.get(invitation.id)).toMatchObject({ comment: 'second thoughts', version: 3 });
  });

  it('Should refuse to replace a comment after the edit window, keeping the first', async () => {
    // Prepare
    const { store, invitation, token, deps, advance } = setup();
    await answer(deps, token, 2);
    await commentOnSurvey({ token, comment: 'first' }, deps);
    advance(EDIT_WINDOW + 1);

    // Act
    const outcome = await commentOnSurvey({ token, comment: 'rewritten' }, deps);

    // Assess
    expect(outcome.status).toBe('edit-closed');
    expect(store.responses.get(invitation.id)).toMatchObject({ comment: 'first', version: 2 });
  });

  it('Should refuse a comment on an expired link', async () => {
    // Prepare
    const { store, invitation, token, clock, deps } = setup();
    await answer(deps, token, 2);
    clock.now = new Date(Date.parse(invitation.expiresAt!) + 1);

    // Act
    const outcome = await commentOnSurvey({ token, comment: 'late' }, deps);

    // Assess
    expect(outcome.status).toBe('expired');
    expect(store.responses.get(invitation.id)!.comment).toBeUndefined();
  });

  it('Should keep a comment exactly as typed, markup included (escaping happens where it is shown)', async () => {
    // Prepare
    const { store, invitation, token, deps } = setup();
    await answer(deps, token, 2);
    const hostile = '<script>alert("x")</script> & "quotes"';

    // Act
    await commentOnSurvey({ token, comment: hostile }, deps);

    // Assess
    expect(store.responses.get(invitation.id)!.comment).toBe(hostile);
  });
});

describe('opening a link and answering around scanner bursts', () => {
  /** The DynamoLinkActivityStore's semantics in memory: the last open per score. */
  class InMemoryLinkActivity implements LinkActivityStore {
    readonly opens = new Map<string, Record<number, number>>();
    readonly lastOpen = new Map<string, number>();
    readonly kept = new Map<string, Date>();
    async noteOpen(invitationId: string, score: number | undefined, at: Date, keepUntil: Date) {
      if (score !== undefined) this.opens.set(invitationId, { ...this.opens.get(invitationId), [score]: at.getTime() });
      this.lastOpen.set(invitationId, at.getTime());
      this.kept.set(invitationId, keepUntil);
    }
    async getActivity(invitationId: string): Promise<LinkActivity> {
      const lastOpenAt = this.lastOpen.get(invitationId);
      return { opens: { ...this.opens.get(invitationId) }, ...(lastOpenAt === undefined ? {} : { lastOpenAt }) };
    }
  }

  function withActivity() {
    const base = setup();
    const activity = new InMemoryLinkActivity();
    const deps: ResponseDeps = { ...base.deps, activity };
    const open = (score: number) => openSurveyPage({ token: base.token, score }, deps);
    return { ...base, deps, activity, open };
  }

  it('Should note the open of a valid score, kept a day past the link, and write no response', async () => {
    // Prepare
    const { store, invitation, activity, clock, open } = withActivity();

    // Act
    const page = await open(9);

    // Assess
    expect(page).toMatchObject({ ok: true, invitation: { id: invitation.id } });
    expect(activity.opens.get(invitation.id)).toEqual({ 9: clock.now.getTime() });
    expect(activity.kept.get(invitation.id)).toEqual(new Date(Date.parse(invitation.expiresAt!) + DAY));
    expect(store.calls.putResponse).toBe(0);
  });

  it.each([{ score: 11 }, { score: -1 }, { score: Number.NaN }])(
    'Should show the page but note only the time, no score, for score $score',
    async ({ score }) => {
      // Prepare
      const { invitation, activity, clock, open } = withActivity();

      // Act
      const page = await open(score);

      // Assess
      expect(page.ok).toBe(true);
      expect(activity.opens.size).toBe(0);
      expect(activity.lastOpen.get(invitation.id)).toBe(clock.now.getTime());
    },
  );

  it('Should refuse a forged link without touching the store or noting an open', async () => {
    // Prepare
    const { store, activity, deps } = withActivity();

    // Act
    const page = await openSurveyPage({ token: `${'x'.repeat(22)}.${'y'.repeat(22)}`, score: 3 }, deps);

    // Assess
    expect(page).toEqual({ ok: false, status: 'invalid-link' });
    expect(store.totalCalls).toBe(0);
    expect(activity.opens.size).toBe(0);
  });

  it('Should refuse answers while a scanner opens every link and interacts, then count the person who clicks afterwards', async () => {
    // Prepare: a sandbox opens the 11 links one after another and its page posts right away
    const { store, invitation, token, deps, open, advance } = withActivity();
    const duringBurst: string[] = [];
    for (let score = 0; score <= 10; score++) {
      await open(score);
      advance(500);
      duringBurst.push((await answer(deps, token, score)).status);
    }

    // Act: the person clicks 8 a minute later and interacts after reading for 3 s
    advance(MINUTE);
    await open(8);
    advance(3_000);
    const personal = await answer(deps, token, 8);

    // Assess
    expect(duringBurst).toEqual(Array(11).fill('not-a-person'));
    expect(personal.status).toBe('recorded');
    expect(store.written.map((r) => [r.score, r.version])).toEqual([[8, 1]]);
    expect(store.responses.get(invitation.id)).toMatchObject({ score: 8 });
  });

  it('Should let a person replace, even hours later, an answer a slow sandbox gave amid its link opens', async () => {
    // Prepare: a sandbox that dwells 3 s per page answers 0, then goes on opening the other links
    const { store, invitation, token, deps, open, advance, clock } = withActivity();
    await open(0);
    advance(3_000);
    const sandbox = await answer(deps, token, 0);
    for (let score = 1; score <= 10; score++) {
      await open(score);
      advance(3_000);
      await answer(deps, token, score);
    }

    // Act: the person clicks 9 three hours later
    advance(3 * 60 * MINUTE);
    await open(9);
    advance(4_000);
    const personal = await answer(deps, token, 9);

    // Assess
    expect(sandbox.status).toBe('recorded');
    expect(personal.status).toBe('updated');
    expect(store.responses.get(invitation.id)).toMatchObject({ score: 9, version: 2, answeredAt: clock.now.toISOString() });
  });

  it('Should still close the edit window on a first answer no burst surrounded', async () => {
    // Prepare
    const { token, deps, open, advance } = withActivity();
    await open(3);
    advance(5_000);
    await answer(deps, token, 3);

    // Act
    advance(EDIT_WINDOW + MINUTE);
    await open(9);
    advance(5_000);
    const outcome = await answer(deps, token, 9);

    // Assess
    expect(outcome.status).toBe('edit-closed');
  });

  it('Should count a comment typed with line breaks by its characters, not by the CRLF the browser sends', async () => {
    // Prepare
    const { store, invitation, token, deps } = withActivity();
    await answer(deps, token, 4);
    const lines = Array.from({ length: 10 }, () => 'x'.repeat(RESPONSE_RULES.commentMaxLength / 10 - 1));
    const typed = `${lines.join('\r\n')}x`; // 2000 characters with LF, 2009 with CRLF

    // Act
    const outcome = await commentOnSurvey({ token, comment: typed }, deps);

    // Assess
    expect(outcome.status).toBe('saved');
    expect(store.responses.get(invitation.id)!.comment).toBe(`${lines.join('\n')}x`);
  });
});

describe('a dwell: the page read for a few seconds, nothing touched', () => {
  class Activity implements LinkActivityStore {
    readonly opens = new Map<string, LinkActivity>();
    async noteOpen(invitationId: string, score: number | undefined, at: Date) {
      const a = this.opens.get(invitationId) ?? { opens: {} };
      if (score !== undefined) a.opens[score] = at.getTime();
      this.opens.set(invitationId, { ...a, lastOpenAt: at.getTime() });
    }
    async getActivity(invitationId: string) {
      return structuredClone(this.opens.get(invitationId) ?? { opens: {} });
    }
  }
  const HOLD = DEFAULT_EVIDENCE_RULES.dwellHoldSeconds * 1000;

  function reading(rules?: EvidenceRules) {
    const base = setup();
    const held = new InMemoryHeld();
    const activity = new Activity();
    const deps = { ...base.deps, activity, held, ...(rules ? { rules } : {}) };
    /** Opens the link of `score` and returns the page's opening time. */
    const open = async (score: number) => {
      const page = await openSurveyPage({ token: base.token, score }, deps);
      if (!page.ok) throw new Error('the page did not open');
      return page.openedAt;
    };
    const dwell = (score: number, openedAt: number | undefined) => answer(deps, base.token, score, { kind: 'dwell', userAgent: HUMAN_UA, openedAt });
    const sweep = () => confirmHeldAnswers(deps);
    return { ...base, deps, held, open, dwell, sweep };
  }

  it('Should judge the same dwell by the rules each deps carries, two rule sets side by side without touching the defaults', async () => {
    // Prepare
    const shortened = reading({ ...DEFAULT_EVIDENCE_RULES, dwellMinSecondsAfterSend: 20, dwellHoldSeconds: 10 });
    const production = reading();
    const openedAt = await Promise.all(
      [shortened, production].map((r) => {
        r.clock.now = new Date(Date.parse(SENT_AT) + 27_000);
        return r.open(9);
      }),
    );
    shortened.advance(3_000);
    production.advance(3_000);

    // Act
    const [short, long] = await Promise.all([shortened.dwell(9, openedAt[0]), production.dwell(9, openedAt[1])]);

    // Assess
    expect(short).toMatchObject({ status: 'held', retryAfterMs: 10_000 });
    expect(long).toMatchObject({ status: 'not-a-person', detail: 'dwell too soon after sending' });
    expect(DEFAULT_EVIDENCE_RULES).toMatchObject({ dwellMinSecondsAfterSend: 60, dwellHoldSeconds: 30 });
  });

  it('Should hold a dwell answer, store nothing yet, and count it once the hold is over', async () => {
    // Prepare
    const { store, invitation, open, dwell, advance, sweep } = reading();
    const openedAt = await open(8);
    advance(3_000);

    // Act
    const first = await dwell(8, openedAt);
    advance(HOLD - 1);
    const early = await sweep();
    advance(1);
    const due = await sweep();

    // Assess
    expect(first).toMatchObject({ status: 'held', retryAfterMs: HOLD });
    expect(early).toEqual({ confirmed: 0, dropped: 0 });
    expect(due).toEqual({ confirmed: 1, dropped: 0 });
    expect(store.written).toHaveLength(1);
    expect(store.responses.get(invitation.id)).toMatchObject({ score: 8, version: 1, evidence: 'dwell' });
  });

  it('Should confirm it when the page asks again after the hold, and not again from the sweep', async () => {
    // Prepare
    const { store, invitation, open, dwell, advance, sweep } = reading();
    const openedAt = await open(6);
    advance(3_000);
    await dwell(6, openedAt);
    advance(HOLD);

    // Act
    const again = await dwell(6, openedAt);
    const swept = await sweep();

    // Assess
    expect(again.status).toBe('recorded');
    expect(swept).toEqual({ confirmed: 0, dropped: 0 });
    expect(store.responses.get(invitation.id)).toMatchObject({ score: 6, version: 1, evidence: 'dwell' });
  });

  it.each([
    { what: 'within a minute of sending', sentAgo: 30_000, reason: 'dwell too soon after sending' },
    { what: 'without the time its page was opened', sentAgo: 10 * MINUTE, openedAt: 'none', reason: 'dwell without its page' },
  ])('Should refuse a dwell $what', async ({ sentAgo, openedAt, reason }) => {
    // Prepare
    const { store, invitation, clock, open, dwell, advance, held } = reading();
    clock.now = new Date(Date.parse(invitation.sentAt!) + sentAgo - 3_000);
    const pageOpenedAt = await open(2);
    advance(3_000);

    // Act
    const outcome = await dwell(2, openedAt === 'none' ? undefined : pageOpenedAt);

    // Assess
    expect(outcome).toMatchObject({ status: 'not-a-person', detail: reason });
    expect(held.held.size).toBe(0);
    expect(store.written).toHaveLength(0);
  });

  it('Should refuse the dwell of a page opened before the latest opening (a time-of-click rescan before the person)', async () => {
    // Prepare: the gateway opens link 9, the person opens it a moment later
    const { store, open, dwell, advance } = reading();
    const rescan = await open(9);
    advance(150);
    const person = await open(9);
    advance(3_000);

    // Act
    const rescanned = await dwell(9, rescan);
    const read = await dwell(9, person);

    // Assess
    expect(rescanned).toMatchObject({ status: 'not-a-person', detail: 'link opened again since' });
    expect(read.status).toBe('held');
    expect(store.written).toHaveLength(0);
  });

  it('Should drop a held dwell when another link is opened during the hold (a sandbox walking the links)', async () => {
    // Prepare: 6 s on link 0, then on to link 1, and so on
    const { store, open, dwell, advance, sweep } = reading();
    const first = await open(0);
    advance(3_000);
    const held = await dwell(0, first);
    advance(3_000);
    const second = await open(1);
    advance(3_000);
    const next = await dwell(1, second);

    // Act
    advance(HOLD);
    const swept = await sweep();

    // Assess
    expect(held.status).toBe('held');
    expect(next).toMatchObject({ status: 'not-a-person', detail: 'burst of link opens' });
    expect(swept).toEqual({ confirmed: 0, dropped: 1 });
    expect(store.written).toHaveLength(0);
  });

  it('Should upgrade a dwell to interaction and then to button on the same score without a second count', async () => {
    // Prepare
    const { store, invitation, open, dwell, advance, sweep, deps, token } = reading();
    const openedAt = await open(7);
    advance(3_000);
    await dwell(7, openedAt);
    advance(HOLD);
    await sweep();

    // Act
    const touched = await answer(deps, token, 7, human);
    const sent = await answer(deps, token, 7, { kind: 'button', userAgent: HUMAN_UA });
    const touchedAgain = await answer(deps, token, 7, human);

    // Assess
    expect([touched.status, sent.status, touchedAgain.status]).toEqual(['updated', 'updated', 'unchanged']);
    expect(store.written.map((r) => [r.version, r.score, r.evidence])).toEqual([
      [1, 7, 'dwell'],
      [2, 7, 'interaction'],
      [3, 7, 'button'],
    ]);
    expect(store.written.every((r) => r.answeredAt === store.written[0]!.answeredAt)).toBe(true);
    expect(store.responses.get(invitation.id)?.evidence).toBe('button');
  });

  it('Should let an interaction during the hold count at once, and the held dwell add nothing after it', async () => {
    // Prepare
    const { store, open, dwell, advance, sweep, deps, token } = reading();
    const openedAt = await open(4);
    advance(3_000);
    await dwell(4, openedAt);

    // Act: the person touches the page and changes the score to 9
    advance(2_000);
    const touched = await answer(deps, token, 9, human);
    advance(HOLD);
    const swept = await sweep();

    // Assess
    expect(touched.status).toBe('recorded');
    expect(swept).toEqual({ confirmed: 0, dropped: 1 });
    expect(store.written.map((r) => [r.score, r.evidence])).toEqual([[9, 'interaction']]);
  });

  it('Should keep a later different dwell score within the edit window an edit, after its own hold', async () => {
    // Prepare
    const { store, open, dwell, advance, sweep } = reading();
    const first = await open(3);
    advance(3_000);
    await dwell(3, first);
    advance(HOLD);
    await sweep();

    // Act: five minutes later the person clicks 8 in the mail and reads again
    advance(5 * MINUTE);
    const second = await open(8);
    advance(3_000);
    await dwell(8, second);
    advance(HOLD);
    await sweep();

    // Assess
    expect(store.written.map((r) => [r.version, r.score])).toEqual([
      [1, 3],
      [2, 8],
    ]);
  });
});
