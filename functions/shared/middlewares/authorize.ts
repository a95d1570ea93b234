/**
 * middy middleware: the role each leads' route needs (its `role` in functions/manifest.ts HTTP_ROUTES),
 * checked before the handler runs, so handlers never repeat it. A route without a signed-in caller is a
 * 401, a caller without the role a 403 (the house's HttpErrors, mapped by httpErrors()). 'iam' routes
 * were checked by API Gateway against the caller's IAM policy; 'public' routes need nobody.
 */
import type { MiddlewareObj } from '@middy/core';
import { HTTP_ROUTES, type HttpRoute } from '#functions/manifest.ts';
import type { HttpEvent, HttpResult } from '#functions/shared/http.ts';
import { principalOf, requireRole } from '#functions/shared/principal.ts';

const ROUTES = new Map<string, HttpRoute>(HTTP_ROUTES.map((r) => [`${r.method} ${r.path}`, r]));

/** The route table entry of an event's routeKey ("GET /api/alerts"), if any. */
export const routeOf = (routeKey: string): HttpRoute | undefined => ROUTES.get(routeKey);

export function authorize(): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    before: (request) => {
      const route = routeOf(request.event.routeKey);
      if (route?.auth === 'jwt') requireRole(principalOf(request.event), route.role);
    },
  };
}
