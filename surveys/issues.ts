/** Turns zod issues into short messages that name the field, for callers who must fix their input. */
import type { core } from 'zod/mini';

export function describeIssues(error: core.$ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}
