/**
 * The outbound delivery queue (SQS): jobs in, and for the delivery function the two moves a retry
 * schedule needs: hide a failed job until its next attempt (ChangeMessageVisibility, at most 12 hours)
 * and dead-letter it with its reason. Locally the runtime hosts the queue (AWS_ENDPOINT_URL_SQS).
 */
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryJob, DeliveryQueue } from '#surveys/outbound/ports.ts';

/** SQS hides a message for at most 12 hours. */
export const MAX_VISIBILITY_SECONDS = 12 * 3600;

export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly deadLetterQueueUrl?: string,
  ) {}

  async enqueue(jobs: DeliveryJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += 10) {
      const batch = jobs.slice(i, i + 10);
      let entries = batch.map((job, n) => ({ Id: String(n), MessageBody: JSON.stringify(job) }));
      // A batch can fail in part (throttling): send the failed entries again, a few times, then fail the whole call.
      for (let attempt = 1; entries.length; attempt++) {
        const out = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        if (failed.size && attempt >= 3) throw new Error(`SQS refused ${failed.size} delivery jobs: ${out.Failed?.[0]?.Code ?? 'unknown'}`);
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  }

  /** The job comes back after `seconds` (the retry schedule's wait). */
  async retryLater(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, Math.round(seconds))),
      }),
    );
  }

  /** Moves a job to the dead-letter queue with why it gave up (the delivery record says it too). */
  async deadLetter(job: DeliveryJob, reason: string): Promise<void> {
    if (!this.deadLetterQueueUrl) throw new Error('no dead-letter queue configured (OUTBOUND_DLQ_URL)');
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterQueueUrl,
        MessageBody: JSON.stringify(job),
        MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 500) } },
      }),
    );
  }
}
