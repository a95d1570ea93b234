/** What the provider mappings share: the result type and the clean-up of loosely typed provider fields. */
import type { CountryCode } from 'libphonenumber-js/core';
import * as z from '../zod.ts';
import { incomingEventSchema, type Customer, type IncomingEvent, type orderSchema } from '../model.ts';
import { mobileE164 } from '../phone/index.ts';

/** What an order.delivered event says about its order and customer: remembered, because Shopify's
 * fulfillment events (the true "delivered" moment) name only the order. */
export interface OrderSnapshot {
  source: string;
  customer: Customer;
  order: z.infer<typeof orderSchema>;
}

export type WebhookMapping =
  | { kind: 'event'; event: IncomingEvent; remember?: OrderSnapshot }
  /** A topic or status ankieta does not act on: acknowledged (2xx) so the provider does not retry it. */
  | { kind: 'ignored'; reason: string; remember?: OrderSnapshot }
  /** Decided without a survey (a Shopify test notification): answered like a skipped event. */
  | { kind: 'skipped'; reason: 'test-notification'; detail: string; eventId: string }
  /** The order was delivered: the survey counts from now (the order's customer comes from memory). */
  | { kind: 'delivered'; source: string; orderId: string; eventId: string; occurredAt: string }
  /** An event whose customer has only an id (a Zendesk event subscription): contact from the stored profile. */
  | { kind: 'needs-contact'; candidate: { source: string; 'detail-type': 'ticket.solved'; detail: Record<string, unknown> & { customer: { id: string } } } }
  /** Signed, but not a payload ankieta can use: kept (quarantine) with these field errors. */
  | { kind: 'invalid'; error: z.core.$ZodError };

/** An error that names what an admin must change, as a zod error so every caller reports it the same way. */
export function adminError(message: string, path: PropertyKey[] = []): z.core.$ZodError {
  return new z.$ZodError([{ code: 'custom', message, path, input: undefined }]);
}

/** A body that is XML, not JSON: both providers can send either; ankieta reads JSON. */
export function looksLikeXml(body: string): boolean {
  return /^\s*</.test(body);
}

/** Provider placeholders render missing values as "" or null: both mean absent. */
export const optionalText = (max: number) =>
  z.pipe(
    z.transform((v: unknown) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : typeof v === 'string' ? v.trim() : v)),
    z.optional(z.string().check(z.maxLength(max))),
  );

/** Ids arrive as numbers (Shopify) or strings (Zendesk placeholders). */
export const idText = z.pipe(z.union([z.string().check(z.trim(), z.minLength(1), z.maxLength(128)), z.int().check(z.nonnegative())]), z.transform(String));

/**
 * A phone as E.164 when it is one (with or without formatting), otherwise dropped: SMS needs a valid
 * number. A number typed in national format ("600 100 200") is read in `defaultRegion` (e.g. "PL").
 */
export function e164(phone: string | undefined, defaultRegion?: CountryCode): string | undefined {
  if (!phone) return undefined;
  return mobileE164(phone, defaultRegion);
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
