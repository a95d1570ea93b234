/**
 * In-memory ports of the alert use cases, with the same conditional semantics as the DynamoDB adapters
 * (create if absent, save on the expected revision, put health on the expected version), and hooks to
 * make a write lose a race or a publish fail.
 */
import type { CustomerHealth } from '../../surveys/churn-risk.ts';
import type { Alert, AlertStatus, SurveyResponse } from '../../surveys/model.ts';
import { inTeamView, type TeamView } from '../../surveys/alert-teams.ts';
import {
  ConcurrentUpdateError,
  type AlertPublisher,
  type AlertStore,
  type CustomerHistoryReader,
  type CustomerProfile,
  type HealthStore,
} from '../../surveys/ports.ts';

export class InMemoryAlertStore implements AlertStore {
  readonly alerts = new Map<string, Alert>();
  /** Runs before createAlert is checked: lets a test commit a concurrent creator first. */
  beforeCreate?: (alert: Alert) => void;
  /** Runs before saveAlert is checked: lets a test commit a concurrent writer first. */
  beforeSave?: (next: Alert) => void;
  saves = 0;

  async createAlert(alert: Alert): Promise<boolean> {
    this.beforeCreate?.(alert);
    if (this.alerts.has(alert.id)) return false;
    this.alerts.set(alert.id, structuredClone(alert));
    return true;
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const found = this.alerts.get(id);
    return found && structuredClone(found);
  }

  async listAlerts(status?: AlertStatus, limit = 100, view: TeamView = { kind: 'all' }): Promise<Alert[]> {
    return [...this.alerts.values()]
      .filter((a) => (!status || a.status === status) && inTeamView(a, view))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit)
      .map((a) => structuredClone(a));
  }

  async saveAlert(next: Alert, expectedRevision: number): Promise<void> {
    this.beforeSave?.(next);
    const stored = this.alerts.get(next.id);
    if (!stored || (stored.revision ?? 0) !== expectedRevision) throw new ConcurrentUpdateError(`alert ${next.id}`);
    this.saves++;
    // Like a DynamoDB put with removeUndefinedValues: an undefined attribute is not stored.
    this.alerts.set(next.id, JSON.parse(JSON.stringify(next)) as Alert);
  }

  async deleteAlert(id: string): Promise<void> {
    this.alerts.delete(id);
  }

  async listDueAlerts(now: string, limit: number): Promise<Alert[]> {
    return [...this.alerts.values()]
      .filter((a) => a.dueAt && a.dueAt <= now)
      .sort((a, b) => a.dueAt!.localeCompare(b.dueAt!))
      .slice(0, limit)
      .map((a) => structuredClone(a));
  }

  async listAlertsCreatedBetween(status: AlertStatus, from: string, to: string): Promise<Alert[]> {
    return [...this.alerts.values()].filter((a) => a.status === status && a.createdAt >= from && a.createdAt <= `${to}~`).map((a) => structuredClone(a));
  }
}

export type Published = Parameters<AlertPublisher['publish']>[0];

export class InMemoryPublisher implements AlertPublisher {
  readonly published: Published[] = [];
  attempts = 0;
  /** How many of the next publishes fail (SNS throttled, network down). */
  failures = 0;

  async publish(message: Published): Promise<void> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('SNS is unavailable');
    }
    this.published.push(structuredClone(message));
  }
}

export class InMemoryCustomers implements CustomerHistoryReader {
  readonly profiles = new Map<string, CustomerProfile>();
  readonly responses: SurveyResponse[] = [];

  async getProfile(customerId: string): Promise<CustomerProfile | undefined> {
    return this.profiles.get(customerId);
  }

  async listCustomerResponses(customerId: string, limit: number): Promise<SurveyResponse[]> {
    return this.responses
      .filter((r) => r.customerId === customerId)
      .sort((a, b) => b.answeredAt.localeCompare(a.answeredAt))
      .slice(0, limit);
  }
}

export class InMemoryHealthStore implements HealthStore {
  readonly profiles = new Map<string, CustomerHealth>();
  beforePut?: (next: CustomerHealth) => void;

  async getHealth(customerId: string): Promise<CustomerHealth | undefined> {
    const found = this.profiles.get(customerId);
    return found && structuredClone(found);
  }

  async putHealth(next: CustomerHealth, expectedVersion: number): Promise<void> {
    this.beforePut?.(next);
    if ((this.profiles.get(next.customerId)?.version ?? 0) !== expectedVersion) throw new ConcurrentUpdateError(`health of ${next.customerId}`);
    this.profiles.set(next.customerId, JSON.parse(JSON.stringify({ ...next, version: expectedVersion + 1 })) as CustomerHealth);
  }

  async listHealthRechecks(now: string, limit: number): Promise<string[]> {
    return [...this.profiles.values()]
      .filter((h) => h.recheckAt && h.recheckAt <= now)
      .slice(0, limit)
      .map((h) => h.customerId);
  }
}
