/** Wires the domain's ports to their AWS adapters, once per container. */
import type { ReceiveDeps } from '#surveys/use-cases/receive-event.ts';
import { env } from './env.ts';
import { dynamoDocumentClient } from './clients.ts';
import { DynamoContactStore } from '../adapters/dynamodb/contact-store.ts';
import { DynamoTriggerStore } from '../adapters/dynamodb/trigger-store.ts';
import { DynamoInvitationStore } from '../adapters/dynamodb/invitation-store.ts';
import { DynamoCancellationStore } from '../adapters/dynamodb/cancellation-store.ts';
import { DynamoResponseStore } from '../adapters/dynamodb/response-store.ts';
import { DynamoAlertStore } from '../adapters/dynamodb/alert-store.ts';
import { DynamoCustomerHistory } from '../adapters/dynamodb/customer-history.ts';
import { ScoreBucketReader } from '../adapters/dynamodb/score-buckets.ts';

/** One store per aggregate over the single table, each built on first use and kept for the container. */
function lazy<T>(build: (db: ReturnType<typeof dynamoDocumentClient>, tableName: string) => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build(dynamoDocumentClient(), env().tableName);
    return built;
  };
}

/** Commerce events that trigger surveys (invitations, subjects, profiles). */
export const triggerStore = lazy((db, table) => new DynamoTriggerStore(db, table));
/** Due invitations, sending, reminders, bounces. */
export const invitationStore = lazy((db, table) => new DynamoInvitationStore(db, table));
/** Refunds and reopens that cancel pending surveys. */
export const cancellationStore = lazy((db, table) => new DynamoCancellationStore(db, table));
/** Invitations as a respondent sees them, and their responses. */
export const responseStore = lazy((db, table) => new DynamoResponseStore(db, table));
export const alertStore = lazy((db, table) => new DynamoAlertStore(db, table));
/** A customer's profile and past responses. */
export const customerHistory = lazy((db, table) => new DynamoCustomerHistory(db, table));
/** Daily score histograms (read API). */
export const scoreReader = lazy((db, table) => new ScoreBucketReader(db, table));
/** The respond function's name for responseStore() (functions/respond/ is rewritten on branch i10-root): remove once it calls responseStore(). */
export const surveyStore = responseStore;

let contacts: DynamoContactStore | undefined;

/** Suppression list, SMS short links and reply threads. */
export function contactStore(): DynamoContactStore {
  contacts ??= new DynamoContactStore(dynamoDocumentClient(), env().tableName);
  return contacts;
}

export const systemClock = () => new Date();

/** What receiving a commerce event needs (the bus, POST /events and the webhooks alike). */
export function receiveDeps(): ReceiveDeps {
  return { store: triggerStore(), suppressions: contactStore(), cancellations: cancellationStore(), now: systemClock, delayScale: env().delayScale };
}
