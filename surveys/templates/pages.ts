/**
 * The pages a survey link leads to, served by the respond function.
 *
 * - Work without JavaScript: a plain form posts the score (evidence "button") and the comment.
 * - With JavaScript, the one click counts as soon as a person is clearly there: the first trusted
 *   interaction event (pointer, key, touch, scroll, focus) on a visible page posts the score once
 *   (evidence "interaction"); a page read for a few seconds without input posts it as "dwell", which
 *   the server holds and judges harder. A mail scanner that only fetches the page posts nothing. The
 *   script is a constant (no data inside: it reads the form), so it can be allowed by nonce or by hash.
 * - CSP-friendly: no inline `style=` or event-handler attributes; the one <style> and <script> carry
 *   the nonce. Suggested header: `default-src 'none'; script-src 'nonce-…'; style-src 'nonce-…';
 *   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`.
 * - Everything not written here is escaped (the `html` tag): brand, token, comment, texts.
 * - Accessible: `<html lang>`, labelled radio group and textarea, status in an aria-live region,
 *   visible focus, ≥ 44 px targets, contrast ≥ 7:1 in light and dark schemes, mobile viewport.
 */
import type { Language, Metric } from '../model.ts';
import { SCALES, scoresOf } from '../scales.ts';
import { fill, scoreName, textsFor, type MessageKind, type Texts } from '../texts/index.ts';
import { html, raw, type SafeHtml } from './html.ts';

export type { MessageKind } from '../texts/index.ts';

/** The stylesheet of every page; exported so that a CSP hash can be computed for it if needed. */
export const PAGE_STYLES = `
:root{color-scheme:light dark;--bg:#f4f4f5;--card:#ffffff;--text:#18181b;--muted:#3f3f46;--border:#a1a1aa;--accent:#1e3a8a;--accent-bg:#eff6ff;--focus:#92400e;--error:#991b1b}
@media (prefers-color-scheme:dark){:root{--bg:#18181b;--card:#27272a;--text:#fafafa;--muted:#d4d4d8;--border:#71717a;--accent:#bfdbfe;--accent-bg:#172554;--focus:#fcd34d;--error:#fecaca}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:38rem;margin:0 auto;padding:1.5rem 1rem}
.card{background:var(--card);border:1px solid var(--border);border-radius:.5rem;padding:1.5rem 1rem}
.brand{margin:0 0 1rem;font-weight:600;color:var(--muted)}
h1{margin:0 0 .75rem;font-size:1.375rem;line-height:1.3}
p{margin:0 0 1rem}
fieldset{margin:0 0 1rem;padding:0;border:0}
legend{margin:0 0 .5rem;padding:0;font-weight:600}
.scale{display:flex;flex-wrap:wrap;gap:.375rem}
.scale label{flex:1 0 2.75rem;display:flex;flex-direction:column;align-items:center;gap:.25rem;min-height:44px;padding:.5rem .25rem;border:1px solid var(--accent);border-radius:.375rem;background:var(--accent-bg);color:var(--accent);font-weight:700;cursor:pointer}
.scale input{width:1.25rem;height:1.25rem;margin:0;accent-color:var(--accent)}
.scale label:has(input:checked){background:var(--accent);color:var(--card)}
.scale label:has(input:checked) input{accent-color:var(--card)}
.ends{display:flex;justify-content:space-between;gap:1rem;margin-top:.375rem;font-size:.875rem;color:var(--muted)}
.field-label{display:block;margin:1rem 0 .375rem;font-weight:600}
textarea{display:block;width:100%;min-height:6rem;padding:.5rem;font:inherit;color:var(--text);background:var(--card);border:1px solid var(--muted);border-radius:.375rem}
.hint{margin:.25rem 0 1rem;font-size:.875rem;color:var(--muted)}
button{min-height:44px;padding:.625rem 1.5rem;font:inherit;font-weight:700;color:var(--card);background:var(--accent);border:0;border-radius:.375rem;cursor:pointer}
.status{min-height:1.5rem;font-weight:600}
.error{font-weight:600;color:var(--error)}
blockquote.comment{margin:0 0 1rem;padding:.5rem .75rem;border-left:4px solid var(--border);white-space:pre-wrap;overflow-wrap:anywhere}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
`;

