/**
 * The subset of Lambda event-filter pattern matching that the stream mappings use (exact values,
 * `{ exists: boolean }` and `{ 'anything-but': [...] }` in arrays, nested objects), so the local stream
 * reader delivers exactly what the CDK mapping would. A missing object matches only patterns whose leaves
 * all accept absence.
 */
export function matchesFilter(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((p) => (typeof p === 'object' && p !== null ? matchesOperator(p, value) : p === value));
  if (pattern && typeof pattern === 'object') {
    const object = value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
    if (value !== undefined && !object) return false;
    return Object.entries(pattern).every(([k, p]) => matchesFilter(p, object?.[k]));
  }
  return pattern === value;
}

/**
 * Lambda's `exists` applies to leaves: a value that is there and not an object or array. `anything-but`
 * matches a leaf that is there and is none of the values (a missing one matches no value pattern).
 */
function matchesOperator(operator: object, value: unknown): boolean {
  const present = value !== undefined && (typeof value !== 'object' || value === null);
  if ('exists' in operator) return present === operator.exists;
  if ('anything-but' in operator && Array.isArray(operator['anything-but'])) return present && !operator['anything-but'].includes(value);
  throw new Error(`stream filter operator ${JSON.stringify(operator)} is not supported locally`);
}

/** A mapping's filters: one pattern, or a list of them that Lambda ORs (a record passes when any matches). */
export function matchesAnyFilter(filters: unknown, record: unknown): boolean {
  return (Array.isArray(filters) ? filters : [filters]).some((pattern) => matchesFilter(pattern, record));
}
