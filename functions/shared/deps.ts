/** Wires the domain's ports to their AWS adapters, once per container. */
import { env } from './env.ts';
import { dynamoDocumentClient } from './clients.ts';
import { DynamoSurveyStore } from '../adapters/dynamodb/survey-store.ts';

let store: DynamoSurveyStore | undefined;

export function surveyStore(): DynamoSurveyStore {
  store ??= new DynamoSurveyStore(dynamoDocumentClient(), env().tableName);
  return store;
}

export const systemClock = () => new Date();
