/**
 * The classification of a comment, stored on its response (surveys/use-cases/classify-response.ts).
 * One conditional UpdateItem: only while the response is still at the classified version and not yet
 * classified at it, so a redelivery writes nothing and an older classification never overwrites a newer.
 * The update leaves `version` alone: it is not an edit (alerts and scores see no new version).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredInsights } from '#surveys/insights/pages.ts';
import type { InsightsWriter } from '#surveys/insights/ports.ts';
import type { SurveyResponse } from '#surveys/model.ts';
import { keys } from './table/keys.ts';
import { TableStore } from './table/store.ts';

export class DynamoInsightsWriter extends TableStore implements InsightsWriter {
  storeInsights(response: Pick<SurveyResponse, 'invitationId'>, insights: StoredInsights): Promise<boolean> {
    return this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.response(response.invitationId),
        UpdateExpression: 'SET insights = :i',
        ConditionExpression: 'version = :v AND (attribute_not_exists(insights) OR insights.version <> :v)',
        ExpressionAttributeValues: { ':i': insights, ':v': insights.version },
      }),
    );
  }
}
