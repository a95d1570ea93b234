/**
 * OrderMemory on the single table: which customer an order belongs to, for Shopify's delivery events
 * that name only the order; and moving a pending survey to its delivered + delay send time.
 *
 * Two items: `ORDERREF#<source>#<order id>` holds only the customer id (nothing personal, TTL), and the
 * snapshot itself lives in the customer's partition (`CUST#<id>` / `ORDER#…`), so a GDPR erasure of
 * the customer, which deletes that partition whole, takes it too.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { OrderMemory } from '#surveys/use-cases/receive-webhook.ts';
import type { OrderSnapshot } from '#surveys/webhooks/mapping.ts';
import { epochSeconds, keys } from './keys.ts';

const orderRef = (source: string, orderId: string) => ({ pk: `ORDERREF#${source}#${orderId}`, sk: 'ORDERREF' });
const orderSnapshot = (customerId: string, source: string, orderId: string) => ({ pk: `CUST#${customerId}`, sk: `ORDER#${source}#${orderId}` });

export class DynamoOrderMemory implements OrderMemory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async rememberOrder(snapshot: OrderSnapshot, expiresAt: string): Promise<void> {
    const ttl = { expiresAtEpoch: epochSeconds(expiresAt) };
    const { source, customer, order } = snapshot;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...orderSnapshot(customer.id, source, order.id), entity: 'order-snapshot', snapshot, ...ttl },
      }),
    );
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...orderRef(source, order.id), entity: 'order-ref', customerId: customer.id, ...ttl } }),
    );
  }

  async recallOrder(source: string, orderId: string): Promise<OrderSnapshot | undefined> {
    const ref = await this.db.send(new GetCommand({ TableName: this.tableName, Key: orderRef(source, orderId) }));
    const customerId = ref.Item?.customerId as string | undefined;
    if (!customerId) return undefined;
    const item = await this.db.send(new GetCommand({ TableName: this.tableName, Key: orderSnapshot(customerId, source, orderId) }));
    return item.Item?.snapshot as OrderSnapshot | undefined; // gone after an erasure: the order is unknown again
  }

  async reschedule(invitationId: string, sendAt: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.invitation(invitationId),
          // Still scheduled: the due index (gsi1) moves with the send time.
          UpdateExpression: 'SET sendAt = :at, gsi1sk = :due',
          ConditionExpression: '#s = :scheduled',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':at': sendAt, ':due': `${sendAt}#${invitationId}`, ':scheduled': 'scheduled' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
