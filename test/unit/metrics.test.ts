import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUSINESS_METRICS } from '../../functions/shared/metric-names.ts';
import { countMetric, emitMetrics, publishMetrics, recordSeconds } from '../../functions/shared/metrics.ts';

/** The EMF lines written to stdout, parsed. */
function captureEmf() {
  const lines: Record<string, any>[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      const parsed = JSON.parse(line);
      if (parsed._aws) lines.push(parsed);
    }
    return true;
  });
  return { lines, restore: () => spy.mockRestore() };
}

describe('business metrics (EMF)', () => {
  beforeEach(() => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_DEV', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    publishMetrics(); // leave nothing counted for the next test
  });

  it('Should write one line per skip reason with the counts summed over the invocation', () => {
    // Prepare
    const out = captureEmf();
    countMetric('eventsSkipped', 'fatigue');
    countMetric('eventsSkipped', 'fatigue');
    countMetric('eventsSkipped', 'no-consent');

    // Act
    publishMetrics();
    out.restore();

    // Assess
    const skipped = out.lines.filter((l) => BUSINESS_METRICS.eventsSkipped.name in l);
    expect(skipped.map((l) => [l.reason, l.EventsSkipped]).sort()).toEqual([
      ['fatigue', 2],
      ['no-consent', 1],
    ]);
    for (const line of skipped) {
      expect(line.service).toBe('ankieta');
      expect(line._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'reason']]);
      expect(line._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'EventsSkipped', Unit: 'Count' }]);
    }
  });

  it('Should write dimensionless counts and observations in seconds together, under the service dimension only', () => {
    // Prepare
    const out = captureEmf();
    countMetric('eventsAccepted');
    countMetric('eventsAccepted');
    recordSeconds('timeToAcknowledge', 120);
    recordSeconds('timeToAcknowledge', 30);

    // Act
    publishMetrics();
    out.restore();

    // Assess
    const line = out.lines.find((l) => 'EventsAccepted' in l)!;
    expect(line.EventsAccepted).toBe(2);
    expect(line.TimeToAcknowledge).toEqual([120, 30]);
    expect(line._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
  });

  it('Should split more than 100 observations of a metric over lines of at most 100 values, counts on the first only', () => {
    // Prepare
    const out = captureEmf();
    countMetric('eventsAccepted');
    for (let i = 0; i < 150; i++) recordSeconds('timeToAcknowledge', i);

    // Act
    publishMetrics();
    out.restore();

    // Assess
    const lines = out.lines.filter((l) => 'TimeToAcknowledge' in l);
    expect(lines.map((l) => l.TimeToAcknowledge.length)).toEqual([100, 50]);
    expect(lines.map((l) => l.EventsAccepted)).toEqual([1, undefined]);
    expect(lines[1]!._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'TimeToAcknowledge', Unit: 'Seconds' }]);
    expect(lines[0]!._aws.CloudWatchMetrics[0].Namespace).toBe('ankieta');
  });

  it('Should publish through the middleware even when the handler throws, and only once', async () => {
    // Prepare
    const out = captureEmf();
    countMetric('quarantined');
    const middleware = emitMetrics();

    // Act
    await middleware.onError?.({} as never);
    await middleware.after?.({} as never);
    out.restore();

    // Assess
    expect(out.lines.filter((l) => 'QuarantinedItems' in l)).toHaveLength(1);
  });

  it('Should write nothing off the Lambda runtime unless asked to', () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', undefined as unknown as string);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', '');
    const out = captureEmf();
    countMetric('answers', 'nps');

    // Act
    publishMetrics();
    out.restore();

    // Assess
    expect(out.lines).toEqual([]);
  });
});
