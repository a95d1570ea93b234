/** The settings file's durations and weekdays, for the schema (schema.ts) and for applying settings (apply.ts). */

/** "3d", "24h", "90m", "30s": a duration a person can read. */
export const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

export function durationSeconds(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a duration such as 3d, 24h, 90m`);
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
