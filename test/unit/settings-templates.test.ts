/**
 * The settings the mails use: the question wording per language (the built-in text when none is set,
 * `{brand}` filled and escaped), and the From header of a store's sender under its brand.
 */
import { describe, expect, it } from 'vitest';
import { fromHeader } from '../../functions/adapters/ses/ses-email-sender.ts';
import { renderSurveyEmail } from '../../surveys/templates/email.ts';
import { renderRatingPage } from '../../surveys/templates/pages.ts';
import { questionFor } from '../../surveys/settings/apply.ts';
import { parseSettings } from '../../surveys/settings/load.ts';

const links = { ratingUrl: (s: number) => `https://x.example/r/t?s=${s}`, unsubscribeUrl: 'https://x.example/u/t' };
const settings = parseSettings(JSON.stringify({ questions: { pl: { nps: 'Czy poleciłbyś {brand} znajomym?' } } }), 'test');

describe('question wording from the settings', () => {
  it('Should ask the configured question with the brand filled in, escaped in HTML and plain in text', () => {
    // Act
    const mail = renderSurveyEmail({ metric: 'nps', language: 'pl', brand: 'A&B <Sklep>', question: questionFor(settings, 'pl', 'nps'), ...links });

    // Assess
    expect(mail.text).toContain('Czy poleciłbyś A&B <Sklep> znajomym?');
    expect(mail.html).toContain('Czy poleciłbyś A&amp;B &lt;Sklep&gt; znajomym?');
    expect(mail.html).not.toContain('<Sklep>');
  });

  it.each([
    ['en', 'nps', 'How likely are you to recommend Shop to a friend or colleague?'],
    ['pl', 'csat', 'Jak bardzo jesteś zadowolony(-a) z otrzymanej pomocy?'],
  ] as const)('Should keep the built-in %s %s question when the settings word none', (language, metric, builtIn) => {
    // Act
    const question = questionFor(settings, language, metric);
    const mail = renderSurveyEmail({ metric, language, brand: 'Shop', ...(question ? { question } : {}), ...links });

    // Assess
    expect(question).toBeUndefined();
    expect(mail.text).toContain(builtIn);
  });
});

describe('question wording on the survey page', () => {
  it('Should head the rating page with the configured question, the built-in one without it', () => {
    // Prepare
    const page = { language: 'pl', metric: 'nps', brand: 'Outlet Ali', score: 9, token: 't', nonce: 'n', commentMaxLength: 2000, saved: false } as const;

    // Act
    const configured = renderRatingPage({ ...page, question: questionFor(settings, 'pl', 'nps') });
    const builtIn = renderRatingPage(page);

    // Assess
    expect(configured).toContain('<h1 id="question">Czy poleciłbyś Outlet Ali znajomym?</h1>');
    expect(builtIn).toContain('<h1 id="question">Jak prawdopodobne jest, że polecisz firmę Outlet Ali znajomemu lub współpracownikowi?</h1>');
  });
});

describe('From header', () => {
  it('Should put an ASCII brand in quotes, escaping quotes and backslashes', () => {
    // Act & Assess
    expect(fromHeader({ address: 'a@shop.example', name: 'Ali "Best" \\ Shop' })).toBe('"Ali \\"Best\\" \\\\ Shop" <a@shop.example>');
    expect(fromHeader({ address: 'a@shop.example' })).toBe('a@shop.example');
  });

  it('Should encode a Polish brand as RFC 2047 words of at most 75 characters that decode back to it', () => {
    // Prepare
    const brand = 'Żółta Łódź — sklep z ręcznie robionymi zabawkami i książkami dla dzieci';

    // Act
    const header = fromHeader({ address: 'ankiety@lodz.example', name: `${brand}\r\nBcc: x@evil.example` });

    // Assess
    const words = header.slice(0, header.lastIndexOf(' <')).split(' ');
    expect(words.every((w) => /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/.test(w) && w.length <= 75)).toBe(true);
    const decoded = words.map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8')).join('');
    expect(decoded).toBe(`${brand} Bcc: x@evil.example`);
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.endsWith(' <ankiety@lodz.example>')).toBe(true);
  });
});
