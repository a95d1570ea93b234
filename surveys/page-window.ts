/**
 * A tumbling window's pending page deltas: the page writers (score, topic and funnel pages) fold every
 * batch of a window into them and write each page once, when the window ends (docs/aggregation.md,
 * "Windows"). Pure: the handler keeps the result in the window's `state` (at most 1 MB a shard on Lambda).
 *
 * What is kept, per page family: per group (a score or topic bucket, a funnel page) the cell changes in
 * stream order, each with its sequence number, so that a page written later is still exactly-once (the
 * page's watermark skips what it absorbed already). `upTo` is the last sequence number folded in: a
 * redelivered record at or below it is not folded a second time.
 *
 * Encoded compactly as one JSON string: the window's sequence numbers once (without leading zeros), and
 * each change as [index of its sequence number, cell, ±1].
 */
import * as z from './zod.ts';

/** One change's effect on one cell: the score or topic cell of a bucket, or a funnel page's cell. */
export interface CellChange {
  /** Padded (aggregation.ts padSeq). */
  seq: string;
  cell: string | number;
  delta: 1 | -1;
}

/** How a page family's deltas become grouped cell changes, and back (aggregation.ts, funnel/pages.ts). */
export interface PageFamily<D> {
  groupsOf(deltas: D[]): Array<{ group: string; changes: CellChange[] }>;
  deltasOf(groups: ReadonlyMap<string, CellChange[]>): D[];
}

export interface PendingPages {
  /** The last sequence number folded in (padded); undefined before the window's first record. */
  upTo?: string;
  /** Family name → group → cell changes in stream order. */
  families: Record<string, Map<string, CellChange[]>>;
}

/** The key of the window state the page writers return to Lambda. */
export const WINDOW_STATE_KEY = 'pages';
/**
 * Written at once, not carried, when the state would be larger: Lambda ends a window early at 1 MB a shard
 * (the state's JSON, in which every quote of the inner JSON is escaped), and a window ended early starts
 * again with an empty state; 700 KB leaves room for the next batch's growth to be noticed first.
 */
export const WINDOW_STATE_MAX_BYTES = 700_000;

const STATE_VERSION = 1;
const change = z.tuple([z.number().check(z.int(), z.nonnegative()), z.union([z.string(), z.number()]), z.union([z.literal(1), z.literal(-1)])]);
const encodedSchema = z.object({
  v: z.literal(STATE_VERSION),
  u: z.optional(z.string().check(z.regex(/^\d+$/))),
  s: z.array(z.string().check(z.regex(/^\d+$/))),
  f: z.record(z.string(), z.record(z.string(), z.array(change))),
});
type Encoded = z.infer<typeof encodedSchema>;

const pad = (seq: string) => seq.padStart(40, '0');
const unpad = (seq: string) => seq.replace(/^0+(?=\d)/, '');

export const emptyPending = (upTo?: string): PendingPages => ({ ...(upTo ? { upTo } : {}), families: {} });

/** Folds one batch's deltas of a family into the window (the batch follows what is pending, in stream order). */
export function foldInto<D>(pending: PendingPages, name: string, family: PageFamily<D>, deltas: D[]): void {
  for (const { group, changes } of family.groupsOf(deltas)) append(pending, name, group, changes);
}

function append(pending: PendingPages, name: string, group: string, changes: CellChange[]): void {
  const groups = pending.families[name] ?? new Map<string, CellChange[]>();
  pending.families[name] = groups;
  groups.set(group, [...(groups.get(group) ?? []), ...changes]);
}

/** Merges two windows' pending deltas, `later` after `earlier` in stream order. */
export function mergePending(earlier: PendingPages, later: PendingPages): PendingPages {
  const out: PendingPages = { ...emptyPending(maxSeq(earlier.upTo, later.upTo)) };
  for (const source of [earlier, later]) {
    for (const [name, groups] of Object.entries(source.families)) for (const [group, changes] of groups) append(out, name, group, changes);
  }
  return out;
}

export function maxSeq(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined || a >= b ? a : b;
}

/** The page deltas pending for a family: what the window's final call writes. */
export function pendingDeltas<D>(pending: PendingPages, name: string, family: PageFamily<D>): D[] {
  const groups = pending.families[name];
  return groups?.size ? family.deltasOf(groups) : [];
}

export function isEmpty(pending: PendingPages): boolean {
  return Object.values(pending.families).every((groups) => groups.size === 0);
}

/** The state to hand back to Lambda: a Record<string, string>, as its tumbling windows keep it. */
export function encodeWindow(pending: PendingPages): Record<string, string> {
  const seqs: string[] = [];
  const index = new Map<string, number>();
  const indexOf = (seq: string) => {
    const known = index.get(seq);
    if (known !== undefined) return known;
    index.set(seq, seqs.length);
    return seqs.push(unpad(seq)) - 1;
  };
  const f: Encoded['f'] = {};
  for (const [name, groups] of Object.entries(pending.families)) {
    if (!groups.size) continue;
    const out: Encoded['f'][string] = {};
    for (const [group, changes] of groups) out[group] = changes.map((c) => [indexOf(c.seq), c.cell, c.delta]);
    f[name] = out;
  }
  const encoded: Encoded = { v: STATE_VERSION, ...(pending.upTo ? { u: unpad(pending.upTo) } : {}), s: seqs, f };
  return { [WINDOW_STATE_KEY]: JSON.stringify(encoded) };
}

/** Bytes of the state as Lambda measures it (its JSON). */
export function stateBytes(state: Record<string, string>): number {
  return new TextEncoder().encode(JSON.stringify(state)).length;
}

export type ReadWindow = { ok: true; pending: PendingPages } | { ok: false; reason: string };

/**
 * The pending deltas of a state Lambda handed in. No state, or an empty one (a window's first call), is an
 * empty window; a state that does not parse says why, without its content (it names segment values).
 */
export function decodeWindow(state: Record<string, string> | undefined): ReadWindow {
  const text = state?.[WINDOW_STATE_KEY];
  if (text === undefined) return { ok: true, pending: emptyPending() };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: `window state is not JSON (${text.length} characters)` };
  }
  const parsed = encodedSchema.safeParse(json);
  if (!parsed.success) {
    // The path only as deep as our own names (`f.<family>`): below it are group ids, which name segment values.
    const where = parsed.error.issues.map((i) => `${i.path.slice(0, 2).join('.') || '(root)'}: ${i.message}`).slice(0, 3);
    return { ok: false, reason: `window state does not match version ${STATE_VERSION}: ${where.join('; ')}` };
  }
  const { u, s, f } = parsed.data;
  const families: PendingPages['families'] = {};
  for (const [name, groups] of Object.entries(f)) {
    const map = new Map<string, CellChange[]>();
    for (const [group, changes] of Object.entries(groups)) {
      const decoded: CellChange[] = [];
      for (const [i, cell, delta] of changes) {
        const seq = s[i];
        if (seq === undefined) return { ok: false, reason: `window state names sequence number ${i} of ${s.length}` };
        decoded.push({ seq: pad(seq), cell, delta });
      }
      map.set(group, decoded);
    }
    families[name] = map;
  }
  return { ok: true, pending: { ...(u ? { upTo: pad(u) } : {}), families } };
}
