/**
 * Folds imported history rows into the score pages, exactly once per row however often a file (or
 * an overlapping one) is imported, with one write per page per day and no transaction.
 *
 * The rows of a batch are grouped by (metric, UTC day) and folded in memory into one delta per page.
 * Each day has a ledger item (`IMPORT#<metric>#<day>` / `LEDGER`): the set of the hashes of the row ids
 * counted into that day's pages, a version, and `pending`, the page deltas of the last version. A day
 * takes one ledger write and one write per page:
 *  1. intent: the ledger's rows += the new rows' hashes, version = v+1, `pending` = { v+1, the page
 *     deltas } (condition: still version v) — only one import of a day at a time;
 *  2. every page of the day once: ADD the cells, SET `wm_history` = v+1 (condition: below v+1), so a
 *     page written before a crash is not written again; the last page of the list only once all the
 *     others are written, so its watermark says the version is complete.
 * Whoever reads the ledger next (the next import of the day, a concurrent one) first makes sure the
 * pending pages are written: it reads the last page's watermark (with the other days') and, when it
 * is still below the version, every page's, and writes those below it, the last one last. So the rows
 * of the set are counted, or about to be by the first reader, and an import of rows counted before
 * only reads. A `pending` of the former three-step protocol (with its own `rows`, not yet in the set)
 * is finished the former way: its pages, then its rows join the set and it is removed.
 *
 * The ledgers of a batch are read together (BatchGetItem), the days run side by side, and the pages
 * of a day are written in parallel: the import's pace is its number of requests and their latency.
 *
 * Rows counted by the importer before the day ledgers (one `IMPORT#<rowId>` item per row, written in
 * one transaction with the page deltas, so with `import` cells on the day's evidence page) are looked
 * up the first time a day gets its ledger, for the days whose evidence page counts `import` answers,
 * and recorded there, so they stay counted once.
 *
 * Rows with a comment (surveys/history-import.ts keeps it within the retention period) are not folded:
 * each becomes a response item (`evidence: 'import'`, `history: <source>`), put before the intent (in
 * batches of 25, skipping those already there: an import stopped before its intent wrote them), and the
 * stream aggregator counts it (and the comment classifier reads it) like any answer; the live consumers'
 * stream filter (LIVE_RESPONSE_FILTER) skips it. Its row joins the day's ledger all the same, so a later
 * export of that row, with or without its comment, is neither folded nor written again: each row is
 * counted once, by the fold or by the stream.
 *
 * A day's ledger holds 16 characters per row: DynamoDB's 400 KB item limit is ~20,000 rows per metric
 * and day, beyond any Delighted account's daily answers (a day over it fails with DynamoDB's message).
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { bucketKeysOf, pageId, pageOf, type PageKey } from '#surveys/aggregation.ts';
import { splitComments, type ImportedAnswer } from '#surveys/history-import.ts';
import { languageOf } from '#surveys/model.ts';
import { batchGetAll, batchWriteAll, pool, type BatchOptions } from './batch-requests.ts';
import { DAY_SECONDS, DEFAULT_RETENTION_DAYS } from './retention.ts';
import { ENTITY, epochSeconds, indexKeys, keys, PK } from './table/keys.ts';
import { cellAttribute, MAX_CELLS_PER_WRITE } from './score-buckets.ts';

/** What the ledger keeps of a row id (`imp-<22 chars>`): 16 characters of its hash, 96 bits. */
const ledgerEntry = (rowId: string) => rowId.slice(4, 20);
const watermarkOf = (part: number) => (part ? `wm_history_${part}` : 'wm_history');
/** A cell of the evidence page counting imported answers (`<score>:import`): the former importer counted there. */
const IMPORT_CELL = /^\d+:import$/;

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
  pages: PageWrite[];
  /** Only in an intent of the former three-step protocol: rows not yet in the set. */
  rows?: Set<string> | string[];
}

/** What was read of a day before its turn: its ledger, and whether the former per-row ledger may hold some of its rows. */
interface DayStart {
  ledger?: Record<string, unknown>;
  legacyPossible: boolean;
  /** The watermark of the last page the ledger's pending version writes, read with those of the other days. */
  watermarks?: Watermarks;
}

/** Pages by `pk|sk`, with their history watermarks. */
type Watermarks = Map<string, Record<string, unknown>>;
const itemId = (key: Record<string, unknown>) => `${key.pk}|${key.sk}`;

export interface FoldResult {
  added: number;
  already: number;
  /** Of the added rows, those written as history responses (with their comment) rather than folded. */
  comments: number;
}

export interface HistoryImportOptions {
  /** Days written side by side (each with its pages in parallel). */
  concurrency?: number;
  legacyLedger?: boolean;
  source?: string;
  retentionDays?: number;
  /** Batch requests in flight and their retry pause (tests set the pause to 0). */
  batches?: BatchOptions;
}

