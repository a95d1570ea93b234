import { describe, expect, it } from 'vitest';
import { renderDashboardPage } from '../../functions/dashboard/page.ts';
import { bearerMatches, handler as authorize } from '../../functions/read-api/authorizer.ts';
import { configure } from '../../functions/shared/env.ts';
import { TEXTS } from '../../surveys/texts/index.ts';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';

const KEY = 'k3y-0f-the-support-leads-123456';

describe('bearerMatches', () => {
  it.each([
    [`Bearer ${KEY}`, true],
    [`bearer ${KEY}`, true],
    [`Bearer ${KEY} `, true],
    [`Bearer ${KEY}x`, false],
    [KEY, false],
    [`Basic ${KEY}`, false],
    ['Bearer ', false],
    [undefined, false],
  ])('Should %s → %s', (header, expected) => {
    // Act
    const ok = bearerMatches(header, KEY);

    // Assess
    expect(ok).toBe(expected);
  });

  it('Should never accept a key shorter than 16 characters, even an exact match', () => {
    // Act
    const ok = bearerMatches('Bearer short', 'short');

    // Assess
    expect(ok).toBe(false);
  });
});

describe('the read API authorizer', () => {
  const event = (authorization?: string) =>
    ({
      type: 'REQUEST',
      routeKey: 'GET /api/scores',
      headers: authorization ? { authorization } : {},
      identitySource: authorization ? [authorization] : [],
    }) as unknown as APIGatewayRequestAuthorizerEventV2;

  it('Should authorize the dashboard key and refuse anything else', async () => {
    // Prepare
    configure({ READER_KEY: KEY });

    // Act
    const results = await Promise.all([authorize(event(`Bearer ${KEY}`)), authorize(event('Bearer guess-guess-guess-guess')), authorize(event())]);

    // Assess
    expect(results).toEqual([{ isAuthorized: true }, { isAuthorized: false }, { isAuthorized: false }]);
  });
});

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
    expect(inline).toEqual([' type="application/json" id="dashboard-texts"', ' type="application/json" id="funnel-texts"']);
    const data = JSON.parse(/<script type="application\/json" id="dashboard-texts">(.*?)<\/script>/s.exec(page)![1]!);
    expect(data.title).toBe(texts.title);
    expect(data.language).toBe(language);
  });
});
