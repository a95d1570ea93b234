/**
 * Funnel pages: a batch's funnel steps folded into one delta per stored page, applied exactly once
 * with the same per-shard watermark as the score pages (surveys/aggregation.ts, docs/aggregation.md).
 *
 * A page is the funnel of one dimension on one day (`FUNNEL#<dimension>` / `DAY#<day>#p<page>`): one
 * number per (step, value) cell, named `<step>:<value>` (`skipped.<reason>:<value>` for skips). Each
 * change keeps its stream sequence number, so the part of a delta past a page's watermark can be
 * recomputed after a redelivery (`funnelPageAfter`) and a big delta cut between changes.
 */
import { padSeq } from '../aggregation.ts';
import type { PageFamily } from '../page-window.ts';
import { FUNNEL_SEGMENTS, funnelStepsOf, type FunnelChange, type FunnelSegment, type StepCount } from './steps.ts';

/**
 * Pages per segment; a value's page is stable (FNV-1a), and readers sum every page, so counts can
 * change. The `survey` pages hold the whole funnel per survey (the totals are their sum); the others
 * hold `<survey>|<value>` cells, so one survey's split costs no extra write.
 */
export const FUNNEL_PAGES: Readonly<Record<FunnelSegment, number>> = { survey: 1, channel: 1, locale: 1, store: 4, team: 1, sendHour: 1 };

export interface FunnelPageKey {
  dimension: FunnelSegment;
  day: string;
  page: number;
}

/** One change's effect on one cell of a page. */
export interface CellChange {
  seq: string;
  cell: string;
  delta: 1 | -1;
}

export interface FunnelPageDelta {
  key: FunnelPageKey;
  changes: CellChange[];
  /** The page's watermark for the shard once this delta is applied. */
  lastSeq: string;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

export function funnelPageOf(dimension: FunnelSegment, value: string): number {
  const pages = FUNNEL_PAGES[dimension];
  return pages <= 1 ? 0 : fnv1a(value) % pages;
}

export function cellName(step: string, reason: string | undefined, value: string): string {
  return `${reason ? `${step}.${reason}` : step}:${value}`;
}

/** Splits a stored cell name back into step, reason and value (`skipped.no-consent:email`). */
export function parseCell(name: string): { step: string; reason?: string; value: string } | undefined {
  const m = /^([a-z]+)(?:\.([a-z0-9-]+))?:(.*)$/s.exec(name);
  if (!m) return undefined;
  return { step: m[1]!, ...(m[2] ? { reason: m[2] } : {}), value: m[3]! };
}

const pageId = (k: FunnelPageKey) => `${k.dimension}|${k.day}|${k.page}`;
const maxSeq = (changes: CellChange[]) => changes.reduce((m, c) => (c.seq > m ? c.seq : m), changes[0]!.seq);
const minSeq = (changes: CellChange[]) => changes.reduce((m, c) => (c.seq < m ? c.seq : m), changes[0]!.seq);

function pageFrom(key: FunnelPageKey, changes: CellChange[]): FunnelPageDelta {
  return { key, changes, lastSeq: maxSeq(changes) };
}

/** The stored value of a segment: the survey itself, or `<survey>|<value>`. */
export function scopedValue(survey: string, value: string): string {
  return `${survey}|${value}`;
}

/** Where one counted step lands: one (page, cell) per segment it has a value in. */
function placesOf(count: StepCount): Array<{ key: FunnelPageKey; cell: string }> {
  const out: Array<{ key: FunnelPageKey; cell: string }> = [];
  for (const dimension of FUNNEL_SEGMENTS) {
    const raw = dimension === 'survey' ? count.survey : count.values[dimension];
    if (!raw) continue;
    const value = dimension === 'survey' ? raw : scopedValue(count.survey, raw);
    out.push({ key: { dimension, day: count.day, page: funnelPageOf(dimension, value) }, cell: cellName(count.step, count.reason, value) });
  }
  return out;
}

/** One delta per page for a whole batch of changes (in stream order, each with its sequence number). */
export function funnelPages(changes: Array<FunnelChange & { seq: string }>): FunnelPageDelta[] {
  const byPage = new Map<string, { key: FunnelPageKey; changes: CellChange[] }>();
  for (const change of changes) {
    const seq = padSeq(change.seq);
    for (const count of funnelStepsOf(change)) {
      for (const { key, cell } of placesOf(count)) {
        const entry = byPage.get(pageId(key)) ?? { key, changes: [] };
        entry.changes.push({ seq, cell, delta: count.delta });
        byPage.set(pageId(key), entry);
      }
    }
  }
  return [...byPage.values()].map(({ key, changes: cs }) => pageFrom(key, cs));
}

/** The part of a page delta not yet applied, given the page's watermark for this shard. */
export function funnelPageAfter(page: FunnelPageDelta, watermark: string | undefined): FunnelPageDelta | undefined {
  const pending = watermark ? page.changes.filter((c) => c.seq > watermark) : page.changes;
  return pending.length ? pageFrom(page.key, pending) : undefined;
}

export function funnelPageFirstSeq(page: FunnelPageDelta): string {
  return minSeq(page.changes);
}

/** The non-zero cell sums of a page delta. */
export function funnelCellsOf(page: FunnelPageDelta): Array<{ cell: string; count: number }> {
  const sums = new Map<string, number>();
  for (const c of page.changes) sums.set(c.cell, (sums.get(c.cell) ?? 0) + c.delta);
  return [...sums].filter(([, count]) => count !== 0).map(([cell, count]) => ({ cell, count }));
}

/**
 * Cuts a page delta into consecutive parts of at most `maxCells` distinct cells (an update expression
 * is limited to 4 KB), only between sequence numbers; applied in order each part moves the watermark
 * to its last change, so the parts are exactly-once too.
 */
export function splitFunnelPage(page: FunnelPageDelta, maxCells: number): FunnelPageDelta[] {
  const sorted = [...page.changes].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  const parts: FunnelPageDelta[] = [];
  let current: CellChange[] = [];
  let cells = new Set<string>();
  for (let i = 0; i < sorted.length; ) {
    const seq = sorted[i]!.seq;
    const group: CellChange[] = [];
    while (i < sorted.length && sorted[i]!.seq === seq) group.push(sorted[i++]!);
    const merged = new Set([...cells, ...group.map((c) => c.cell)]);
    if (current.length && merged.size > maxCells) {
      parts.push(pageFrom(page.key, current));
      current = [];
      cells = new Set(group.map((c) => c.cell));
    } else cells = merged;
    current.push(...group);
  }
  if (current.length) parts.push(pageFrom(page.key, current));
  return parts;
}

/** Funnel pages as a tumbling window keeps them (page-window.ts): grouped by page, each change a (seq, cell, ±1). */
export const FUNNEL_PAGES_FAMILY: PageFamily<FunnelPageDelta> = {
  groupsOf: (pages) => pages.map((p) => ({ group: pageId(p.key), changes: p.changes })),
  deltasOf: (groups) =>
    [...groups].map(([id, changes]) => {
      const [dimension, day, page] = id.split('|') as [FunnelSegment, string, string];
      return pageFrom(
        { dimension, day, page: Number(page) },
        changes.map((c) => ({ seq: c.seq, cell: String(c.cell), delta: c.delta })),
      );
    }),
};
