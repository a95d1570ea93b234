/**
 * The unsubscribe pages. The GET page only asks: mail scanners and link previews follow every link,
 * so nothing may happen until a person presses the button. The button posts the same body a mail
 * client's one-click unsubscribe sends (RFC 8058: `List-Unsubscribe=One-Click`), to the same URL.
 * Same look, CSP and accessibility as the survey pages (their stylesheet, with the response's nonce).
 */
import type { Channel, Language } from '../model.ts';
import { fill, textsFor } from '../texts/index.ts';
import { html, raw } from './html.ts';
import { PAGE_STYLES } from './pages.ts';

export interface UnsubscribePageInput {
  language: Language;
  brand: string;
  channel: Channel;
  token: string;
  nonce: string;
  /** true: the confirmation after the POST; false: the question with the button. */
  done: boolean;
}

export function renderUnsubscribePage(input: UnsubscribePageInput): string {
  const t = textsFor(input.language);
  const u = t.unsubscribe;
  const channel = input.channel === 'email' ? u.channelEmail : u.channelSms;
  const vars = { brand: input.brand, channel };
  const title = input.done ? u.doneTitle : u.title;
  const content = input.done
    ? html`<h1>${u.doneTitle}</h1>
<p role="status">${fill(u.doneBody, vars)}</p>`
    : html`<h1>${u.title}</h1>
<p>${fill(u.confirm, vars)}</p>
<form method="post" action="/u/${encodeURIComponent(input.token)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">${u.button}</button>
</form>`;
  return html`<!DOCTYPE html>
<html lang="${t.language}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title} – ${input.brand}</title>
<style nonce="${input.nonce}">${raw(PAGE_STYLES)}</style>
</head>
<body>
<main>
<div class="card">
<p class="brand">${input.brand}</p>
${content}
</div>
</main>
</body>
</html>
`.toString();
}
