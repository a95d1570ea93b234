/**
 * A function run on a timer (the due sweep, the alert sweep). Each run is self-contained: what one
 * run leaves, the next picks up a minute later. Still, a run that fails or cannot be delivered must
 * not vanish silently: EventBridge retries delivery, Lambda retries the run once, and what still
 * fails lands in a dead-letter queue whose alarm tells someone (docs/operations.md "Sweep failures").
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';

/** Delivery retries of EventBridge and run retries of Lambda: short, because the next run comes within a minute anyway. */
export const SWEEP_RETRY = {
  deliveryAttempts: 2,
  /** EventBridge's minimum: a delivery older than a minute is overtaken by the next run. */
  deliveryMaxAge: Duration.minutes(1),
  runAttempts: 1,
  /** Lambda waits about a minute before its retry; two minutes leave room for it. */
  runMaxAge: Duration.minutes(2),
} as const;

export interface SweepScheduleProps {
  readonly fn: lambda.IFunction;
  readonly everyMinutes: number;
  readonly description: string;
}

export class SweepSchedule extends Construct {
  readonly rule: events.Rule;
  /** Schedule events EventBridge could not deliver, and invocation records of runs that failed after their retry. */
  readonly failures: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: SweepScheduleProps) {
    super(scope, id);

    this.failures = new DeadLetterQueue(this, 'Failures', {
      holds: `runs of ${props.fn.node.scope?.node.id ?? id} that could not be delivered or failed after a retry (the next run has started anyway)`,
    });
    this.rule = new events.Rule(this, 'Rule', {
      description: props.description,
      schedule: events.Schedule.rate(Duration.minutes(props.everyMinutes)),
      targets: [
        new targets.LambdaFunction(props.fn, {
          retryAttempts: SWEEP_RETRY.deliveryAttempts,
          maxEventAge: SWEEP_RETRY.deliveryMaxAge,
          deadLetterQueue: this.failures.queue,
        }),
      ],
    });
    props.fn.configureAsyncInvoke({
      retryAttempts: SWEEP_RETRY.runAttempts,
      maxEventAge: SWEEP_RETRY.runMaxAge,
      onFailure: new SqsDestination(this.failures.queue),
    });
  }
}
