/**
 * Folds imported history rows into the score pages, exactly once per row however often a file (or
 * an overlapping one) is imported, with one write per page per day and no transaction.
 *
 * The rows of a batch are grouped by (metric, UTC day) and folded in memory into one delta per page.
 * Each day has a ledger item (`IMPORT#<metric>#<day>` / `LEDGER`): the set of the hashes of the row ids
 * already counted into that day's pages, and a version. A day is written in three steps:
 *  1. intent: the ledger gets `pending` = { version: v+1, the new rows' hashes, the page deltas }
 *     (condition: still version v, nothing pending) — only one import of a day at a time;
 *  2. every page of the day once: ADD the cells, SET `wm_history` = v+1 (condition: below v+1), so a
 *     page written before a crash is not written again;
 *  3. commit: the ledger's rows += the pending hashes, version = v+1, pending removed.
 * An import that finds a day's intent (a crashed or concurrent run) finishes it first (steps 2-3 are
 * idempotent), then reads the ledger again. Days run side by side (DynamoDB Local also serializes
 * transactions, which made the former one-transaction-per-100-items import crawl).
 *
 * Rows counted by the importer before the day ledgers (one `IMPORT#<rowId>` item per row) are looked up
 * the first time a day gets its ledger, and recorded there, so they stay counted once.
 *
 * Rows with a comment (surveys/history-import.ts keeps it within the retention period) are not folded:
 * each becomes a response item (`evidence: 'import'`, `history: <source>`), put before the intent on
 * the condition that it is not there, and the stream aggregator counts it (and the comment classifier
 * reads it) like any answer; the live consumers' stream filter (LIVE_RESPONSE_FILTER) skips it. Its row
 * joins the day's ledger all the same, so a later export of that row, with or without its comment,
 * is neither folded nor written again: each row is counted once, by the fold or by the stream.
 *
 * A day's ledger holds 16 characters per row: DynamoDB's 400 KB item limit is ~20,000 rows per metric
 * and day, beyond any Delighted account's daily answers (a day over it fails with DynamoDB's message).
 */
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { cellsOf, preAggregate, toPages, type PageKey } from '#surveys/aggregation.ts';
import { splitComments, type ImportedAnswer } from '#surveys/history-import.ts';
import { languageOf } from '#surveys/model.ts';
import { DAY_SECONDS, DEFAULT_RETENTION_DAYS } from './retention.ts';
import { ENTITY, epochSeconds, indexKeys, keys, PK } from './table/keys.ts';
import { cellAttribute, MAX_CELLS_PER_WRITE } from './score-buckets.ts';

/** What the ledger keeps of a row id (`imp-<22 chars>`): 16 characters of its hash, 96 bits. */
const ledgerEntry = (rowId: string) => rowId.slice(4, 20);
const BATCH_GET_KEYS = 100;

interface DayGroup {
  metric: string;
  day: string;
  answers: ImportedAnswer[];
}

/** One write of a page: its key, the cells it adds, and which watermark guards it (a page too big for one expression is cut in parts). */
interface PageWrite {
  key: PageKey;
  part: number;
  cells: Record<string, number>;
}

interface Pending {
  version: number;
  rows: string[];
  pages: PageWrite[];
}

export interface FoldResult {
  added: number;
  already: number;
  /** Of the added rows, those written as history responses (with their comment) rather than folded. */
  comments: number;
}

