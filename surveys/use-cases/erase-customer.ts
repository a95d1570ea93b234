/**
 * Erase a customer (GDPR art. 17), by customer id or by e-mail address.
 *
 * Primary course:
 *  1. Resolve whom to erase: the given customer id, or every customer id that has used the e-mail
 *     address (found through hashed lookup entries; the address itself is not stored with them).
 *  2. For each: leave tombstones first (customer id, and the profile's and the request's contacts as
 *     keyed hashes), so a stream record, retry or replay that reaches a consumer afterwards finds them
 *     and writes or sends nothing (ports.ts ErasureLedger); then delete the profile and everything kept under the customer, their invitations with
 *     their responses and comments, link opens and alerts; keep event dedupe markers without the
 *     customer id (see functions/adapters/dynamodb/erasure-store.ts).
 *  3. Run the erasure a second time: it catches a write that raced the first pass (an answer sent at
 *     that very moment) and proves the first one left nothing behind.
 *  4. Report counts only. Score buckets keep their anonymous counts; suppression entries are hashes
 *     and stay; raw data that cannot be found by customer expires by its TTL (quarantined input: 30 days).
 */
import type { ErasureCounts, ErasureLedger, ErasureStore } from '../ports.ts';

export type ErasureRequest = { customerId: string } | { email: string };

export interface ErasureReport {
  /** How the customers were found. */
  by: 'customerId' | 'email';
  customers: Array<{ customerId: string } & ErasureCounts>;
  /** False when nothing at all was stored about the request (nothing to erase is not an error). */
  found: boolean;
}

const ZERO: ErasureCounts = { profiles: 0, invitations: 0, responses: 0, alerts: 0, eventMarkersAnonymized: 0, otherItems: 0 };

function add(a: ErasureCounts, b: ErasureCounts): ErasureCounts {
  return {
    profiles: a.profiles + b.profiles,
    invitations: a.invitations + b.invitations,
    responses: a.responses + b.responses,
    alerts: a.alerts + b.alerts,
    eventMarkersAnonymized: a.eventMarkersAnonymized + b.eventMarkersAnonymized,
    otherItems: a.otherItems + b.otherItems,
  };
}

function total(c: ErasureCounts): number {
  return c.profiles + c.invitations + c.responses + c.alerts + c.eventMarkersAnonymized + c.otherItems;
}

export async function eraseCustomer(request: ErasureRequest, deps: { store: ErasureStore; ledger?: ErasureLedger; now?: () => Date }): Promise<ErasureReport> {
  const by = 'email' in request ? 'email' : 'customerId';
  const customerIds = 'email' in request ? await deps.store.customerIdsByEmail(request.email) : [request.customerId];
  const customers: ErasureReport['customers'] = [];
  const at = (deps.now?.() ?? new Date()).toISOString();
  if ('email' in request) await deps.ledger?.recordErasure({ email: request.email }, at);
  for (const customerId of customerIds) {
    await deps.ledger?.recordErasure(await deps.store.contactsOf(customerId), at);
    const first = await deps.store.eraseCustomer(customerId);
    const second = await deps.store.eraseCustomer(customerId);
    customers.push({ customerId, ...add(add(ZERO, first), second) });
  }
  const found = customers.some((c) => total(c) > 0);
  return { by, customers, found };
}
