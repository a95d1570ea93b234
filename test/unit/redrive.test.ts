import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ListQueuesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { redrive, replayOf, resolveQueue } from '../../scripts/redrive.ts';

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const QUEUE = 'https://sqs.eu-central-1.amazonaws.com/123456789012/Ankieta-CommerceEventsProcessingFailuresQueueB0A1-abc';
const OTHER = 'https://sqs.eu-central-1.amazonaws.com/123456789012/Ankieta-raiseAlertsStreamFailuresQueue77C2-def';
const TRIGGER = 'arn:aws:lambda:eu-central-1:123456789012:function:Ankieta-triggerSurvey';
const event = { 'detail-type': 'order.delivered', detail: { eventId: 'evt-1' } };

const invocationRecord = (id: string): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: JSON.stringify({ requestContext: { functionArn: `${TRIGGER}:$LATEST`, condition: 'RetriesExhausted' }, requestPayload: event }),
});
const deliveryFailure = (id: string): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: JSON.stringify(event),
  MessageAttributes: { TARGET_ARN: { DataType: 'String', StringValue: TRIGGER } },
});
const streamFailure = (id: string): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: JSON.stringify({ DDBStreamBatchInfo: { shardId: 'shard-1', startSequenceNumber: '1', endSequenceNumber: '9' } }),
});
const options = { queue: 'CommerceEvents/ProcessingFailures', stackName: 'Ankieta', max: 100 };
const silent = () => {};

beforeEach(() => {
  sqs.reset();
  lambda.reset();
  sqs.on(ListQueuesCommand).resolves({ QueueUrls: [QUEUE, OTHER] });
});

describe('redrive', () => {
  it('Should find the stack queue whose name contains the given construct name, ignoring case and separators', async () => {
    // Act
    const url = await resolveQueue(new SQSClient({}), 'commerceevents/processing-failures', 'Ankieta');

    // Assess
    expect(url).toBe(QUEUE);
    expect(sqs.commandCalls(ListQueuesCommand)[0]!.args[0].input.QueueNamePrefix).toBe('Ankieta-');
  });

  it('Should refuse a name that matches no queue, listing the queues there are', async () => {
    // Act
    const act = resolveQueue(new SQSClient({}), 'NoSuchQueue', 'Ankieta');

    // Assess
    await expect(act).rejects.toThrow(/no queue of Ankieta matches "NoSuchQueue".*\n.*ProcessingFailures/s);
  });

  it('Should give an invocation record its payload back on the function as deployed, and an EventBridge dead letter its event', () => {
    // Act
    const fromRecord = replayOf(invocationRecord('m1'));
    const fromDelivery = replayOf(deliveryFailure('m2'));

    // Assess
    expect(fromRecord).toEqual({ functionArn: TRIGGER, payload: JSON.stringify(event) });
    expect(fromDelivery).toEqual({ functionArn: TRIGGER, payload: JSON.stringify(event) });
  });

  it('Should replay each message, delete it only after the function succeeded, and keep the failures and stream records', async () => {
    // Prepare
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [invocationRecord('ok'), deliveryFailure('fails'), streamFailure('stream')] })
      .resolves({ Messages: [] });
    lambda.on(InvokeCommand).resolvesOnce({ StatusCode: 200 }).resolves({ StatusCode: 200, FunctionError: 'Unhandled' });

    // Act
    const report = await redrive({ sqs: new SQSClient({}), lambda: new LambdaClient({}) }, options, silent);

    // Assess
    expect(report).toEqual({ queueUrl: QUEUE, replayed: 1, failed: 1, notReplayable: 1 });
    const invokes = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(invokes).toHaveLength(2);
    for (const invoke of invokes) expect(invoke).toMatchObject({ FunctionName: TRIGGER, InvocationType: 'RequestResponse' });
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual([{ QueueUrl: QUEUE, ReceiptHandle: 'rh-ok' }]);
  });

  it('Should touch nothing in a dry run and stop at --max', async () => {
    // Prepare
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [invocationRecord('a'), invocationRecord('b'), invocationRecord('c')] });

    // Act
    const report = await redrive({ sqs: new SQSClient({}), lambda: new LambdaClient({}) }, { ...options, max: 2, dryRun: true }, silent);

    // Assess
    expect(report.replayed).toBe(2);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input.MaxNumberOfMessages).toBe(2);
  });
});
