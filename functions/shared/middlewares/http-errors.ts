/**
 * middy middleware: the one place an HTTP handler's errors become answers. HttpErrors keep their
 * status and message, anything else is logged and answered 500 (no stack trace ever reaches a
 * caller). `map` lets a handler answer some errors its own way (a localized page instead of JSON).
 */
import type middy from '@middy/core';
import { errorResult, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';

export interface HttpErrorsOptions {
  /** An answer of the handler's own for this error, or undefined for the default mapping. */
  map?: (error: unknown, event: HttpEvent) => HttpResult | undefined;
}

export function httpErrors(options: HttpErrorsOptions = {}): middy.MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: async (request) => {
      if (request.response !== undefined) return;
      request.response = options.map?.(request.error, request.event) ?? errorResult(request.error);
    },
  };
}
