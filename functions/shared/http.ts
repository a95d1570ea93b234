/**
 * Helpers for handlers behind the HTTP API (payload format 2.0): body decoding with a size limit,
 * responses with security headers, and one mapper from errors to status codes (no stack traces or
 * error objects ever reach a caller).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { logger } from '#functions/shared/logger.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Requests larger than this are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

export function rawBody(event: HttpEvent, maxBytes = MAX_BODY_BYTES): string {
  if (!event.body) return '';
  const buffer = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (buffer.byteLength > maxBytes) throw new HttpError(413, `request body is larger than ${maxBytes} bytes`);
  return buffer.toString('utf8');
}

export function jsonBody(event: HttpEvent, maxBytes?: number): unknown {
  const text = rawBody(event, maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

export function formBody(event: HttpEvent, maxBytes = 16 * 1024): URLSearchParams {
  return new URLSearchParams(rawBody(event, maxBytes));
}

export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers },
    body: JSON.stringify(body),
  };
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Survey pages: strict CSP (inline script only with this response's nonce), no referrer, no framing, no caching. */
export function html(statusCode: number, body: string, nonce: string): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    },
    body,
  };
}

/** The one place errors become HTTP answers: HttpErrors keep their status and message, the rest is a 500. */
export function errorResult(error: unknown): HttpResult {
  if (error instanceof HttpError) return json(error.statusCode, { error: error.message, ...(error.details ? { details: error.details } : {}) });
  logger.error('unhandled error', { error: error as Error });
  return json(500, { error: 'internal error; it has been logged' });
}