export class HistoryImportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: HistoryImportOptions = {},
  ) {}

  /** Counts the answers not counted before; returns how many were new and how many already imported. */
  async fold(answers: ImportedAnswer[], importedAt: string): Promise<FoldResult> {
    const result: FoldResult = { added: 0, already: 0, comments: 0 };
    const groups = groupByDay(answers);
    const starts = await this.readDays(groups);
    await pool(groups, this.options.concurrency ?? 8, async (group) => {
      const { added, already, comments } = await this.foldDay(group, importedAt, starts.get(dayId(group))!);
      result.added += added;
      result.already += already;
      result.comments += comments;
    });
    return result;
  }

  /** The ledgers of all the days at once, and for the days without one, their evidence page (is there a former import?). */
  private async readDays(groups: DayGroup[]): Promise<Map<string, DayStart>> {
    const ledgers = await batchGetAll(
      this.db,
      this.tableName,
      groups.map((g) => keys.importLedger(g.metric, g.day)),
      this.options.batches,
    );
    const byPk = new Map(ledgers.map((item) => [String(item.pk), item]));
    const starts = new Map<string, DayStart>();
    for (const g of groups) starts.set(dayId(g), { ledger: byPk.get(keys.importLedger(g.metric, g.day).pk), legacyPossible: false });
    // The second import of a file only reads: the ledgers, then the pending pages of all the days together.
    const pending = ledgers.map((item) => item.pending as Pending | undefined).filter((p): p is Pending => p !== undefined && !p.rows);
    const watermarks = await this.readWatermarks(pending.flatMap((p) => p.pages.slice(-1)));
    for (const start of starts.values()) if (start.ledger) start.watermarks = watermarks;
    if (this.options.legacyLedger === false) return starts;
    const fresh = groups.filter((g) => !starts.get(dayId(g))!.ledger);
    const evidence = fresh.map((g) => keys.bucket({ metric: g.metric as PageKey['metric'], dimension: 'evidence', day: g.day, page: 0 }));
    const pages = await batchGetAll(this.db, this.tableName, evidence, this.options.batches);
    const importing = new Set(pages.filter((p) => Object.entries(p).some(([name, n]) => IMPORT_CELL.test(name) && Number(n) > 0)).map(itemId));
    for (const [g, key] of fresh.map((g, i) => [g, evidence[i]!] as const)) starts.get(dayId(g))!.legacyPossible = importing.has(itemId(key));
    return starts;
  }

  private async foldDay(group: DayGroup, importedAt: string, start: DayStart): Promise<FoldResult> {
    const key = keys.importLedger(group.metric, group.day);
    for (let attempt = 0; attempt < 10; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** Math.min(attempt, 6)));
      const Item = attempt === 0 ? start.ledger : (await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).Item;
      const previous = Item?.pending as Pending | undefined;
      if (previous?.rows) {
        await this.finishFormer(key, previous); // an intent of the former protocol: finish it, then read again
        continue;
      }
      if (previous) await this.completePages(previous, attempt === 0 ? start.watermarks : undefined); // the last version's pages, written by now (or now)
      const version = Item ? Number(Item.version) : 0;
      const counted = (Item?.rows as Set<string> | undefined) ?? new Set<string>();
      const legacy = !Item && start.legacyPossible ? new Set(await this.legacyRows(group.answers)) : new Set<string>();
      const fresh = group.answers.filter((a) => !counted.has(ledgerEntry(a.id)) && !legacy.has(ledgerEntry(a.id)));
      const { responses, scores } = splitComments(fresh);
      const outcome = { added: fresh.length, already: group.answers.length - fresh.length, comments: responses.length };
      const rows = new Set([...fresh.map((a) => ledgerEntry(a.id)), ...legacy]);
      if (rows.size === 0) return outcome;
      // Before the intent: a crash between the two leaves responses the next run finds there (and records).
      await this.putResponses(responses, importedAt);
      const pending: Pending = { version: version + 1, pages: pageWrites(scores) };
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET entity = :entity, metric = :metric, #day = :day, version = :next, pending = :pending, updatedAt = :at ADD #rows :rows',
            ConditionExpression: Item ? 'version = :version AND (attribute_not_exists(pending) OR pending.version = :version)' : 'attribute_not_exists(pk)',
            ExpressionAttributeNames: { '#day': 'day', '#rows': 'rows' },
            ExpressionAttributeValues: {
              ':entity': 'import-ledger',
              ':metric': group.metric,
              ':day': group.day,
              ':next': pending.version,
              ':pending': pending,
              ':rows': rows,
              ':at': importedAt,
              ...(Item ? { ':version': version } : {}),
            },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) continue; // another import got there first: read again
        throw error;
      }
      await this.writePages(pending.pages, pending.version);
      return outcome;
    }
    throw new Error(`the ledger of ${group.metric} ${group.day} kept changing under the import; run it again`);
  }

  /** Writes the pages of a pending version whose watermark is still below it: reads only when they all are written. */
  /**
   * Makes sure the pages of a pending version are written. The last page is written only once all the
   * others are (writePages), so when its watermark has reached the version there is nothing to do:
   * one read per day, made with the other days'. Else every page's watermark is read and the pages
   * below it are written, the last one last again.
   */
  private async completePages(pending: Pending, known?: Watermarks): Promise<void> {
    const last = pending.pages.at(-1);
    if (!last) return;
    const written = (page: PageWrite, watermarks: Watermarks) =>
      Number(watermarks.get(itemId(keys.bucket(page.key)))?.[watermarkOf(page.part)] ?? 0) >= pending.version;
    const watermarks = known && written(last, known) ? known : await this.readWatermarks(pending.pages);
    if (written(last, watermarks)) return;
    await this.writePages(
      pending.pages.filter((p) => !written(p, watermarks)),
      pending.version,
    );
  }

  /** Writes the pages of a version, the others in parallel, then the last one: its watermark says they all are. */
  private async writePages(pages: PageWrite[], version: number): Promise<void> {
    await pool(pages.slice(0, -1), 8, (page) => this.writePage(page, version));
    if (pages.length) await this.writePage(pages.at(-1)!, version);
  }

  private async readWatermarks(pages: PageWrite[]): Promise<Watermarks> {
    if (pages.length === 0) return new Map();
    const names = Object.fromEntries([...new Set(pages.map((p) => p.part))].map((part) => [`#w${part}`, watermarkOf(part)]));
    const unique = new Map(pages.map((p) => [pageId(p.key), keys.bucket(p.key)]));
    const items = await batchGetAll(this.db, this.tableName, [...unique.values()], {
      ...this.options.batches,
      projection: ['pk', 'sk', ...Object.keys(names)].join(', '),
      names,
    });
    return new Map(items.map((item) => [itemId(item), item]));
  }

  /** The former protocol's steps 2 and 3 for an intent it left: each page once, then its rows join the set; both safe to repeat. */
  private async finishFormer(key: { pk: string; sk: string }, pending: Pending): Promise<void> {
    await pool(pending.pages, 8, (page) => this.writePage(page, pending.version));
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
    const names: Record<string, string> = { '#day': 'day', '#wm': watermarkOf(page.part) };
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

  /**
   * History responses, 25 to a request. BatchWriteItem has no condition, so the responses already
   * there (put by an import stopped before its intent, perhaps classified since) are read first and
   * left alone: each is written once, and its stream record counts it once.
   */
  private async putResponses(answers: ImportedAnswer[], importedAt: string): Promise<void> {
    if (answers.length === 0) return;
    const there = await batchGetAll(
      this.db,
      this.tableName,
      answers.map((a) => keys.response(a.id)),
      { ...this.options.batches, projection: 'pk' },
    );
    const existing = new Set(there.map((item) => String(item.pk)));
    const source = this.options.source ?? 'import';
    const retentionDays = this.options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    const puts = answers
      .filter((a) => !existing.has(keys.response(a.id).pk))
      .map((a) => ({ PutRequest: { Item: historyResponseItem(a, source, importedAt, retentionDays) } }));
    await batchWriteAll(this.db, this.tableName, puts, this.options.batches);
  }

  /** Hashes of the rows the per-row ledger of the former importer counted. */
  private async legacyRows(answers: ImportedAnswer[]): Promise<string[]> {
    const found = await batchGetAll(
      this.db,
      this.tableName,
      answers.map((a) => keys.importedRow(a.id)),
      { ...this.options.batches, projection: 'pk' },
    );
    return found.map((item) => ledgerEntry(String(item.pk).slice(PK.importedRow.length)));
  }
}

