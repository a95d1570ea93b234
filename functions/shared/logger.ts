/**
 * The one logger of every function: one JSON line per entry on stdout, with the fields Powertools
 * Logger wrote (level, message, timestamp, service, the invocation's function name, request id, cold
 * start, X-Ray trace id) and the entry's attributes at the top level, so Logs Insights queries stay as
 * they were. Not its `function_arn` and `function_memory_size`: the log group names the function and its
 * configuration gives both, and on every line they were a third of the bytes Logs bills (docs/cost.md). Written here instead of Powertools Logger for the 400 KB budget (~21 KB of every bundle;
 * README "Design decisions"); test/unit/logger.test.ts checks it against Powertools' output.
 * Log ids and outcomes, never e-mail addresses, phones or comments.
 *
 * Level: POWERTOOLS_LOG_LEVEL, else Lambda's own (AWS_LAMBDA_LOG_LEVEL, advanced logging controls),
 * else LOG_LEVEL, else INFO; SILENT writes nothing.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
export type LogLevel = keyof typeof LEVELS;
type Attributes = Record<string, unknown>;

const levelOf = (name: string | undefined): LogLevel | undefined => {
  const upper = name?.toUpperCase();
  return upper && upper in LEVELS ? (upper as LogLevel) : undefined;
};

/** An Error as Powertools writes one: name, where it was thrown (the first `(file:line:column)` frame), message, stack, cause, own fields. */
function errorJson(error: Error): Attributes {
  const frame = (error.stack ?? '')
    .split('\n')
    .map((line) => /\(([^()]*?):(\d+?):(\d+?)\)\\?$/.exec(line))
    .find(Boolean);
  const own = Object.fromEntries(Object.entries(error).filter(([key]) => !['name', 'message', 'stack', 'cause'].includes(key)));
  return {
    name: error.name,
    location: frame ? `${frame[1]}:${Number(frame[2])}` : '',
    message: error.message,
    stack: error.stack,
    cause: error.cause instanceof Error ? errorJson(error.cause) : error.cause,
    ...own,
  };
}

const replacer = (_key: string, value: unknown) => (value instanceof Error ? errorJson(value) : typeof value === 'bigint' ? value.toString() : value);

export class Logger {
  private level: LogLevel;
  private context: Attributes = {};
  private coldStart = true;

  constructor(private readonly serviceName: string) {
    const env = process.env;
    this.level = levelOf(env.POWERTOOLS_LOG_LEVEL) ?? levelOf(env.AWS_LAMBDA_LOG_LEVEL) ?? levelOf(env.LOG_LEVEL) ?? 'INFO';
  }

  setLogLevel(level: LogLevel): void {
    this.level = level;
  }

  debug(message: string, attributes?: Attributes): void {
    this.write('DEBUG', message, attributes);
  }
  info(message: string, attributes?: Attributes): void {
    this.write('INFO', message, attributes);
  }
  warn(message: string, attributes?: Attributes): void {
    this.write('WARN', message, attributes);
  }
  error(message: string, attributes?: Attributes): void {
    this.write('ERROR', message, attributes);
  }

  /** The invocation's fields on every entry until the next one; the first invocation of a container is the cold start. */
  addContext(context: Context): void {
    this.context = {
      cold_start: this.coldStart,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
    };
    this.coldStart = false;
  }

  private write(level: LogLevel, message: string, attributes: Attributes = {}): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    const traceId = process.env._X_AMZN_TRACE_ID?.match(/Root=([^;]+)/)?.[1];
    const entry = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.serviceName,
      ...this.context,
      ...(traceId ? { xray_trace_id: traceId } : {}),
      ...attributes,
    };
    process.stdout.write(`${JSON.stringify(entry, replacer)}\n`);
  }
}

export const logger = new Logger(process.env.POWERTOOLS_SERVICE_NAME ?? 'ankieta');

/** middy: the invocation's context on every entry the handler writes (Powertools' injectLambdaContext). */
export function injectLambdaContext(target: Logger): MiddlewareObj {
  return {
    before: (request) => {
      target.addContext(request.context as Context);
    },
  };
}
