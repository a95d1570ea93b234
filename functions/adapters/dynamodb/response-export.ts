/**
 * Reads a day's responses for the CSV export from GSI1 (`RESPONSES#<day>#<shard>`, sorted by
 * `<answeredAt>#<invitationId>`): one query per shard, merged in answer-time order, a page at a time,
 * so a day of any size streams without being held in memory. Contacts come from the profiles.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SurveyResponse } from '#surveys/model.ts';
import type { ResponseContact, ResponseExportSource } from '#surveys/use-cases/export-csv.ts';
import { customerIdOf, GSI1, RESPONSE_DAY_SHARDS, keys } from './table/keys.ts';
import { fromItem, type Item, queryPages, readFound } from './table/query.ts';

const PAGE = 200;

type Row = { response: SurveyResponse; position: string };

export class DynamoResponseExport implements ResponseExportSource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One shard's responses of the day, page by page, strictly after `after`. */
  private async *shard(day: string, shard: number, after: string | undefined): AsyncGenerator<Row> {
    const pages = queryPages(this.db, this.tableName, {
      IndexName: GSI1.name,
      KeyConditionExpression: after ? 'gsi1pk = :p AND gsi1sk > :after' : 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.responsesByDay(`${day}T00:00:00Z`, shard), ...(after ? { ':after': after } : {}) },
      Limit: PAGE,
    });
    for await (const page of pages) {
      // The index holds keys (table/definition.ts): the page's responses are read whole by key, in its order.
      for (const item of await readFound(this.db, this.tableName, GSI1, (page.Items ?? []) as Item[])) {
        yield { response: fromItem<SurveyResponse>(item), position: item.gsi1sk as string };
      }
    }
  }

  /** k-way merge of the shards by position (`<answeredAt>#<invitationId>`, unique). */
  async *responsesOn(day: string, after?: string): AsyncGenerator<Row> {
    // The shards' first pages side by side: a day costs one round trip, not one per shard.
    const opened = await Promise.all(
      Array.from({ length: RESPONSE_DAY_SHARDS }, async (_, shard) => {
        const it = this.shard(day, shard, after);
        return { it, first: await it.next() };
      }),
    );
    const heads = opened.flatMap(({ it, first }) => (first.done ? [] : [{ it, row: first.value }]));
    while (heads.length) {
      heads.sort((a, b) => (a.row.position < b.row.position ? -1 : 1));
      const head = heads[0]!;
      yield head.row;
      const next = await head.it.next();
      if (next.done) heads.shift();
      else head.row = next.value;
    }
  }

  async contactsOf(customerIds: string[]): Promise<Map<string, ResponseContact>> {
    const out = new Map<string, ResponseContact>();
    for (let i = 0; i < customerIds.length; i += 100) {
      let request:
        | Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> }>
        | undefined = {
        [this.tableName]: {
          Keys: customerIds.slice(i, i + 100).map((id) => keys.profile(id)),
          // The customer id from the key: profiles are stored without it (profile-item.ts).
          ProjectionExpression: 'pk, email, phone, #n',
          ExpressionAttributeNames: { '#n': 'name' },
        },
      };
      for (let attempt = 0; request && Object.keys(request).length && attempt < 5; attempt++) {
        const page = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of page.Responses?.[this.tableName] ?? []) {
          out.set(customerIdOf(item.pk as string), {
            email: item.email as string | undefined,
            phone: item.phone as string | undefined,
            name: item.name as string | undefined,
          });
        }
        request = page.UnprocessedKeys as typeof request;
      }
    }
    return out;
  }
}
