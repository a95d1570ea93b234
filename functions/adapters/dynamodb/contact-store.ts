/**
 * How ankieta may reach a contact, over the single table: the suppression list (hashed address or
 * number), SMS short links, which survey a reply from a number answers, and replies kept unused.
 * Addresses and numbers appear in keys only as SHA-256 hashes (table/keys.ts).
 */
import { BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Channel } from '#surveys/model.ts';
import type { SmsLinkStore, SuppressionReason, SuppressionStore } from '#surveys/ports.ts';
import { DAY_SECONDS as DAY, DEFAULT_RETENTION_DAYS, KEPT_INBOUND_SMS_DAYS } from './retention.ts';
import { epochSeconds, indexKeys, keys, legacyContactHash } from './table/keys.ts';

export class DynamoContactStore implements SuppressionStore, SmsLinkStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number = DEFAULT_RETENTION_DAYS,
  ) {}

  async suppressionsFor(contacts: { email?: string; phone?: string }): Promise<Partial<Record<Channel, string>>> {
    const named = [
      ...(contacts.email ? [{ channel: 'email' as const, contact: contacts.email }] : []),
      ...(contacts.phone ? [{ channel: 'sms' as const, contact: contacts.phone }] : []),
    ];
    // Each entry under its keyed hash, and under the plain SHA-256 of entries written before the key (migration).
    const wanted = named.flatMap((n) => [
      { ...n, legacy: false, key: keys.suppression(n.channel, n.contact) },
      { ...n, legacy: true, key: keys.suppressionByHash(n.channel, legacyContactHash(n.contact)) },
    ]);
    if (wanted.length === 0) return {};
    const out = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted.map((w) => w.key), ConsistentRead: true } } }));
    // Four small keys never come back unprocessed for size; a throttled one is read again on its own.
    const items = out.Responses?.[this.tableName] ?? [];
    for (const key of (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Array<Record<string, string>>) {
      const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      if (Item) items.push(Item);
    }
    const result: Partial<Record<Channel, string>> = {};
    for (const w of wanted) {
      const found = items.find((i) => i.pk === w.key.pk);
      if (!found || result[w.channel]) continue;
      result[w.channel] = String(found.reason);
      if (w.legacy) await this.rekeySuppression(found, w.channel, w.contact);
    }
    return result;
  }

  /** A suppression found under its plain hash moves to its keyed hash, same reason and time (the plain one could be reversed). */
  private async rekeySuppression(item: Record<string, unknown>, channel: Channel, contact: string): Promise<void> {
    const { pk: _pk, sk: _sk, ...kept } = item;
    const key = keys.suppression(channel, contact);
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: { ...kept, ...key, rekeyedAt: new Date().toISOString() } } },
          { Delete: { TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } } },
        ],
      }),
    );
  }

  async suppress(entry: { channel: Channel; contact?: string; contactHash?: string; reason: SuppressionReason; at: string; source: string }): Promise<void> {
    const key = entry.contactHash
      ? keys.suppressionByHash(entry.channel, entry.contactHash)
      : entry.contact
        ? keys.suppression(entry.channel, entry.contact)
        : undefined;
    if (!key) throw new Error('suppress needs a contact or its hash');
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          // No TTL: a suppression is kept until the person asks otherwise. No address: only its hash (the key).
          Item: { ...key, entity: 'suppression', channel: entry.channel, reason: entry.reason, at: entry.at, source: entry.source },
          ConditionExpression: 'attribute_not_exists(pk)', // the first reason and time stand
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async putShortLink(code: string, invitationId: string, expiresAt: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.shortLink(code), entity: 'short-link', invitationId, expiresAt, expiresAtEpoch: epochSeconds(expiresAt) + DAY },
        ConditionExpression: 'attribute_not_exists(pk)', // a colliding code fails the send, which is retried with a new one
      }),
    );
  }

  async resolveShortLink(code: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.shortLink(code) }));
    return Item ? String(Item.invitationId) : undefined;
  }

  async rememberSmsThread(phone: string, invitationId: string, expiresAt: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.smsThread(phone), entity: 'sms-thread', invitationId, expiresAt, expiresAtEpoch: epochSeconds(expiresAt) + DAY },
      }),
    );
  }

  async latestSmsInvitation(phone: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.smsThread(phone), ConsistentRead: true }));
    return Item ? String(Item.invitationId) : undefined;
  }

  async keepInboundSms(reply: { invitationId?: string; inboundMessageId: string; from?: string; body: string; reason: string; at: string }): Promise<void> {
    const { from, ...kept } = reply;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        // Keyed by the provider's message id: a redelivered reply is kept once. Indexed by the number's hash
        // (never the number): erasure finds it. Kept for review KEPT_INBOUND_SMS_DAYS, no longer.
        Item: {
          ...keys.inboundSms(reply.inboundMessageId),
          ...(from ? indexKeys.inboundSmsFrom(from, reply.at, reply.inboundMessageId) : {}),
          entity: 'inbound-sms',
          ...kept,
          body: reply.body.slice(0, 2000),
          expiresAtEpoch: epochSeconds(reply.at) + Math.min(this.retentionDays, KEPT_INBOUND_SMS_DAYS) * DAY,
        },
      }),
    );
  }
}
