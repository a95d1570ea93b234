/** The rating and thank-you pages as this feature changed them: the confirm hint, notices, the comment kept when too long. */
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../surveys/model.ts';
import { escapeHtml } from '../../surveys/templates/html.ts';
import { renderRatingPage, renderThankYouPage } from '../../surveys/templates/pages.ts';
import { fill, textsFor } from '../../surveys/texts/index.ts';

const TOKEN = 'AbC-123_x.yZ0123456789ab';
const HOSTILE = '</textarea><script>alert(1)</script>';

describe.each(SUPPORTED_LOCALES)('pages in %s', (language) => {
  const t = textsFor(language);
  const rating = (overrides: Partial<Parameters<typeof renderRatingPage>[0]> = {}) =>
    renderRatingPage({ language, metric: 'nps', brand: 'Acme', score: 7, token: TOKEN, nonce: 'n', commentMaxLength: 2000, saved: false, ...overrides });
  const thanks = (overrides: Partial<Parameters<typeof renderThankYouPage>[0]> = {}) =>
    renderThankYouPage({
      language,
      metric: 'csat',
      brand: 'Acme',
      score: 5,
      commentSaved: false,
      token: TOKEN,
      nonce: 'n',
      commentMaxLength: 2000,
      ...overrides,
    });

  it('Should tell a person how to save the answer until it is saved', () => {
    // Act
    const unsaved = rating();
    const saved = rating({ saved: true });

    // Assess
    expect(unsaved).toContain(`<p id="confirm-hint" class="hint">${escapeHtml(t.common.confirmHint)}</p>`);
    expect(saved).not.toContain('<p id="confirm-hint"');
  });

  it('Should put a notice in the status line instead of "saved"', () => {
    // Act
    const page = rating({ saved: true, notice: t.common.notConfirmed });

    // Assess
    expect(page).toContain(`aria-live="polite">${escapeHtml(t.common.notConfirmed)}</p>`);
  });

  it('Should keep a refused, too long comment, escaped, with the message tied to the field and no maxlength cutting it', () => {
    // Act
    const page = thanks({ comment: `${HOSTILE}${'x'.repeat(2001)}`, commentTooLong: true });

    // Assess
    expect(page).toContain(`<p id="comment-error" class="error" role="alert">${escapeHtml(fill(t.common.commentTooLong, { max: 2000 }))}</p>`);
    expect(page).toMatch(/<textarea id="comment" name="comment" rows="4" aria-invalid="true" aria-describedby="comment-error comment-hint">/);
    expect(page).not.toMatch(/<textarea[^>]*maxlength/);
    expect(page).toContain(`${escapeHtml(HOSTILE)}${'x'.repeat(2001)}</textarea>`);
    expect(page).not.toContain('<script>alert');
  });

  it('Should show a saved comment back, escaped, and say what happens next', () => {
    // Act
    const page = thanks({ commentSaved: true, comment: HOSTILE });

    // Assess
    expect(page).toContain(`<blockquote class="comment">${escapeHtml(HOSTILE)}</blockquote>`);
    expect(page).toContain(escapeHtml(fill(t.metrics.csat.whatHappensNext, { brand: 'Acme' })));
    expect(page).not.toContain('<form');
  });
});
