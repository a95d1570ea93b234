/** The page of each survey-link view (surveys/use-cases/survey-link.ts), and the HTTP status it goes with. */
import type { Language } from '../model.ts';
import { textsFor } from '../texts/index.ts';
import { RESPONSE_RULES } from '../use-cases/record-response.ts';
import type { Refusal, SurveyView } from '../use-cases/survey-link.ts';
import { type MessageKind, renderMessagePage, renderRatingPage, renderThankYouPage } from './pages.ts';

const REFUSALS: Record<Refusal, { code: number; kind: MessageKind }> = {
  'invalid-link': { code: 404, kind: 'invalid-link' },
  'not-found': { code: 404, kind: 'not-found' },
  expired: { code: 410, kind: 'expired' },
  'invalid-score': { code: 400, kind: 'invalid-link' },
  'edit-closed': { code: 409, kind: 'edit-closed' },
  'comment-too-long': { code: 413, kind: 'comment-too-long' },
  'no-answer-yet': { code: 409, kind: 'not-confirmed' },
  'not-a-person': { code: 403, kind: 'not-confirmed' },
  'weaker-evidence': { code: 409, kind: 'edit-closed' },
  'cross-site': { code: 403, kind: 'not-confirmed' },
  'rate-limited': { code: 429, kind: 'rate-limited' },
};

/** The HTTP status of a refusal. */
export const refusalCode = (status: Refusal): number => REFUSALS[status].code;

export interface SurveyPageContext {
  brand: string;
  token: string;
  nonce: string;
  /** The language for a page without an invitation (the browser's). */
  fallbackLanguage: Language;
}

/** A view as a page: its HTTP status and HTML. */
export function renderSurveyView(view: Exclude<SurveyView, { page: 'answered' | 'held' }>, ctx: SurveyPageContext): { code: number; body: string } {
  const commentMaxLength = RESPONSE_RULES.commentMaxLength;
  if (view.page === 'refused') {
    const { code, kind } = REFUSALS[view.status];
    const language = view.invitation?.locale ?? ctx.fallbackLanguage;
    return { code, body: renderMessagePage({ language, kind, brand: ctx.brand, nonce: ctx.nonce, commentMaxLength }) };
  }
  const base = { language: view.invitation.locale, metric: view.invitation.metric, brand: ctx.brand, token: ctx.token, nonce: ctx.nonce, commentMaxLength };
  if (view.page === 'rating') {
    const notice = view.notice ? textsFor(view.invitation.locale).common.notConfirmed : undefined;
    const page = { score: view.score, saved: view.saved, comment: view.comment, notice, openedAt: view.openedAt, savedEvidence: view.savedEvidence };
    return { code: view.code, body: renderRatingPage({ ...base, ...page }) };
  }
  const thanks = { score: view.score, commentSaved: view.commentSaved, comment: view.comment, commentTooLong: view.commentTooLong };
  return { code: view.code, body: renderThankYouPage({ ...base, ...thanks }) };
}
