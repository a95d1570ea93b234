/**
 * The log bytes of the cost model (bench/log-bytes.ts): Lambda's own lines in the documented text format,
 * and our handlers' lines re-shaped as they read on AWS (the deployed function's name and ARN).
 */
import { describe, expect, it } from 'vitest';
import { asOnAws, awsFunctionName, coldStartBytes, platformBytes, platformLines } from '../../bench/log-bytes.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('Lambda platform lines', () => {
  it('are START, END and REPORT for a warm invocation, in the text format of the Lambda developer guide', () => {
    // Prepare
    const options = { coldStart: false, traced: false };
    // Act
    const [start, end, report, ...rest] = platformLines(options);
    // Assess
    expect(rest).toEqual([]);
    expect(start).toMatch(new RegExp(`^START RequestId: ${UUID} Version: \\$LATEST\\n$`));
    expect(end).toMatch(new RegExp(`^END RequestId: ${UUID}\\n$`));
    expect(report).toMatch(
      new RegExp(`^REPORT RequestId: ${UUID}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms \\tMemory Size: 512 MB\\tMax Memory Used: \\d+ MB\\t\\n$`),
    );
  });

  it('add the X-Ray fields to REPORT for a traced invocation, and nothing else', () => {
    // Prepare
    const untraced = platformLines({ coldStart: false, traced: false });
    // Act
    const traced = platformLines({ coldStart: false, traced: true });
    // Assess
    expect(traced[2]).toMatch(/\tXRAY TraceId: 1-[0-9a-f]{8}-\w{24}\tSegmentId: \w{16}\tSampled: true\t\n$/);
    expect(traced.slice(0, 2)).toEqual(untraced.slice(0, 2));
    expect(platformBytes(true)).toBeGreaterThan(platformBytes(false));
  });

  it('begin with INIT_START and carry Init Duration on an environment first invocation', () => {
    // Prepare
    const options = { coldStart: true, traced: false };
    // Act
    const lines = platformLines(options);
    // Assess
    expect(lines[0]).toMatch(/^INIT_START Runtime Version: nodejs:24\.v\d+\tRuntime Version ARN: arn:aws:lambda:[a-z0-9-]+::runtime:[0-9a-f]{64}\n$/);
    expect(lines.at(-1)).toMatch(/\tInit Duration: [\d.]+ ms\t\n$/);
    expect(coldStartBytes()).toBe(lines.join('').length - platformLines({ coldStart: false, traced: false }).join('').length);
  });

  it('are counted in bytes as written, tabs and newlines included', () => {
    // Prepare
    const lines = platformLines({ coldStart: false, traced: false });
    // Act
    const bytes = platformBytes(false);
    // Assess
    expect(bytes).toBe(lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0));
    expect(bytes).toBeGreaterThan(200);
  });
});

describe('our lines as on AWS', () => {
  it('name the deployed function instead of the local runtime short one, the rest unchanged', () => {
    // Prepare
    const local = `${JSON.stringify({
      level: 'INFO',
      message: 'answer',
      function_name: 'respond',
      function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      outcome: 'recorded',
    })}\n`;
    // Act
    const aws = JSON.parse(asOnAws(local)) as Record<string, unknown>;
    // Assess
    expect(aws.function_name).toBe(awsFunctionName('respond'));
    expect(Object.keys(aws)).toEqual(['level', 'message', 'function_name', 'function_request_id', 'outcome']);
    expect(aws.outcome).toBe('recorded');
    expect(asOnAws(local).endsWith('\n')).toBe(true);
  });

  it('leave lines without a function name (EMF metrics) and anything not JSON as written', () => {
    // Prepare
    const emf = `${JSON.stringify({ _aws: { Timestamp: 1 }, service: 'ankieta', SurveysSent: 1 })}\n`;
    const text = 'not json\n';
    // Act
    const lines = [asOnAws(emf), asOnAws(text)];
    // Assess
    expect(lines).toEqual([emf, text]);
  });

  it('give deployed names of CloudFormation shape, at most 64 characters', () => {
    // Prepare
    const long = 'a'.repeat(80);
    // Act
    const names = [awsFunctionName('respond'), awsFunctionName(long)];
    // Assess
    expect(names[0]).toMatch(/^Ankieta-respondFunction[0-9A-F]{8}-\w{12}$/);
    expect(names[1]).toHaveLength(64);
  });
});
