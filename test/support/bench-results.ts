/** Reads figures back from bench/RESULTS.md for the staleness checks (test/*\/bench-*-figure*.test.ts). */
import { readFileSync } from 'node:fs';

const FILE = new URL('../../bench/RESULTS.md', import.meta.url);

/** The text of one section (`<!-- bench:name -->` … `<!-- /bench:name -->`). */
export function resultsSection(name: string): string {
  const text = readFileSync(FILE, 'utf8');
  const start = text.indexOf(`<!-- bench:${name} -->`);
  const end = text.indexOf(`<!-- /bench:${name} -->`);
  if (start < 0 || end < 0) throw new Error(`bench/RESULTS.md has no ${name} section`);
  return text.slice(start, end);
}

/** The rows of the markdown tables in `text`, as cells (header and separator rows included). */
export function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
}
