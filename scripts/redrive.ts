/**
 * `npm run redrive -- --queue <name> [--stack Ankieta] [--max 100] [--dry-run]`: replays what waits in
 * one of the stack's dead-letter queues, after the cause is fixed (docs/operations.md "Dead letters").
 *
 * Why not SQS StartMessageMoveTask: it only redrives DLQs whose sources are SQS queues, and none of
 * ankieta's are (their sources are EventBridge targets, Lambda failure destinations and stream event
 * source mappings). So each message is given back to the function it was meant for:
 *   - an EventBridge delivery failure (message attribute TARGET_ARN): the original event, as the rule would;
 *   - a Lambda invocation record (requestContext.functionArn): its requestPayload, as the retry would;
 *   - a stream failure (DDBStreamBatchInfo): not replayable, the records are not in it; left in place.
 * Each replay is a synchronous invoke: the message is deleted only when the function succeeded.
 * Exit codes: 0 all replayed, 1 some left in the queue, 2 bad arguments.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ListQueuesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';

export interface RedriveOptions {
  /** A queue URL, or a part of its name such as "CommerceEventsDeliveryFailures" or "raiseAlertsStream". */
  readonly queue: string;
  readonly stackName: string;
  /** Stop after this many messages. */
  readonly max: number;
  readonly dryRun?: boolean;
}

export interface RedriveReport {
  queueUrl: string;
  replayed: number;
  failed: number;
  /** Stream failures: only shard and sequence numbers, nothing to replay (docs/operations.md). */
  notReplayable: number;
}

type Replay = { functionArn: string; payload: string } | { notReplayable: string };

const compact = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The queue's URL: given as one, or the stack's single queue whose name contains the given part. */
export async function resolveQueue(sqs: SQSClient, queue: string, stackName: string): Promise<string> {
  if (/^https:\/\//.test(queue)) return queue;
  const urls: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${stackName}-`, NextToken }));
    urls.push(...(page.QueueUrls ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const matches = urls.filter((url) => compact(url.slice(url.lastIndexOf('/') + 1)).includes(compact(queue)));
  if (matches.length !== 1) {
    const names = urls.map((url) => url.slice(url.lastIndexOf('/') + 1)).join('\n  ');
    throw new Error(`${matches.length === 0 ? 'no' : 'more than one'} queue of ${stackName} matches "${queue}"; the stack's queues:\n  ${names || '(none)'}`);
  }
  return matches[0]!;
}

/** What a dead letter holds and where it goes back to. */
export function replayOf(message: Message): Replay {
  const target = message.MessageAttributes?.TARGET_ARN?.StringValue;
  if (target) return { functionArn: target, payload: message.Body ?? '{}' };
  // biome-ignore lint/suspicious/noExplicitAny: a dead letter holds one of several AWS event shapes, narrowed below
  let body: Record<string, any>;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    return { notReplayable: 'the body is not JSON' };
  }
  if (body.DDBStreamBatchInfo) return { notReplayable: 'a stream failure holds shard and sequence numbers only' };
  const functionArn = body.requestContext?.functionArn;
  if (typeof functionArn === 'string' && body.requestPayload !== undefined) {
    // Invocation records name the version invoked ("…:$LATEST"): replay on the function as deployed now.
    return { functionArn: functionArn.replace(/:\$LATEST$/, ''), payload: JSON.stringify(body.requestPayload) };
  }
  return { notReplayable: 'neither an EventBridge delivery failure nor a Lambda invocation record' };
}

export async function redrive(clients: { sqs: SQSClient; lambda: LambdaClient }, options: RedriveOptions, log = console.log): Promise<RedriveReport> {
  const queueUrl = await resolveQueue(clients.sqs, options.queue, options.stackName);
  const report: RedriveReport = { queueUrl, replayed: 0, failed: 0, notReplayable: 0 };
  const seen = new Set<string>();
  const remaining = () => options.max - report.replayed - report.failed - report.notReplayable;
  while (remaining() > 0) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, remaining()),
        MessageAttributeNames: ['All'],
        VisibilityTimeout: 60, // a message left in place comes back after a minute, not during this run
        WaitTimeSeconds: 1,
      }),
    );
    const fresh = Messages.filter((m) => m.MessageId && !seen.has(m.MessageId)).slice(0, remaining());
    if (fresh.length === 0) break;
    for (const message of fresh) {
      seen.add(message.MessageId!);
      const replay = replayOf(message);
      if ('notReplayable' in replay) {
        report.notReplayable++;
        log(`kept ${message.MessageId}: ${replay.notReplayable}`);
        continue;
      }
      if (options.dryRun) {
        report.replayed++;
        log(`would replay ${message.MessageId} on ${replay.functionArn}`);
        continue;
      }
      const result = await clients.lambda.send(
        new InvokeCommand({ FunctionName: replay.functionArn, InvocationType: 'RequestResponse', Payload: Buffer.from(replay.payload) }),
      );
      if (result.FunctionError) {
        report.failed++;
        log(`kept ${message.MessageId}: ${replay.functionArn} failed again (${result.FunctionError})`);
        continue;
      }
      await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      report.replayed++;
    }
  }
  return report;
}

async function main(): Promise<void> {
  const usage = 'usage: npm run redrive -- --queue <name or URL> [--stack Ankieta] [--max 100] [--dry-run]';
  let values: { queue?: string; stack?: string; max?: string; 'dry-run'?: boolean };
  try {
    ({ values } = parseArgs({ options: { queue: { type: 'string' }, stack: { type: 'string' }, max: { type: 'string' }, 'dry-run': { type: 'boolean' } } }));
  } catch (error) {
    console.error(`redrive: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  const max = Number(values.max ?? 100);
  if (!values.queue || !Number.isInteger(max) || max < 1) {
    console.error(`redrive: give --queue, and --max as a whole number above 0\n${usage}`);
    process.exit(2);
  }
  const report = await redrive(
    { sqs: new SQSClient({}), lambda: new LambdaClient({}) },
    { queue: values.queue, stackName: values.stack ?? 'Ankieta', max, dryRun: values['dry-run'] },
  );
  console.log(JSON.stringify(report, null, 2));
  process.exit(report.failed + report.notReplayable > 0 ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`redrive: ${(error as Error).message}`);
    process.exit(1);
  });
}
