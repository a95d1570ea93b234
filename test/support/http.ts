/** Small helpers for tests that drive the local runtime over HTTP, as a user or a commerce system would. */
export const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: Array<{ name: string; value: string }>;
  at: number;
}

export async function mailsTo(sesUrl: string, address: string): Promise<StoredEmail[]> {
  const store = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((e) => e.destination.to.includes(address));
}

export function ratingLinks(html: string): Map<number, string> {
  const links = new Map<number, string>();
  for (const m of html.matchAll(/href="([^"]*\/r\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\?s=(\d+))"/g)) links.set(Number(m[2]), m[1]!.replaceAll('&amp;', '&'));
  return links;
}

export function postForm(url: string, fields: Record<string, string>, userAgent = BROWSER_UA) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent },
    body: new URLSearchParams(fields).toString(),
  });
}

export function orderDelivered(overrides: { eventId: string; customerId: string; email?: string; locale?: string; store?: string }) {
  return {
    source: 'shop.example',
    'detail-type': 'order.delivered',
    detail: {
      eventId: overrides.eventId,
      occurredAt: new Date().toISOString(), // the runtime's clock is real: a fixed past date would turn stale-event
      customer: {
        id: overrides.customerId,
        email: overrides.email ?? `${overrides.customerId}@example.com`,
        locale: overrides.locale ?? 'en-GB',
        name: 'Test Customer',
      },
      order: { id: `o-${overrides.eventId}`, total: 10, currency: 'PLN', store: overrides.store ?? 'web', channel: 'online' },
    },
  };
}

/**
 * Waits, if need be, until the current fixed rate-limit window (functions/shared/rate-limit.ts: counted per
 * `windowSeconds`, from the epoch) has at least `needMs` left, so that a flood sent now lands in one window.
 * Returns that window's number, for the test to check afterwards that it did.
 */
export async function atFreshRateWindow(windowSeconds: number, needMs: number): Promise<number> {
  const windowMs = windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
  return Math.floor(Date.now() / windowMs);
}
