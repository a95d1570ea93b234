/**
 * The edges under 10,000 random inputs each (the CI properties in test/fuzz/ run a few hundred):
 * POST /events, the Shopify and Zendesk webhooks, the survey links (rating page, answer, comment), SMS
 * replies and the CSV history import, judged by
 * the same checks (test/support/fuzz-edges.ts) on DynamoDB Local. Counts go to bench/RESULTS.md:
 *   crash — a 5xx, an exception out of the handler or the script;
 *   lost  — a valid entry neither processed nor refused (not in the table);
 *   wrong — a refusal that does not say what the contract says (status, the field named).
 * Failing inputs are printed in full (and the first few kept in RESULTS.md) so they can be replayed.
 *
 * Usage: npm run bench:fuzz [-- --runs 10000 --seed 42 --edges events,webhooks,links,sms,csv]
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, startDynamoDbLocal } from '../local/dynamodb.ts';
import { csvEdge, eventsEdge, respondEdge, smsEdge, webhooksEdge, type FuzzEdge, type FuzzWorld } from '../test/support/fuzz-edges.ts';
import { writeSection } from './results.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: process.env.FUZZ_RUNS ?? '10000' },
    seed: { type: 'string', default: process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31) },
    edges: { type: 'string', default: 'events,webhooks,links,sms,csv' },
  },
});
const RUNS = Number(values.runs);
const SEED = Number(values.seed);
const CHUNK = 250; // inputs generated at a time (a fresh seed each), so memory stays flat

interface Tally {
  edge: string;
  inputs: number;
  crashes: number;
  lost: number;
  wrong: number;
  seconds: number;
  outcomes: Map<string, number>;
  examples: string[];
}

async function runEdge<T>(edge: FuzzEdge<T>): Promise<Tally> {
  const tally: Tally = { edge: edge.name, inputs: 0, crashes: 0, lost: 0, wrong: 0, seconds: 0, outcomes: new Map(), examples: [] };
  const started = Date.now();
  for (let chunk = 0; tally.inputs < RUNS; chunk++) {
    for (const input of fc.sample(edge.arbitrary, { numRuns: Math.min(CHUNK, RUNS - tally.inputs), seed: SEED + chunk })) {
      tally.inputs++;
      const verdict = await edge.check(input).catch((error: Error) => ({ outcome: 'harness error', crash: `the check threw ${error.name}: ${error.message}` }));
      tally.outcomes.set(verdict.outcome, (tally.outcomes.get(verdict.outcome) ?? 0) + 1);
      if ('crash' in verdict && verdict.crash) tally.crashes++;
      if ('lost' in verdict && verdict.lost) tally.lost++;
      if ('wrong' in verdict && verdict.wrong) tally.wrong++;
      if (('crash' in verdict && verdict.crash) || ('lost' in verdict && verdict.lost) || ('wrong' in verdict && verdict.wrong)) {
        const report = `${JSON.stringify(verdict)}\n  input: ${JSON.stringify(input, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v)).slice(0, 2000)}`;
        console.error(`\n${edge.name}: ${report}`);
        if (tally.examples.length < 3) tally.examples.push(report.slice(0, 600));
      }
      if (tally.inputs % 1000 === 0) process.stderr.write(`  ${edge.name}: ${tally.inputs} inputs, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
  }
  tally.seconds = (Date.now() - started) / 1000;
  return tally;
}

async function main(): Promise<number> {
  // The failures are counted here; the handlers' own error logs would only repeat them.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  Object.assign(process.env, { AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  const dynamo = await startDynamoDbLocal();
  try {
    // One table for every edge: the handlers keep their store (and its table name) once created, as on Lambda.
    const tableName = 'ankieta-fuzz';
    await ensureTable(dynamo.client, tableName);
    const world: FuzzWorld = {
      endpoint: dynamo.endpoint,
      tableName,
      doc: DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } }),
    };
    const builders: Record<string, () => Promise<FuzzEdge<never>>> = {
      events: () => eventsEdge(world) as Promise<FuzzEdge<never>>,
      webhooks: () => webhooksEdge(world) as Promise<FuzzEdge<never>>,
      sms: () => smsEdge(world) as Promise<FuzzEdge<never>>,
      links: () => respondEdge(world) as Promise<FuzzEdge<never>>,
      csv: () => csvEdge(world) as Promise<FuzzEdge<never>>,
    };
    const tallies: Tally[] = [];
    for (const name of values.edges!.split(',')) {
      const build = builders[name.trim()];
      if (!build) throw new Error(`no edge "${name}" (there are ${Object.keys(builders).join(', ')})`);
      const edge = await build();
      console.log(`${edge.name}: ${RUNS} inputs, seed ${SEED}…`);
      const tally = await runEdge(edge);
      console.log(`  ${tally.crashes} crashes, ${tally.lost} lost, ${tally.wrong} wrong refusals in ${tally.seconds.toFixed(0)} s`);
      tallies.push(tally);
    }

    const sum = (k: 'inputs' | 'crashes' | 'lost' | 'wrong') => tallies.reduce((n, t) => n + t[k], 0);
    const line = `fuzz: ${sum('inputs').toLocaleString('en')} inputs, ${sum('crashes')} crashes, ${sum('lost')} lost (${tallies.map((t) => `${t.edge} ${t.inputs.toLocaleString('en')}/${t.crashes}/${t.lost}`).join(', ')}: inputs/crashes/lost)`;
    const top = (t: Tally) =>
      [...t.outcomes]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([o, n]) => `${o.trim()} ${Math.round((n / t.inputs) * 100)} %`)
        .join('; ');
    const body = [
      `Random inputs per edge from the arbitraries of \`test/support/arbitraries.ts\` (valid, one field broken, junk), seed ${SEED}, each judged by \`test/support/fuzz-edges.ts\` against the real handler on DynamoDB Local. crash = 5xx or exception; lost = a valid entry not in the table; wrong = a refusal not as the contract says.`,
      '',
      '| edge | inputs | crashes | lost | wrong refusals | time | most frequent outcomes |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...tallies.map(
        (t) =>
          `| ${t.edge} | ${t.inputs.toLocaleString('en')} | ${t.crashes} | ${t.lost} | ${t.wrong} | ${t.seconds.toFixed(0)} s | ${top(t).replaceAll('|', '/')} |`,
      ),
      '',
      'Survey links: a person\'s well-formed answer is left out of the random inputs (it may be written, as it should); the others must write nothing, so "lost" does not apply there. `test/e2e/respond-fuzz.test.ts` checks that the one person\'s answer is kept.',
      '',
      line,
      ...(tallies.some((t) => t.examples.length)
        ? ['', 'First failing inputs:', '', '```', ...tallies.flatMap((t) => t.examples.map((e) => `${t.edge}: ${e}`)), '```']
        : []),
    ].join('\n');
    writeSection('fuzz', `npm run bench:fuzz${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`, body);
    console.log(`\n${line}\nbench/RESULTS.md updated`);
    return sum('crashes') + sum('lost') + sum('wrong') > 0 ? 1 : 0;
  } finally {
    await dynamo.stop();
  }
}

process.exitCode = await main();
