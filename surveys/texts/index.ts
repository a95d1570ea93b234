/**
 * Every customer-facing and lead-facing string, per language. One interface types them all (types.ts), so a
 * language that misses a key (or has one too many) does not compile. Placeholders are `{name}`,
 * filled by `fill`; every language uses the same placeholders as English (tested).
 */
import type { Language, Metric } from '../model.ts';
import { SCALES } from '../scales.ts';
import { en } from './en.ts';
import { pl } from './pl.ts';

export type { DashboardTexts, MessageKind, MetricTexts, Texts } from './types.ts';
import type { MessageKind, Texts } from './types.ts';

export const MESSAGE_KINDS: readonly MessageKind[] = [
  'invalid-link',
  'expired',
  'rate-limited',
  'comment-too-long',
  'edit-closed',
  'not-found',
  'not-confirmed',
];

export const TEXTS: Record<Language, Texts> = { en, pl };

/** The texts of a language; anything unknown (or a locale like "pl-PL" not yet reduced) falls back sensibly. */
export function textsFor(language: Language | string | undefined): Texts {
  const primary = (language ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return Object.hasOwn(TEXTS, primary) ? TEXTS[primary as Language] : TEXTS.en;
}

/**
 * Replaces `{key}` with `vars[key]`. A placeholder with no value is left as it is, so a missing
 * variable shows up in tests instead of silently disappearing. Values are inserted verbatim:
 * escape for HTML afterwards (or before, for values only).
 */
export function fill(template: string, vars: Record<string, string | number | undefined> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = Object.hasOwn(vars, key) ? vars[key] : undefined;
    return value === undefined ? whole : String(value);
  });
}

/** The placeholder names a template uses, e.g. `["brand", "link"]`. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();
}

/**
 * Accessible name of one score, as used on email links and radio buttons: "Rate 7 out of 10",
 * with the end label on the two ends: "Rate 0 out of 10 – Not at all likely".
 */
export function scoreName(texts: Texts, metric: Metric, score: number): string {
  const { min, max } = SCALES[metric];
  const name = fill(texts.common.rateScore, { score, max });
  const m = texts.metrics[metric];
  if (score === min) return `${name} – ${m.lowLabel}`;
  if (score === max) return `${name} – ${m.highLabel}`;
  return name;
}
