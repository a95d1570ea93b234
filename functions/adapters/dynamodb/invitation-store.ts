/**
 * Sending invitations: the sharded due index (GSI1), claims as leases, the outcome of a send, reminders
 * and bounces. Every state change is a conditional update, so a race ends in a clear outcome.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, Invitation } from '#surveys/model.ts';
import type { CustomerProfile, DeliveryFeedbackStore, InvitationStore } from '#surveys/ports.ts';
import { fromItem, type Item, maybeFromItem, queryPages, readFound } from './table/query.ts';
import { contactHash, DUE_SHARDS, GSI1, indexKeys, keys, upTo } from './table/keys.ts';
import { readProfile } from './profile-item.ts';
import { TableStore } from './table/store.ts';
import { INVITATION_AFTER_LINK_DAYS, invitationExpiry } from './retention.ts';

/**
 * The update that ends an invitation in state `from`: its new status and what says why, and out of the
 * due index (nothing is sent or reminded after it). Conditional: an invitation that moved on is left alone.
 */
export function endInvitation(
  tableName: string,
  invitationId: string,
  change: { from: Invitation['status']; to: Invitation['status']; reason: string; at: { name: 'cancelledAt' | 'bouncedAt'; value: string } },
): UpdateCommand {
  return new UpdateCommand({
    TableName: tableName,
    Key: keys.invitation(invitationId),
    UpdateExpression: `SET #s = :to, failureReason = :r, ${change.at.name} = :at REMOVE ${GSI1.pk}, ${GSI1.sk}`,
    ConditionExpression: '#s = :from',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':to': change.to, ':from': change.from, ':r': change.reason, ':at': change.at.value },
  });
}

/** How long a sweep's claim on an invitation holds (the send function times out after 50 s). */
export const SEND_CLAIM_LEASE_SECONDS = 300;

/** Index pages a sweep reads per shard at most while looking for its channel's due invitations. */
export const DUE_PAGES = 10;

const shifted = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

export class DynamoInvitationStore extends TableStore implements InvitationStore, DeliveryFeedbackStore {
  getProfile(customerId: string): Promise<CustomerProfile | undefined> {
    return readProfile(this.db, this.tableName, customerId);
  }

  async listDue(now: string, limit: number, channel: Channel): Promise<Invitation[]> {
    const perShard = await Promise.all(Array.from({ length: DUE_SHARDS }, (_, shard) => this.dueInShard(shard, now, limit, channel)));
    return perShard
      .flat()
      .sort((a, b) => a.sendAt.localeCompare(b.sendAt))
      .slice(0, limit);
  }

  /**
   * One shard's due invitations of a channel. Both channels share the index (one claim per invitation,
   * whichever sweep sees it), so the channel is a filter: DynamoDB applies `Limit` before filtering,
   * and a page may hold only the other channel's invitations; the next pages are read, at most
   * DUE_PAGES of them a sweep. A longer backlog of the other channel delays this one by a sweep or
   * more, as one sweep for both (in send time order, `limit` a run) did.
   * The index holds the keys and the channel only (table/definition.ts), so that the claim writes no copy
   * there: each page's invitations are read by key, and those another sweep holds (a claim whose lease
   * runs) are skipped here. The claim's own condition is what keeps it to one send.
   */
  private async dueInShard(shard: number, now: string, limit: number, channel: Channel): Promise<Invitation[]> {
    const expired = shifted(now, -SEND_CLAIM_LEASE_SECONDS);
    const found: Invitation[] = [];
    let pages = 0;
    for await (const page of queryPages(this.db, this.tableName, {
      IndexName: GSI1.name,
      KeyConditionExpression: 'gsi1pk = :p AND gsi1sk <= :now',
      FilterExpression: 'channel = :channel',
      ExpressionAttributeValues: { ':p': keys.dueShardByNumber(shard), ':now': upTo(now), ':channel': channel },
      Limit: limit,
    })) {
      const items = await readFound(this.db, this.tableName, GSI1, (page.Items ?? []) as Item[]);
      // A claim stays at its send time on the index (moving the key would cost 2 index writes): held while its lease runs.
      found.push(
        ...items.filter((i) => i.status !== 'sending' || (typeof i.claimedAt === 'string' && i.claimedAt < expired)).map((i) => fromItem<Invitation>(i)),
      );
      if (found.length >= limit || ++pages >= DUE_PAGES) break;
    }
    return found;
  }

