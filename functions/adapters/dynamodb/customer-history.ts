/** A customer's profile and past responses (GSI2, newest first): what alerts and churn risk look back on. */
import type { SurveyResponse } from '#surveys/model.ts';
import type { CustomerHistoryReader, CustomerProfile } from '#surveys/ports.ts';
import { GSI2, keys, SK } from './table/keys.ts';
import { fromItem, getMany, type Item, queryPages } from './table/query.ts';
import { readProfile } from './profile-item.ts';
import { TableStore } from './table/store.ts';

/** Pages read at most: the history holds invitations too, and a reader wants only the last few answers. */
const MAX_PAGES = 5;

export class DynamoCustomerHistory extends TableStore implements CustomerHistoryReader {
  getProfile(customerId: string): Promise<CustomerProfile | undefined> {
    return readProfile(this.db, this.tableName, customerId);
  }

  /** Newest first; invitations in between are skipped. The index holds keys only: the responses are read by key. */
  async listCustomerResponses(customerId: string, limit: number): Promise<SurveyResponse[]> {
    const found: Item[] = [];
    let pages = 0;
    for await (const page of queryPages(this.db, this.tableName, {
      IndexName: GSI2.name,
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': keys.customerHistory(customerId) },
      ScanIndexForward: false,
      Limit: 4 * limit,
    })) {
      for (const item of (page.Items ?? []) as Item[]) if (item.sk === SK.response) found.push(item);
      if (++pages >= MAX_PAGES || found.length >= limit) break;
    }
    return (await getMany(this.db, this.tableName, found.slice(0, limit))).map((item) => fromItem<SurveyResponse>(item));
  }
}
