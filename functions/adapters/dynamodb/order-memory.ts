/**
 * OrderMemory on the single table: which customer an order belongs to, for Shopify's delivery events
 * that name only the order; and moving a pending survey to its delivered + delay send time.
 *
 * Two items (ITEMS.md): the order reference holds only the customer id (nothing personal), and the
 * snapshot itself lives in the customer's partition, so a GDPR erasure of the customer, which deletes
 * that partition whole, takes it too. Both expire after ORDER_MEMORY_DAYS.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderMemory } from '#surveys/use-cases/receive-webhook.ts';
import type { OrderSnapshot } from '#surveys/webhooks/mapping.ts';
import { epochSeconds, indexKeys, keys } from './table/keys.ts';
import { TableStore } from './table/store.ts';
import { invitationExpiry, UNSENT_INVITATION_DAYS } from './retention.ts';

export class DynamoOrderMemory extends TableStore implements OrderMemory {
  async rememberOrder(snapshot: OrderSnapshot, expiresAt: string): Promise<void> {
    const ttl = { expiresAtEpoch: epochSeconds(expiresAt) };
    const { source, customer, order } = snapshot;
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.orderSnapshot(customer.id, source, order.id), entity: 'order-snapshot', snapshot, ...ttl } }),
    );
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.orderRef(source, order.id), entity: 'order-ref', customerId: customer.id, ...ttl } }),
    );
  }

  async recallOrder(source: string, orderId: string): Promise<OrderSnapshot | undefined> {
    const ref = await this.read<{ customerId?: string }>(keys.orderRef(source, orderId));
    if (!ref?.customerId) return undefined;
    const item = await this.read<{ snapshot?: OrderSnapshot }>(keys.orderSnapshot(ref.customerId, source, orderId));
    return item?.snapshot; // gone after an erasure: the order is unknown again
  }

  reschedule(invitationId: string, sendAt: string): Promise<boolean> {
    const due = indexKeys.due(invitationId, sendAt);
    return this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        // Only while scheduled: the due index (GSI1) and the unsent invitation's expiry move with the send time.
        UpdateExpression: 'SET sendAt = :at, gsi1pk = :shard, gsi1sk = :due, expiresAtEpoch = :ttl',
        ConditionExpression: '#s = :scheduled',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':at': sendAt,
          ':shard': due.gsi1pk,
          ':due': due.gsi1sk,
          ':scheduled': 'scheduled',
          ':ttl': invitationExpiry(sendAt, UNSENT_INVITATION_DAYS, sendAt, this.retentionDays),
        },
      }),
    );
  }
}
