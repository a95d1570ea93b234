/** A customer's profile and past responses (GSI2, newest first): what alerts and churn risk look back on. */
import type { SurveyResponse } from '#surveys/model.ts';
import type { CustomerHistoryReader, CustomerProfile } from '#surveys/ports.ts';
import { ENTITY, GSI2, keys } from './table/keys.ts';
import { fromItem, queryPages } from './table/query.ts';
import { TableStore } from './table/store.ts';

/** Pages read at most: the history holds invitations too, and a reader wants only the last few answers. */
const MAX_PAGES = 5;

export class DynamoCustomerHistory extends TableStore implements CustomerHistoryReader {
  getProfile(customerId: string): Promise<CustomerProfile | undefined> {
    return this.read<CustomerProfile>(keys.profile(customerId));
  }

  /** Newest first; invitations in between are skipped. */
  async listCustomerResponses(customerId: string, limit: number): Promise<SurveyResponse[]> {
    const out: SurveyResponse[] = [];
    let pages = 0;
    for await (const page of queryPages(this.db, this.tableName, {
      IndexName: GSI2.name,
      KeyConditionExpression: 'gsi2pk = :p',
      FilterExpression: 'entity = :response',
      ExpressionAttributeValues: { ':p': keys.customerHistory(customerId), ':response': ENTITY.response },
      ScanIndexForward: false,
      Limit: 4 * limit,
    })) {
      for (const item of page.Items ?? []) out.push(fromItem<SurveyResponse>(item));
      if (++pages >= MAX_PAGES || out.length >= limit) break;
    }
    return out.slice(0, limit);
  }
}
