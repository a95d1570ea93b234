/**
 * GDPR erasure over the single table, with queries only (no Scan):
 *
 *  - the customer's partition `CUST#<id>` (profile, health, e-mail mirrors of older tables…) is deleted whole;
 *  - the e-mail lookups `EMAIL#<hash>` / `CUST#<id>` named by the profile (its address, its `emailHashes` of those it had, or
 *    the mirror items of older tables) are deleted;
 *  - the customer's history (GSI2 `CUST#<id>`) names their invitations; each invitation's partition
 *    `INV#<id>` (invitation, response with its comment, link opens…) is deleted whole, read with a
 *    consistent query so that a response written a moment ago is not missed by the index's lag;
 *  - alerts (GSI1 by status, filtered on the customer) are deleted: they carry comments and contacts;
 *  - the pointers to those invitations are deleted too: order/ticket → invitation (`SUBJECT#…`) and
 *    the hashed phone's SMS thread;
 *  - event dedupe markers keep their key (a redelivered event stays a duplicate) but lose the customer
 *    id and the order or ticket reference.
 *  - inbound SMS kept for review (free text that answered nothing) from the profile's number or a number
 *    an SMS survey went to, found through GSI2 by the number's hash.
 *  - quarantined input that names the customer (id, an e-mail address or number they used), through the
 *    refs the quarantine store writes with it (`QREF#…`, hashes only).
 * Left to their TTL: quarantined input naming the customer otherwise (a name, an address in free
 * text; 14 days), and messages in dead-letter queues (SQS, 14 days; docs/security.md).
 *
 * Score buckets hold anonymous counts and stay. Deleting a response emits a REMOVE stream record,
 * which the consumers' filter (final responses in the new image) never lets through: the counts do
 * not move and no alert is raised. Suppression entries are hashes only and stay, so an address that
 * unsubscribed stays unsubscribed.
 */