/**
 * The rating page's script. It reads everything from the form (action, checked score, when the page
 * was opened, status texts in data- attributes), so it never contains request data.
 *
 * - Interaction: after the first trusted interaction it posts the checked score, but not before the
 *   page has been open `MIN_DWELL_MS` (the server refuses answers within 2 s of a link's opening:
 *   sandboxes that "interact" and move on never stay that long), and only once the choice has settled
 *   for `SETTLE_MS` — arrowing through the radios sends the last score, not each one passed (no
 *   passing detractor score, no alert). A pending post is sent at once when the page is being hidden.
 * - Dwell: a person who only reads is counted too. Once the page has been visible (Page Visibility
 *   API) for `READ_MS` without any input, it posts the score as evidence "dwell" with the time the
 *   page was opened. The server holds it (202) and the script asks again when the hold is over; the
 *   due sweep confirms it anyway if the page is gone by then.
 * - Stronger evidence is posted again for the same score (dwell → interaction), never weaker.
 * - The status says "saved" only once the server says so; a refused dwell stays quiet (the hint
 *   under the scores already asks for Send). Posts are chained so that the last choice wins.
 */
export const RATING_SCRIPT = `
(function () {
  var SETTLE_MS = 300;
  var MIN_DWELL_MS = 2500;
  var READ_MS = 3000;
  var RANK = { dwell: 1, interaction: 2, button: 3 };
  var openedAt = Date.now();
  var form = document.getElementById('rating-form');
  var status = document.getElementById('status');
  var chosen = document.getElementById('chosen');
  var hint = document.getElementById('confirm-hint');
  if (!form || !status || !window.fetch) return;
  var url = form.getAttribute('action');
  var pageOpened = form.getAttribute('data-opened') || '';
  var events = ['pointermove', 'pointerdown', 'keydown', 'touchstart', 'scroll', 'focusin'];
  var checked = function () {
    var input = form.querySelector('input[name="score"]:checked');
    return input ? input.value : null;
  };
  var posted = form.getAttribute('data-saved') === 'true' ? checked() : null;
  var postedAs = posted === null ? null : form.getAttribute('data-saved-evidence') || 'button';
  var touched = false;
  var queue = Promise.resolve();
  var timer = null;
  var reading = null;
  var retry = null;
  var send = function (score, evidence, leaving) {
    queue = queue.then(function () {
      return fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        credentials: 'same-origin',
        keepalive: leaving === true,
        body: 'score=' + encodeURIComponent(score) + '&evidence=' + evidence + (evidence === 'dwell' ? '&opened=' + encodeURIComponent(pageOpened) : '')
      }).then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        if (posted !== score || postedAs !== evidence) return;
        if (response.status === 202) {
          return response.json().then(function (held) {
            if (retry !== null) clearTimeout(retry);
            retry = setTimeout(function () {
              retry = null;
              if (posted === score && postedAs === evidence) send(score, evidence);
            }, Math.max(1000, Number(held.retryAfterMs) || 30000) + 500);
          });
        }
        status.textContent = form.getAttribute('data-text-saved');
        if (hint) hint.hidden = true;
      }).catch(function () {
        if (posted !== score || postedAs !== evidence) return;
        posted = null;
        postedAs = null;
        if (evidence !== 'dwell') status.textContent = form.getAttribute('data-text-failed');
      });
    });
  };
  var post = function (score, evidence, leaving) {
    if (score === null || (score === posted && RANK[evidence] <= RANK[postedAs])) return;
    posted = score;
    postedAs = evidence;
    if (evidence !== 'dwell') status.textContent = form.getAttribute('data-text-saving');
    send(score, evidence, leaving);
  };
  var stopReading = function () {
    if (reading !== null) clearTimeout(reading);
    reading = null;
  };
  var startReading = function () {
    if (reading !== null || touched || posted !== null || document.visibilityState !== 'visible') return;
    reading = setTimeout(function () {
      reading = null;
      if (!touched && document.visibilityState === 'visible') post(checked(), 'dwell');
    }, READ_MS);
  };
  var settle = function () {
    if (timer !== null) clearTimeout(timer);
    var wait = Math.max(SETTLE_MS, MIN_DWELL_MS - (Date.now() - openedAt));
    timer = setTimeout(function () { timer = null; post(checked(), 'interaction'); }, wait);
  };
  var onFirstInteraction = function (event) {
    if (!event.isTrusted || document.visibilityState !== 'visible') return;
    events.forEach(function (name) { window.removeEventListener(name, onFirstInteraction, true); });
    touched = true;
    stopReading();
    settle();
  };
  events.forEach(function (name) {
    window.addEventListener(name, onFirstInteraction, { capture: true, passive: true });
  });
  form.addEventListener('change', function (event) {
    var target = event.target;
    if (!event.isTrusted || !target || target.name !== 'score') return;
    if (chosen) chosen.textContent = (form.getAttribute('data-text-chosen') || '').replace('{score}', target.value);
    touched = true;
    stopReading();
    settle();
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') return startReading();
    stopReading();
    if (document.visibilityState !== 'hidden' || timer === null) return;
    clearTimeout(timer);
    timer = null;
    post(checked(), 'interaction', true);
  });
  startReading();
})();
`;

