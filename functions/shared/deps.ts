/** Wires the domain's ports to their AWS adapters, once per container. */
import type { ReceiveDeps } from '#surveys/use-cases/receive-event.ts';
import type { WebhookDeps } from '#surveys/use-cases/receive-webhook.ts';
import { DynamoOrderMemory } from '../adapters/dynamodb/order-memory.ts';
import { env } from './env.ts';
import { dynamoDocumentClient } from './clients.ts';
import { DynamoSurveyStore } from '../adapters/dynamodb/survey-store.ts';
import { DynamoContactStore } from '../adapters/dynamodb/contact-store.ts';

let store: DynamoSurveyStore | undefined;

export function surveyStore(): DynamoSurveyStore {
  store ??= new DynamoSurveyStore(dynamoDocumentClient(), env().tableName);
  return store;
}

let contacts: DynamoContactStore | undefined;

/** Suppression list, SMS short links and reply threads. */
export function contactStore(): DynamoContactStore {
  contacts ??= new DynamoContactStore(dynamoDocumentClient(), env().tableName);
  return contacts;
}

export const systemClock = () => new Date();

/** What receiving a commerce event needs (the bus, POST /events and the webhooks alike). */
export function receiveDeps(): ReceiveDeps {
  const store = surveyStore();
  return { store, suppressions: contactStore(), cancellations: store, now: systemClock, delayScale: env().delayScale };
}

let orders: DynamoOrderMemory | undefined;

/** What a mapped webhook needs: receiving events, plus the orders' customers for Shopify's delivery events. */
export function webhookDeps(): WebhookDeps {
  orders ??= new DynamoOrderMemory(dynamoDocumentClient(), env().tableName);
  return { ...receiveDeps(), orders };
}
