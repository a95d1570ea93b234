/**
 * What one Lambda invocation puts into CloudWatch Logs, in bytes: the lines our handlers write (measured
 * by bench/lifecycle-wcu.ts, re-shaped here as they read on AWS) and the lines Lambda itself writes.
 *
 * Lambda's own lines, in the stack's log format (text: the house function sets no `loggingFormat`,
 * infra/constructs/house-function.ts), as AWS documents them:
 * - START, END and REPORT for each invocation, REPORT with `Init Duration` on an environment's first one and the
 *   `XRAY TraceId`, `SegmentId` and `Sampled` fields for traced requests: "AWS Lambda function logging in
 *   Node.js", https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html (its log format example and the
 *   messages `aws logs get-log-events` returns, tabs and newline included);
 * - INIT_START, once per new execution environment: "Identifying Lambda runtime version changes",
 *   https://docs.aws.amazon.com/lambda/latest/dg/runtime-management-identify.html.
 * The figures in them (durations, memory) are given typical widths; a digit more or less is a byte.
 *
 * CloudWatch Logs bills ingestion per GB of log data. The only per-event figure AWS documents is the
 * 26 bytes PutLogEvents counts per event against its 1 MB batch limit (API reference, PutLogEvents), a
 * quota, not a billing rule: it is not added here (bench/cost-model.ts prints what it would add).
 */

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');
const REQUEST_ID = '4ce9340a-b765-490f-ad8a-02ab3415e2bf'; // a UUID, as every request id
const TRACE = 'XRAY TraceId: 1-5d9d007f-0a8c7fd02xmpl480aed55ef0\tSegmentId: 3d752xmpl1bbe37e\tSampled: true\t';
const RUNTIME_ARN = `arn:aws:lambda:eu-central-1::runtime:${'0'.repeat(64)}`;
/** Per AWS documentation: the 26 bytes PutLogEvents counts per event (a batch-size quota, not billed as far as documented). */
export const PUT_LOG_EVENTS_OVERHEAD = 26;

/** The lines Lambda writes for one invocation (text format), as the messages of their log events. */
export function platformLines(options: { coldStart: boolean; traced: boolean }): string[] {
  const report =
    `REPORT RequestId: ${REQUEST_ID}\tDuration: 45.67 ms\tBilled Duration: 46 ms \tMemory Size: 512 MB\tMax Memory Used: 98 MB\t` +
    (options.coldStart ? 'Init Duration: 312.45 ms\t' : '') +
    (options.traced ? TRACE : '');
  return [
    ...(options.coldStart ? [`INIT_START Runtime Version: nodejs:24.v12\tRuntime Version ARN: ${RUNTIME_ARN}\n`] : []),
    `START RequestId: ${REQUEST_ID} Version: $LATEST\n`,
    `END RequestId: ${REQUEST_ID}\n`,
    `${report}\n`,
  ];
}

/** Bytes of Lambda's lines for one invocation of a warm environment. */
export const platformBytes = (traced: boolean) => platformLines({ coldStart: false, traced }).reduce((sum, line) => sum + utf8(line), 0);
/** What an environment's first invocation adds: the INIT_START line and REPORT's Init Duration field. */
export const coldStartBytes = () => platformLines({ coldStart: true, traced: false }).reduce((sum, line) => sum + utf8(line), 0) - platformBytes(false);
/** Log events of one invocation's own lines (INIT_START not counted). */
export const PLATFORM_EVENTS = 3;

/**
 * The CloudFormation name of a house function (infra/constructs/house-function.ts: no explicit name):
 * `<stack>-<logical id>-<random suffix>`, the logical id being the construct path (`sendDue/Function`) and an
 * 8-character hash, the whole at most 64 characters. Locally the function is called by its manifest name.
 */
export function awsFunctionName(fn: string, stackName = 'Ankieta'): string {
  return `${stackName}-${fn}Function1A2B3C4D-AbCdEfGhIjKl`.slice(0, 64);
}

/** An X-Ray trace id as Lambda's _X_AMZN_TRACE_ID carries it on every invocation, sampled or not. */
export const TRACE_HEADER = 'Root=1-5d02e5ca-f5792818b6fe8368e5b51d50;Parent=191db58857df8395;Sampled=0';

/**
 * One line our handlers wrote locally, as it would read on AWS: the logger's function name
 * (functions/shared/logger.ts, from the invocation's context) is the local runtime's short one
 * (local/lambda-context.ts), so it is replaced by the deployed function's. Other lines (EMF metrics) are as written.
 */
export function asOnAws(line: string): string {
  const trimmed = line.endsWith('\n') ? line.slice(0, -1) : line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry.function_name !== 'string') return line;
  return `${JSON.stringify({ ...entry, function_name: awsFunctionName(entry.function_name) })}\n`;
}

/** Bytes of a line as CloudWatch Logs receives it (UTF-8). */
export const lineBytes = utf8;
