/**
 * The local host of the SQS queues in functions/manifest.ts (QUEUE_CONSUMERS): just enough of the SQS
 * JSON protocol (SendMessage, SendMessageBatch, ChangeMessageVisibility, DeleteMessage) for the real
 * SQS adapter to talk to it unchanged, and a poller that gives the consumer Lambda-shaped batches the
 * way the SQS event source does: a received message is hidden for the visibility timeout; a record the
 * handler reports failed comes back when it is visible again (the handler may move that moment with
 * ChangeMessageVisibility); one received more than maxReceiveCount times goes to the dead-letter queue.
 * Messages are kept in memory and written to dataDir on stop, so a restart keeps the jobs in flight.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

interface Message {
  id: string;
  body: string;
  attributes: Record<string, { DataType: string; StringValue?: string }>;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  receiptHandle?: string;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

export class LocalQueue {
  readonly messages = new Map<string, Message>();
  private readonly byReceipt = new Map<string, string>();

  constructor(
    readonly name: string,
    readonly url: string,
    private readonly options: { visibilityTimeoutSeconds: number; maxReceiveCount?: number; deadLetter?: LocalQueue },
  ) {}

  send(body: string, delaySeconds = 0, attributes: Message['attributes'] = {}): Message {
    const now = Date.now();
    const m: Message = { id: randomUUID(), body, attributes, sentAt: now, visibleAt: now + delaySeconds * 1000, receiveCount: 0 };
    this.messages.set(m.id, m);
    return m;
  }

  /** Up to `max` visible messages, now hidden for the visibility timeout (each with a new receipt handle). */
  receive(max: number): Message[] {
    const now = Date.now();
    const out: Message[] = [];
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (this.options.maxReceiveCount && m.receiveCount >= this.options.maxReceiveCount) {
        this.messages.delete(m.id); // the redrive policy: received too often, never deleted
        this.options.deadLetter?.send(m.body, 0, { ...m.attributes, reason: { DataType: 'String', StringValue: 'maxReceiveCount exceeded' } });
        continue;
      }
      if (m.receiptHandle) this.byReceipt.delete(m.receiptHandle);
      m.receiveCount++;
      m.receiptHandle = randomUUID();
      m.visibleAt = now + this.options.visibilityTimeoutSeconds * 1000;
      this.byReceipt.set(m.receiptHandle, m.id);
      out.push(m);
    }
    return out;
  }

  delete(receiptHandle: string): void {
    const id = this.byReceipt.get(receiptHandle);
    this.byReceipt.delete(receiptHandle);
    if (id) this.messages.delete(id);
  }

  changeVisibility(receiptHandle: string, seconds: number): boolean {
    const m = this.messages.get(this.byReceipt.get(receiptHandle) ?? '');
    if (!m) return false;
    m.visibleAt = Date.now() + seconds * 1000;
    return true;
  }

  /** Messages waiting (visible or not). */
  get size(): number {
    return this.messages.size;
  }

  /** When the next hidden message becomes visible (ms from now), or undefined when the queue is empty. */
  nextVisibleIn(): number | undefined {
    let next: number | undefined;
    for (const m of this.messages.values()) next = Math.min(next ?? Number.POSITIVE_INFINITY, m.visibleAt - Date.now());
    return next;
  }

  save(file: string): void {
    writeFileSync(file, JSON.stringify([...this.messages.values()].map(({ receiptHandle: _r, ...m }) => m)), { mode: 0o600 });
  }

  load(file: string): void {
    if (!existsSync(file)) return;
    for (const m of JSON.parse(readFileSync(file, 'utf8')) as Message[]) this.messages.set(m.id, m);
  }
}

type Handler = (event: unknown) => Promise<unknown>;

/** Routes SQS JSON-protocol calls to the queues, and polls each consumer's queue. */
export class LocalQueueHost {
  private readonly queues = new Map<string, LocalQueue>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();

  add(queue: LocalQueue): LocalQueue {
    this.queues.set(queue.url, queue);
    return queue;
  }

  queue(url: string): LocalQueue | undefined {
    return this.queues.get(url);
  }

  /** An SQS API call (`x-amz-target: AmazonSQS.<Action>`, JSON body): the status and JSON answer. */
  handle(target: string, body: string): { status: number; body: unknown } {
    const action = target.replace(/^AmazonSQS\./, '');
    const input = JSON.parse(body || '{}') as Record<string, unknown>;
    const queue = this.queues.get(String(input.QueueUrl));
    if (!queue) return { status: 400, body: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: `no local queue ${String(input.QueueUrl)}` } };
    switch (action) {
      case 'SendMessage': {
        const m = queue.send(String(input.MessageBody), Number(input.DelaySeconds ?? 0), (input.MessageAttributes ?? {}) as Message['attributes']);
        return { status: 200, body: { MessageId: m.id, MD5OfMessageBody: md5(m.body) } };
      }
      case 'SendMessageBatch': {
        const entries = (input.Entries ?? []) as Array<{ Id: string; MessageBody: string; DelaySeconds?: number }>;
        const successful = entries.map((e) => {
          const m = queue.send(e.MessageBody, e.DelaySeconds ?? 0);
          return { Id: e.Id, MessageId: m.id, MD5OfMessageBody: md5(e.MessageBody) };
        });
        return { status: 200, body: { Successful: successful, Failed: [] } };
      }
      case 'ChangeMessageVisibility':
        return queue.changeVisibility(String(input.ReceiptHandle), Number(input.VisibilityTimeout ?? 0))
          ? { status: 200, body: {} }
          : { status: 400, body: { __type: 'com.amazonaws.sqs#ReceiptHandleIsInvalid', message: 'unknown receipt handle' } };
      case 'DeleteMessage':
        queue.delete(String(input.ReceiptHandle));
        return { status: 200, body: {} };
      default:
        return { status: 400, body: { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `local SQS does not support ${action}` } };
    }
  }

  /** One poll: a batch to the handler, as the SQS event source would; deletes what it did not report failed. */
  async pollOnce(queue: LocalQueue, handler: Handler, batchSize: number): Promise<number> {
    const batch = queue.receive(batchSize);
    if (!batch.length) return 0;
    const event: SQSEvent = {
      Records: batch.map((m) => ({
        messageId: m.id,
        receiptHandle: m.receiptHandle!,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: md5(m.body),
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:local:000000000000:${queue.name}`,
        awsRegion: 'local',
      })),
    };
    let failed: Set<string>;
    try {
      const response = (await handler(event)) as SQSBatchResponse | undefined;
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.id)); // the whole batch failed: every message comes back after its visibility timeout
    }
    for (const m of batch) if (!failed.has(m.id)) queue.delete(m.receiptHandle!);
    return batch.length;
  }

  /** Polls `queue` every `everyMs`, up to `concurrency` batches at a time (Lambda scales the SQS poller out too). */
  start(queue: LocalQueue, handler: Handler, options: { batchSize: number; everyMs: number; concurrency: number; onError: (e: Error) => void }): void {
    let inFlight = 0;
    const tick = () => {
      while (inFlight < options.concurrency) {
        inFlight++;
        const run = this.pollOnce(queue, handler, options.batchSize)
          .catch((e: Error) => options.onError(e))
          .finally(() => {
            inFlight--;
            this.running.delete(run);
          });
        this.running.add(run);
        if (!queue.size) break;
      }
    };
    this.timers.push(setInterval(tick, options.everyMs));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await Promise.allSettled([...this.running]);
  }
}
