/**
 * What a survey link shows: the flows of record-response.ts, each ending in the view its page needs
 * (surveys/templates/survey-view.ts renders them). The respond function only parses and answers.
 *
 * Primary course (answer by the no-script form): record the answer (answerSurvey), then the comment
 * typed along with it (commentOnSurvey), and show the thank-you page.
 * Alternative courses: a person caught in a scanner burst (or too early) gets the form back, with
 * the score and comment they sent, to press Send again; a comment too long comes back on the thank-you
 * page with the text kept for editing; anything else refused gets a message page with its reason.
 */
import type { Visitor } from '../funnel/marks.ts';
import type { Evidence } from '../human-evidence.ts';
import type { Invitation } from '../model.ts';
import { answerSurvey, commentOnSurvey, openSurveyPage, type ResponseDeps } from './record-response.ts';

/** Why a survey link refuses a request: the use cases' reasons, and the function's own guards. */
export type Refusal =
  | 'invalid-link'
  | 'not-found'
  | 'expired'
  | 'invalid-score'
  | 'edit-closed'
  | 'comment-too-long'
  | 'no-answer-yet'
  | 'not-a-person'
  | 'weaker-evidence'
  | 'cross-site'
  | 'rate-limited';

export type SurveyView =
  | {
      page: 'rating';
      code: number;
      invitation: Invitation;
      score: number;
      saved: boolean;
      comment?: string;
      notice?: 'not-confirmed';
      /** When this page was opened (a dwell reports it) and the evidence of the saved answer. */
      openedAt?: number;
      savedEvidence?: string;
    }
  | { page: 'thank-you'; code: number; invitation: Invitation; score: number; commentSaved: boolean; comment?: string; commentTooLong?: boolean }
  | { page: 'refused'; status: Refusal; invitation?: Invitation }
  /** The page's script answered: it gets the outcome, not a page. */
  | { page: 'answered'; status: 'recorded' | 'updated' | 'unchanged'; score: number; version: number }
  /** A dwell on hold: the script asks again after `retryAfterMs`. */
  | { page: 'held'; retryAfterMs: number };

/** GET: the rating page with the link's score (or the saved one), noting the open. */
export async function showSurveyLink(input: { token: string; score: number; visitor?: Visitor }, deps: ResponseDeps): Promise<SurveyView> {
  const opened = await openSurveyPage(input, deps);
  if (!opened.ok) return { page: 'refused', status: opened.status, invitation: opened.invitation };
  const existing = opened.response;
  const score = Number.isInteger(input.score) ? input.score : (existing?.score ?? Number.NaN);
  return {
    page: 'rating',
    code: 200,
    invitation: opened.invitation,
    score,
    saved: existing?.score === score,
    comment: existing?.comment,
    openedAt: opened.openedAt,
    savedEvidence: existing?.evidence,
  };
}

/** POST …/comment: the comment on an answer already given. */
export async function submitComment(input: { token: string; comment: string }, deps: ResponseDeps): Promise<SurveyView> {
  const outcome = await commentOnSurvey(input, deps);
  if (outcome.status === 'saved') return thanks(outcome.invitation, outcome.response.score, { saved: true, text: outcome.response.comment });
  if (outcome.status === 'comment-too-long' && outcome.invitation) {
    const current = await deps.store.getResponse(outcome.invitation.id);
    if (current) return thanks(outcome.invitation, current.score, { saved: false, text: input.comment, tooLong: true }, 413);
  }
  return { page: 'refused', status: outcome.status, invitation: outcome.invitation };
}

export interface AnswerInput {
  token: string;
  score: number;
  evidence: Evidence;
  /** The comment typed in the no-script form along with the score. */
  comment?: string;
  /** Sent by the page's script (it wants the outcome, not a page). */
  byScript: boolean;
}

/** POST: the answer, and the comment that came with it. `outcome` and `sign` are for the log. */
export async function submitAnswer(input: AnswerInput, deps: ResponseDeps): Promise<{ view: SurveyView; outcome: string; sign?: string }> {
  const outcome = await answerSurvey(input, deps);
  const logged = { outcome: outcome.status, ...(outcome.status === 'not-a-person' ? { sign: outcome.detail } : {}) };
  if (outcome.status === 'held') return { view: { page: 'held', retryAfterMs: outcome.retryAfterMs }, ...logged };
  if (outcome.status !== 'recorded' && outcome.status !== 'updated' && outcome.status !== 'unchanged') {
    if (outcome.status === 'not-a-person' && !input.byScript && outcome.invitation) {
      const current = await deps.store.getResponse(outcome.invitation.id);
      const score = Number.isInteger(input.score) ? input.score : (current?.score ?? Number.NaN);
      const view: SurveyView = {
        page: 'rating',
        code: 403,
        invitation: outcome.invitation,
        score,
        saved: false,
        comment: input.comment ?? current?.comment,
        notice: 'not-confirmed',
      };
      return { view, ...logged };
    }
    return { view: { page: 'refused', status: outcome.status, invitation: outcome.invitation }, ...logged };
  }
  const { response, invitation } = outcome;
  if (input.byScript) return { view: { page: 'answered', status: outcome.status, score: response.score, version: response.version }, ...logged };

  const typed = input.comment ?? '';
  if (!typed.trim()) return { view: thanks(invitation, response.score, { saved: Boolean(response.comment), text: response.comment }), ...logged };
  const commented = await commentOnSurvey({ token: input.token, comment: typed }, deps);
  if (commented.status === 'saved') return { view: thanks(invitation, commented.response.score, { saved: true, text: commented.response.comment }), ...logged };
  if (commented.status === 'comment-too-long')
    return { view: thanks(invitation, response.score, { saved: false, text: typed, tooLong: true }, 413), ...logged };
  return { view: { page: 'refused', status: commented.status, invitation }, ...logged };
}

function thanks(invitation: Invitation, score: number, comment: { saved: boolean; text?: string; tooLong?: boolean }, code = 200): SurveyView {
  return { page: 'thank-you', code, invitation, score, commentSaved: comment.saved, comment: comment.text, commentTooLong: comment.tooLong };
}
