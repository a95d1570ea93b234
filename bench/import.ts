/**
 * History import speed and write cost: a Delighted-style CSV export of 100,000 answers (two years of
 * NPS over 10 stores and 2 locales, a fifth with a comment) is generated, imported into a fresh table
 * on DynamoDB Local by the same code as `npm run import`, then imported a second time (nothing may
 * change). Reports rows per second and the write units DynamoDB reports (ReturnConsumedCapacity on
 * every write) per 1,000 rows, for both runs; checks that the pages hold every row exactly once.
 *
 * Usage: npm run bench:import [-- --rows 100000] [--no-write]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { HistoryImportStore } from '../functions/adapters/dynamodb/history-import.ts';
import { ScoreBucketReader } from '../functions/adapters/dynamodb/score-buckets.ts';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodb.ts';
import { runImport, type ImportSummary } from '../scripts/import-history.ts';
import { writeSection } from './results.ts';
import { seeded } from './random.ts';

const STORES = Array.from({ length: 10 }, (_, i) => `store-${String(i + 1).padStart(2, '0')}`);
const FIRST_DAY = Date.parse('2024-07-01T00:00:00Z');
const DAYS = 730;
const NOW = new Date('2026-07-01T00:00:00Z');
/** The CSV header of Delighted's response export (test/fixtures/vendors/delighted/responses-export.csv). */
const HEADER = 'Response ID,Score,Comment,Response timestamp,Person ID,Person Name,Person Email,Properties: Store,Properties: Locale,Tags,Notes';

/**
 * The same file (100,000 rows) imported by the code before the one-write day ledger (commit ecd4030) and
 * by this one, back to back on fresh DynamoDB Locals, with the CPU each run took (this process and
 * DynamoDB Local's JVM): the machine's load moves the rates, the CPU seconds much less.
 */
const PAIRED = {
  commit: 'ecd4030',
  load: '19-25',
  old: { rowsPerSecond: 520, cpuSeconds: 82, requests: '8,760 (6,570 writes)' },
  new: { rowsPerSecond: 1678, cpuSeconds: 48, requests: '5,856 (5,840 writes)' },
};

/** Figures of the importer before the page fold (a ledger item per row in 100-item transactions), same command with --rows 10000. */
const BEFORE = { commit: '35ed78b', rows: 10_000, rowsPerSecond: 125, wcuPer1000: 3197, load: 17 };

