/**
 * What each handler's bundle holds, from esbuild's metafile: bytes in the output per package (or
 * per source folder), and with WHY=<text> the import chain that pulls the first input matching it
 * into the bundle. Built with the same options as `npm run bench:bundles` (bench/bundle-build.ts).
 *
 *   npx tsx bench/bundle-contents.ts sendDue trackHealth     (no names: every handler)
 *   TOP=40 WHY=client-sns npx tsx bench/bundle-contents.ts trackHealth
 *   FILES=zod npx tsx bench/bundle-contents.ts sendDue       (the inputs of one group, largest first; FILES=own: ours)
 */
import type { Metafile } from 'esbuild';
import { FUNCTIONS, type FunctionName } from '../functions/manifest.ts';
import { buildHandler } from './bundle-build.ts';

/** The package of a node_modules path, else the first two folders of a source path. */
const groupOf = (input: string) => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? input.split('/').slice(0, 2).join('/');

/** The shortest import chain from the entry to the first input in the output whose path contains `needle`. */
function why(metafile: Metafile, inputs: Record<string, unknown>, entry: string, needle: string): string[] | undefined {
  const previous = new Map<string, string>([[entry, '']]);
  const queue = [entry];
  for (let input = queue.shift(); input !== undefined; input = queue.shift()) {
    if (input.includes(needle) && input in inputs) {
      const chain = [input];
      for (let at = previous.get(input); at; at = previous.get(at)) chain.unshift(at);
      return chain;
    }
    for (const { path } of metafile.inputs[input]?.imports ?? []) {
      if (!previous.has(path) && path in metafile.inputs) previous.set(path, input), queue.push(path);
    }
  }
  return undefined;
}

const names = process.argv.length > 2 ? (process.argv.slice(2) as FunctionName[]) : (Object.keys(FUNCTIONS) as FunctionName[]);
for (const name of names) {
  const entry = FUNCTIONS[name].entry;
  const { bytes, metafile } = await buildHandler(entry, `/tmp/ankieta-bundle-contents/${name}.mjs`);
  const inputs = Object.values(metafile.outputs)[0]!.inputs;
  const groups = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) groups.set(groupOf(input), (groups.get(groupOf(input)) ?? 0) + bytesInOutput);
  console.log(`\n${name}: ${(bytes / 1024).toFixed(1)} KB`);
  for (const [group, size] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 25))) {
    console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${group}`);
  }
  const files = process.env.FILES;
  if (files) {
    // FILES=<group>: that group's inputs; FILES=own: every input outside node_modules.
    const listed = Object.entries(inputs).filter(([input]) => (files === 'own' ? !input.includes('node_modules/') : groupOf(input) === files));
    for (const [input, { bytesInOutput }] of listed.sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) {
      console.log(`${(bytesInOutput / 1024).toFixed(1).padStart(8)} KB    ${input}`);
    }
  }
  if (process.env.WHY) console.log(`why ${process.env.WHY}:\n  ${why(metafile, inputs, entry, process.env.WHY)?.join('\n  → ') ?? 'not in this bundle'}`);
}
