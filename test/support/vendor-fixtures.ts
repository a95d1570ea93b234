/**
 * The vendor sample payloads of test/fixtures/vendors/ (sources in its README), read as raw text so
 * that 64-bit ids stay exactly as the vendor wrote them, with the few edits tests need: times moved to
 * now, ids that link two payloads, a status. Edits are textual, so the rest of each body stays byte for byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'vendors');

export type VendorFixture =
  | 'shopify/orders-fulfilled.test-notification.json'
  | 'shopify/orders-create.json'
  | 'shopify/refunds-create.json'
  | 'shopify/fulfillment-events-create.json'
  | 'shopify/fulfillments-update.json'
  | 'shopify/eventbridge-orders-fulfilled.json'
  | 'zendesk/ticket-status-changed.json'
  | 'zendesk/trigger-ticket-solved.json';

export function vendorText(name: VendorFixture): string {
  return readFileSync(join(DIR, name), 'utf8');
}

/** Every ISO 8601 time in the body (quoted) becomes `at`: a sample from 2008 is a stale event today. */
export function restamp(text: string, at: Date): string {
  return text.replace(/"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})"/g, `"${at.toISOString()}"`);
}

/** Sets a top-level or nested `"key": value` (the first one) to a JSON value, textually. */
export function setField(text: string, key: string, value: unknown): string {
  const pattern = new RegExp(`"${key}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*"|-?\\d+(?:\\.\\d+)?|null|true|false)`);
  if (!pattern.test(text)) throw new Error(`the fixture has no "${key}"`);
  return text.replace(pattern, `"${key}": ${JSON.stringify(value)}`);
}

/** Replaces every occurrence of one literal (an id, an e-mail) so that tests do not share customers. */
export function replaceAll(text: string, from: string, to: string): string {
  return text.split(from).join(to);
}
