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
  dueShard: (invitationId: string) => `DUE#${createHash('sha1').update(invitationId).digest()[0]! % DUE_SHARDS}`,
  customerHistory: (customerId: string) => `CUST#${customerId}`,
  alertsByStatus: (status: string) => `ALERTS#${status}`,
};

export const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