const dayId = (g: { metric: string; day: string }) => `${g.metric}|${g.day}`;

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
  const pages = new Map<string, { key: PageKey; cells: Map<string, number> }>();
  // Per bucket (metric, day, dimension, value): its page and its cell names by score, made once.
  const buckets = new Map<string, { cells: Map<string, number>; names: string[] }>();
  for (const a of answers) {
    for (const bucket of bucketKeysOf({ ...a, status: 'final', evidence: 'import' })) {
      const id = `${bucket.metric}|${bucket.day}|${bucket.dimension}|${bucket.value}`;
      let entry = buckets.get(id);
      if (!entry) {
        const key: PageKey = { metric: bucket.metric, dimension: bucket.dimension, day: bucket.day, page: pageOf(bucket.dimension, bucket.value) };
        const page = pages.get(pageId(key)) ?? { key, cells: new Map<string, number>() };
        pages.set(pageId(key), page);
        entry = { cells: page.cells, names: [] };
        buckets.set(id, entry);
      }
      let cell = entry.names[a.score];
      if (cell === undefined) {
        cell = cellAttribute(a.score, bucket.value);
        entry.names[a.score] = cell;
      }
      entry.cells.set(cell, (entry.cells.get(cell) ?? 0) + 1);
    }
  }
  return [...pages.values()].flatMap(({ key, cells }) => {
    const all = [...cells];
    const parts: PageWrite[] = [];
    for (let i = 0; i < all.length; i += MAX_CELLS_PER_WRITE) {
      parts.push({ key, part: i / MAX_CELLS_PER_WRITE, cells: Object.fromEntries(all.slice(i, i + MAX_CELLS_PER_WRITE)) });
    }
    return parts;
  });
}