/** The export as Delighted writes it: one line per answer, oldest first, quoted where needed. */
export function delightedCsv(rows: number): string {
  const rnd = seeded(20260630);
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const at = new Date(FIRST_DAY + Math.floor((i / rows) * DAYS * 86_400_000));
    const score = Math.min(10, Math.floor(rnd() * 12)); // a lean towards 10, as NPS answers have
    const comment = rnd() < 0.2 ? `"Delivery was ${score > 8 ? 'fast, thanks' : 'late, again'}"` : '';
    const store = STORES[Math.floor(rnd() * STORES.length)]!;
    const locale = rnd() < 0.7 ? 'pl' : 'en';
    const stamp = at
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC');
    lines.push(`${1_000_000 + i},${score},${comment},${stamp},${500_000 + (i % 40_000)},Person ${i},person${i % 40_000}@example.com,${store},${locale},,`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** CPU seconds used so far by this process and by DynamoDB Local's JVM (found by its port; Linux /proc, else this process only). */
function cpuMeter(port: number): () => { node: number; jvm?: number } {
  const line = execFileSync('ps', ['-eo', 'pid,args'])
    .toString()
    .split('\n')
    .find((l) => l.includes('DynamoDBLocal.jar') && l.includes(`-port ${port} `));
  const stat = line ? `/proc/${line.trim().split(/\s+/)[0]}/stat` : undefined;
  return () => {
    const own = process.cpuUsage();
    // Fields 14 and 15 of /proc/<pid>/stat (after the command name): user and system time, in ticks of 1/100 s.
    const fields = stat && existsSync(stat) ? readFileSync(stat, 'utf8').split(') ')[1]!.split(' ') : undefined;
    return { node: (own.user + own.system) / 1e6, jvm: fields ? (Number(fields[11]) + Number(fields[12])) / 100 : undefined };
  };
}

interface Tally {
  /** Units DynamoDB Local reported for writes outside transactions. */
  wcu: number;
  requests: number;
  /** Read requests (GetItem, BatchGetItem, Query). */
  reads: number;
  /** Every item a transaction wrote (refused ones too: AWS bills those), priced once the final item sizes are known. */
  transactionItems: Array<{ key: string; putBytes?: number }>;
}

const keyOf = (k: Record<string, unknown>) => `${k.pk}|${k.sk}`;

/**
 * Counts every write the client sends. DynamoDB Local reports about one unit per transaction where AWS
 * bills 2 per item per started KB (bench/lifecycle-wcu.ts), so transaction items are priced afterwards
 * from the items' final sizes: an upper bound, as an item is never larger than at the end.
 */
function countWrites(client: DynamoDBClient): Tally {
  const tally: Tally = { wcu: 0, requests: 0, reads: 0, transactionItems: [] };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      const input = args.input as Record<string, any>;
      const write = /^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(name);
      if (/^(Get|BatchGet|Query)/.test(name)) tally.reads += 1;
      if (!write) return next(args);
      tally.requests += 1;
      if (name.startsWith('TransactWrite')) {
        for (const t of input.TransactItems as Array<Record<string, any>>) {
          const op = t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck;
          tally.transactionItems.push({ key: keyOf(op.Item ?? op.Key), putBytes: t.Put ? JSON.stringify(t.Put.Item).length : undefined });
        }
        return next(args);
      }
      input.ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const c of (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Array<{ CapacityUnits?: number }>) tally.wcu += c.CapacityUnits ?? 0;
      return out;
    },
    { step: 'initialize', name: 'benchCountWrites' },
  );
  return tally;
}

/** AWS's price of the transaction items: 2 units per started KB of the item (its size at the end of the run). */
async function transactionUnits(db: DynamoDBDocumentClient, table: string, items: Tally['transactionItems']): Promise<number> {
  const sizes = new Map<string, number>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) sizes.set(keyOf(item), JSON.stringify(item).length);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.reduce((sum, i) => sum + 2 * Math.max(1, Math.ceil((i.putBytes ?? sizes.get(i.key) ?? 1024) / 1024)), 0);
}

interface Run {
  summary: ImportSummary;
  seconds: number;
  /** CPU seconds of the run: this process, DynamoDB Local's JVM. */
  cpu: { node: number; jvm?: number };
  load: [number, number];
  wcu: number;
  requests: number;
  reads: number;
}

interface Measured extends Run {
  transactionItems: Tally['transactionItems'];
}

