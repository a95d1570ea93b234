/**
 * Survey links. HEAD answers at once and touches nothing. GET shows the rating page and notes the
 * open of that score's link (scanner-burst judgement) — it never answers: mail scanners fetch every
 * link. The answer is a POST from the page — its script after a human interaction, or the no-script
 * button — and the comment is a second POST. Every request counts against limits per address and per
 * link (429 with a localized page); POSTs must come from our own page; forged, unknown or expired
 * links get a friendly localized page with a 4xx status and write nothing.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { languageOf, type Invitation, type Language } from '#surveys/model.ts';
import { answerSurvey, commentOnSurvey, openSurveyPage, RESPONSE_RULES, type ResponseDeps } from '#surveys/use-cases/record-response.ts';
import { renderMessagePage, renderRatingPage, renderThankYouPage, type MessageKind } from '#surveys/templates/pages.ts';
import { textsFor } from '#surveys/texts/index.ts';
import { DynamoLinkActivityStore } from '../adapters/dynamodb/link-activity-store.ts';
import { linkSigner } from '../adapters/secrets/link-secret.ts';
import { dynamoDocumentClient } from '../shared/clients.ts';
import { env } from '../shared/env.ts';
import { funnelMarks, surveyStore, systemClock } from '../shared/deps.ts';
import { errorResult, formBody, header, html, HttpError, json, newNonce, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { logger } from '../shared/powertools.ts';
import { addressSubject, DynamoRateLimiter } from '../shared/rate-limit.ts';
import { crossSiteReason, LINK_WEIGHT, MAX_FORM_BYTES, respondConfig } from './guards.ts';

const STATUS_OF: Record<string, { code: number; kind: MessageKind }> = {
  'invalid-link': { code: 404, kind: 'invalid-link' },
  'not-found': { code: 404, kind: 'not-found' },
  expired: { code: 410, kind: 'expired' },
  'invalid-score': { code: 400, kind: 'invalid-link' },
  'edit-closed': { code: 409, kind: 'edit-closed' },
  'comment-too-long': { code: 413, kind: 'comment-too-long' },
  'no-answer-yet': { code: 409, kind: 'not-confirmed' },
  'not-a-person': { code: 403, kind: 'not-confirmed' },
  'cross-site': { code: 403, kind: 'not-confirmed' },
  'rate-limited': { code: 429, kind: 'rate-limited' },
};

/** A score as typed in a link or form: digits only ("", " 5", "5e0" or "0x5" are no score at all). */
function parseScore(text: string | null | undefined): number {
  return text !== null && text !== undefined && /^\d{1,2}$/.test(text) ? Number(text) : Number.NaN;
}

let activityStore: DynamoLinkActivityStore | undefined;
let rateLimiter: DynamoRateLimiter | undefined;

function languageFrom(event: HttpEvent, invitation?: Invitation): Language {
  return invitation?.locale ?? languageOf(header(event, 'accept-language'));
}

function messagePage(status: string, language: Language, headers: Record<string, string> = {}): HttpResult {
  const { code, kind } = STATUS_OF[status] ?? { code: 400, kind: 'invalid-link' as const };
  const nonce = newNonce();
  const result = html(code, renderMessagePage({ language, kind, brand: env().brand, nonce, commentMaxLength: RESPONSE_RULES.commentMaxLength }), nonce);
  return { ...result, headers: { ...result.headers, ...headers } };
}

/** The page's script gets JSON; a person without script gets a page. */
function refusal(status: string, event: HttpEvent, byScript: boolean, invitation?: Invitation, headers: Record<string, string> = {}): HttpResult {
  if (byScript) return json(STATUS_OF[status]?.code ?? 400, { status }, headers);
  return messagePage(status, languageFrom(event, invitation), headers);
}

/** What every survey page of one invitation shares. */
function pageBase(invitation: Invitation, token: string, nonce: string) {
  return { language: invitation.locale, metric: invitation.metric, brand: env().brand, token, nonce, commentMaxLength: RESPONSE_RULES.commentMaxLength };
}

function ratingPage(
  invitation: Invitation,
  token: string,
  score: number,
  saved: boolean,
  comment: string | undefined,
  status = 200,
  notice?: string,
): HttpResult {
  const nonce = newNonce();
  const body = renderRatingPage({
    ...pageBase(invitation, token, nonce),
    score,
    saved,
    comment,
    notice,
  });
  return html(status, body, nonce);
}

function thankYouPage(
  invitation: Invitation,
  token: string,
  score: number,
  comment: { saved: boolean; text?: string; tooLong?: boolean },
  status = 200,
): HttpResult {
  const nonce = newNonce();
  const body = renderThankYouPage({
    ...pageBase(invitation, token, nonce),
    score,
    commentSaved: comment.saved,
    comment: comment.text,
    commentTooLong: comment.tooLong,
  });
  return html(status, body, nonce);
}

