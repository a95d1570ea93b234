/**
 * Folds imported history rows into the score pages, exactly once per row however often a file (or
 * an overlapping one) is imported: each transaction puts the ledger item of every row it counts
 * (`IMPORT#<rowId>`, condition: not there yet) together with the page deltas of those rows. Either
 * all of it happens or none; rows whose ledger exists are dropped and the rest retried.
 *
 * The imported rows never become response items: no stream record, so no alert about an answer given
 * years ago, and no personal data kept (the ledger id is a hash).
 */
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { bucketKeysOf, cellsOf, pageId, pageKeyOf, preAggregate, toPages } from '#surveys/aggregation.ts';
import type { ImportedAnswer } from '#surveys/history-import.ts';
import { keys } from './table/keys.ts';
import { cellAttribute } from './score-buckets.ts';

/** DynamoDB's limit of items in one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

/** How many items counting `answers` takes: one ledger each plus every page they touch. */
export function transactionItems(answers: ImportedAnswer[]): number {
  const pages = new Set(answers.flatMap((a) => bucketKeysOf({ ...a, status: 'final', evidence: 'import' }).map((k) => pageId(pageKeyOf(k)))));
  return answers.length + pages.size;
}

export class HistoryImportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Counts the answers not counted before; returns how many were new and how many already imported. */
  async fold(answers: ImportedAnswer[], importedAt: string): Promise<{ added: number; already: number }> {
    let pending = answers;
    let already = 0;
    for (let attempt = 0; pending.length > 0; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: this.items(pending, importedAt) }));
        return { added: pending.length, already };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException) || attempt >= 8) throw error;
        const reasons = error.CancellationReasons ?? [];
        const seen = new Set(pending.filter((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed').map((a) => a.id));
        already += seen.size;
        pending = pending.filter((a) => !seen.has(a.id));
        // A conflict with a concurrent write to a page (the stream aggregator): wait a little, retry.
        if (seen.size === 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
    return { added: 0, already };
  }

  private items(answers: ImportedAnswer[], importedAt: string) {
    const ledgers = answers.map((a) => ({
      Put: {
        TableName: this.tableName,
        Item: { ...keys.importedRow(a.id), entity: 'imported-row', metric: a.metric, day: a.answeredAt.slice(0, 10), importedAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
    const changes = answers.map((a, i) => ({ seq: String(i + 1), new: { ...a, status: 'final' as const, evidence: 'import' as const } }));
    const pages = toPages(preAggregate(changes)).map((page) => {
      const names: Record<string, string> = { '#day': 'day' };
      const values: Record<string, unknown> = { ':metric': page.key.metric, ':dimension': page.key.dimension, ':day': page.key.day, ':page': page.key.page };
      const adds = cellsOf(page).map(({ value, score, count }, i) => {
        names[`#c${i}`] = cellAttribute(score, value);
        values[`:c${i}`] = count;
        return `#c${i} :c${i}`;
      });
      return {
        Update: {
          TableName: this.tableName,
          Key: keys.bucket(page.key),
          UpdateExpression: `SET metric = :metric, dimension = :dimension, #day = :day, page = :page ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    });
    return [...ledgers, ...pages];
  }
}
