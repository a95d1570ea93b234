/**
 * Link opens of one invitation in one small item (`INV#<id>` / `OPENS`): one attribute per score,
 * `o<score>` = epoch ms of its last open, so the item never grows past the scale's 11 values, and
 * `lastOpen` for any open (a link without a score too). No response, no personal data; it expires
 * with the link and is erased with the invitation. A dwell answer on hold lives on the same item
 * (`held`), listed on GSI2 (`HELD-ANSWERS`, by confirmAt) while it waits.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LinkActivity } from '#surveys/human-evidence.ts';
import type { HeldAnswer, HeldAnswerStore, LinkActivityStore } from '#surveys/ports.ts';
import { epochSeconds, GSI2, keys } from './table/keys.ts';

const OPEN_ATTRIBUTE = /^o(\d{1,2})$/;

export class DynamoLinkActivityStore implements LinkActivityStore, HeldAnswerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async noteOpen(invitationId: string, score: number | undefined, at: Date, keepUntil: Date): Promise<void> {
    const scored = score !== undefined && Number.isInteger(score) && score >= 0 && score <= 99;
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.linkActivity(invitationId),
        UpdateExpression: `SET ${scored ? '#open = :at, ' : ''}lastOpen = :at, entity = :entity, expiresAtEpoch = :ttl`,
        ...(scored ? { ExpressionAttributeNames: { '#open': `o${score}` } } : {}),
        ExpressionAttributeValues: { ':at': at.getTime(), ':entity': 'link-activity', ':ttl': epochSeconds(keepUntil.toISOString()) },
      }),
    );
  }

  async getActivity(invitationId: string): Promise<LinkActivity> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.linkActivity(invitationId), ConsistentRead: true }));
    const opens: LinkActivity['opens'] = {};
    for (const [name, value] of Object.entries(Item ?? {})) {
      const m = OPEN_ATTRIBUTE.exec(name);
      if (m && typeof value === 'number') opens[Number(m[1])] = value;
    }
    return { opens, ...(typeof Item?.lastOpen === 'number' ? { lastOpenAt: Item.lastOpen } : {}) };
  }

  async hold(invitationId: string, held: HeldAnswer): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.linkActivity(invitationId),
        UpdateExpression: 'SET held = :held, gsi2pk = :queue, gsi2sk = :due, entity = :entity',
        ExpressionAttributeValues: {
          ':held': held,
          ':queue': keys.heldAnswers(),
          ':due': `${new Date(held.confirmAt).toISOString()}#${invitationId}`,
          ':entity': 'link-activity',
        },
      }),
    );
  }

  async getHeld(invitationId: string): Promise<HeldAnswer | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.linkActivity(invitationId), ConsistentRead: true, ProjectionExpression: 'held' }),
    );
    return Item?.held as HeldAnswer | undefined;
  }

  async release(invitationId: string, heldAt: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.linkActivity(invitationId),
          UpdateExpression: 'REMOVE held, gsi2pk, gsi2sk',
          ConditionExpression: 'held.heldAt = :at',
          ExpressionAttributeValues: { ':at': heldAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // a newer dwell is held: leave it
    }
  }

  async listDue(now: Date, limit: number): Promise<string[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI2.name,
        KeyConditionExpression: `${GSI2.pk} = :p AND ${GSI2.sk} <= :now`,
        ExpressionAttributeValues: { ':p': keys.heldAnswers(), ':now': `${now.toISOString()}#~` },
        ProjectionExpression: 'pk',
        Limit: limit,
      }),
    );
    return Items.map((i) => String(i.pk).replace(/^INV#/, ''));
  }
}
