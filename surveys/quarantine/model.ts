/**
 * Rejected input, as support leads see it (GET /api/quarantine): what came in, from where, why it was
 * refused, and what a replay did. The payload stays in the store unless asked for by name.
 */

/** What a replay did: accepted (a survey scheduled, moved or cancelled), skipped with its reason, or rejected again with the new reason. */
export type ReplayResult = 'accepted' | 'skipped' | 'rejected';

export interface ReplayRecord {
  at: string;
  result: ReplayResult;
  reason?: string;
  /** The event's outcome when it got that far (`scheduled`, `duplicate`, `stale`…), its id and invitation. */
  outcome?: string;
  eventId?: string;
  invitationId?: string;
}

export interface QuarantinedItem {
  id: string;
  source: string;
  reason: string;
  receivedAt: string;
  /** Bytes of the payload as received (JSON); undefined for items kept before sizes were recorded. */
  size?: number;
  /** The payload was cut to fit the table: it cannot be replayed. */
  truncated: boolean;
  replay?: ReplayRecord;
}

/** A replay's outcome is final once accepted or skipped: a second replay answers it again, never runs again. */
export function isSettled(replay: ReplayRecord | undefined): replay is ReplayRecord {
  return replay?.result === 'accepted' || replay?.result === 'skipped';
}

/**
 * The kind of a reason, for counting: ids, numbers, times and quoted values left out, so that "order 82…:
 * no orders/create told ankieta its customer" of many orders counts as one reason. First clause only.
 */
export function reasonKind(reason: string): string {
  return (
    reason
      .slice(0, 1000)
      .split(';')[0]!
      .replace(/"[^"]*"/g, '"…"')
      .replace(/\b[\w.+-]*\d(?:[\w.+-]|:(?=\d))*/g, '…') // a colon inside a time, not the one after an id
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 160) || '(none)'
  );
}

export interface QuarantineSummary {
  days: number;
  total: number;
  bySource: Record<string, number>;
  byReason: { source: string; reason: string; count: number }[];
}

/** Counts by source and by reason kind, the most frequent first. */
export function summarize(items: Iterable<Pick<QuarantinedItem, 'source' | 'reason'>>, days: number): QuarantineSummary {
  const bySource: Record<string, number> = {};
  const byReason = new Map<string, { source: string; reason: string; count: number }>();
  let total = 0;
  for (const item of items) {
    total++;
    bySource[item.source] = (bySource[item.source] ?? 0) + 1;
    const reason = reasonKind(item.reason);
    const key = `${item.source}\n${reason}`;
    const row = byReason.get(key) ?? { source: item.source, reason, count: 0 };
    row.count++;
    byReason.set(key, row);
  }
  return { days, total, bySource, byReason: [...byReason.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)) };
}
