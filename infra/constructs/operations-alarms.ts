/**
 * What tells a person that ankieta is unwell: the operations topic (an e-mail, or any SNS endpoint)
 * and the alarms that publish to it, when they fire and when they recover. Every alarm of the stack,
 * those made elsewhere (each dead-letter queue's) included, gets the topic as alarm and OK action
 * through an aspect, so an alarm added later cannot be forgotten. docs/operations.md has the runbook
 * of each alarm and why its threshold is what it is.
 */
import { Aspects, Duration, type IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';
import type { FunctionName } from '../../functions/manifest.ts';
import { BUSINESS_METRICS, SERVICE_DIMENSION, type BusinessMetric } from '../../functions/shared/metric-names.ts';

const { GREATER_THAN_OR_EQUAL_TO_THRESHOLD: AT_LEAST, GREATER_THAN_THRESHOLD: ABOVE, LESS_THAN_THRESHOLD: BELOW } = cloudwatch.ComparisonOperator;
const FIVE_MINUTES = Duration.minutes(5);

/** The thresholds, named so that docs/operations.md and the tests can quote them. */
export const THRESHOLDS = {
  /** Errors of one function: at least 1 in 2 of 3 five-minute periods (one retried hiccup does not page). */
  functionErrors: 1,
  /** Throttles of one function: same shape; the sweeps' reserved concurrency of 1 makes an overlap show here. */
  functionThrottles: 1,
  /** Stream iterator age: 5 minutes for 5 minutes in a row; detractor alerts are promised "within minutes". */
  iteratorAgeMs: 5 * 60 * 1000,
  /** Oldest due invitation: 15 minutes late for 3 sweeps in a row. */
  oldestDueAgeSeconds: 15 * 60,
  /** Quarantined input per hour: one bad event is kept with its reason and pages nobody; 10 an hour is a broken integration. */
  quarantinedPerHour: 10,
  /** Share of API requests answered 5xx, in %, once at least 20 requests came in 5 minutes. */
  api5xxPercent: 5,
  api5xxMinRequests: 20,
  /** p95 API latency in ms for 15 minutes; a page that slow loses answers. */
  apiLatencyP95Ms: 3000,
  /** SES reputation: AWS reviews an account at 5 % bounces and 0.1 % complaints; warn at 2 % and 0.05 %. */
  sesBounceRate: 0.02,
  sesComplaintRate: 0.0005,
  /** SMS spend this month against the account's SMS spending limit. */
  smsSpendShareOfLimit: 0.8,
  /** DynamoDB read or write throttle events: any, in 2 of 3 five-minute periods. */
  tableThrottleEvents: 1,
} as const;

export interface OperationsAlarmsProps {
  /** Stack-wide prefix of the alarm names, e.g. "ankieta" or "ankieta-brandb". */
  readonly prefix: string;
  readonly topicName?: string;
  readonly operationsEmail?: string;
  readonly functions: Readonly<Record<FunctionName, lambda.IFunction>>;
  readonly streamConsumers: readonly FunctionName[];
  /** The two schedules, which must run every minute. */
  readonly sweeps: readonly FunctionName[];
  readonly api: apigw.HttpApi;
  readonly table: dynamodb.ITable;
  /** Namespace of the business metrics (POWERTOOLS_METRICS_NAMESPACE). */
  readonly metricsNamespace: string;
  readonly smsMonthlySpendLimitUsd: number;
}

export class OperationsAlarms extends Construct {
  readonly topic: sns.Topic;
  /** Alarms made here, by concern, for the dashboard; dead-letter queue alarms live with their queues. */
  readonly byConcern: Record<'functions' | 'streams' | 'sweeps' | 'input' | 'api' | 'sending' | 'table', cloudwatch.Alarm[]> = {
    functions: [],
    streams: [],
    sweeps: [],
    input: [],
    api: [],
    sending: [],
    table: [],
  };
  private readonly props: OperationsAlarmsProps;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.props = props;

    // CloudWatch can only publish alarms to an encrypted topic whose key policy lets it, and the
    // AWS-managed aws/sns key cannot be edited: a key of our own.
    // https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
    const key = new kms.Key(this, 'TopicKey', {
      description: `${props.prefix}: encrypts the operations (alarm) topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY, // protects transient notifications only
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchPublishesAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'], // in a key policy, "*" is this key
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: `${props.prefix} operations`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.operationsEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.operationsEmail));

    this.watchFunctions();
    this.watchStreamsAndSweeps();
    this.watchInputAndApi();
    this.watchSendingAndTable();
    Aspects.of(Stack.of(this)).add(new NotifyOnEveryAlarm(new SnsAction(this.topic)));
  }

  /** Whether an alarm is one of these (each is made under this construct). */
  owns(alarm: IConstruct): boolean {
    return alarm.node.scopes.includes(this);
  }

  private alarm(concern: keyof OperationsAlarms['byConcern'], id: string, metric: cloudwatch.IMetric, options: AlarmOptions): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      alarmName: `${this.props.prefix}-${id}`,
      alarmDescription: `${options.description} Runbook: docs/operations.md#${options.runbook}`,
      threshold: options.threshold,
      comparisonOperator: options.comparison ?? AT_LEAST,
      evaluationPeriods: options.evaluationPeriods ?? 3,
      datapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods ?? 2,
      treatMissingData: options.missing ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.byConcern[concern].push(alarm);
    return alarm;
  }

  private watchFunctions(): void {
    for (const [name, fn] of Object.entries(this.props.functions) as [FunctionName, lambda.IFunction][]) {
      this.alarm('functions', `${name}-errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), {
        description: `${name} failed (uncaught errors or timeouts).`,
        runbook: 'function-errors',
        threshold: THRESHOLDS.functionErrors,
      });
      this.alarm('functions', `${name}-throttles`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), {
        description: `${name} was throttled (concurrency exhausted).`,
        runbook: 'function-throttles',
        threshold: THRESHOLDS.functionThrottles,
      });
    }
  }

  private watchStreamsAndSweeps(): void {
    const { functions, streamConsumers, sweeps } = this.props;
    for (const name of streamConsumers) {
      const age = functions[name].metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' });
      this.alarm('streams', `${name}-iterator-age`, age, {
        description: `${name} is more than 5 minutes behind the table stream.`,
        runbook: 'stream-iterator-age',
        threshold: THRESHOLDS.iteratorAgeMs,
        comparison: ABOVE,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
      });
    }
    for (const name of sweeps) {
      // A sweep that does not run at all (rule disabled, function throttled, deployment broken) has no errors to alarm on.
      const runs = functions[name].metricInvocations({ period: FIVE_MINUTES, statistic: 'Sum' });
      this.alarm('sweeps', `${name}-not-running`, runs, {
        description: `${name} (every minute) did not run for 10 minutes.`,
        runbook: 'sweep-not-running',
        threshold: 1,
        comparison: BELOW,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        missing: cloudwatch.TreatMissingData.BREACHING,
      });
    }
    this.alarm('sweeps', 'oldest-due-invitation', this.business('oldestDueAge', Duration.minutes(1), 'Maximum'), {
      description: 'Invitations wait more than 15 minutes past their send time.',
      runbook: 'oldest-due-invitation',
      threshold: THRESHOLDS.oldestDueAgeSeconds,
      comparison: ABOVE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    });
  }

  private watchInputAndApi(): void {
    const { api } = this.props;
    this.alarm('input', 'quarantined-input', this.business('quarantined', Duration.hours(1), 'Sum'), {
      description: 'Ten or more inputs were quarantined in an hour.',
      runbook: 'quarantined-input',
      threshold: THRESHOLDS.quarantinedPerHour,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
    const errorRate = new cloudwatch.MathExpression({
      label: 'API 5xx %',
      expression: `IF(requests >= ${THRESHOLDS.api5xxMinRequests}, 100 * errors / requests, 0)`,
      usingMetrics: {
        requests: api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
        errors: api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      },
      period: FIVE_MINUTES,
    });
    this.alarm('api', 'api-5xx', errorRate, {
      description: 'More than 5 % of HTTP API requests answered 5xx.',
      runbook: 'api-5xx',
      threshold: THRESHOLDS.api5xxPercent,
      comparison: ABOVE,
    });
    this.alarm('api', 'api-latency', api.metricLatency({ period: FIVE_MINUTES, statistic: 'p95' }), {
      description: 'HTTP API p95 latency above 3 s for 15 minutes.',
      runbook: 'api-latency',
      threshold: THRESHOLDS.apiLatencyP95Ms,
      comparison: ABOVE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    });
  }

  private watchSendingAndTable(): void {
    // Account-wide reputation: what AWS reviews (https://docs.aws.amazon.com/ses/latest/dg/reputationdashboard-cloudwatch-alarm.html).
    const reputation = (name: string) => new cloudwatch.Metric({ namespace: 'AWS/SES', metricName: name, period: Duration.hours(1), statistic: 'Maximum' });
    this.alarm('sending', 'ses-bounce-rate', reputation('Reputation.BounceRate'), {
      description: 'SES bounce rate reached 2 % (AWS reviews the account at 5 %).',
      runbook: 'ses-reputation',
      threshold: THRESHOLDS.sesBounceRate,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
    this.alarm('sending', 'ses-complaint-rate', reputation('Reputation.ComplaintRate'), {
      description: 'SES complaint rate reached 0.05 % (AWS reviews the account at 0.1 %).',
      runbook: 'ses-reputation',
      threshold: THRESHOLDS.sesComplaintRate,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
    const smsSpend = new cloudwatch.Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', period: Duration.hours(1), statistic: 'Maximum' });
    this.alarm('sending', 'sms-spend', smsSpend, {
      description: `SMS spend this month reached 80 % of the ${this.props.smsMonthlySpendLimitUsd} USD limit; past it, SNS stops sending SMS.`,
      runbook: 'sms-spend',
      threshold: Math.round(this.props.smsMonthlySpendLimitUsd * THRESHOLDS.smsSpendShareOfLimit * 100) / 100,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
    const tableMetric = (name: string) => this.props.table.metric(name, { period: FIVE_MINUTES, statistic: 'Sum' });
    const throttles = new cloudwatch.MathExpression({
      label: 'DynamoDB throttle events',
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      usingMetrics: { reads: tableMetric('ReadThrottleEvents'), writes: tableMetric('WriteThrottleEvents') },
      period: FIVE_MINUTES,
    });
    this.alarm('table', 'table-throttles', throttles, {
      description: 'DynamoDB throttled reads or writes on the survey table.',
      runbook: 'table-throttles',
      threshold: THRESHOLDS.tableThrottleEvents,
    });
  }

  /** A business metric (functions/shared/metric-names.ts) summed over its dimensionless series. */
  business(metric: BusinessMetric, period: Duration, statistic: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.props.metricsNamespace,
      metricName: BUSINESS_METRICS[metric].name,
      dimensionsMap: { ...SERVICE_DIMENSION },
      period,
      statistic,
    });
  }
}

interface AlarmOptions {
  description: string;
  /** Anchor of the alarm's section in docs/operations.md. */
  runbook: string;
  threshold: number;
  comparison?: cloudwatch.ComparisonOperator;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  missing?: cloudwatch.TreatMissingData;
}

/** Gives every alarm in the stack the operations topic as its alarm and OK action, once. */
class NotifyOnEveryAlarm implements IAspect {
  private readonly done = new WeakSet<cloudwatch.Alarm>();
  constructor(private readonly action: SnsAction) {}

  visit(node: IConstruct): void {
    if (!(node instanceof cloudwatch.Alarm) || this.done.has(node)) return;
    this.done.add(node);
    node.addAlarmAction(this.action);
    node.addOkAction(this.action);
  }
}
