/** Turns zod issues into short messages that name the field, for callers who must fix their input. */
import type { z } from 'zod';

export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}
