/**
 * Alerts: one item each (`ALERT#<id>` / `ALERT`), by status on GSI1 (newest first) and, while the sweep
 * must act on one (notify after the comment wait, remind), on the sparse ALERTS-DUE queue of GSI2.
 * Alerts hold comments: same retention as responses. Saves are guarded by the alert's revision.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TeamView } from '#surveys/alert-teams.ts';
import type { Alert, AlertStatus } from '#surveys/model.ts';
import { ConcurrentUpdateError, type AlertStore } from '#surveys/ports.ts';
import { DAY_SECONDS } from './retention.ts';
import { ENTITY, epochSeconds, GSI1, GSI2, indexKeys, keys, upTo } from './table/keys.ts';
import { fromItem, getMany, type Item, queryAll, queryOnce, queryPages, readFound } from './table/query.ts';
import { TableStore } from './table/store.ts';

const ALL_STATUSES: AlertStatus[] = ['open', 'acked', 'resolved'];

export class DynamoAlertStore extends TableStore implements AlertStore {
  createAlert(alert: Alert): Promise<boolean> {
    return this.writeIf(
      new PutCommand({ TableName: this.tableName, Item: alertItem(alert, this.retentionDays), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  getAlert(id: string): Promise<Alert | undefined> {
    return this.read<Alert>(keys.alert(id), true);
  }

  async saveAlert(next: Alert, expectedRevision: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: alertItem(next, this.retentionDays),
          // Alerts written before revisions existed count as revision 0.
          ConditionExpression: expectedRevision === 0 ? 'attribute_exists(pk) AND attribute_not_exists(revision)' : 'revision = :r',
          ...(expectedRevision === 0 ? {} : { ExpressionAttributeValues: { ':r': expectedRevision } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentUpdateError(`alert ${next.id}`);
      throw error;
    }
  }

  async deleteAlert(id: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.alert(id) }));
  }

  async listDueAlerts(now: string, limit: number): Promise<Alert[]> {
    const items = await queryOnce(this.db, this.tableName, {
      IndexName: GSI2.name,
      KeyConditionExpression: 'gsi2pk = :p AND gsi2sk <= :now',
      ExpressionAttributeValues: { ':p': keys.alertsDue(), ':now': upTo(now) },
      Limit: limit,
    });
    // GSI2 holds keys only (table/definition.ts): the alerts themselves are read by key.
    return (await getMany(this.db, this.tableName, items)).map((i) => fromItem<Alert>(i));
  }

  async listAlertsCreatedBetween(status: AlertStatus, from: string, to: string): Promise<Alert[]> {
    const items = await queryAll(this.db, this.tableName, {
      IndexName: GSI1.name,
      KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':p': keys.alertsByStatus(status), ':from': from, ':to': upTo(to) },
    });
    return this.whole(items);
  }

  async listAlerts(status?: AlertStatus, limit = 100, view: TeamView = { kind: 'all' }): Promise<Alert[]> {
    const pages = await Promise.all((status ? [status] : ALL_STATUSES).map((s) => this.newestOfStatus(s, limit, view)));
    return pages
      .flat()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit);
  }

  /**
   * Up to `limit` alerts of one status, newest first. A team view filters on the server, and a filtered
   * page may hold fewer than `limit` matches, so pages are read on until `limit` (at most MAX_TEAM_PAGES).
   */
  private async newestOfStatus(status: AlertStatus, limit: number, view: TeamView): Promise<Alert[]> {
    const input = {
      IndexName: GSI1.name,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.alertsByStatus(status), ...(view.kind === 'team' ? { ':team': view.team } : {}) },
      ScanIndexForward: false,
      Limit: limit,
    };
    if (view.kind === 'all') return this.whole(await queryOnce(this.db, this.tableName, input));
    const found: Alert[] = [];
    let pages = 0;
    for await (const page of queryPages(this.db, this.tableName, {
      ...input,
      FilterExpression: 'attribute_not_exists(#segments.#team) OR #segments.#team = :team',
      ExpressionAttributeNames: { '#segments': 'segments', '#team': 'team' },
    })) {
      found.push(...(await this.whole((page.Items ?? []) as Item[])));
      if (found.length >= limit || ++pages >= MAX_TEAM_PAGES) break;
    }
    return found.slice(0, limit);
  }

  /** GSI1 holds the keys, the customer and the segments of an alert (table/definition.ts): the alerts are read by key. */
  private async whole(found: Item[]): Promise<Alert[]> {
    return (await readFound(this.db, this.tableName, GSI1, found)).map((i) => fromItem<Alert>(i));
  }
}

/** A team view reads at most this many pages of `limit` alerts per status (bounded cost for a rare team). */
const MAX_TEAM_PAGES = 10;

function alertItem(alert: Alert, retentionDays: number) {
  return {
    ...keys.alert(alert.id),
    entity: ENTITY.alert,
    ...alert,
    ...indexKeys.alertsByStatus(alert.status, alert.createdAt, alert.id),
    ...(alert.dueAt ? indexKeys.alertsDue(alert.dueAt, alert.id) : {}),
    expiresAtEpoch: epochSeconds(alert.createdAt) + retentionDays * DAY_SECONDS,
  };
}
