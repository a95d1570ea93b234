/**
 * GET /s/{code} — the short link of an SMS survey: a 302 to the survey page (/r/{token}). SMS are
 * short (160 GSM-7 or 70 UCS-2 characters a segment), a full signed link is not. The redirect writes
 * nothing and answers nothing: the page it leads to asks for the answer like any survey link.
 */
import middy from '@middy/core';
import { languageOf } from '#surveys/model.ts';
import { renderMessagePage } from '#surveys/templates/pages.ts';
import { SHORT_CODE_PATTERN, surveyLinks } from '#surveys/use-cases/send-due.ts';
import { contactStore, linkSigner } from '#functions/shared/deps.ts';
import { env } from '#functions/shared/env.ts';
import { header, html, newNonce, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

async function shortLink(event: HttpEvent): Promise<HttpResult> {
  const code = event.pathParameters?.code ?? '';
  // A code that cannot exist is refused before any read.
  const invitationId = SHORT_CODE_PATTERN.test(code) ? await contactStore().resolveShortLink(code) : undefined;
  if (!invitationId) {
    const nonce = newNonce();
    return html(404, renderMessagePage({ language: languageOf(header(event, 'accept-language')), kind: 'invalid-link', brand: env().brand, nonce }), nonce);
  }
  const location = surveyLinks(env().publicBaseUrl, (await linkSigner()).sign(invitationId)).survey;
  return { statusCode: 302, headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
}

export const handler = middy(shortLink).use(injectLambdaContext(logger)).use(contactHashKey()).use(httpErrors());
