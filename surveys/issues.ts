/** Turns zod issues into short messages that name the field, for callers who must fix their input. */
import type { core } from 'zod/mini';

export function describeIssues(error: core.$ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/** Longest reason made of issues: a payload with thousands of bad fields still names the first ones and says how many more. */
export const MAX_ISSUES_REASON_LENGTH = 1000;

/** Issues as one reason ("a.b: …; c: …"): whole issues within `max` characters, then how many were left out. */
export function joinIssues(issues: readonly string[], max = MAX_ISSUES_REASON_LENGTH): string {
  const all = issues.join('; ');
  if (all.length <= max) return all;
  const tail = (kept: number) => `; … and ${issues.length - kept} more`;
  let fits = 0;
  for (let kept = 1, length = issues[0]!.length; kept < issues.length && length < max; length += 2 + issues[kept]!.length, kept++) {
    if (length + tail(kept).length <= max) fits = kept;
  }
  if (fits > 0) return issues.slice(0, fits).join('; ') + tail(fits);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${issues[0]!.slice(0, Math.max(0, max - more.length - 1))}…${more}`; // one issue too long by itself
}
