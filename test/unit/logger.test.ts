/**
 * The functions' logger (functions/shared/logger.ts) writes the JSON lines Powertools Logger wrote,
 * which it replaced for the bundle budget: the same fields and values for the same calls.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { injectLambdaContext, Logger } from '../../functions/shared/logger.ts';
import { jsonLinesWritten } from '../support/logs.ts';

const context = {
  functionName: 'ankieta-sendDue',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:ankieta-sendDue',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
} as Context;

/**
 * Fields that differ by design: the clock, the sampling rate ankieta never sets, the cold start (Powertools keeps it
 * per process, tested below per logger), and the function's ARN and memory size, which ours leaves out (the log group
 * names the function; tested below).
 */
const comparable = ({ timestamp: _t, sampling_rate: _s, cold_start: _c, function_arn: _a, function_memory_size: _m, ...rest }: Record<string, unknown>) => rest;

afterEach(() => vi.unstubAllEnvs());

describe('the functions’ logger', () => {
  it('Should write what Powertools Logger wrote for an entry with attributes, in and after an invocation', async () => {
    // Prepare
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
    const original = new PowertoolsLogger({ serviceName: 'ankieta', logLevel: 'INFO' });
    const ours = new Logger('ankieta');
    ours.setLogLevel('INFO');
    const log = (logger: { info: (m: string, a: Record<string, unknown>) => void }) => {
      logger.info('due sweep', { sent: 3, sentByChannel: { email: 2, sms: 1 } });
      logger.info('due sweep', { sent: 0, sentByChannel: { email: 0, sms: 0 } });
    };

    // Act
    const theirs = await jsonLinesWritten(() => {
      original.addContext(context);
      log(original);
    });
    const mine = await jsonLinesWritten(() => {
      ours.addContext(context);
      log(ours);
    });

    // Assess
    expect(mine.map(comparable)).toEqual(theirs.map(comparable));
    expect(mine[0]).toMatchObject({
      level: 'INFO',
      cold_start: true,
      function_request_id: context.awsRequestId,
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
    });
    expect(Date.parse(String(mine[0]!.timestamp))).not.toBeNaN();
  });

  it('Should write an error attribute with its name, message and stack, as Powertools did', async () => {
    // Prepare
    const original = new PowertoolsLogger({ serviceName: 'ankieta', logLevel: 'INFO' });
    const ours = new Logger('ankieta');
    ours.setLogLevel('INFO');
    const error = new TypeError('bucket write failed');

    // Act
    const [theirs] = await jsonLinesWritten(() => original.warn('bucket write failed', { error }));
    const [mine] = await jsonLinesWritten(() => ours.warn('bucket write failed', { error }));

    // Assess
    expect(comparable(mine!)).toEqual(comparable(theirs!));
    expect(mine!.error).toMatchObject({ name: 'TypeError', message: 'bucket write failed', stack: error.stack });
  });

  it('Should write nothing below its level, and nothing at all when SILENT', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
    const logger = new Logger('ankieta');

    // Act
    const atWarn = await jsonLinesWritten(() => {
      logger.debug('d');
      logger.info('i');
      logger.warn('w');
      logger.error('e');
    });
    logger.setLogLevel('SILENT');
    const silent = await jsonLinesWritten(() => logger.error('e'));

    // Assess
    expect(atWarn.map((l) => l.level)).toEqual(['WARN', 'ERROR']);
    expect(silent).toEqual([]);
  });

  it("Should take Lambda's own log level when POWERTOOLS_LOG_LEVEL is not set", async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', '');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'ERROR');

    // Act
    const lines = await jsonLinesWritten(() => {
      const logger = new Logger('ankieta');
      logger.warn('w');
      logger.error('e');
    });

    // Assess
    expect(lines.map((l) => l.level)).toEqual(['ERROR']);
  });

  it('Should mark only the first invocation of a container as its cold start (middy middleware)', async () => {
    // Prepare
    const logger = new Logger('ankieta');
    logger.setLogLevel('INFO');
    const before = injectLambdaContext(logger).before!;
    const invoke = async () => {
      await before({ event: {}, context, response: undefined, error: null, internal: {} });
      return (await jsonLinesWritten(() => logger.info('run')))[0];
    };

    // Act
    const first = await invoke();
    const second = await invoke();

    // Assess
    expect([first!.cold_start, second!.cold_start]).toEqual([true, false]);
    expect(second).toMatchObject({ function_name: 'ankieta-sendDue', function_request_id: context.awsRequestId });
    expect(second).not.toHaveProperty('function_arn');
    expect(second).not.toHaveProperty('function_memory_size');
  });
});
