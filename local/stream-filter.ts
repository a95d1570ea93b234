/**
 * The subset of Lambda event-filter pattern matching that the stream mappings use (exact values in
 * arrays, nested objects), so the local stream reader delivers exactly what the CDK mapping would.
 */
export function matchesFilter(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((p) => (typeof p === 'object' && p !== null ? false : p === value));
  if (pattern && typeof pattern === 'object') {
    if (!value || typeof value !== 'object') return false;
    return Object.entries(pattern).every(([k, p]) => matchesFilter(p, (value as Record<string, unknown>)[k]));
  }
  return pattern === value;
}

/** A mapping's filters: one pattern, or a list of them that Lambda ORs (a record passes when any matches). */
export function matchesAnyFilter(filters: unknown, record: unknown): boolean {
  return (Array.isArray(filters) ? filters : [filters]).some((pattern) => matchesFilter(pattern, record));
}
