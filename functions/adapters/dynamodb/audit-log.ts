/**
 * The audit log (the AuditLog port): one item per export, erasure, acknowledgment, resolution and
 * quarantine replay, `AUDIT#<day>` / `<at>#<id>`, expiring after AUDIT_RETENTION_DAYS (400 by default).
 * Who, when, what and the target's id only: no payload, no customer's address or name.
 */
import { randomBytes } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditLog } from '#surveys/ports.ts';
import { DAY_SECONDS } from './retention.ts';
import { epochSeconds, keys } from './table/keys.ts';
import { queryPages } from './table/query.ts';

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const item = {
      ...keys.audit(entry.at, randomBytes(6).toString('hex')),
      entity: 'audit',
      ...entry,
      expiresAtEpoch: epochSeconds(entry.at) + this.retentionDays * DAY_SECONDS,
    };
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async list(query: { today: string; days: number; limit: number }): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    const today = Date.parse(`${query.today.slice(0, 10)}T00:00:00Z`);
    for (let back = 0; back < query.days && entries.length < query.limit; back++) {
      const day = new Date(today - back * DAY_SECONDS * 1000).toISOString().slice(0, 10);
      for await (const page of queryPages(this.db, this.tableName, {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditDay(day) },
        ScanIndexForward: false, // newest first
        Limit: query.limit,
      })) {
        for (const item of page.Items ?? []) entries.push(entryOf(item));
        if (entries.length >= query.limit) break;
      }
    }
    return entries.slice(0, query.limit);
  }
}

function entryOf(item: Record<string, unknown>): AuditEntry {
  const { at, action, actor, target, detail } = item as unknown as AuditEntry;
  return { at, action, actor, ...(target ? { target } : {}), ...(detail ? { detail } : {}) };
}