export interface RatingPageInput {
  language: Language;
  metric: Metric;
  brand: string;
  score: number;
  token: string;
  nonce: string;
  commentMaxLength: number;
  /** The answer is already saved (shown in the status line; the script does not post it again). */
  saved: boolean;
  /** The saved answer's evidence: the script posts again only with stronger evidence. */
  savedEvidence?: string;
  /** When this page was opened (epoch ms, as the link opens note it): a dwell answer reports it. */
  openedAt?: number;
  comment?: string;
  /** A notice for the status line instead of "saved", e.g. that the answer could not be confirmed yet. */
  notice?: string;
}

/** The page a one-click link opens: the chosen score, the other scores, an optional comment. */
export function renderRatingPage(input: RatingPageInput): string {
  const t = textsFor(input.language);
  const m = t.metrics[input.metric];
  const { min, max } = SCALES[input.metric];
  const action = `/r/${encodeURIComponent(input.token)}`;

  const radios = scoresOf(input.metric).map(
    (s) =>
      html`<label><input type="radio" name="score" value="${s}" aria-label="${scoreName(t, input.metric, s)}"${
        s === input.score ? raw(' checked') : ''
      }><span aria-hidden="true">${s}</span></label>`,
  );

  const content = html`<h1 id="question">${fill(m.question, { brand: input.brand })}</h1>
<p id="chosen">${Number.isInteger(input.score) ? fill(t.common.yourScore, { score: input.score, max }) : ''}</p>
<form method="post" action="${action}" id="rating-form" data-saved="${String(input.saved)}" data-saved-evidence="${input.savedEvidence ?? ''}" data-opened="${input.openedAt ?? ''}" data-text-chosen="${fill(t.common.yourScore, { max })}" data-text-saving="${t.common.saving}" data-text-saved="${t.common.saved}" data-text-failed="${t.common.saveFailed}">
<input type="hidden" name="evidence" value="button">
<fieldset aria-describedby="question">
<legend>${t.common.changeScore}</legend>
<div class="scale">
${radios}
</div>
<div class="ends" aria-hidden="true"><span>${min} = ${m.lowLabel}</span><span>${max} = ${m.highLabel}</span></div>
</fieldset>
<p id="status" class="status" role="status" aria-live="polite">${input.notice ?? (input.saved ? t.common.saved : '')}</p>
${input.saved ? '' : html`<p id="confirm-hint" class="hint">${t.common.confirmHint}</p>`}
${commentField(t, m.commentPrompt, input.commentMaxLength, input.comment)}
<button type="submit">${t.common.send}</button>
</form>
<script nonce="${input.nonce}">${raw(RATING_SCRIPT)}</script>`;

  return page({ t, brand: input.brand, title: fill(t.common.pageTitle, { brand: input.brand }), nonce: input.nonce, content });
}

