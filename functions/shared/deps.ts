/** Wires the domain's ports to their AWS adapters, once per container. */
import type { ReceiveDeps } from '#surveys/use-cases/receive-event.ts';
import { env } from './env.ts';
import { dynamoDocumentClient } from './clients.ts';
import { DynamoSurveyStore } from '../adapters/dynamodb/survey-store.ts';
import { DynamoContactStore } from '../adapters/dynamodb/contact-store.ts';
import { DynamoFunnelMarks } from '../adapters/dynamodb/funnel-marks.ts';

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

let marks: DynamoFunnelMarks | undefined;

/** The funnel's marks on invitations: delivered, a person's open, unsubscribed, complained (surveys/funnel/marks.ts). */
export function funnelMarks(): DynamoFunnelMarks {
  marks ??= new DynamoFunnelMarks(dynamoDocumentClient(), env().tableName);
  return marks;
}
