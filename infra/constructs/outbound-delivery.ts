/**
 * Outbound deliveries (issue 14): the queue between the stream emitter and the delivery function, its
 * dead-letter queue with an alarm, an alarm when a job waits longer than the retry schedule allows,
 * and where the endpoints' connections live in Secrets Manager (one secret per endpoint, under a
 * prefix of this stack). Grants read as an access matrix: the emitter sends jobs, the delivery
 * function consumes them, hides them until their next attempt, dead-letters them and reads the
 * connections; the endpoints API creates and deletes connections and reads none.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueSubscription } from '../../functions/manifest.ts';
import { retryHorizonSeconds, DEFAULT_RETRY_POLICY } from '../../surveys/outbound/routing.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { HouseFunction } from './house-function.ts';

export interface OutboundDeliveryProps {
  readonly subscription: QueueSubscription;
}

export class OutboundDelivery extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: DeadLetterQueue;
  readonly stuckAlarm: cloudwatch.Alarm;
  /** Secrets Manager names of endpoint connections start with this (OUTBOUND_SECRET_PREFIX). */
  readonly secretPrefix: string;
  private readonly subscription: QueueSubscription;

  constructor(scope: Construct, id: string, props: OutboundDeliveryProps) {
    super(scope, id);
    this.subscription = props.subscription;
    this.secretPrefix = `${Stack.of(this).stackName}/endpoints/`;

    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      holds: 'outbound deliveries that used every attempt or could not be made (each is also listed as dead-lettered in GET /api/endpoints/{id}/deliveries)',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS: at least six times the function's timeout, so a slow batch is not handed out again meanwhile.
      visibilityTimeout: Duration.seconds(props.subscription.visibilityTimeoutSeconds),
      // Longer than the retry schedule (about 13 hours) with room to spare.
      retentionPeriod: Duration.days(4),
      // A safety net: the function dead-letters a job itself after its last attempt, with the reason.
      deadLetterQueue: { queue: this.deadLetters.queue, maxReceiveCount: props.subscription.maxReceiveCount },
    });

    // A job older than the whole retry schedule means deliveries are stuck (the function failing before it can decide).
    const horizonHours = Math.ceil(retryHorizonSeconds(DEFAULT_RETRY_POLICY) / 3600) + 1;
    this.stuckAlarm = this.queue
      .metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM })
      .createAlarm(this, 'JobsStuck', {
        alarmDescription: `An outbound delivery job has waited more than ${horizonHours} hours, longer than its retry schedule: check the deliverOutbound function's errors.`,
        threshold: horizonHours * 3600,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
  }

  private secretArns(): string {
    const { region, account, partition } = Stack.of(this);
    return `arn:${partition}:secretsmanager:${region}:${account}:secret:${this.secretPrefix}*`;
  }

  private grantSecrets(fn: HouseFunction, actions: string[], why: string): void {
    const policy = new iam.Policy(fn, 'EndpointSecrets', { statements: [new iam.PolicyStatement({ actions, resources: [this.secretArns()] })] });
    policy.attachToRole(fn.role);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.secretPrefix}*]`,
      reason: `Endpoint connections are created at run time, one secret per endpoint, under this stack's prefix: ${why}.`,
    });
  }

  /** The stream emitter: sends jobs, nothing else of the queues. */
  grantEnqueue(fn: HouseFunction): void {
    this.queue.grantSendMessages(fn);
  }

  /** The endpoints API: creates and deletes connections, never reads one. */
  grantManageSecrets(fn: HouseFunction): void {
    this.grantSecrets(
      fn,
      ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret'],
      "the endpoints API stores a new endpoint's and deletes a deleted one's",
    );
  }

  /** The delivery function: fed by the queue (reported item failures), moves jobs to their next attempt or the DLQ, reads connections. */
  connectDeliverer(fn: HouseFunction): void {
    fn.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: this.subscription.batchSize,
        reportBatchItemFailures: true, // a failed job comes back alone, when its retry is due
        maxConcurrency: 10, // receivers are other people's systems: a bounded number of parallel posts
      }),
    );
    this.queue.grant(fn, 'sqs:ChangeMessageVisibility');
    this.deadLetters.queue.grantSendMessages(fn);
    this.grantSecrets(fn, ['secretsmanager:GetSecretValue'], 'the delivery function reads the connection of the endpoint it delivers to');
  }
}