export interface ThankYouPageInput {
  language: Language;
  metric: Metric;
  brand: string;
  score: number;
  commentSaved: boolean;
  token: string;
  nonce: string;
  commentMaxLength: number;
  /** The comment as saved (shown back, escaped), or as typed when it was refused (kept for editing). */
  comment?: string;
  /** The typed comment was refused for its length: say so next to the field, keep the text. */
  commentTooLong?: boolean;
}

/** After the form post (no JavaScript): thanks, what happens next, and the comment form if no comment yet. */
export function renderThankYouPage(input: ThankYouPageInput): string {
  const t = textsFor(input.language);
  const m = t.metrics[input.metric];
  const { max } = SCALES[input.metric];
  const action = `/r/${encodeURIComponent(input.token)}/comment`;

  const commentPart = input.commentSaved
    ? html`<p class="status" role="status">${t.common.commentSaved}</p>
${input.comment ? html`<blockquote class="comment">${input.comment}</blockquote>` : ''}`
    : html`<form method="post" action="${action}">
${input.commentTooLong ? html`<p id="comment-error" class="error" role="alert">${fill(t.common.commentTooLong, { max: input.commentMaxLength })}</p>` : ''}
${commentField(t, m.commentPrompt, input.commentMaxLength, input.comment, input.commentTooLong)}
<button type="submit">${t.common.send}</button>
</form>`;

  const content = html`<h1>${m.thankYouHeading}</h1>
<p>${fill(t.common.yourScore, { score: input.score, max })}</p>
<p>${fill(m.thankYouBody, { brand: input.brand })}</p>
<p>${fill(m.whatHappensNext, { brand: input.brand })}</p>
${commentPart}`;

  return page({ t, brand: input.brand, title: fill(t.common.pageTitle, { brand: input.brand }), nonce: input.nonce, content });
}

export interface MessagePageInput {
  language: Language;
  kind: MessageKind;
  brand: string;
  /** CSP nonce for the stylesheet; without it the respond function must allow `PAGE_STYLES` by hash. */
  nonce?: string;
  /** For 'comment-too-long': the limit, to say it. */
  commentMaxLength?: number;
}

/** A friendly page for links that do not (or no longer) work, rate limits, and refused input. */
export function renderMessagePage(input: MessagePageInput): string {
  const t = textsFor(input.language);
  const message = t.pages[input.kind];
  const limit =
    input.kind === 'comment-too-long' && input.commentMaxLength !== undefined
      ? html`<p>${fill(t.common.commentTooLong, { max: input.commentMaxLength })}</p>`
      : '';
  const content = html`<h1>${message.title}</h1>
<p>${message.body}</p>
${limit}`;
  return page({ t, brand: input.brand, title: `${message.title} – ${input.brand}`, nonce: input.nonce, content });
}

function commentField(t: Texts, prompt: string, maxLength: number, comment?: string, invalid = false): SafeHtml {
  // A refused comment is longer than maxlength: the attribute is left out so the browser keeps all of it for editing.
  const limits = invalid
    ? html` aria-invalid="true" aria-describedby="comment-error comment-hint"`
    : html` maxlength="${maxLength}" aria-describedby="comment-hint"`;
  return html`<label class="field-label" for="comment">${prompt}</label>
<textarea id="comment" name="comment" rows="4"${limits}>
${comment ?? ''}</textarea>
<p id="comment-hint" class="hint">${fill(t.common.commentHint, { max: maxLength })}</p>`;
}

function page(p: { t: Texts; brand: string; title: string; nonce: string | undefined; content: SafeHtml }): string {
  const nonceAttr = p.nonce === undefined ? '' : html` nonce="${p.nonce}"`;
  return html`<!DOCTYPE html>
<html lang="${p.t.language}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${p.title}</title>
<style${nonceAttr}>${raw(PAGE_STYLES)}</style>
</head>
<body>
<main>
<div class="card">
<p class="brand">${p.brand}</p>
${p.content}
</div>
</main>
</body>
</html>
`.toString();
}