async function respond(event: HttpEvent): Promise<HttpResult> {
  const method = event.requestContext.http.method;
  // Scanners send HEAD to every link: answered without reading, counting or writing anything.
  if (method === 'HEAD')
    return { statusCode: 200, headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' } };
  const isComment = event.routeKey.endsWith('/comment');
  let byScript = false;
  try {
    const config = respondConfig();
    const token = event.pathParameters?.token ?? '';
    const links = await linkSigner();
    const tableName = env().tableName;
    activityStore ??= new DynamoLinkActivityStore(dynamoDocumentClient(), tableName);
    rateLimiter ??= new DynamoRateLimiter(dynamoDocumentClient(), tableName);
    const deps: ResponseDeps = {
      store: surveyStore(),
      links,
      now: systemClock,
      activity: activityStore,
      scannerNetworks: config.scannerNetworks,
      funnelMarks: funnelMarks(),
    };
    const sourceIp = event.requestContext.http.sourceIp;

    // A POST is read first (size-limited) so that refusals below can answer the script in JSON.
    const form = method === 'POST' ? formBody(event, MAX_FORM_BYTES) : new URLSearchParams();
    byScript = method === 'POST' && !isComment && form.get('evidence') === 'interaction';

    // Limits: per address always; per link only for a well-signed token (a forged one is refused below without a read).
    const invitationId = links.verify(token);
    const decision = await rateLimiter.hit(
      [
        { rule: config.limits.address, subject: addressSubject(sourceIp) },
        ...(invitationId ? [{ rule: config.limits.link, subject: invitationId, weight: method === 'POST' ? LINK_WEIGHT.POST : LINK_WEIGHT.GET }] : []),
      ],
      deps.now(),
    );
    if (!decision.allowed) {
      logger.info('rate limited', { scope: decision.scope, method });
      return refusal('rate-limited', event, byScript, undefined, { 'retry-after': String(decision.retryAfterSeconds) });
    }

    if (method === 'GET') {
      const requested = parseScore(event.queryStringParameters?.s);
      const opened = await openSurveyPage({ token, score: requested, visitor: { userAgent: header(event, 'user-agent'), sourceIp } }, deps);
      if (!opened.ok) return messagePage(opened.status, languageFrom(event, opened.invitation));
      const existing = opened.response;
      const score = Number.isInteger(requested) ? requested : (existing?.score ?? Number.NaN);
      return ratingPage(opened.invitation, token, score, existing?.score === score, existing?.comment);
    }

    const crossSite = crossSiteReason(event, env().publicBaseUrl);
    if (crossSite) {
      logger.warn('cross-site post refused', { reason: crossSite });
      return refusal('cross-site', event, byScript);
    }

    if (isComment) {
      const typed = form.get('comment') ?? '';
      const outcome = await commentOnSurvey({ token, comment: typed }, deps);
      if (outcome.status === 'saved') return thankYouPage(outcome.invitation, token, outcome.response.score, { saved: true, text: outcome.response.comment });
      if (outcome.status === 'comment-too-long' && outcome.invitation) {
        const current = await deps.store.getResponse(outcome.invitation.id);
        if (current) return thankYouPage(outcome.invitation, token, current.score, { saved: false, text: typed, tooLong: true }, 413);
      }
      return refusal(outcome.status, event, false, outcome.invitation);
    }

    const evidenceKind = byScript ? 'interaction' : form.get('evidence') === 'button' ? 'button' : 'none';
    const score = parseScore(form.get('score'));
    const outcome = await answerSurvey({ token, score, evidence: { kind: evidenceKind, userAgent: header(event, 'user-agent'), sourceIp } }, deps);
    logger.info('answer', { outcome: outcome.status, evidence: evidenceKind, ...(outcome.status === 'not-a-person' ? { sign: outcome.detail } : {}) });
    if (outcome.status !== 'recorded' && outcome.status !== 'updated' && outcome.status !== 'unchanged') {
      // A person caught in a scanner burst (or too early) gets the form back, to press Send again.
      if (outcome.status === 'not-a-person' && !byScript && outcome.invitation) {
        const t = textsFor(outcome.invitation.locale);
        const current = await deps.store.getResponse(outcome.invitation.id);
        return ratingPage(
          outcome.invitation,
          token,
          Number.isInteger(score) ? score : (current?.score ?? Number.NaN),
          false,
          form.get('comment') ?? current?.comment,
          403,
          t.common.notConfirmed,
        );
      }
      return refusal(outcome.status, event, byScript, outcome.invitation);
    }
    if (byScript) return json(200, { status: outcome.status, score: outcome.response.score, version: outcome.response.version });

    // The no-script form may carry a comment along with the score.
    const typed = form.get('comment') ?? '';
    if (!typed.trim())
      return thankYouPage(outcome.invitation, token, outcome.response.score, { saved: Boolean(outcome.response.comment), text: outcome.response.comment });
    const commented = await commentOnSurvey({ token, comment: typed }, deps);
    if (commented.status === 'saved')
      return thankYouPage(outcome.invitation, token, commented.response.score, { saved: true, text: commented.response.comment });
    if (commented.status === 'comment-too-long')
      return thankYouPage(outcome.invitation, token, outcome.response.score, { saved: false, text: typed, tooLong: true }, 413);
    return refusal(commented.status, event, false, outcome.invitation);
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 413) return refusal('comment-too-long', event, byScript);
    return errorResult(error);
  }
}

export const handler = middy(respond).use(injectLambdaContext(logger));
