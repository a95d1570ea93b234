/** Reads figures back from bench/RESULTS.md for the staleness checks (test/*\/bench-*-figure*.test.ts). */
import { readResults, sectionOf } from '../../bench/results.ts';

/** The text of one section (`<!-- bench:name -->` … `<!-- /bench:name -->`). */
export function resultsSection(name: string): string {
  const section = sectionOf(readResults(), name);
  if (section === undefined) throw new Error(`bench/RESULTS.md has no ${name} section`);
  return section;
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
