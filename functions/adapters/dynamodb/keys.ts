/** Key builders for the single table (layout documented in infra/table/definition.ts). */
import { createHash } from 'node:crypto';
import type { BucketKey } from '#surveys/ports.ts';

export const DUE_SHARDS = 4; // spreads the due index over a few partitions; the sweep queries each

export const keys = {
  profile: (customerId: string) => ({ pk: `CUST#${customerId}`, sk: 'PROFILE' }),
  event: (eventKey: string) => ({ pk: `EVENT#${eventKey}`, sk: 'EVENT' }),
  invitation: (id: string) => ({ pk: `INV#${id}`, sk: 'INVITATION' }),
  response: (invitationId: string) => ({ pk: `INV#${invitationId}`, sk: 'RESPONSE' }),
  alert: (id: string) => ({ pk: `ALERT#${id}`, sk: 'ALERT' }),
  bucket: (k: BucketKey) => ({ pk: `AGG#${k.metric}#${k.dimension}`, sk: `DAY#${k.day}#${k.value}` }),
  quarantine: (at: string, id: string) => ({ pk: `QUARANTINE#${at.slice(0, 10)}`, sk: `${at}#${id}` }),
  /** Suppression list entry: only a hash of the normalized address or phone number is ever stored. */
  suppression: (channel: 'email' | 'sms', contact: string) => ({ pk: `SUPPRESS#${channel}#${contactHash(contact)}`, sk: 'SUPPRESSION' }),
  dueShard: (invitationId: string) => `DUE#${createHash('sha1').update(invitationId).digest()[0]! % DUE_SHARDS}`,
  customerHistory: (customerId: string) => `CUST#${customerId}`,
  alertsByStatus: (status: string) => `ALERTS#${status}`,
};

export const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** SHA-256 of a lower-cased, trimmed e-mail address or E.164 phone number (hex). */
export function contactHash(contact: string): string {
  return createHash('sha256').update(contact.trim().toLowerCase()).digest('hex');
}
