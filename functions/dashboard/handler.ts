/**
 * The support leads' dashboard: GET /dashboard (the page, Polish or English) and
 * GET /dashboard/assets/{file} (its scripts and styles, uPlot included: no CDN).
 *
 * The page holds no figures: its script reads them from the read API as a signed-in lead (the login
 * settings come from GET /dashboard/auth.json), so the page itself may be public. Texts come
 * from surveys/texts (dashboard section) and travel in a JSON data block; the CSP allows scripts and
 * styles from this origin only, and no inline script at all.
 */
import middy from '@middy/core';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { languageOf, type Language } from '#surveys/model.ts';
import { textsFor } from '#surveys/texts/index.ts';
import { DASHBOARD_ASSETS } from '#functions/dashboard/assets.ts';
import { renderDashboardPage } from '#functions/dashboard/page.ts';
import { env } from '#functions/shared/env.ts';
import { header, HttpError, json, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';

const here = dirname(fileURLToPath(import.meta.url));
const cache = new Map<string, string>();

/** On Lambda the bundle has the assets beside it (copied at bundling); locally they are read from the repository. */
function assetText(name: string): string | undefined {
  const asset = DASHBOARD_ASSETS[name];
  if (!asset) return undefined;
  let text = cache.get(name);
  if (text === undefined) {
    const bundled = join(here, 'assets', name);
    const path = existsSync(bundled) ? bundled : join(here, '..', '..', asset.source);
    text = readFileSync(path, 'utf8');
    cache.set(name, text);
  }
  return text;
}

export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The page may also post the login's code to the issuer's token endpoint (assets/login.js): its origin joins connect-src. */
export function dashboardCsp(tokenEndpoint: string | undefined): string {
  return tokenEndpoint ? DASHBOARD_CSP.replace("connect-src 'self'", `connect-src 'self' ${new URL(tokenEndpoint).origin}`) : DASHBOARD_CSP;
}

const SECURITY_HEADERS = {
  'content-security-policy': DASHBOARD_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

function pickLanguage(event: HttpEvent): Language {
  const asked = event.queryStringParameters?.lang;
  if (asked === 'pl' || asked === 'en') return asked;
  return languageOf(header(event, 'accept-language')?.split(',')[0]);
}

async function serve(event: HttpEvent): Promise<HttpResult> {
  if (event.routeKey === 'GET /dashboard') {
    const language = pickLanguage(event);
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        ...SECURITY_HEADERS,
        'content-security-policy': dashboardCsp(env().login?.tokenEndpoint),
      },
      body: renderDashboardPage(language, textsFor(language).dashboard),
    };
  }
  if (event.routeKey === 'GET /dashboard/auth.json') {
    // What the page needs to log in (functions/shared/principal.ts, point 4): public values, no secret.
    const login = env().login;
    return json(200, login ? { login: true, ...login, scopes: ['openid', 'email', 'profile'] } : { login: false }, SECURITY_HEADERS);
  }
  if (event.routeKey === 'GET /dashboard/assets/{file}') {
    const name = event.pathParameters?.file ?? '';
    const text = assetText(name);
    if (text === undefined) throw new HttpError(404, `no asset ${name}`);
    return {
      statusCode: 200,
      headers: { 'content-type': `${DASHBOARD_ASSETS[name]!.type}; charset=utf-8`, 'cache-control': 'public, max-age=300', ...SECURITY_HEADERS },
      body: text,
    };
  }
  throw new HttpError(404, `no route ${event.routeKey}`);
}

export const handler = middy(serve).use(injectLambdaContext(logger)).use(httpErrors());
