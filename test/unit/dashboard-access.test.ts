import { describe, expect, it } from 'vitest';
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
