/**
 * A function reading the table's DynamoDB stream with ankieta's settings: bounded retries that split
 * a failing batch, partial batch responses, a dead-letter queue for what still fails, and a filter so
 * the function only wakes up for the records it handles.
 * The handler side is Powertools' processPartialResponse with BatchProcessor(EventType.DynamoDBStreams).
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { PAGE_WINDOW_SECONDS, STREAM_BATCHING, type StreamBatching } from '../../functions/manifest.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface StreamConsumerProps {
  readonly table: dynamodb.ITable;
  readonly consumer: lambda.IFunction;
  /** Lambda event filter pattern on the stream record, e.g. FINAL_RESPONSE_FILTER, or several (ORed by Lambda). */
  readonly filterPattern: Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[];
  /**
   * Set for consumers that need the shard id: Lambda puts `shardId` in DynamoDB stream events only
   * when the mapping has a tumbling window (the page writers' per-shard watermark needs it). The window
   * is PAGE_WINDOW_SECONDS: its state carries the page deltas, written once at its end.
   */
  readonly needsShardId?: boolean;
  /** Batching window and size (functions/manifest.ts STREAM_BATCHING by default). */
  readonly batching?: StreamBatching;
}

export class StreamConsumer extends Construct {
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);

    this.deadLetters = new DeadLetterQueue(this, 'Failures', {
      holds: `stream records ${id} could not process after 10 retries or within a day`,
    });

    props.consumer.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        // Fuller batches: one page write serves many responses (per consumer, functions/manifest.ts).
        batchSize: (props.batching ?? STREAM_BATCHING).batchSize,
        maxBatchingWindow: Duration.seconds((props.batching ?? STREAM_BATCHING).windowSeconds),
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        reportBatchItemFailures: true, // retry from the first failed record, not the whole batch
        // One batch at a time per shard, in sequence order. The aggregator keeps a per-shard
        // sequence-number watermark on each bucket so a replayed batch is a no-op; with a factor
        // above 1, batches of one shard would run concurrently and out of order, and the watermark
        // would skip records.
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.deadLetters.queue), // the message holds shard and sequence range, not the records
        filters: [props.filterPattern].flat().map((pattern) => lambda.FilterCriteria.filter(pattern)),
        // The page writers write each page once per window (functions/shared/page-window.ts); the window is
        // at least the batching window, so records of one window are not batched with the next one's.
        ...(props.needsShardId ? { tumblingWindow: Duration.seconds(Math.max(PAGE_WINDOW_SECONDS, (props.batching ?? STREAM_BATCHING).windowSeconds)) } : {}),
      }),
    );
  }
}
