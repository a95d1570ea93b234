/**
 * Customer-supplied text (a comment, a name, an order id from a shop) in messages to support leads.
 * A comment can try to pass for the message's own lines ("Acknowledge and resolve: http://evil…") or
 * reverse what follows it with a bidi override (U+202E). Every channel renders such text so that it
 * cannot: invisible and direction controls are removed, a one-line value stays on one line, and a
 * comment is a quoted block whose every line carries the quote prefix.
 */

/**
 * Bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069), the implicit marks (U+200E,
 * U+200F, U+061C), zero-width characters, the BOM, line/paragraph separators, and C0/C1 controls
 * other than newline and tab (Unicode TR #9; CVE-2021-42574 "Trojan Source").
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u061C\uFEFF\u2028\u2029\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Without bidi or control characters; CR LF and CR become LF. */
export function withoutControls(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(INVISIBLE, '');
}

/** One line: controls removed, any run of whitespace (newlines included) becomes one space. */
export function singleLine(text: string, maxLength = 200): string {
  const line = withoutControls(text).replace(/\s+/g, ' ').trim();
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
}

/** The lines of a multi-line text, controls removed, blank runs collapsed, at most maxLines. */
export function textLines(text: string, maxLines = 30): string[] {
  const lines = withoutControls(text)
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim());
  const kept: string[] = [];
  for (const line of lines) if (line || (kept.length && kept[kept.length - 1])) kept.push(line);
  while (kept.length && !kept[kept.length - 1]) kept.pop();
  return kept.length > maxLines ? [...kept.slice(0, maxLines), '…'] : kept;
}

/** A plain-text quoted block: every line starts with `> `, so none can pass for a line of the message. */
export function quotedBlock(text: string, prefix = '> '): string {
  return textLines(text)
    .map((l) => `${prefix}${l}`.trimEnd())
    .join('\n');
}
