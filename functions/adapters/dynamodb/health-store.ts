/**
 * Customer health profiles (surveys/churn-risk.ts) in the single table: one item per customer under the
 * customer's key (`CUST#<id>` / `HEALTH`), so it is erased with the customer. While the risk may rise
 * by time alone, the item sits in a sparse GSI2 partition by `recheckAt` for the alert sweep.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type CustomerHealth, emptyHealth } from '#surveys/churn-risk.ts';
import { ConcurrentUpdateError, type HealthStore } from '#surveys/ports.ts';
import { customerIdOf, GSI2, indexKeys, keys, upTo } from './table/keys.ts';
import { fromItem, queryOnce } from './table/query.ts';
import { DAY_SECONDS } from './retention.ts';

export class DynamoHealthStore implements HealthStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Health untouched for this many days expires (TTL), like the answers it was built from. */
    private readonly retentionDays?: number,
  ) {}

  async getHealth(customerId: string): Promise<CustomerHealth | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.health(customerId), ConsistentRead: true }));
    if (!Item) return undefined;
    return { ...emptyHealth(customerId), ...fromItem<Partial<CustomerHealth>>(Item) }; // the lists left out empty (putHealth)
  }

  async putHealth(next: CustomerHealth, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.health(next.customerId),
            entity: 'health',
            ...stored(next),
            version: expectedVersion + 1,
            ...(this.retentionDays ? { expiresAtEpoch: Math.floor(Date.now() / 1000) + this.retentionDays * DAY_SECONDS } : {}),
            ...(next.recheckAt ? indexKeys.healthRecheck(next.recheckAt, next.customerId) : {}),
          },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentUpdateError(`health of ${next.customerId}`);
      throw error;
    }
  }

  async listHealthRechecks(now: string, limit: number): Promise<string[]> {
    const items = await queryOnce(this.db, this.tableName, {
      IndexName: GSI2.name,
      KeyConditionExpression: 'gsi2pk = :p AND gsi2sk <= :now',
      ExpressionAttributeValues: { ':p': keys.healthRechecks(), ':now': upTo(now) },
      Limit: limit,
    });
    // GSI2 holds keys only (table/definition.ts): the customer is named by the item's own key.
    return items.map((i) => customerIdOf(i.pk));
  }
}

/**
 * The item's own attributes: without the customer id, which is its key, and without empty lists (most
 * customers never answer or get an alert). Kept a year per customer, every byte is paid per survey.
 */
function stored(health: CustomerHealth): Partial<CustomerHealth> {
  const { customerId: _key, ...rest } = health;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => !(Array.isArray(value) && value.length === 0)));
}
