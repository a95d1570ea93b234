/**
 * Business figures as CloudWatch embedded metric format (EMF) log lines, so recording them costs no
 * API call and no latency. Handlers count during the invocation (`countMetric`, `recordSeconds`) and
 * the `emitMetrics()` middleware writes the totals once at the end, one line per dimension value
 * instead of one per record. Names, units and dimensions: functions/shared/metric-names.ts (the
 * dashboard and alarms read them). Off the Lambda runtime (npm start, tests) nothing is written unless
 * POWERTOOLS_METRICS_DISABLED=false.
 *
 * The lines are written here, not by Powertools Metrics: a handful of counts an invocation needs the
 * EMF envelope alone, and the Metrics class was ~13 KB of every bundle and part of its cold init
 * (bench/RESULTS.md, bundles; docs/operations.md "Metrics"). The lines are the ones Powertools wrote:
 * the `service` dimension on every metric, the namespace from POWERTOOLS_METRICS_NAMESPACE, straight
 * to stdout (not console.log, which the Lambda runtime prefixes or wraps).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import type { MiddlewareObj } from '@middy/core';
import { BUSINESS_METRICS, METRICS_NAMESPACE_ENV, SERVICE_DIMENSION, type BusinessMetric } from './metric-names.ts';

/** EMF takes at most 100 values of one metric in one line. */
const MAX_VALUES_PER_LINE = 100;

/** One EMF line: `values` by metric name, under the service dimension and `dimension` if given. */
function writeEmf(values: Record<string, number | number[]>, units: Record<string, string>, dimension?: { name: string; value: string }): void {
  const dimensions = dimension ? { ...SERVICE_DIMENSION, [dimension.name]: dimension.value } : { ...SERVICE_DIMENSION };
  const line = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          // The namespace comes from POWERTOOLS_METRICS_NAMESPACE (set per stack by the CDK app).
          Namespace: process.env[METRICS_NAMESPACE_ENV] ?? 'ankieta',
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.keys(values).map((name) => ({ Name: name, Unit: units[name] ?? 'None' })),
        },
      ],
    },
    ...dimensions,
    ...values,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

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
  const values: Record<string, number | number[]> = {};
  const units: Record<string, string> = {};
  for (const { metric, dimensionValue, value } of pending) {
    const definition = BUSINESS_METRICS[metric];
    if ('dimension' in definition && dimensionValue !== undefined) {
      // A metric with its own dimension is written on its own line, so the dimension does not spill onto the others.
      writeEmf({ [definition.name]: value }, { [definition.name]: definition.unit }, { name: definition.dimension, value: dimensionValue });
    } else {
      values[definition.name] = ((values[definition.name] as number | undefined) ?? 0) + value;
      units[definition.name] = definition.unit;
    }
  }
  const seconds = new Map<string, number[]>();
  for (const { metric, value } of observed) {
    const { name } = BUSINESS_METRICS[metric];
    seconds.set(name, [...(seconds.get(name) ?? []), value]);
    units[name] = 'Seconds';
  }
  // The counts and the first 100 observations of each metric on one line; more observations, more lines.
  const lines = Math.max(1, ...[...seconds.values()].map((v) => Math.ceil(v.length / MAX_VALUES_PER_LINE)));
  for (let i = 0; i < lines; i++) {
    const line: Record<string, number | number[]> = i === 0 ? { ...values } : {};
    for (const [name, all] of seconds) {
      const chunk = all.slice(i * MAX_VALUES_PER_LINE, (i + 1) * MAX_VALUES_PER_LINE);
      if (chunk.length > 0) line[name] = chunk.length === 1 ? chunk[0]! : chunk;
    }
    if (Object.keys(line).length > 0) writeEmf(line, units);
  }
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
  else if (outcome.status === 'duplicate' || outcome.status === 'no-survey' || outcome.status === 'erased') countMetric('eventsSkipped', outcome.status);
}

/** The reason's code ("fatigue", "no-consent"…), not its free-text detail: a dimension value must stay in a small set. */
function reasonCode(reason: string | undefined): string {
  const code = (reason ?? 'unknown').split(/[:\s]/)[0]!.toLowerCase();
  return /^[a-z-]{1,40}$/.test(code) ? code : 'other';
}
