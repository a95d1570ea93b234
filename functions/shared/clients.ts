/**
 * AWS SDK clients, created once per container (module scope) and reused across invocations.
 * One function per client so that a bundle only carries the SDK clients its handler uses.
 * Locally the same code talks to DynamoDB Local, the local SES server and the local SNS endpoint:
 * the SDK reads AWS_ENDPOINT_URL_DYNAMODB / _SESV2 / _SNS from the environment.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';

let dynamo: DynamoDBDocumentClient | undefined;
let ses: SESv2Client | undefined;
let sns: SNSClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  dynamo ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  return dynamo;
}

export function sesClient(): SESv2Client {
  ses ??= new SESv2Client({ maxAttempts: 4 }); // standard retry mode: backoff with jitter on throttling
  return ses;
}

export function snsClient(): SNSClient {
  sns ??= new SNSClient({ maxAttempts: 4 });
  return sns;
}
