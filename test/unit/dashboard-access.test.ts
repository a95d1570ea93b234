import { afterEach, describe, expect, it } from 'vitest';
import { configure } from '../../functions/shared/env.ts';
import { localContext } from '../../local/lambda-context.ts';
import { apiGatewayEvent } from '../support/api-gateway.ts';
import { renderDashboardPage } from '../../functions/dashboard/page.ts';
import { DASHBOARD_CSP, dashboardCsp } from '../../functions/dashboard/handler.ts';
import { LOGIN_TEXTS } from '../../surveys/texts/dashboard-login.ts';
import { TEXTS } from '../../surveys/texts/index.ts';

describe('renderDashboardPage', () => {
  it.each(['en', 'pl'] as const)('Should render the %s texts, escaped, with no inline script to run', (language) => {
    // Prepare
    const texts = { ...TEXTS[language].dashboard, title: 'Oceny <script>alert(1)</script>' };

    // Act
    const page = renderDashboardPage(language, texts);

    // Assess
    expect(page).toContain(`<html lang="${language}">`);
    expect(page).not.toContain('<script>alert(1)</script>');
    const inline = [...page.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    // data only: the CSP allows no inline script
    expect(inline).toEqual([
      ' type="application/json" id="dashboard-texts"',
      ' type="application/json" id="funnel-texts"',
      ' type="application/json" id="quarantine-texts"',
      ' type="application/json" id="login-texts"',
    ]);
    const data = JSON.parse(/<script type="application\/json" id="dashboard-texts">(.*?)<\/script>/s.exec(page)![1]!);
    expect(data.title).toBe(texts.title);
    expect(data.language).toBe(language);
  });
});

describe('the dashboard login', () => {
  it.each(['en', 'pl'] as const)('Should offer a login in %s instead of asking for a key', (language) => {
    // Act
    const page = renderDashboardPage(language, TEXTS[language].dashboard);

    // Assess
    expect(page).toContain(`<button type="button" id="login-button">${LOGIN_TEXTS[language].logIn}</button>`);
    expect(page).toContain(`<button type="button" id="logout" hidden>${LOGIN_TEXTS[language].logOut}</button>`);
    expect(page).not.toMatch(/type="password"/);
  });

  it("Should let the page post to the token endpoint's origin and nowhere else", () => {
    // Act
    const csp = dashboardCsp('https://leads.auth.eu-central-1.amazoncognito.com/oauth2/token');

    // Assess
    expect(csp).toContain("connect-src 'self' https://leads.auth.eu-central-1.amazoncognito.com;");
    expect(csp.replace(' https://leads.auth.eu-central-1.amazoncognito.com', '')).toBe(DASHBOARD_CSP);
    expect(dashboardCsp(undefined)).toBe(DASHBOARD_CSP);
  });
});

describe('GET /dashboard/auth.json', () => {
  const get = async () => {
    const { handler } = await import('../../functions/dashboard/handler.ts');
    const result = await handler(apiGatewayEvent({ method: 'GET', route: '/dashboard/auth.json', path: '/dashboard/auth.json' }), localContext('dashboard'));
    return JSON.parse(result.body!);
  };
  afterEach(() => void configure());

  it('Should give the dashboard the issuer, its public client and the endpoints, and never a secret', async () => {
    // Prepare
    configure({
      AUTH_ISSUER: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_abc',
      AUTH_CLIENT_ID: 'client-123',
      AUTH_AUTHORIZATION_ENDPOINT: 'https://ankieta-leads.auth.eu-central-1.amazoncognito.com/oauth2/authorize',
      AUTH_TOKEN_ENDPOINT: 'https://ankieta-leads.auth.eu-central-1.amazoncognito.com/oauth2/token',
    });

    // Act
    const settings = await get();

    // Assess
    expect(settings).toMatchObject({ login: true, clientId: 'client-123', issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_abc' });
    expect(settings.tokenEndpoint).toMatch(/\/oauth2\/token$/);
    expect(JSON.stringify(settings)).not.toMatch(/secret/i);
  });

  it('Should say there is no login when none is configured (the local runtime before its provider)', async () => {
    // Prepare
    configure({ AUTH_CLIENT_ID: 'client-123' });

    // Act
    const settings = await get();

    // Assess
    expect(settings).toEqual({ login: false });
  });
});