import { BatchWriteCommand, DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { ErasedSubject, ErasureCounts, ErasureStore } from '#surveys/ports.ts';
import type { AlertStatus } from '#surveys/model.ts';
import { contactHash, legacyContactHash, quarantineRefs, ENTITY, GSI1, GSI2, invitationIdOf, keys, PK, SK } from './table/keys.ts';
import { queryAll, type Item, type QueryInput } from './table/query.ts';

type Key = { pk: string; sk: string };

const BATCH = 25; // BatchWriteItem's limit
const ALERT_STATUSES: readonly AlertStatus[] = ['open', 'acked', 'resolved'];

export class DynamoErasureStore implements ErasureStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async customerIdsByEmail(email: string): Promise<string[]> {
    // Under the keyed hash, and the plain SHA-256 of lookups written before the key (migration).
    const items = [...(await this.partition(keys.emailLookupPartition(email))), ...(await this.partition(`${PK.email}${legacyContactHash(email)}`))];
    return [...new Set(items.map((i) => String(i.customerId ?? (i.sk.startsWith(PK.customer) ? i.sk.slice(PK.customer.length) : i.sk))))];
  }

  async contactsOf(customerId: string): Promise<ErasedSubject> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.profile(customerId), ConsistentRead: true }));
    return {
      customerId,
      ...(typeof Item?.email === 'string' ? { email: Item.email } : {}),
      ...(typeof Item?.phone === 'string' ? { phone: Item.phone } : {}),
    };
  }

  async eraseCustomer(customerId: string): Promise<ErasureCounts> {
    const counts: ErasureCounts = { profiles: 0, invitations: 0, responses: 0, alerts: 0, eventMarkersAnonymized: 0, otherItems: 0 };
    /** Items found (and counted); pointers derived from them are deleted without being counted (they may not exist). */
    const doomed: Item[] = [];
    const pointers: Key[] = [];
    const eventKeys = new Set<string>();
    let phone: string | undefined;
    /** Hashes of the numbers SMS surveys went to: the inbound SMS kept from them go too. */
    const smsHashes = new Set<string>();

    // The customer's own partition, and the e-mail lookups and SMS thread its items point to.
    const own = await this.partition(keys.customerPartition(customerId));
    // The addresses' hashes: the profile's address and its `emailHashes` set of those it had (trigger-store.ts), and the mirror items
    // `CUST#<id>` / `EMAIL#<hash>` the trigger wrote before that set existed (tables from then still have them).
    const hashes = new Set<string>();
    for (const item of own) {
      doomed.push(item);
      if (item.sk.startsWith(PK.email)) hashes.add(item.sk.slice(PK.email.length));
      if (item.sk !== SK.profile) continue;
      if (typeof item.email === 'string') hashes.add(contactHash(item.email));
      if (item.emailHashes instanceof Set) for (const hash of item.emailHashes) hashes.add(String(hash));
      if (typeof item.phone === 'string') phone = item.phone;
    }
    if (phone) smsHashes.add(contactHash(phone));
    const emailHashes = [...hashes];
    for (const hash of emailHashes) pointers.push({ pk: `${PK.email}${hash}`, sk: keys.customerPartition(customerId) });

    // Invitations (and whatever lives with them), found through the history index, read consistently.
    const invitationPks = await this.invitationPartitions(customerId);
    for (const pk of invitationPks) {
      for (const item of await this.partition(pk)) {
        doomed.push(item);
        if (item.entity !== ENTITY.invitation) continue;
        if (item.channel === 'sms' && typeof item.contactHash === 'string') smsHashes.add(item.contactHash);
        if (typeof item.eventKey === 'string') eventKeys.add(item.eventKey);
        const type = String(item.eventType ?? '').startsWith('ticket') ? 'ticket' : 'order';
        const refs = [item.subjectRef, ...(Array.isArray(item.mergedSubjectRefs) ? item.mergedSubjectRefs : [])].filter(
          (r): r is string => typeof r === 'string',
        );
        for (const ref of refs) pointers.push(keys.subject(`${type}#${ref}`, invitationIdOf(pk)));
      }
    }

    for (const alert of await this.alertsOf(customerId, invitationPks)) doomed.push(alert);
    for (const hash of smsHashes) doomed.push(...(await this.inboundSmsFrom(hash)));
    const refs = [quarantineRefs.customer(customerId), ...emailHashes.map(quarantineRefs.emailHash), ...[...smsHashes].map(quarantineRefs.smsHash)];
    for (const ref of refs) doomed.push(...(await this.quarantinedAbout(ref)));

    const deleted = await this.deleteAll(doomed);
    await this.deleteAll(pointers.map((key) => ({ ...key })));
    if (phone) await this.deleteSmsThread(phone, invitationPks.map(invitationIdOf));
    for (const item of deleted) {
      if (item.sk === SK.profile) counts.profiles++;
      else if (item.sk === SK.invitation) counts.invitations++;
      else if (item.sk === SK.response) counts.responses++;
      else if (item.pk.startsWith(PK.alert) && item.sk === SK.alert) counts.alerts++;
      else counts.otherItems++;
    }

    for (const eventKey of eventKeys) {
      if (await this.anonymizeEventMarker(eventKey)) counts.eventMarkersAnonymized++;
    }
    return counts;
  }

  /** Inbound SMS kept for review from a number (GSI2 by the number's hash): free text that may name the customer. */
  private inboundSmsFrom(hash: string): Promise<Item[]> {
    return this.queryAll({
      IndexName: GSI2.name,
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': keys.inboundSmsFromHash(hash) },
      ProjectionExpression: 'pk, sk',
    });
  }

  /** Quarantined input that names the customer (found by refs its store wrote), and those refs. */
  private async quarantinedAbout(ref: string): Promise<Item[]> {
    const pointers = await this.partition(keys.quarantineRefPartition(ref));
    return pointers.flatMap((p) => {
      const [at, id] = [p.sk.slice(0, p.sk.lastIndexOf('#')), p.sk.slice(p.sk.lastIndexOf('#') + 1)];
      return [{ pk: p.pk, sk: p.sk }, keys.quarantine(at, id)];
    });
  }

  /** `INV#<id>` partitions named by the customer's history index (invitations and responses). */
  private async invitationPartitions(customerId: string): Promise<string[]> {
    const history = await this.queryAll({
      IndexName: GSI2.name,
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': keys.customerHistory(customerId) },
      ProjectionExpression: 'pk',
    });
    return [...new Set(history.map((i) => i.pk).filter((pk) => pk.startsWith(PK.invitation)))];
  }

  private async alertsOf(customerId: string, invitationPks: string[]): Promise<Item[]> {
    const found = new Map<string, Item>();
    for (const status of ALERT_STATUSES) {
      const items = await this.queryAll({
        IndexName: GSI1.name,
        KeyConditionExpression: 'gsi1pk = :p',
        FilterExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':p': keys.alertsByStatus(status), ':c': customerId },
        ProjectionExpression: 'pk, sk',
      });
      for (const item of items) found.set(item.pk, item);
    }
    // The detractor alert of each invitation by its id too, in case the index has not caught up yet.
    for (const pk of invitationPks) {
      const key = keys.alert(`detractor-${invitationIdOf(pk)}`);
      if (found.has(key.pk)) continue;
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ProjectionExpression: 'pk, sk, customerId' }),
      );
      if (Item && Item.customerId === customerId) found.set(key.pk, key);
    }
    // Everything kept under each alert's key (its history, if any) goes with it.
    const all: Item[] = [];
    for (const pk of found.keys()) {
      all.push(
        ...(await this.queryAll({
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': pk },
          ConsistentRead: true,
          ProjectionExpression: 'pk, sk',
        })),
      );
    }
    return all;
  }

  /** The number's SMS thread, only if it points at one of these invitations (a shared number may have moved on). */
  private async deleteSmsThread(phone: string, invitationIds: string[]): Promise<void> {
    if (invitationIds.length === 0) return;
    const names = invitationIds.slice(0, 100).map((id, i) => [`:i${i}`, id] as const);
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.smsThread(phone),
          ConditionExpression: `invitationId IN (${names.map(([n]) => n).join(', ')})`,
          ExpressionAttributeValues: Object.fromEntries(names),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async anonymizeEventMarker(eventKey: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.event(eventKey),
          UpdateExpression: 'REMOVE customerId, subjectRef SET erased = :t',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erased)',
          ExpressionAttributeValues: { ':t': true },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false; // expired, or already anonymized
      throw error;
    }
  }

  private queryAll(input: QueryInput): Promise<Item[]> {
    return queryAll(this.db, this.tableName, input);
  }

  /** A whole partition, read consistently (a write of a moment ago is not missed). */
  private partition(pk: string): Promise<Item[]> {
    return this.queryAll({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': pk }, ConsistentRead: true });
  }

  /** Deletes by key in batches of 25, retrying unprocessed keys with backoff; returns the items deleted. */
  private async deleteAll(items: Item[]): Promise<Item[]> {
    const unique = [...new Map(items.map((i) => [`${i.pk}\u0000${i.sk}`, i])).values()];
    for (let start = 0; start < unique.length; start += BATCH) {
      let requests = unique.slice(start, start + BATCH).map((i) => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`erasure: ${requests.length} deletions still unprocessed after retries; run it again`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2000)));
        const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
    return unique;
  }
}
