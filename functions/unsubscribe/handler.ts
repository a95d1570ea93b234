/**
 * /u/{token} — unsubscribe from surveys (the List-Unsubscribe URL of every survey message).
 * GET (and HEAD) only show a confirmation page: scanners and previews follow links. POST unsubscribes —
 * the page's button, or a mail client's RFC 8058 one-click POST (`List-Unsubscribe=One-Click`, no
 * cookies, no other proof needed: the signed token is the proof). A forged or unknown token gets the
 * "link does not work" page with 404.
 */
import middy from '@middy/core';
import { languageOf } from '#surveys/model.ts';
import { renderMessagePage } from '#surveys/templates/pages.ts';
import { renderUnsubscribePage } from '#surveys/templates/unsubscribe-page.ts';
import { openUnsubscribe, unsubscribe, type UnsubscribeDeps } from '#surveys/use-cases/unsubscribe.ts';
import { contactStore, customerHistory, funnelMarks, linkSigner, responseStore, systemClock } from '#functions/shared/deps.ts';
import { env } from '#functions/shared/env.ts';
import { header, html, newNonce, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

async function unsubscribeRoute(event: HttpEvent): Promise<HttpResult> {
  const token = event.pathParameters?.token ?? '';
  const method = event.requestContext.http.method;
  const deps: UnsubscribeDeps = {
    links: await linkSigner(),
    invitations: responseStore(),
    profiles: customerHistory(),
    suppressions: contactStore(),
    now: systemClock,
    marks: funnelMarks(),
  };
  const brand = env().brand;
  const nonce = newNonce();
  if (method === 'HEAD') return { statusCode: 200, headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };

  const outcome = method === 'POST' ? await unsubscribe(token, deps) : await openUnsubscribe(token, deps);
  if (outcome.status === 'invalid-link') {
    return html(404, renderMessagePage({ language: languageOf(header(event, 'accept-language')), kind: 'invalid-link', brand, nonce }), nonce);
  }
  if (outcome.status === 'unsubscribed') logger.info('unsubscribed', { invitationId: outcome.invitation.id, channel: outcome.channel });
  const page = renderUnsubscribePage({
    language: outcome.invitation.locale,
    brand,
    channel: outcome.channel,
    token,
    nonce,
    done: outcome.status === 'unsubscribed',
  });
  return html(200, page, nonce);
}

export const handler = middy(unsubscribeRoute).use(injectLambdaContext(logger)).use(contactHashKey()).use(httpErrors());
