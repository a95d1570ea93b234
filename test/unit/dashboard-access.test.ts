import { describe, expect, it } from 'vitest';
import { renderDashboardPage } from '../../functions/dashboard/page.ts';
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
    expect(inline).toEqual([' type="application/json" id="dashboard-texts"', ' type="application/json" id="funnel-texts"']);
    const data = JSON.parse(/<script type="application\/json" id="dashboard-texts">(.*?)<\/script>/s.exec(page)![1]!);
    expect(data.title).toBe(texts.title);
    expect(data.language).toBe(language);
  });
});
