/** What the stack does to keep the pipeline's own bill small (docs/cost.md): tracing only where it pays. */
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../functions/manifest.ts';
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
