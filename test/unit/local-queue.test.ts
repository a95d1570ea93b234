import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LocalQueue, LocalQueueHost } from '../../local/queue.ts';

function queues(maxReceiveCount = 3) {
  const deadLetter = new LocalQueue('q-dlq', 'http://127.0.0.1/local/sqs/q-dlq', { visibilityTimeoutSeconds: 30 });
  const queue = new LocalQueue('q', 'http://127.0.0.1/local/sqs/q', { visibilityTimeoutSeconds: 30, maxReceiveCount, deadLetter });
  const host = new LocalQueueHost();
  host.add(queue);
  host.add(deadLetter);
  return { host, queue, deadLetter };
}

describe('the local SQS host', () => {
  it('Should delete what the handler did not report failed, and give a failed record back when its visibility says so', async () => {
    // Prepare
    const { host, queue } = queues();
    host.handle(
      'AmazonSQS.SendMessageBatch',
      JSON.stringify({
        QueueUrl: queue.url,
        Entries: [
          { Id: '0', MessageBody: 'a' },
          { Id: '1', MessageBody: 'b' },
        ],
      }),
    );
    const seen: string[] = [];

    // Act: the handler fails "b" and asks for it back at once
    await host.pollOnce(
      queue,
      async (event) => {
        const records = (event as { Records: Array<{ messageId: string; receiptHandle: string; body: string }> }).Records;
        seen.push(...records.map((r) => r.body));
        const b = records.find((r) => r.body === 'b')!;
        host.handle('AmazonSQS.ChangeMessageVisibility', JSON.stringify({ QueueUrl: queue.url, ReceiptHandle: b.receiptHandle, VisibilityTimeout: 0 }));
        return { batchItemFailures: [{ itemIdentifier: b.messageId }] };
      },
      10,
    );
    await host.pollOnce(queue, async (event) => void seen.push(...(event as { Records: Array<{ body: string }> }).Records.map((r) => r.body)), 10);

    // Assess
    expect(seen).toEqual(['a', 'b', 'b']);
    expect(queue.size).toBe(0);
  });

  it('Should keep a failed record hidden for the visibility timeout, and dead-letter it after maxReceiveCount receives', async () => {
    // Prepare
    const { host, queue, deadLetter } = queues(2);
    const failAll = async (event: unknown) => ({
      batchItemFailures: (event as { Records: Array<{ messageId: string }> }).Records.map((r) => ({ itemIdentifier: r.messageId })),
    });
    const sent = host.handle('AmazonSQS.SendMessage', JSON.stringify({ QueueUrl: queue.url, MessageBody: 'poison' }));

    // Act
    const first = await host.pollOnce(queue, failAll, 10);
    const whileHidden = await host.pollOnce(queue, failAll, 10);
    for (const m of queue.messages.values()) m.visibleAt = 0;
    const second = await host.pollOnce(queue, failAll, 10);
    for (const m of queue.messages.values()) m.visibleAt = 0;
    const third = await host.pollOnce(queue, failAll, 10);

    // Assess
    expect(sent.body).toMatchObject({ MD5OfMessageBody: createHash('md5').update('poison').digest('hex') }); // the SDK checks it
    expect([first, whileHidden, second, third]).toEqual([1, 0, 1, 0]);
    expect(queue.size).toBe(0);
    expect(deadLetter.size).toBe(1);
  });
});