  claim(invitationId: string, now: string): Promise<Invitation | undefined> {
    return this.updateReturning(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        // A claim is a lease: the invitation stays on the due index where it is (listDue skips it while the
        // lease runs), so a sweep that died after claiming (before sending, or before recording the send)
        // is taken over by a later sweep once the lease is over — at least once.
        UpdateExpression: 'SET #s = :sending, claimedAt = :now',
        ConditionExpression: '#s = :scheduled OR (#s = :sending AND claimedAt < :expired)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending', ':scheduled': 'scheduled', ':now': now, ':expired': shifted(now, -SEND_CLAIM_LEASE_SECONDS) },
        ReturnValues: 'ALL_NEW',
      }),
    );
  }

  async markSent(invitationId: string, sentAt: string, expiresAt: string, details: { sentTo?: string; reminderAt?: string } = {}): Promise<void> {
    const { sentTo, reminderAt } = details;
    const due = reminderAt ? indexKeys.due(invitationId, reminderAt) : undefined;
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression:
          // Kept until INVITATION_AFTER_LINK_DAYS after the link expires, answered or not (retention.ts).
          'SET #s = :sent, sentAt = :at, expiresAt = :exp, expiresAtEpoch = :ttl' +
          (sentTo ? ', contactHash = :hash' : '') +
          // The optional reminder waits in the due index like a scheduled send.
          (due ? ', reminderAt = :rem, gsi1pk = :shard, gsi1sk = :due' : '') +
          // claimedAt: the lease's time, over once sent; kept with the invitation it would cost 33 bytes for three months.
          ' REMOVE failureReason, claimedAt' +
          (due ? '' : ', gsi1pk, gsi1sk'), // off the due index: the claim's lease is over
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':sending': 'sending',
          ':at': sentAt,
          ':exp': expiresAt,
          ':ttl': invitationExpiry(expiresAt, INVITATION_AFTER_LINK_DAYS, sentAt, this.retentionDays),
          ...(sentTo ? { ':hash': contactHash(sentTo) } : {}),
          ...(due ? { ':rem': reminderAt, ':shard': due.gsi1pk, ':due': due.gsi1sk } : {}),
        },
      }),
    );
  }

  async markRetry(invitationId: string, retryAt: string, reason: string): Promise<void> {
    const due = indexKeys.due(invitationId, retryAt);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET #s = :scheduled, sendAt = :at, failureReason = :r, gsi1pk = :shard, gsi1sk = :due ADD attempts :one',
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':scheduled': 'scheduled',
          ':sending': 'sending',
          ':at': retryAt,
          ':r': reason,
          ':shard': due.gsi1pk,
          ':due': due.gsi1sk,
          ':one': 1,
        },
      }),
    );
  }

  async markFailed(invitationId: string, reason: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET #s = :failed, failureReason = :r REMOVE gsi1pk, gsi1sk ADD attempts :one',
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':r': reason, ':one': 1 },
      }),
    );
  }

  async markCancelled(invitationId: string, reason: string, at: string): Promise<void> {
    await this.writeIf(endInvitation(this.tableName, invitationId, { from: 'sending', to: 'cancelled', reason, at: { name: 'cancelledAt', value: at } }));
  }

  claimReminder(invitationId: string, now: string): Promise<Invitation | undefined> {
    return this.updateReturning(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET remindedAt = :now REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#s = :sent AND reminderAt <= :now AND attribute_not_exists(remindedAt)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    );
  }

  async hasResponse(invitationId: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.response(invitationId), ProjectionExpression: 'pk', ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  markUndeliverable(invitationId: string, reason: string, at: string): Promise<boolean> {
    // A bounced survey gets no reminder either.
    return this.writeIf(endInvitation(this.tableName, invitationId, { from: 'sent', to: 'failed', reason, at: { name: 'bouncedAt', value: at } }));
  }

  /** A claim: the invitation as it is now, or undefined when another sweep (or state) got there first. */
  private async updateReturning(command: UpdateCommand): Promise<Invitation | undefined> {
    try {
      const { Attributes } = await this.db.send(command);
      return maybeFromItem<Invitation>(Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
