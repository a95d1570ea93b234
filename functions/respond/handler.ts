/**
 * Survey links. HEAD answers at once and touches nothing. GET shows the rating page and notes the
 * open of that score's link (scanner-burst judgement) — it never answers: mail scanners fetch every
 * link. The answer is a POST from the page — its script after a human interaction, or the no-script
 * button — and the comment is a second POST. Every request counts against limits per address and per
 * link (429 with a localized page); POSTs must come from our own page; forged, unknown or expired
 * links get a friendly localized page with a 4xx status and write nothing.
 */
import middy from '@middy/core';
import { brandOf, questionOf, rateLimiter, responseDeps } from '#functions/shared/deps.ts';
import { env } from '#functions/shared/env.ts';
import { formBody, type HttpEvent, HttpError, type HttpResult, header, html, json, newNonce } from '#functions/shared/http.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { pageEvidenceKind, parseOpenedAt } from '#surveys/human-evidence.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';
import { languageOf } from '#surveys/model.ts';
import { refusalCode, renderSurveyView } from '#surveys/templates/survey-view.ts';
import { showSurveyLink, submitAnswer, submitComment, type SurveyView } from '#surveys/use-cases/survey-link.ts';
import { checkLimits, crossSiteReason, MAX_FORM_BYTES } from '#functions/respond/guards.ts';

const HEAD_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' };

/** A score as typed in a link or form: digits only ("", " 5", "5e0" or "0x5" are no score at all). */
function parseScore(text: string | null | undefined): number {
  return text !== null && text !== undefined && /^\d{1,2}$/.test(text) ? Number(text) : Number.NaN;
}

/** The page's script gets JSON; a person gets a page. */
function answer(view: SurveyView, event: HttpEvent, byScript: boolean, headers: Record<string, string> = {}): HttpResult {
  if (view.page === 'answered') return json(200, { status: view.status, score: view.score, version: view.version });
  if (view.page === 'held') return json(202, { status: 'held', retryAfterMs: view.retryAfterMs });
  if (view.page === 'refused' && byScript) return json(refusalCode(view.status), { status: view.status }, headers);
  const nonce = newNonce();
  const context = {
    brand: env().brand,
    brandFor: brandOf,
    questionFor: questionOf,
    token: event.pathParameters?.token ?? '',
    nonce,
    fallbackLanguage: languageOf(header(event, 'accept-language')),
  };
  const page = renderSurveyView(view, context);
  const result = html(page.code, page.body, nonce);
  return { ...result, headers: { ...result.headers, ...headers } };
}

async function respond(event: HttpEvent): Promise<HttpResult> {
  const method = event.requestContext.http.method;
  // Scanners send HEAD to every link: answered without reading, counting or writing anything.
  if (method === 'HEAD') return { statusCode: 200, headers: HEAD_HEADERS };
  const token = event.pathParameters?.token ?? '';
  const isComment = event.routeKey.endsWith('/comment');
  const deps = await responseDeps();
  // A POST is read first (size-limited) so that refusals below can answer the script in JSON.
  const form = method === 'POST' ? formBody(event, MAX_FORM_BYTES) : new URLSearchParams();
  const evidence = pageEvidenceKind(form.get('evidence'));
  const byScript = method === 'POST' && !isComment && (evidence === 'interaction' || evidence === 'dwell');

  const limits = await checkLimits(event, deps.links.verify(token), { limiter: rateLimiter(), limits: env().respond.limits, now: deps.now() });
  if (!limits.allowed) {
    logger.info('rate limited', { scope: limits.scope, method });
    return answer({ page: 'refused', status: 'rate-limited' }, event, byScript, { 'retry-after': String(limits.retryAfterSeconds) });
  }
  if (method === 'GET') {
    const visitor = { userAgent: header(event, 'user-agent'), sourceIp: event.requestContext.http.sourceIp }; // a person's open counts in the funnel
    return answer(await showSurveyLink({ token, score: parseScore(event.queryStringParameters?.s), visitor }, deps), event, false);
  }

  const crossSite = crossSiteReason(event, env().publicBaseUrl);
  if (crossSite) {
    logger.warn('cross-site post refused', { reason: crossSite });
    return answer({ page: 'refused', status: 'cross-site' }, event, byScript);
  }
  if (isComment) return answer(await submitComment({ token, comment: form.get('comment') ?? '' }, deps), event, false);

  const sourceIp = event.requestContext.http.sourceIp;
  const { view, ...logged } = await submitAnswer(
    {
      token,
      score: parseScore(form.get('score')),
      evidence: { kind: evidence, userAgent: header(event, 'user-agent'), sourceIp, openedAt: parseOpenedAt(form.get('opened')) },
      comment: form.get('comment') ?? undefined,
      byScript,
    },
    deps,
  );
  logger.info('answer', { ...logged, evidence });
  return answer(view, event, byScript);
}

/** A form over the size limit is a comment too long: the person gets the page that says so. */
const tooLarge = (error: unknown, event: HttpEvent) =>
  error instanceof HttpError && error.statusCode === 413 ? answer({ page: 'refused', status: 'comment-too-long' }, event, false) : undefined;

export const handler = middy(respond)
  .use(injectLambdaContext(logger))
  .use(contactHashKey())
  .use(httpErrors({ map: tooLarge }));
