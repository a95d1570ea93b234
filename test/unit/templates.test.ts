import { describe, expect, it } from 'vitest';
import { METRICS, SUPPORTED_LOCALES, type Language, type Metric } from '../../surveys/model.ts';
import { SCALES, scoresOf } from '../../surveys/scales.ts';
import { MESSAGE_KINDS, scoreName, textsFor } from '../../surveys/texts/index.ts';
import { renderSurveyEmail } from '../../surveys/templates/email.ts';
import { escapeHtml, html, raw } from '../../surveys/templates/html.ts';
import { renderMessagePage, renderRatingPage, renderThankYouPage } from '../../surveys/templates/pages.ts';
import { renderSurveySms, smsSegments } from '../../surveys/templates/sms.ts';

const HOSTILE = '<script>alert(1)</script>';
const TOKEN = 'AbC-123_x.yZ0123456789ab';
const NONCE = 'n0nc3-Abc';

/** Undoes escapeHtml, to compare attribute values with what went in. */
const unescape = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const ratingUrl = (score: number): string => `https://surveys.example.com/r/${TOKEN}?s=${score}&src=email`;

function emailFactory(metric: Metric, language: Language, overrides: Partial<Parameters<typeof renderSurveyEmail>[0]> = {}) {
  return renderSurveyEmail({
    metric,
    language,
    brand: 'Acme & Co',
    customerName: 'Ala',
    ratingUrl,
    unsubscribeUrl: 'https://surveys.example.com/u/xyz?a=1&b=2',
    ...overrides,
  });
}

