/**
 * Quality and speed of the comment classifier (surveys/insights/) on the labelled comments of
 * test/fixtures/comments/: per-topic precision and recall, topic micro-F1 and sentiment accuracy on the
 * held-out split (the figures that count; its comments were never used to write word lists) and on the
 * dev split (for reference), and the time per comment (classifier already compiled, after a warm-up).
 *
 * Usage: npm run bench:insights [-- --errors dev|test] [-- --no-write]
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { createClassifier, type Classification } from '../surveys/insights/classify.ts';
import { DEFAULT_TOPIC_IDS } from '../surveys/insights/taxonomy.ts';
import { writeSection } from './results.ts';

interface Labelled {
  lang: 'pl' | 'en';
  text: string;
  topics: string[];
  sentiment: string;
}

const { values } = parseArgs({ options: { errors: { type: 'string' }, 'no-write': { type: 'boolean', default: false } } });

const load = (split: string): Labelled[] =>
  readFileSync(new URL(`../test/fixtures/comments/${split}.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labelled);

const classifier = createClassifier();

interface Figures {
  comments: number;
  polish: number;
  perTopic: Array<{ topic: string; support: number; precision: number | null; recall: number | null }>;
  microF1: number;
  microPrecision: number;
  microRecall: number;
  sentimentAccuracy: number;
  sentimentAccuracyByLang: Record<string, number>;
}

function evaluate(rows: Labelled[], predictions: Classification[]): Figures {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>(DEFAULT_TOPIC_IDS.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]));
  let sentimentRight = 0;
  const byLang: Record<string, { right: number; all: number }> = {};
  rows.forEach((row, i) => {
    const predicted = new Set(predictions[i]!.topics);
    const truth = new Set(row.topics);
    for (const [topic, c] of counts) {
      if (predicted.has(topic) && truth.has(topic)) c.tp++;
      else if (predicted.has(topic)) c.fp++;
      else if (truth.has(topic)) c.fn++;
    }
    const right = predictions[i]!.sentiment === row.sentiment;
    if (right) sentimentRight++;
    const l = (byLang[row.lang] ??= { right: 0, all: 0 });
    l.all++;
    if (right) l.right++;
  });
  const total = [...counts.values()].reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  const microPrecision = ratio(total.tp, total.tp + total.fp) ?? 0;
  const microRecall = ratio(total.tp, total.tp + total.fn) ?? 0;
  return {
    comments: rows.length,
    polish: rows.filter((r) => r.lang === 'pl').length,
    perTopic: [...counts].map(([topic, c]) => ({ topic, support: c.tp + c.fn, precision: ratio(c.tp, c.tp + c.fp), recall: ratio(c.tp, c.tp + c.fn) })),
    microPrecision,
    microRecall,
    microF1: microPrecision + microRecall === 0 ? 0 : (2 * microPrecision * microRecall) / (microPrecision + microRecall),
    sentimentAccuracy: sentimentRight / rows.length,
    sentimentAccuracyByLang: Object.fromEntries(Object.entries(byLang).map(([k, v]) => [k, v.right / v.all])),
  };
}

function printErrors(rows: Labelled[], predictions: Classification[]): void {
  rows.forEach((row, i) => {
    const p = predictions[i]!;
    const topicsWrong = [...p.topics].sort().join(',') !== [...row.topics].sort().join(',');
    if (!topicsWrong && p.sentiment === row.sentiment) return;
    console.log(`- ${row.text}`);
    if (topicsWrong)
      console.log(
        `    topics ${p.topics.join(',') || '∅'} (want ${row.topics.join(',') || '∅'}) ← ${p.evidence.map((e) => `${e.topic}:${e.words.join(' ')}`).join('; ')}`,
      );
    if (p.sentiment !== row.sentiment)
      console.log(
        `    sentiment ${p.sentiment} ${p.sentimentScore} (want ${row.sentiment}) ← ${p.sentimentEvidence.map((e) => `${e.words.join(' ')}${e.negated ? '¬' : ''}:${e.weight}`).join('; ')}`,
      );
  });
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);

const splits = { test: load('test'), dev: load('dev') };
const results = Object.fromEntries(
  Object.entries(splits).map(([name, rows]) => {
    const predictions = rows.map((r) => classifier.classify(r.text));
    return [name, { figures: evaluate(rows, predictions), predictions }];
  }),
) as Record<keyof typeof splits, { figures: Figures; predictions: Classification[] }>;

if (values.errors === 'dev' || values.errors === 'test') printErrors(splits[values.errors], results[values.errors].predictions);

// Speed: every comment of both splits, many rounds, after a warm-up round.
const all = [...splits.test, ...splits.dev];
for (const r of all) classifier.classify(r.text);
const ROUNDS = 50;
const started = process.hrtime.bigint();
for (let round = 0; round < ROUNDS; round++) for (const r of all) classifier.classify(r.text);
const msPerComment = Number(process.hrtime.bigint() - started) / 1e6 / (ROUNDS * all.length);

// What the classifier adds to a handler bundle: built the way the stack builds handlers (minified ESM).
const bundle = await build({
  entryPoints: [new URL('../surveys/insights/classify.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  minify: true,
  external: ['zod'], // every handler bundles zod already
  write: false,
  logLevel: 'error',
});
const bundleBytes = bundle.outputFiles[0]!.contents;
const bundleKb = `${(bundleBytes.length / 1024).toFixed(0)} KB minified, ${(gzipSync(bundleBytes).length / 1024).toFixed(0)} KB gzipped`;

const { test, dev } = { test: results.test.figures, dev: results.dev.figures };
const goal = (ok: boolean) => (ok ? 'met' : '**not met**');
const lines = [
  `Held-out split: ${test.comments} comments (${test.polish} Polish); dev split: ${dev.comments} (${dev.polish} Polish). Default taxonomy, no locale hint.`,
  '',
  '| figure | held-out test | dev (reference) | goal |',
  '| --- | --- | --- | --- |',
  `| topic micro-F1 | ${test.microF1.toFixed(3)} | ${dev.microF1.toFixed(3)} | ≥ 0.85: ${goal(test.microF1 >= 0.85)} |`,
  `| topic micro-precision / recall | ${pct(test.microPrecision)} / ${pct(test.microRecall)} | ${pct(dev.microPrecision)} / ${pct(dev.microRecall)} | |`,
  `| sentiment accuracy | ${pct(test.sentimentAccuracy)} | ${pct(dev.sentimentAccuracy)} | ≥ 85 %: ${goal(test.sentimentAccuracy >= 0.85)} |`,
  `| sentiment accuracy pl / en | ${pct(test.sentimentAccuracyByLang.pl ?? null)} / ${pct(test.sentimentAccuracyByLang.en ?? null)} | ${pct(dev.sentimentAccuracyByLang.pl ?? null)} / ${pct(dev.sentimentAccuracyByLang.en ?? null)} | |`,
  `| ms per comment | ${msPerComment.toFixed(3)} (both splits, ${ROUNDS} rounds) | | ≤ 2: ${goal(msPerComment <= 2)} |`,
  `| classifier in a bundle | ${bundleKb} (NLP.js stemmers/tokenizers, word lists, zod not counted: handlers have it) | | |`,
  '',
  '| topic | support (test) | precision (test) | recall (test) | precision (dev) | recall (dev) |',
  '| --- | --- | --- | --- | --- | --- |',
  ...test.perTopic.map((t, i) => {
    const d = dev.perTopic[i]!;
    return `| ${t.topic} | ${t.support} | ${pct(t.precision)} | ${pct(t.recall)} | ${pct(d.precision)} | ${pct(d.recall)} |`;
  }),
];
console.log(lines.join('\n'));
if (!values['no-write']) writeSection('insights', 'npm run bench:insights', lines.join('\n'));
