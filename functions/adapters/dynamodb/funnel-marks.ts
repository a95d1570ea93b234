/**
 * Funnel marks on invitation items (surveys/funnel/marks.ts): one timestamp attribute, written only
 * while absent, so a repeated SES event or a second open changes nothing and the stream shows each
 * mark appearing once. A mark on an invitation that no longer exists (erased) is not recreated.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FunnelMarks, MarkField } from '#surveys/funnel/marks.ts';
import { keys } from './table/keys.ts';

export class DynamoFunnelMarks implements FunnelMarks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async update(command: UpdateCommand): Promise<boolean> {
    try {
      await this.db.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  mark(invitationId: string, field: MarkField, at: string): Promise<boolean> {
    return this.update(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET #f = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#f)',
        ExpressionAttributeNames: { '#f': field },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  unmarkOpened(invitationId: string, openedAt: string): Promise<boolean> {
    return this.update(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'REMOVE openedAt',
        ConditionExpression: 'openedAt = :at',
        ExpressionAttributeValues: { ':at': openedAt },
      }),
    );
  }
}