describe('escapeHtml and html``', () => {
  it('Should escape the five significant characters', () => {
    // Prepare / Act / Assess
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('Should escape interpolations but keep nested markup', () => {
    // Prepare
    const inner = html`<b>${HOSTILE}</b>`;

    // Act
    const out = html`<p title="${'"x"'}">${inner}${[raw('<br>'), 'a&b']}${null}${false}${3}</p>`.toString();

    // Assess
    expect(out).toBe('<p title="&quot;x&quot;"><b>&lt;script&gt;alert(1)&lt;/script&gt;</b><br>a&amp;b3</p>');
  });
});

describe.each(METRICS.flatMap((metric) => SUPPORTED_LOCALES.map((language) => [metric, language] as const)))('survey email %s in %s', (metric, language) => {
  const scores = scoresOf(metric);
  const t = textsFor(language);

  it('Should have one rating link per score, with its URL and accessible name', () => {
    // Prepare
    const { html: body } = emailFactory(metric, language);

    // Act
    const links = [...body.matchAll(/<a href="([^"]*)" aria-label="([^"]*)" title="([^"]*)"[^>]*>([^<]*)<\/a>/g)];

    // Assess
    expect(links).toHaveLength(scores.length);
    links.forEach((link, i) => {
      const score = scores[i]!;
      expect(unescape(link[1]!)).toBe(ratingUrl(score));
      expect(unescape(link[2]!)).toBe(scoreName(t, metric, score));
      expect(unescape(link[3]!)).toBe(scoreName(t, metric, score));
      expect(link[4]).toBe(String(score));
    });
    expect(body).toContain('&amp;src=email');
  });

  it('Should escape a hostile customer name and brand', () => {
    // Prepare / Act
    const { html: body, subject } = emailFactory(metric, language, { customerName: HOSTILE, brand: `Evil"><img src=x onerror=alert(1)>` });

    // Assess
    expect(body).not.toContain('<script>');
    expect(body).not.toContain('<img');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('Should list every score and its URL in the text part, and the unsubscribe link', () => {
    // Prepare / Act
    const { text } = emailFactory(metric, language);

    // Assess
    for (const score of scores) expect(text).toMatch(new RegExp(`^${score}( – [^:]+)?: ${escapeRegExp(ratingUrl(score))}$`, 'm'));
    expect(text).toContain('https://surveys.example.com/u/xyz?a=1&b=2');
    expect(text).toContain(t.metrics[metric].lowLabel);
    expect(text).toContain(t.metrics[metric].highLabel);
  });

  it('Should declare its language, colour schemes and the end labels', () => {
    // Prepare / Act
    const { html: body, subject } = emailFactory(metric, language);

    // Assess
    expect(body).toContain(`<html lang="${language}"`);
    expect(body).toContain('<meta name="color-scheme" content="light dark">');
    expect(body).toContain(escapeHtml(t.metrics[metric].lowLabel));
    expect(body).toContain(escapeHtml(t.metrics[metric].highLabel));
    expect(body).not.toMatch(/<img|<script|<style/);
    expect(subject.length).toBeGreaterThan(0);
  });

  it('Should greet without a name when there is none', () => {
    // Prepare / Act
    const { text } = emailFactory(metric, language, { customerName: '  ' });

    // Assess
    expect(text.split('\n')[0]).toBe(t.email.greetingNoName);
  });
});

describe('SMS', () => {
  const link = 'https://ank.example.com/r/AbCdEfGhIjKlMn'; // 40 characters

  it.each(METRICS)('Should fit the English %s invitation in one GSM-7 segment', (metric) => {
    // Prepare / Act
    const text = renderSurveySms({ metric, language: 'en', brand: 'Example Shop', link });

    // Assess
    expect(link).toHaveLength(40);
    expect(text).toContain(link);
    expect(text).toContain(`${SCALES[metric].min}-${SCALES[metric].max}`);
    expect(smsSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it.each(METRICS)('Should send the Polish %s invitation without diacritics in one GSM-7 segment rather than two in UCS-2', (metric) => {
    // Prepare / Act
    const text = renderSurveySms({ metric, language: 'pl', brand: 'Example Shop', link });

    // Assess
    expect(smsSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(text).toContain('Odpisz liczba');
  });

  it.each([
    ['', 'GSM-7', 0, 0],
    ['Hello @ £1 è', 'GSM-7', 1, 12],
    ['a'.repeat(160), 'GSM-7', 1, 160],
    ['a'.repeat(161), 'GSM-7', 2, 161],
    ['a'.repeat(306), 'GSM-7', 2, 306],
    ['a'.repeat(307), 'GSM-7', 3, 307],
    ['{€}', 'GSM-7', 1, 6],
    ['a'.repeat(80) + '€'.repeat(40), 'GSM-7', 1, 160],
    [`${'a'.repeat(152)}€${'a'.repeat(152)}`, 'GSM-7', 3, 306], // an escape pair never splits: 152 | 2 + 151 | 1
    ['zażółć', 'UCS-2', 1, 6],
    ['ą'.repeat(70), 'UCS-2', 1, 70],
    ['ą'.repeat(71), 'UCS-2', 2, 71],
    ['ą'.repeat(134), 'UCS-2', 2, 134],
    ['ą'.repeat(135), 'UCS-2', 3, 135],
    [`${'a'.repeat(66)}😀`, 'UCS-2', 1, 68],
    [`${'a'.repeat(66)}😀${'a'.repeat(10)}`, 'UCS-2', 2, 78], // the surrogate pair moves to part 2
    ['“quoted”', 'UCS-2', 1, 8],
  ] as const)('Should count %j as %s in %i segment(s) of length %i', (text, encoding, segments, length) => {
    // Prepare / Act
    const result = smsSegments(text);

    // Assess
    expect(result).toEqual({ encoding, segments, length });
  });
});

describe.each(METRICS.flatMap((metric) => SUPPORTED_LOCALES.map((language) => [metric, language] as const)))('rating page %s in %s', (metric, language) => {
  const t = textsFor(language);
  const score = SCALES[metric].min + 1;
  const render = (overrides: Partial<Parameters<typeof renderRatingPage>[0]> = {}) =>
    renderRatingPage({ language, metric, brand: 'Acme', score, token: TOKEN, nonce: NONCE, commentMaxLength: 500, saved: false, ...overrides });

  it('Should post a form to /r/{token} with the score radios, evidence, comment and send button', () => {
    // Prepare / Act
    const page = render();

    // Assess
    expect(page).toContain(`<html lang="${language}"`);
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toMatch(new RegExp(`<form method="post" action="/r/${escapeRegExp(TOKEN)}"`));
    expect(page).toContain('<input type="hidden" name="evidence" value="button">');
    const radios = [...page.matchAll(/<input type="radio" name="score" value="(\d+)" aria-label="([^"]*)"( checked)?>/g)];
    expect(radios.map((r) => Number(r[1]))).toEqual(scoresOf(metric));
    expect(radios.filter((r) => r[3]).map((r) => Number(r[1]))).toEqual([score]);
    expect(radios.map((r) => unescape(r[2]!))).toEqual(scoresOf(metric).map((s) => scoreName(t, metric, s)));
    expect(page).toMatch(/<textarea id="comment" name="comment" rows="4" maxlength="500"/);
    expect(page).toContain(`<button type="submit">${escapeHtml(t.common.send)}</button>`);
    expect(page).toContain('role="status" aria-live="polite"></p>');
  });

  it('Should escape a hostile comment and brand', () => {
    // Prepare / Act
    const page = render({ comment: `</textarea>${HOSTILE}`, brand: HOSTILE });

    // Assess
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('</textarea><script');
    expect(page).toContain('&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('Should put the nonce on every script and style, and no inline style or handler attributes', () => {
    // Prepare / Act
    const page = render({ nonce: 'a"b' });

    // Assess
    const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual(['<script nonce="a&quot;b">']);
    expect([...page.matchAll(/<style\b[^>]*>/g)].map((m) => m[0])).toEqual(['<style nonce="a&quot;b">']);
    expect(page).not.toMatch(/\sstyle="/);
    expect(page).not.toMatch(/\son[a-z]+="/);
  });

  it('Should say the answer is saved when it is', () => {
    // Prepare / Act
    const page = render({ saved: true });

    // Assess
    expect(page).toContain(`aria-live="polite">${escapeHtml(t.common.saved)}</p>`);
    expect(page).toContain('data-saved="true"');
  });

  it('Should escape and encode an odd token', () => {
    // Prepare / Act
    const page = render({ token: 'a"b<c' });

    // Assess
    expect(page).toContain('action="/r/a%22b%3Cc"');
  });
});

describe.each(METRICS.flatMap((metric) => SUPPORTED_LOCALES.map((language) => [metric, language] as const)))('thank-you page %s in %s', (metric, language) => {
  const t = textsFor(language);
  const render = (commentSaved: boolean) =>
    renderThankYouPage({ language, metric, brand: HOSTILE, score: SCALES[metric].max, commentSaved, token: TOKEN, nonce: NONCE, commentMaxLength: 300 });

  it('Should thank, say what happens next, and offer the comment form', () => {
    // Prepare / Act
    const page = render(false);

    // Assess
    expect(page).toContain(`<html lang="${language}"`);
    expect(page).toContain(escapeHtml(t.metrics[metric].thankYouHeading));
    expect(page).toContain(`<form method="post" action="/r/${TOKEN}/comment">`);
    expect(page).toMatch(/<textarea id="comment" name="comment" rows="4" maxlength="300"/);
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<script>alert');
  });

  it('Should not offer the comment form once a comment is saved', () => {
    // Prepare / Act
    const page = render(true);

    // Assess
    expect(page).not.toContain('<form');
    expect(page).toContain(escapeHtml(t.common.commentSaved));
  });
});

describe.each(MESSAGE_KINDS.flatMap((kind) => SUPPORTED_LOCALES.map((language) => [kind, language] as const)))('message page %s in %s', (kind, language) => {
  it('Should show the localized title and body, escaping the brand', () => {
    // Prepare
    const t = textsFor(language);

    // Act
    const page = renderMessagePage({ language, kind, brand: HOSTILE, commentMaxLength: 1000 });

    // Assess
    expect(page).toContain(`<html lang="${language}"`);
    expect(page).toContain(`<h1>${escapeHtml(t.pages[kind].title)}</h1>`);
    expect(page).toContain(escapeHtml(t.pages[kind].body));
    expect(page).not.toContain('<script');
    if (kind === 'comment-too-long') expect(page).toContain('1000');
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('rating page opened without a score (SMS short link)', () => {
  it('Should offer every score with none chosen and never print NaN', async () => {
    // Prepare
    const { renderRatingPage } = await import('../../surveys/templates/pages.ts');

    // Act
    const page = renderRatingPage({
      language: 'pl',
      metric: 'csat',
      brand: 'Sklep',
      score: Number.NaN,
      token: 'tok',
      nonce: 'n',
      commentMaxLength: 2000,
      saved: false,
    });

    // Assess
    expect(page).not.toContain('NaN');
    expect(page.match(/type="radio"/g)).toHaveLength(5);
    expect(page).not.toMatch(/<input[^>]*\schecked/);
  });
});
