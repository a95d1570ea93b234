/**
 * Writes the audit entry of a request: who (the principal of functions/shared/principal.ts, taken
 * before acting, so an unknown caller acts on nothing), when, what and the target's id. Handlers call it once the action is done (an export: before its first
 * page is answered); a failed write fails the request, so nothing audited goes unrecorded.
 */
import type { AuditAction } from '#surveys/ports.ts';
import { subjectHash } from '#functions/adapters/dynamodb/table/keys.ts';
import { auditLog, systemClock } from '#functions/shared/deps.ts';
import type { Principal } from '#functions/shared/principal.ts';

export async function audit(principal: Principal, action: AuditAction, target?: string, detail?: string): Promise<void> {
  const { kind, id, name } = principal;
  await auditLog().record({
    at: systemClock().toISOString(),
    action,
    actor: { kind, id, name },
    ...(target ? { target } : {}),
    ...(detail ? { detail } : {}),
  });
}

/** An erasure's entries: one per customer found, the target a keyed hash of the id (the id itself is gone). */
export async function auditErasure(principal: Principal, report: { by: string; customers: Array<{ customerId: string }>; found: boolean }): Promise<void> {
  if (report.customers.length === 0) return audit(principal, 'erasure', undefined, `by ${report.by}: nothing stored`);
  for (const customer of report.customers) await audit(principal, 'erasure', `cust#${subjectHash(customer.customerId)}`, `by ${report.by}`);
}