async function timed(file: string, store: HistoryImportStore, tally: Tally, cpu: ReturnType<typeof cpuMeter>): Promise<Measured> {
  const before = { wcu: tally.wcu, requests: tally.requests, reads: tally.reads, items: tally.transactionItems.length };
  const cpuBefore = cpu();
  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  const summary = await runImport({ file, store, options: { metric: 'nps', source: 'delighted', now: NOW } });
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpu();
  return {
    summary,
    seconds,
    cpu: { node: cpuAfter.node - cpuBefore.node, jvm: cpuAfter.jvm === undefined ? undefined : cpuAfter.jvm - cpuBefore.jvm! },
    load: [loadBefore, loadavg()[0]!],
    wcu: tally.wcu - before.wcu,
    requests: tally.requests - before.requests,
    reads: tally.reads - before.reads,
    transactionItems: tally.transactionItems.slice(before.items),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, 'no-write': { type: 'boolean', default: false } } });
  const rows = Number(values.rows);
  const dir = mkdtempSync(join(tmpdir(), 'ankieta-bench-import-'));
  let dynamo: DynamoDbLocal | undefined;
  try {
    const file = join(dir, 'delighted-export.csv');
    writeFileSync(file, delightedCsv(rows));
    dynamo = await startDynamoDbLocal();
    await ensureTable(dynamo.client, 'bench-import');
    const tally = countWrites(dynamo.client);
    const db = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    const store = new HistoryImportStore(db, 'bench-import');

    const cpu = cpuMeter(dynamo.port);
    const measured = [await timed(file, store, tally, cpu), await timed(file, store, tally, cpu)];
    const [first, second] = (await Promise.all(
      measured.map(async (m): Promise<Run> => ({ ...m, wcu: m.wcu + (await transactionUnits(db, 'bench-import', m.transactionItems)) })),
    )) as [Run, Run];

    // Every row counted exactly once: the overall pages sum to the rows, before and after the second run.
    const buckets = await new ScoreBucketReader(db, 'bench-import').readBuckets('nps', 'all', '2024-01-01', '2026-12-31');
    const counted = buckets.reduce((n, b) => n + Object.values(b.histogram).reduce((a, c) => a + c, 0), 0);
    if (counted !== rows) throw new Error(`the pages count ${counted} answers, the file has ${rows}`);
    if (first.summary.added !== rows || second.summary.added !== 0) throw new Error(`added ${first.summary.added} then ${second.summary.added}`);

    const rate = (r: Run) => Math.round(rows / r.seconds);
    const per1000 = (r: Run) => ((r.wcu / rows) * 1000).toFixed(1);
    const cpuText = (r: Run) => (r.cpu.jvm === undefined ? `${r.cpu.node.toFixed(1)} + ?` : `${r.cpu.node.toFixed(1)} + ${r.cpu.jvm.toFixed(1)}`);
    const row = (name: string, r: Run) =>
      `| ${name} | ${rate(r).toLocaleString('en')} | ${r.seconds.toFixed(1)} | ${cpuText(r)} | ${r.load.map((l) => l.toFixed(1)).join(' → ')} | ${Math.round(r.wcu).toLocaleString('en')} | ${per1000(r)} | ${r.requests.toLocaleString('en')} | ${r.reads.toLocaleString('en')} | ${r.summary.added.toLocaleString('en')} | ${r.summary.already.toLocaleString('en')} |`;
    const body = [
      `${rows.toLocaleString('en')} rows (Delighted CSV export, ${DAYS} days, 10 stores, 2 locales, 20 % with a comment) into a fresh table on DynamoDB Local.`,
      '',
      '| run | rows/s | seconds | CPU s (import + DynamoDB Local) | load average (start → end) | WCU | WCU per 1,000 rows | write requests | read requests | added | already there |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('first import', first),
      row('same file again', second),
      '',
      `Pages after both runs: ${counted.toLocaleString('en')} answers counted (every row once). Machine: ${cpus().length} cores shared with other work (load averages above).`,
      `A day costs a ledger write and one write per page (7 here) whatever its rows, so the first import's pace is DynamoDB Local's CPU per write (~5 ms of a fresh JVM's, its JIT warm-up included; ~2-3 ms once warm): its rate moves with the CPU the JVM gets and with the rows per day.`,
      PAIRED.old.rowsPerSecond
        ? `Paired, same file, back to back (commit ${PAIRED.commit}, the day ledger written twice per day, its per-row predecessor looked up for every new day; load ${PAIRED.load}): ${PAIRED.old.rowsPerSecond.toLocaleString('en')} → ${PAIRED.new.rowsPerSecond.toLocaleString('en')} rows/s, ${PAIRED.old.cpuSeconds} → ${PAIRED.new.cpuSeconds} CPU seconds (import + JVM), requests ${PAIRED.old.requests} → ${PAIRED.new.requests}.`
        : '',
      BEFORE.rowsPerSecond
        ? `Before the day ledgers (commit ${BEFORE.commit}, one ledger item per row, 100-item transactions; \`npm run bench:import -- --rows ${BEFORE.rows}\`, load average ~${BEFORE.load}): ${BEFORE.rowsPerSecond.toLocaleString('en')} rows/s, ${BEFORE.wcuPer1000.toLocaleString('en')} WCU per 1,000 rows.`
        : '',
    ].join('\n');
    console.log(body);
    if (!values['no-write']) writeSection('import', `npm run bench:import${rows === 100_000 ? '' : ` -- --rows ${rows}`}`, body);
  } finally {
    await dynamo?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
