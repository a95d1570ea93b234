/** Writes one benchmark's section of bench/RESULTS.md, leaving the other sections as they are. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus, totalmem } from 'node:os';

const FILE = new URL('./RESULTS.md', import.meta.url);

/** bench/RESULTS.md as it stands (empty when there is none yet). */
export function readResults(): string {
  return existsSync(FILE) ? readFileSync(FILE, 'utf8') : '';
}

/** One section of the results' text (`<!-- bench:name -->` up to its end marker), or undefined when it has none. */
export function sectionOf(text: string, name: string): string | undefined {
  const start = text.indexOf(`<!-- bench:${name} -->`);
  const end = text.indexOf(`<!-- /bench:${name} -->`);
  return start >= 0 && end > start ? text.slice(start, end) : undefined;
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function writeSection(name: string, command: string, body: string): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${start}\n## ${name}\n\n\`${command}\` — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${machine()}\n\n${body.trim()}\n${end}`;
  let text = existsSync(FILE)
    ? readFileSync(FILE, 'utf8')
    : '# Benchmark results\n\nEach section is rewritten by the command it names; figures are from one run on a noisy machine.\n';
  const at = text.indexOf(start);
  text = at >= 0 ? text.slice(0, at) + section + text.slice(text.indexOf(end, at) + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, text);
  // Tables padded as Biome formats them, so `npm test`'s format check passes after any bench.
  execFileSync(fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url)), ['format', '--write', fileURLToPath(FILE)], { stdio: 'ignore' });
}
