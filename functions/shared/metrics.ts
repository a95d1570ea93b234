/**
 * The one Powertools Metrics instance of every function: business figures as CloudWatch embedded
 * metric format (EMF) log lines, so recording them costs no API call and no latency. Handlers count
 * during the invocation (`countMetric`, `recordSeconds`) and the `emitMetrics()` middleware writes the
 * totals once at the end, one line per dimension value instead of one per record.
 * Names, units and dimensions: functions/shared/metric-names.ts (the dashboard and alarms read them).
 * Off the Lambda runtime (npm start, tests) nothing is written unless POWERTOOLS_METRICS_DISABLED=false.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { BUSINESS_METRICS, METRICS_NAMESPACE_ENV, SERVICE_DIMENSION, type BusinessMetric } from './metric-names.ts';

// The namespace comes from POWERTOOLS_METRICS_NAMESPACE (set per stack by the CDK app).
export const metrics = new Metrics({ namespace: process.env[METRICS_NAMESPACE_ENV] ?? 'ankieta', serviceName: SERVICE_DIMENSION.service });

type Counted = { metric: BusinessMetric; dimensionValue?: string; value: number };
const counts = new Map<string, Counted>();
const observations: { metric: BusinessMetric; value: number }[] = [];

/** Adds to a count of this invocation; `dimensionValue` is the reason, channel, metric or kind of metrics that have one. */
export function countMetric(metric: BusinessMetric, dimensionValue?: string, value = 1): void {
  const key = `${metric}\u0000${dimensionValue ?? ''}`;
  const current = counts.get(key);
  if (current) current.value += value;
  else counts.set(key, { metric, dimensionValue, value });
}

/** Records one observation in seconds (time to acknowledge, oldest due age): kept as a distribution, not summed. */
export function recordSeconds(metric: BusinessMetric, seconds: number): void {
  if (Number.isFinite(seconds)) observations.push({ metric, value: Math.max(0, seconds) });
}

function enabled(): boolean {
  const flag = process.env.POWERTOOLS_METRICS_DISABLED;
  if (flag !== undefined) return flag.toLowerCase() === 'false' || flag === '0';
  return Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);
}

/** Writes what was counted and observed since the last call, then forgets it. */
export function publishMetrics(): void {
  const pending = [...counts.values()];
  const observed = observations.splice(0);
  counts.clear();
  if (!enabled() || (pending.length === 0 && observed.length === 0)) return;
  for (const { metric, dimensionValue, value } of pending) {
    const definition = BUSINESS_METRICS[metric];
    if ('dimension' in definition && dimensionValue !== undefined) {
      // A metric with its own dimension is written on its own line, so the dimension does not spill onto the others.
      const single = metrics.singleMetric();
      single.addDimension(definition.dimension, dimensionValue);
      single.addMetric(definition.name, MetricUnit.Count, value);
    } else {
      metrics.addMetric(definition.name, MetricUnit.Count, value);
    }
  }
  for (const { metric, value } of observed) metrics.addMetric(BUSINESS_METRICS[metric].name, MetricUnit.Seconds, value);
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/** Middy middleware: publishes after the handler, whether it returned or threw. */
export function emitMetrics(): MiddlewareObj {
  return {
    after: () => publishMetrics(),
    onError: () => publishMetrics(),
  };
}

/** A commerce event's outcome: scheduled or merged is accepted; a skip, a duplicate or no survey is skipped with its reason. Cancellations count as neither. */
export function countEventOutcome(outcome: { status: string; reason?: string }): void {
  if (outcome.status === 'scheduled' || outcome.status === 'merged') countMetric('eventsAccepted');
  else if (outcome.status === 'skipped') countMetric('eventsSkipped', reasonCode(outcome.reason));
  else if (outcome.status === 'duplicate' || outcome.status === 'no-survey') countMetric('eventsSkipped', outcome.status);
}

/** The reason's code ("fatigue", "no-consent"…), not its free-text detail: a dimension value must stay in a small set. */
function reasonCode(reason: string | undefined): string {
  const code = (reason ?? 'unknown').split(/[:\s]/)[0]!.toLowerCase();
  return /^[a-z-]{1,40}$/.test(code) ? code : 'other';
}
