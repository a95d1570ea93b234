/**
 * Sample comments for the dashboard without personal data: what identifies a person is replaced by a
 * placeholder (e-mail addresses, links, phone numbers, long numbers such as order or account numbers, and a
 * name after a form of address: "pani Ania" → "pani …"). A name written without a form of address cannot
 * be told from a word, so samples are short and shown only to leads who may read the comments anyway.
 */
const RULES: Array<[RegExp, string]> = [
  [/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu, '[e-mail]'],
  [/\b(?:https?:\/\/|www\.)\S+/giu, '[link]'],
  [/\d{5,}/gu, '[number]'],
  [/\+?\d[\d\s().-]{7,}\d/gu, '[phone]'],
  // Case-sensitive on purpose: only a capitalised word after the form of address is taken for a name.
  [/(?<![\p{L}])([Pp]an(?:i|u|em|a|ią)?|P[Aa][Nn][Ii]?|M(?:r|rs|s|iss))\.?\s+\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)?/gu, '$1 …'],
];

/** The comment with personal data replaced, cut to `max` characters at a word boundary. */
export function redactComment(comment: string, max = 240): string {
  let text = comment.replace(/\s+/g, ' ').trim();
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20))}…`;
}
