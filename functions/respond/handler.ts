/**
 * Survey links. GET shows the rating page and writes nothing (mail scanners fetch every link); HEAD
 * answers nothing; the answer is a POST from the page — its script after a human interaction, or the
 * no-script button — and the comment is a second POST. Forged, unknown or expired links get a
 * friendly page with a 4xx status and write nothing.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { languageOf, type Language } from '#surveys/model.ts';
import { answerSurvey, commentOnSurvey, openInvitation, RESPONSE_RULES, type ResponseDeps } from '#surveys/use-cases/record-response.ts';
import { renderMessagePage, renderRatingPage, renderThankYouPage } from '#surveys/templates/pages.ts';
import { linkSigner } from '../adapters/secrets/link-secret.ts';
import { env } from '../shared/env.ts';
import { surveyStore, systemClock } from '../shared/deps.ts';
import { errorResult, formBody, header, html, json, newNonce, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { logger } from '../shared/powertools.ts';

type MessageKind = Parameters<typeof renderMessagePage>[0]['kind'];
const STATUS_OF: Record<string, { code: number; kind: MessageKind }> = {
  'invalid-link': { code: 404, kind: 'invalid-link' },
  'not-found': { code: 404, kind: 'not-found' },
  expired: { code: 410, kind: 'expired' },
  'invalid-score': { code: 400, kind: 'invalid-link' },
  'edit-closed': { code: 409, kind: 'edit-closed' },
  'comment-too-long': { code: 413, kind: 'comment-too-long' },
  'no-answer-yet': { code: 409, kind: 'not-found' },
  'not-a-person': { code: 403, kind: 'not-found' },
};

function languageFrom(event: HttpEvent, invitationLocale?: Language): Language {
  return invitationLocale ?? languageOf(header(event, 'accept-language'));
}

function messagePage(status: string, language: Language): HttpResult {
  const { code, kind } = STATUS_OF[status] ?? { code: 400, kind: 'invalid-link' as const };
  const nonce = newNonce();
  return html(code, renderMessagePage({ language, kind, brand: env().brand, nonce }), nonce);
}

async function respond(event: HttpEvent): Promise<HttpResult> {
  try {
    const token = event.pathParameters?.token ?? '';
    const method = event.requestContext.http.method;
    const deps: ResponseDeps = { store: surveyStore(), links: await linkSigner(), now: systemClock };
    const brand = env().brand;
    if (method === 'HEAD') return { statusCode: 200, headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };

    if (method === 'GET') {
      const opened = await openInvitation(token, deps);
      if (!opened.ok) return messagePage(opened.status, languageFrom(event, opened.invitation?.locale));
      const { invitation } = opened;
      const existing = await deps.store.getResponse(invitation.id);
      const requested = Number(event.queryStringParameters?.s);
      const score = Number.isInteger(requested) ? requested : (existing?.score ?? NaN);
      const nonce = newNonce();
      return html(
        200,
        renderRatingPage({ language: invitation.locale, metric: invitation.metric, brand, score, token, nonce, commentMaxLength: RESPONSE_RULES.commentMaxLength, saved: existing?.score === score, comment: existing?.comment }),
        nonce,
      );
    }

    const form = formBody(event);
    if (event.routeKey.endsWith('/comment')) {
      const outcome = await commentOnSurvey({ token, comment: form.get('comment') ?? '' }, deps);
      if (outcome.status !== 'saved') return messagePage(outcome.status, languageFrom(event, outcome.invitation?.locale));
      const nonce = newNonce();
      return html(200, renderThankYouPage({ language: outcome.invitation.locale, metric: outcome.invitation.metric, brand, score: outcome.response.score, commentSaved: true, token, nonce, commentMaxLength: RESPONSE_RULES.commentMaxLength }), nonce);
    }

    const evidenceKind = form.get('evidence') === 'interaction' ? 'interaction' : form.get('evidence') === 'button' ? 'button' : 'none';
    const outcome = await answerSurvey({ token, score: Number(form.get('score') ?? NaN), evidence: { kind: evidenceKind, userAgent: header(event, 'user-agent') } }, deps);
    logger.info('answer', { outcome: outcome.status, evidence: evidenceKind });
    const byScript = evidenceKind === 'interaction';
    if (outcome.status !== 'recorded' && outcome.status !== 'updated' && outcome.status !== 'unchanged') {
      if (byScript) return json(STATUS_OF[outcome.status]?.code ?? 400, { status: outcome.status });
      return messagePage(outcome.status, languageFrom(event, outcome.invitation?.locale));
    }
    if (byScript) return json(200, { status: outcome.status, score: outcome.response.score, version: outcome.response.version });

    // The no-script form may carry a comment along with the score.
    const comment = (form.get('comment') ?? '').trim();
    let commentSaved = Boolean(outcome.response.comment);
    if (comment) {
      const commented = await commentOnSurvey({ token, comment }, deps);
      if (commented.status !== 'saved') return messagePage(commented.status, outcome.invitation.locale);
      commentSaved = true;
    }
    const nonce = newNonce();
    return html(200, renderThankYouPage({ language: outcome.invitation.locale, metric: outcome.invitation.metric, brand, score: outcome.response.score, commentSaved, token, nonce, commentMaxLength: RESPONSE_RULES.commentMaxLength }), nonce);
  } catch (error) {
    return errorResult(error);
  }
}

export const handler = middy(respond).use(injectLambdaContext(logger));
