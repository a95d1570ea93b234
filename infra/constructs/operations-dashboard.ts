/**
 * One CloudWatch dashboard for whoever runs ankieta: how the pipeline does in business terms (events
 * accepted and skipped by reason, surveys sent per channel, answers, response rate, detractors,
 * alerts, time to acknowledge) next to the state of every health alarm.
 * Series split by a dimension use SEARCH, so a new skip reason or channel shows up without a deploy.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { BUSINESS_METRICS, type BusinessMetric } from '../../functions/shared/metric-names.ts';
import type { OperationsAlarms } from './operations-alarms.ts';

export interface OperationsDashboardProps {
  readonly dashboardName: string;
  readonly metricsNamespace: string;
  readonly alarms: OperationsAlarms;
  /** Alarms made outside OperationsAlarms (each dead-letter queue's, the outbound queue's). */
  readonly otherAlarms: readonly cloudwatch.IAlarm[];
}

const HOUR = Duration.hours(1);

export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { alarms } = props;
    const byDimension = (metric: BusinessMetric & keyof typeof WITH_DIMENSION, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${props.metricsNamespace},service,${WITH_DIMENSION[metric]}} MetricName="${BUSINESS_METRICS[metric].name}"', 'Sum', 3600)`,
        label,
        period: HOUR,
      });
    const total = (metric: BusinessMetric, label: string) => alarms.business(metric, HOUR, 'Sum').with({ label });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: '# ankieta\nBusiness figures per hour (left) and the health alarms (right). Runbooks: `docs/operations.md`.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Events accepted', [total('eventsAccepted', 'accepted')]),
      graph('Events skipped, by reason', [byDimension('eventsSkipped', 'skipped')]),
      new cloudwatch.AlarmStatusWidget({
        title: 'Health alarms',
        alarms: [...Object.values(alarms.byConcern).flat(), ...props.otherAlarms],
        width: 8,
        height: 12,
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
      }),
    );
    // Split series have no dimensionless twin: their totals are sums of the SEARCH results.
    const sumOf = (metric: BusinessMetric & keyof typeof WITH_DIMENSION, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SUM(${metric}Split)`,
        usingMetrics: { [`${metric}Split`]: byDimension(metric, label) },
        label,
        period: HOUR,
      });
    const sent = sumOf('surveysSent', 'sent');
    const answered = sumOf('answers', 'answers');
    this.dashboard.addWidgets(
      graph('Surveys sent, by channel', [byDimension('surveysSent', 'sent')]),
      graph(
        'Answers and response rate',
        [byDimension('answers', 'answers')],
        [
          new cloudwatch.MathExpression({
            expression: 'IF(sent > 0, 100 * answers / sent, 0)',
            usingMetrics: { sent, answers: answered },
            label: 'answers per 100 sent (same hour)',
            period: HOUR,
          }),
        ],
      ),
    );
    this.dashboard.addWidgets(
      graph('Detractors, by metric', [byDimension('detractors', 'detractors')]),
      graph('Alerts raised, by kind', [byDimension('alerts', 'alerts')]),
      graph('Time to acknowledge (s)', [
        alarms.business('timeToAcknowledge', HOUR, 'p50').with({ label: 'p50' }),
        alarms.business('timeToAcknowledge', HOUR, 'p90').with({ label: 'p90' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Quarantined input', [total('quarantined', 'quarantined')]),
      graph('Oldest due invitation (s)', [alarms.business('oldestDueAge', Duration.minutes(5), 'Maximum').with({ label: 'oldest due' })]),
      new cloudwatch.AlarmWidget({ title: 'API 5xx %', alarm: findAlarm(alarms, 'api', 'api-5xx'), width: 8, height: 6 }),
    );
  }
}

/** Metrics emitted with one dimension besides service, and its name. */
const WITH_DIMENSION = {
  eventsSkipped: BUSINESS_METRICS.eventsSkipped.dimension,
  surveysSent: BUSINESS_METRICS.surveysSent.dimension,
  answers: BUSINESS_METRICS.answers.dimension,
  detractors: BUSINESS_METRICS.detractors.dimension,
  alerts: BUSINESS_METRICS.alerts.dimension,
} as const;

function graph(title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6, stacked: false });
}

function findAlarm(alarms: OperationsAlarms, concern: keyof OperationsAlarms['byConcern'], suffix: string): cloudwatch.IAlarm {
  const found = alarms.byConcern[concern].find((alarm) => alarm.node.id === suffix);
  if (!found) throw new Error(`No ${concern} alarm ${suffix}`);
  return found;
}
