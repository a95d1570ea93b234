/**
 * Outbound endpoints and their deliveries in the single table (issue 14):
 *   ENDPOINTS          / ENDPOINT#<id>        an endpoint (no secret: the connection is in the secret store)
 *   ENDPOINT#<id>      / DELIVERY#<eventId>   one delivery of one event to it: status, attempts, last error; 30 days TTL
 * A delivery's attempt is claimed with one conditional update, so the queue handing a job over twice
 * (at-least-once) never makes two attempts at the same time or one after it was delivered.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Endpoint } from '#surveys/outbound/endpoints.ts';
import type { Claim, Delivery, DeliveryStore, EndpointStore } from '#surveys/outbound/ports.ts';
import { queryAll, queryPages } from './table/query.ts';

/** Deliveries are kept a month: long enough to see what happened, short enough not to pile up. */
const DELIVERY_TTL_SECONDS = 30 * 24 * 3600;
const FINISHED = ['delivered', 'dead-lettered', 'cancelled'];

export const endpointKeys = {
  endpoint: (id: string) => ({ pk: 'ENDPOINTS', sk: `ENDPOINT#${id}` }),
  delivery: (endpointId: string, eventId: string) => ({ pk: `ENDPOINT#${endpointId}`, sk: `DELIVERY#${eventId}` }),
};

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function endpointOf(item: Record<string, unknown>): Endpoint {
  const { pk: _pk, sk: _sk, entity: _e, ...rest } = item;
  return rest as unknown as Endpoint;
}

function deliveryOf(item: Record<string, unknown>): Delivery {
  const { pk: _pk, sk: _sk, entity: _e, expiresAtEpoch: _x, claimUntil: _c, ...rest } = item;
  return rest as unknown as Delivery;
}

export class DynamoEndpointStore implements EndpointStore, DeliveryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createEndpoint(endpoint: Endpoint): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...endpointKeys.endpoint(endpoint.id), entity: 'endpoint', ...endpoint },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getEndpoint(id: string): Promise<Endpoint | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: endpointKeys.endpoint(id), ConsistentRead: true }));
    return Item ? endpointOf(Item) : undefined;
  }

  async listEndpoints(): Promise<Endpoint[]> {
    const items = await queryAll(this.db, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'ENDPOINTS', ':sk': 'ENDPOINT#' },
    });
    return items.map(endpointOf);
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: endpointKeys.endpoint(id) }));
  }

  async disableEndpoint(id: string, reason: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: endpointKeys.endpoint(id),
          UpdateExpression: 'SET #s = :disabled, disabledReason = :reason, updatedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':disabled': 'disabled', ':reason': reason, ':at': at },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // deleted meanwhile: nothing to disable
    }
  }

  async notePending(d: { endpointId: string; eventId: string; type: Delivery['type']; at: string }): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: endpointKeys.delivery(d.endpointId, d.eventId),
        // if_not_exists everywhere: a replayed record, or a job already attempted, keeps what it has.
        UpdateExpression:
          'SET entity = :e, endpointId = :ep, eventId = :ev, #t = :t, #s = if_not_exists(#s, :pending), attempts = if_not_exists(attempts, :zero), createdAt = if_not_exists(createdAt, :at), updatedAt = if_not_exists(updatedAt, :at), expiresAtEpoch = if_not_exists(expiresAtEpoch, :x)',
        ExpressionAttributeNames: { '#s': 'status', '#t': 'type' },
        ExpressionAttributeValues: {
          ':e': 'delivery',
          ':ep': d.endpointId,
          ':ev': d.eventId,
          ':t': d.type,
          ':pending': 'pending',
          ':zero': 0,
          ':at': d.at,
          ':x': epoch(d.at) + DELIVERY_TTL_SECONDS,
        },
      }),
    );
  }

  async claimAttempt(d: { endpointId: string; eventId: string; type: Delivery['type'] }, now: string, leaseSeconds: number): Promise<Claim> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: endpointKeys.delivery(d.endpointId, d.eventId),
          UpdateExpression:
            'SET entity = :e, endpointId = :ep, eventId = :ev, #t = :t, #s = if_not_exists(#s, :pending), createdAt = if_not_exists(createdAt, :now), updatedAt = :now, expiresAtEpoch = if_not_exists(expiresAtEpoch, :x), claimUntil = :until ADD attempts :one',
          ConditionExpression: '(attribute_not_exists(#s) OR NOT #s IN (:d1, :d2, :d3)) AND (attribute_not_exists(claimUntil) OR claimUntil < :now)',
          ExpressionAttributeNames: { '#s': 'status', '#t': 'type' },
          ExpressionAttributeValues: {
            ':e': 'delivery',
            ':ep': d.endpointId,
            ':ev': d.eventId,
            ':t': d.type,
            ':pending': 'pending',
            ':now': now,
            ':x': epoch(now) + DELIVERY_TTL_SECONDS,
            ':until': new Date(Date.parse(now) + leaseSeconds * 1000).toISOString(),
            ':one': 1,
            ':d1': FINISHED[0],
            ':d2': FINISHED[1],
            ':d3': FINISHED[2],
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { claimed: true, attempt: Number(out.Attributes?.attempts ?? 1) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: endpointKeys.delivery(d.endpointId, d.eventId), ConsistentRead: true }),
      );
      const status = String(Item?.status ?? 'pending');
      return FINISHED.includes(status) ? { claimed: false, why: 'done', status: status as Delivery['status'] } : { claimed: false, why: 'busy' };
    }
  }

  async finishAttempt(
    key: { endpointId: string; eventId: string },
    o: { status: Exclude<Delivery['status'], 'pending'>; at: string; lastError?: string; lastStatusCode?: number; nextAttemptAt?: string },
  ): Promise<void> {
    const set = ['#s = :s', 'updatedAt = :at'];
    const values: Record<string, unknown> = { ':s': o.status, ':at': o.at };
    const remove = ['claimUntil'];
    if (o.lastError !== undefined) {
      set.push('lastError = :err');
      values[':err'] = o.lastError.slice(0, 500);
    }
    if (o.lastStatusCode !== undefined) {
      set.push('lastStatusCode = :code');
      values[':code'] = o.lastStatusCode;
    }
    if (o.nextAttemptAt) {
      set.push('nextAttemptAt = :next');
      values[':next'] = o.nextAttemptAt;
    } else remove.push('nextAttemptAt');
    if (o.status === 'delivered') set.push('deliveredAt = :at');
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: endpointKeys.delivery(key.endpointId, key.eventId),
        UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** The latest deliveries of an endpoint, newest first (read up to 1,000, sorted by their last change). */
  async listDeliveries(endpointId: string, limit: number): Promise<Delivery[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of queryPages(this.db, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': `ENDPOINT#${endpointId}`, ':sk': 'DELIVERY#' },
    })) {
      items.push(...(page.Items ?? []));
      if (items.length >= 1000) break;
    }
    return items
      .map(deliveryOf)
      .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0))
      .slice(0, limit);
  }
}
