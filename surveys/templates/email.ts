/**
 * The survey email: one link per score, so that one click answers (the respond function then asks
 * for proof of a person before the answer counts — mail scanners follow every link).
 *
 * Mail-client constraints behind the markup: layout tables (Outlook's Word engine ignores most CSS
 * layout), inline styles only (Gmail drops most <style>), no images (blocked by default, and the
 * message must read without them), explicit text colour on every explicit background so that a
 * client's dark mode, whether it inverts colours or not, never leaves light text on a light
 * background; `color-scheme` meta tags tell Apple Mail and others that both schemes are fine.
 */
import type { Language, Metric } from '../model.ts';
import { SCALES, scoresOf } from '../scales.ts';
import { fill, scoreName, textsFor } from '../texts/index.ts';
import { html, type SafeHtml } from './html.ts';

export interface SurveyEmailInput {
  metric: Metric;
  language: Language;
  brand: string;
  /** The question as configured for this language and metric (surveys settings `questions`, `{brand}` filled in); absent: the built-in text. */
  question?: string;
  customerName?: string;
  /** The one-click link of a score. Called once per score of the scale. */
  ratingUrl: (score: number) => string;
  unsubscribeUrl: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
// Palette: every pair is ≥ 7:1 contrast (WCAG AAA), and nothing relies on colour alone.
const PAGE_BG = '#f4f4f5';
const CARD_BG = '#ffffff';
const TEXT = '#18181b';
const MUTED = '#3f3f46';
const BUTTON_BG = '#eff6ff';
const BUTTON_TEXT = '#1e3a8a';

export function renderSurveyEmail(input: SurveyEmailInput): RenderedEmail {
  const t = textsFor(input.language);
  const m = t.metrics[input.metric];
  const { min, max } = SCALES[input.metric];
  const brand = input.brand;
  const name = input.customerName?.trim();
  const greeting = name ? fill(t.email.greeting, { name }) : t.email.greetingNoName;
  const subject = oneLine(fill(m.subject, { brand }));
  const intro = fill(m.intro, { brand });
  const question = fill(input.question ?? m.question, { brand });
  const instruction = fill(m.instruction, { min, max });
  const scores = scoresOf(input.metric).map((score) => ({ score, url: input.ratingUrl(score), name: scoreName(t, input.metric, score) }));
  const cellWidth = `${Math.floor(100 / scores.length)}%`;

  const buttons: SafeHtml[] = scores.map(
    ({ score, url, name: label }) => html`<td width="${cellWidth}" align="center" style="padding:2px;">
<a href="${url}" aria-label="${label}" title="${label}" style="display:block;padding:10px 0;font-family:${FONT};font-size:16px;line-height:20px;font-weight:bold;text-align:center;text-decoration:none;color:${BUTTON_TEXT};background-color:${BUTTON_BG};border:1px solid ${BUTTON_TEXT};border-radius:6px;">${score}</a>
</td>`,
  );

  const body = html`<!DOCTYPE html>
<html lang="${input.language}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${subject}</title>
</head>
<body style="margin:0;padding:0;background-color:${PAGE_BG};color:${TEXT};">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${question}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${PAGE_BG};">
<tr><td align="center" style="padding:24px 8px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:${CARD_BG};border:1px solid #d4d4d8;border-radius:8px;">
<tr><td style="padding:24px 16px;font-family:${FONT};font-size:16px;line-height:24px;color:${TEXT};">
<p style="margin:0 0 16px;color:${TEXT};">${greeting}</p>
<p style="margin:0 0 24px;color:${TEXT};">${intro}</p>
<h1 style="margin:0 0 8px;font-size:20px;line-height:28px;font-weight:bold;color:${TEXT};">${question}</h1>
<p style="margin:0 0 12px;color:${MUTED};">${instruction} ${t.email.oneClick}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr>
${buttons}
</tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin-top:6px;">
<tr>
<td align="left" style="font-family:${FONT};font-size:13px;line-height:18px;color:${MUTED};">${min} = ${m.lowLabel}</td>
<td align="right" style="font-family:${FONT};font-size:13px;line-height:18px;color:${MUTED};">${max} = ${m.highLabel}</td>
</tr>
</table>
<p style="margin:24px 0 0;color:${TEXT};">${fill(t.email.signature, { brand })}</p>
</td></tr>
</table>
<p style="margin:16px 0 0;max-width:560px;font-family:${FONT};font-size:13px;line-height:18px;color:${MUTED};">${fill(t.email.footer, { brand })}
<a href="${input.unsubscribeUrl}" style="color:${BUTTON_TEXT};text-decoration:underline;">${t.email.unsubscribe}</a></p>
</td></tr>
</table>
</body>
</html>
`;

  const lines = scores.map(({ score, url }) => {
    const label = score === min ? ` – ${m.lowLabel}` : score === max ? ` – ${m.highLabel}` : '';
    return `${score}${label}: ${url}`;
  });
  const text = [
    greeting,
    '',
    intro,
    '',
    question,
    instruction,
    '',
    ...lines,
    '',
    fill(t.email.signature, { brand }),
    '',
    '--',
    fill(t.email.footer, { brand }),
    `${t.email.unsubscribe}: ${input.unsubscribeUrl}`,
    '',
  ].join('\n');

  return { subject, html: body.toString(), text };
}

/** A subject is one header line: no CR/LF, no runs of spaces. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
