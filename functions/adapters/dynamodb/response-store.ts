/** Responses: read with their invitation, written with optimistic versions (an edit never overwrites a newer one). */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Invitation, SurveyResponse } from '#surveys/model.ts';
import { ConcurrentUpdateError, type ResponseStore } from '#surveys/ports.ts';
import { withDetractorMark } from '#surveys/scales.ts';
import { DAY_SECONDS } from './retention.ts';
import { ENTITY, epochSeconds, indexKeys, keys } from './table/keys.ts';
import { TableStore } from './table/store.ts';

export class DynamoResponseStore extends TableStore implements ResponseStore {
  getInvitation(invitationId: string): Promise<Invitation | undefined> {
    return this.read<Invitation>(keys.invitation(invitationId), true);
  }

  getResponse(invitationId: string): Promise<SurveyResponse | undefined> {
    return this.read<SurveyResponse>(keys.response(invitationId), true);
  }

  async putResponse(next: SurveyResponse, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.response(next.invitationId),
            entity: ENTITY.response,
            // The alert consumer's stream filter reads the mark: a detractor's score is always marked, whoever writes it.
            ...withDetractorMark(next),
            ...indexKeys.responseHistory(next.customerId, next.answeredAt, next.invitationId),
            ...indexKeys.responsesByDay(next.answeredAt, next.invitationId),
            expiresAtEpoch: epochSeconds(next.answeredAt) + this.retentionDays * DAY_SECONDS,
          },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentUpdateError(`response ${next.invitationId}`);
      throw error;
    }
  }
}
