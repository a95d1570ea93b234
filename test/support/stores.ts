/**
 * The DynamoDB stores over one table, as the composition root builds them (functions/shared/deps.ts),
 * and one object with all their methods for tests that play several functions against one table.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  AlertStore,
  CancellationStore,
  CustomerHistoryReader,
  DeliveryFeedbackStore,
  InvitationStore,
  ResponseStore,
  ScoreReader,
  TriggerStore,
} from '#surveys/ports.ts';
import type { Alert } from '#surveys/model.ts';
import { DynamoAlertStore } from '../../functions/adapters/dynamodb/alert-store.ts';
import { DynamoCancellationStore } from '../../functions/adapters/dynamodb/cancellation-store.ts';
import { DynamoCustomerHistory } from '../../functions/adapters/dynamodb/customer-history.ts';
import { DynamoInvitationStore } from '../../functions/adapters/dynamodb/invitation-store.ts';
import { DynamoResponseStore } from '../../functions/adapters/dynamodb/response-store.ts';
import { ScoreBucketReader } from '../../functions/adapters/dynamodb/score-buckets.ts';
import { DynamoTriggerStore } from '../../functions/adapters/dynamodb/trigger-store.ts';

export function tableStores(db: DynamoDBDocumentClient, tableName: string) {
  return {
    triggers: new DynamoTriggerStore(db, tableName),
    invitations: new DynamoInvitationStore(db, tableName),
    cancellations: new DynamoCancellationStore(db, tableName),
    responses: new DynamoResponseStore(db, tableName),
    alerts: new DynamoAlertStore(db, tableName),
    history: new DynamoCustomerHistory(db, tableName),
    scores: new ScoreBucketReader(db, tableName),
  };
}

export type SurveyPorts = TriggerStore &
  InvitationStore &
  CancellationStore &
  DeliveryFeedbackStore &
  ResponseStore &
  AlertStore &
  CustomerHistoryReader &
  ScoreReader;

/** Every store port over one table in one object (each method bound to the store that owns it). */
export function surveyPorts(db: DynamoDBDocumentClient, tableName: string): SurveyPorts {
  const ports: Record<string, unknown> = {};
  for (const store of Object.values(tableStores(db, tableName))) {
    const proto = Object.getPrototypeOf(store) as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = proto[name];
      if (name !== 'constructor' && typeof method === 'function' && !(name in ports)) ports[name] = method.bind(store);
    }
  }
  return ports as unknown as SurveyPorts;
}

/** An open detractor alert of customer c-1 in team billing, with `overrides`. */
export function alertFactory(id: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id,
    kind: 'detractor',
    customerId: 'c-1',
    segments: { team: 'billing' },
    status: 'open',
    createdAt: '2026-11-23T12:00:00.000Z',
    revision: 1,
    ...overrides,
  };
}