export class HistoryImportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: { concurrency?: number; legacyLedger?: boolean; source?: string; retentionDays?: number } = {},
  ) {}

  /** Counts the answers not counted before; returns how many were new and how many already imported. */
  async fold(answers: ImportedAnswer[], importedAt: string): Promise<FoldResult> {
    const result: FoldResult = { added: 0, already: 0, comments: 0 };
    await pool(groupByDay(answers), this.options.concurrency ?? 4, async (group) => {
      const { added, already, comments } = await this.foldDay(group, importedAt);
      result.added += added;
      result.already += already;
      result.comments += comments;
    });
    return result;
  }

  private async foldDay(group: DayGroup, importedAt: string): Promise<FoldResult> {
    const key = keys.importLedger(group.metric, group.day);
    for (let attempt = 0; attempt < 10; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** Math.min(attempt, 6)));
      const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      if (Item?.pending) {
        await this.finish(key, Item.pending as Pending); // a crashed or concurrent import of this day: finish it first
        continue;
      }
      const version = Item ? Number(Item.version) : 0;
      const counted = new Set<string>((Item?.rows as Set<string> | undefined) ?? []);
      const legacy = Item ? [] : await this.legacyRows(group.answers);
      const fresh = group.answers.filter((a) => !counted.has(ledgerEntry(a.id)) && !legacy.includes(ledgerEntry(a.id)));
      const { responses, scores } = splitComments(fresh);
      const outcome = { added: fresh.length, already: group.answers.length - fresh.length, comments: responses.length };
      const rows = [...new Set([...fresh.map((a) => ledgerEntry(a.id)), ...legacy])];
      if (rows.length === 0) return outcome;
      // Before the intent: a crash between the two leaves responses the next run finds there (and records).
      await pool(responses, 3, (answer) => this.putResponse(answer, importedAt));
      const pending: Pending = { version: version + 1, rows, pages: pageWrites(scores) };
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression:
              'SET entity = :entity, metric = :metric, #day = :day, version = if_not_exists(version, :zero), pending = :pending, updatedAt = :at',
            ConditionExpression: Item ? 'version = :version AND attribute_not_exists(pending)' : 'attribute_not_exists(pk)',
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: {
              ':entity': 'import-ledger',
              ':metric': group.metric,
              ':day': group.day,
              ':zero': 0,
              ':pending': pending,
              ':at': importedAt,
              ...(Item ? { ':version': version } : {}),
            },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) continue; // another import got there first: read again
        throw error;
      }
      await this.finish(key, pending);
      return outcome;
    }
    throw new Error(`the ledger of ${group.metric} ${group.day} kept changing under the import; run it again`);
  }

  /** Steps 2 and 3: each page once (its watermark says whether it was), then the commit; both safe to repeat. */
  private async finish(key: { pk: string; sk: string }, pending: Pending): Promise<void> {
    await pool(pending.pages, 3, (page) => this.writePage(page, pending.version));
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET version = :next ADD #rows :rows REMOVE pending',
          ConditionExpression: 'pending.version = :next',
          ExpressionAttributeNames: { '#rows': 'rows' },
          ExpressionAttributeValues: { ':next': pending.version, ':rows': new Set(pending.rows) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // committed by a concurrent run
    }
  }

  private async writePage(page: PageWrite, version: number): Promise<void> {
    const names: Record<string, string> = { '#day': 'day', '#wm': page.part ? `wm_history_${page.part}` : 'wm_history' };
    const values: Record<string, unknown> = {
      ':metric': page.key.metric,
      ':dimension': page.key.dimension,
      ':day': page.key.day,
      ':page': page.key.page,
      ':version': version,
    };
    const adds = Object.entries(page.cells).map(([cell, count], i) => {
      names[`#c${i}`] = cell;
      values[`:c${i}`] = count;
      return `#c${i} :c${i}`;
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.bucket(page.key),
          UpdateExpression: `SET metric = :metric, dimension = :dimension, #day = :day, page = :page, #wm = :version ADD ${adds.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(#wm) OR #wm < :version',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // written before: nothing to do
    }
  }

  /** A history response: counted by the stream aggregator, skipped by the live consumers (its `history` attribute). */
  private async putResponse(answer: ImportedAnswer, importedAt: string): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: historyResponseItem(answer, this.options.source ?? 'import', importedAt, this.options.retentionDays ?? DEFAULT_RETENTION_DAYS),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // written by an interrupted run: counted once
    }
  }

  /** Hashes of the rows the per-row ledger of the former importer counted. */
  private async legacyRows(answers: ImportedAnswer[]): Promise<string[]> {
    if (this.options.legacyLedger === false) return [];
    const chunks: ImportedAnswer[][] = [];
    for (let i = 0; i < answers.length; i += BATCH_GET_KEYS) chunks.push(answers.slice(i, i + BATCH_GET_KEYS));
    const found: string[] = [];
    for (const chunk of chunks) {
      let wanted: Array<Record<string, unknown>> = chunk.map((a) => keys.importedRow(a.id));
      for (let attempt = 0; wanted.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** Math.min(attempt, 6)));
        const out = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted, ConsistentRead: true } } }));
        for (const item of out.Responses?.[this.tableName] ?? []) found.push(ledgerEntry(String(item.pk).slice(PK.importedRow.length)));
        wanted = out.UnprocessedKeys?.[this.tableName]?.Keys ?? []; // throttled keys: read again after a pause
      }
    }
    return found;
  }
}

/** The response item of an imported row with a comment: a final response of the row's id, marked `history`. */
export function historyResponseItem(answer: ImportedAnswer, source: string, importedAt: string, retentionDays: number) {
  const customerId = `history:${source}`; // nothing personal: the history acts on no customer
  return {
    ...keys.response(answer.id),
    entity: ENTITY.response,
    invitationId: answer.id,
    surveyId: answer.segments.survey ?? `imported-${answer.metric}`,
    metric: answer.metric,
    customerId,
    score: answer.score,
    comment: answer.comment,
    segments: answer.segments,
    locale: languageOf(answer.segments.locale),
    subjectRef: '',
    status: 'final',
    version: 1,
    answeredAt: answer.answeredAt,
    updatedAt: importedAt,
    evidence: 'import',
    history: source,
    ...indexKeys.responseHistory(customerId, answer.answeredAt, answer.id),
    ...indexKeys.responsesByDay(answer.answeredAt, answer.id),
    expiresAtEpoch: epochSeconds(answer.answeredAt) + retentionDays * DAY_SECONDS,
  };
}

export function groupByDay(answers: ImportedAnswer[]): DayGroup[] {
  const groups = new Map<string, DayGroup>();
  for (const a of answers) {
    const day = a.answeredAt.slice(0, 10);
    const id = `${a.metric}|${day}`;
    const group = groups.get(id) ?? { metric: a.metric, day, answers: [] };
    group.answers.push(a);
    groups.set(id, group);
  }
  return [...groups.values()];
}

/** The page writes of a day's new rows: folded in memory, one per page (in parts past MAX_CELLS_PER_WRITE cells). */
export function pageWrites(answers: ImportedAnswer[]): PageWrite[] {
  const changes = answers.map((a, i) => ({ seq: String(i + 1), new: { ...a, status: 'final' as const, evidence: 'import' as const } }));
  return toPages(preAggregate(changes)).flatMap((page) => {
    const cells = cellsOf(page);
    const parts: PageWrite[] = [];
    for (let i = 0; i < cells.length; i += MAX_CELLS_PER_WRITE) {
      const part = cells.slice(i, i + MAX_CELLS_PER_WRITE);
      parts.push({ key: page.key, part: i / MAX_CELLS_PER_WRITE, cells: Object.fromEntries(part.map((c) => [cellAttribute(c.score, c.value), c.count])) });
    }
    return parts;
  });
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
