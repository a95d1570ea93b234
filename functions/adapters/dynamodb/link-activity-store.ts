/**
 * Link opens of one invitation in one small item (`INV#<id>` / `OPENS`): one attribute per score,
 * `o<score>` = epoch ms of its last open, so the item never grows past the scale's 11 values, and
 * `lastOpen` for any open (a link without a score too). No response, no personal data; it expires
 * with the link and is erased with the invitation.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LinkActivity } from '#surveys/human-evidence.ts';
import type { LinkActivityStore } from '#surveys/ports.ts';
import { epochSeconds, keys } from './table/keys.ts';

const OPEN_ATTRIBUTE = /^o(\d{1,2})$/;

export class DynamoLinkActivityStore implements LinkActivityStore {
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
}
