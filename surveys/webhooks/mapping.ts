/** What the provider mappings share: the result type and the clean-up of loosely typed provider fields. */
import * as z from '../zod.ts';
import { incomingEventSchema, type IncomingEvent } from '../model.ts';
import { mobileE164 } from '../phone/index.ts';

export type WebhookMapping =
  | { kind: 'event'; event: IncomingEvent }
  /** A topic or status ankieta does not act on: acknowledged (2xx) so the provider does not retry it. */
  | { kind: 'ignored'; reason: string }
  /** Signed, but not a payload ankieta can use: kept (quarantine) with these field errors. */
  | { kind: 'invalid'; error: z.core.$ZodError };

/** Provider placeholders render missing values as "" or null: both mean absent. */
export const optionalText = (max: number) =>
  z.pipe(
    z.transform((v: unknown) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : typeof v === 'string' ? v.trim() : v)),
    z.optional(z.string().check(z.maxLength(max))),
  );

/** Ids arrive as numbers (Shopify) or strings (Zendesk placeholders). */
export const idText = z.pipe(z.union([z.string().check(z.trim(), z.minLength(1), z.maxLength(128)), z.int().check(z.nonnegative())]), z.transform(String));

/** A phone as E.164 when it is one (with or without formatting), otherwise dropped: SMS needs a valid number. */
export function e164(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  return mobileE164(phone);
}

const LANGUAGE_NAMES: Record<string, string> = { english: 'en', polish: 'pl', polski: 'pl', angielski: 'en' };

/** "pl", "pl-PL", "Polish" or "Polski" → a BCP 47 tag; anything else as it is (the texts fall back to English). */
export function localeTag(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return LANGUAGE_NAMES[value.trim().toLowerCase()] ?? value.trim().replace('_', '-');
}

/** An IANA time zone, or undefined (helpdesks also use names like "Warsaw" that Intl does not know). */
export function timeZone(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value;
  } catch {
    return undefined;
  }
}

/** The event a mapping built, checked against the contract like any other event. */
export function asEvent(candidate: unknown): WebhookMapping {
  const parsed = incomingEventSchema.safeParse(candidate);
  if (!parsed.success) return { kind: 'invalid', error: parsed.error };
  return { kind: 'event', event: parsed.data };
}
