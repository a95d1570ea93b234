/** What the stack does to keep the pipeline's own bill small (docs/cost.md): tracing only where it pays, stream batches per consumer. */
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, PAGE_WINDOW_SECONDS, STREAM_BATCHING, STREAM_CONSUMERS, type FunctionName } from '../../functions/manifest.ts';
import { TRACED } from '../../infra/survey-pipeline-stack.ts';
import { logicalId, synthesize } from './synth.ts';

const synth = synthesize({ context: { senderEmail: 'surveys@shop.example' } });
const { template, stack } = synth;
afterAll(() => synth.cleanUp());

const tracingOf = (name: FunctionName) => template.toJSON().Resources[logicalId(stack.functions[name].fn)].Properties.TracingConfig;

/** Invoked once or more per survey sent or per link fetch (scanners included): a trace each would cost more than the rest of the stack. */
const PER_SURVEY: FunctionName[] = [
  'ingestEvents',
  'triggerSurvey',
  'webhooks',
  'sendDue',
  'sendDueSms',
  'respond',
  'shortLink',
  'trackHealth',
  'countFunnel',
  'aggregateScores',
];

describe('X-Ray tracing', () => {
  it('Should trace exactly the functions of TRACED, and no other', () => {
    // Prepare
    const names = Object.keys(FUNCTIONS) as FunctionName[];

    // Act
    const traced = names.filter((name) => tracingOf(name)?.Mode === 'Active');

    // Assess
    expect(traced.sort()).toEqual([...TRACED].sort());
  });

  it.each(PER_SURVEY)('Should not trace %s, which runs per survey or per link fetch', (name) => {
    // Assess
    expect(tracingOf(name)).toBeUndefined();
  });
});

describe('stream batching', () => {
  const mappingOf = (name: FunctionName) => {
    const fn = logicalId(stack.functions[name].fn);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter((m) => m.Properties.FunctionName?.Ref === fn);
    expect(mappings).toHaveLength(1);
    return mappings[0]!.Properties as Record<string, number | undefined>;
  };

  it.each(STREAM_CONSUMERS.map((c) => [c.fn, c.batching ?? STREAM_BATCHING] as const))(
    "Should give %s's mapping the window and batch size of the manifest, and a tumbling window no shorter",
    (name, batching) => {
      // Act
      const mapping = mappingOf(name);

      // Assess
      expect(mapping.MaximumBatchingWindowInSeconds).toBe(batching.windowSeconds);
      expect(mapping.BatchSize).toBe(batching.batchSize);
      if (mapping.TumblingWindowInSeconds !== undefined) expect(mapping.TumblingWindowInSeconds).toBeGreaterThanOrEqual(batching.windowSeconds);
    },
  );

  it.each(STREAM_CONSUMERS.map((c) => [c.fn, c.needsShardId === true] as const))(
    "Should give %s's mapping the page writers' 15-minute tumbling window only when it writes pages per window",
    (name, writesPages) => {
      // Act
      const mapping = mappingOf(name);

      // Assess
      expect(mapping.TumblingWindowInSeconds).toBe(writesPages ? PAGE_WINDOW_SECONDS : undefined);
      if (writesPages) expect(PAGE_WINDOW_SECONDS).toBe(900); // Lambda's longest window: the fewest page writes
    },
  );

  it('Should gather at most 5 s for the alerts (click to alert listed, goal 10 s) and at least a minute for the score pages', () => {
    // Assess
    expect(mappingOf('raiseAlerts').MaximumBatchingWindowInSeconds).toBeLessThanOrEqual(5);
    expect(mappingOf('aggregateScores').MaximumBatchingWindowInSeconds).toBeGreaterThanOrEqual(60);
  });
});
