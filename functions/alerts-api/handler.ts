/**
 * Alerts for support leads (signed in; roles in functions/manifest.ts): list them, acknowledge (the
 * signed-in lead becomes the owner), resolve (note, root cause), statistics, and a customer's health
 * (churn risk with reasons and history). Acks and resolves are audited.
 */
import middy from '@middy/core';
import * as z from '#surveys/zod.ts';
import { ALL_TEAMS, teamView } from '#surveys/alert-teams.ts';
import { ALERT_STATUSES, ROOT_CAUSES, type Alert } from '#surveys/model.ts';
import { WINDOWS, type Window } from '#surveys/aggregation.ts';
import { acknowledgeAlert, readAlertStatistics, resolveAlert, type LifecycleOutcome } from '#surveys/use-cases/alert-lifecycle.ts';
import { readHealth } from '#surveys/use-cases/track-health.ts';
import { alertRules, churnModel, healthStore } from '#functions/shared/alerts.ts';
import { alertStore, systemClock } from '#functions/shared/deps.ts';
import { env } from '#functions/shared/env.ts';
import { HttpError, json, jsonBody, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';
import { describeIssues } from '#functions/shared/issues.ts';
import { audit } from '#functions/shared/audit.ts';
import { ownerOf, principalOf } from '#functions/shared/principal.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { emitMetrics, recordSeconds } from '#functions/shared/metrics.ts';
import { authorize } from '#functions/shared/middlewares/authorize.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

const listQuery = z.object({
  status: z.optional(z.enum(ALERT_STATUSES)),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  // A team's name, or `all`; absent: the caller's own team (surveys/alert-teams.ts).
  team: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
});
const statsQuery = z.object({ window: z._default(z.enum(Object.keys(WINDOWS) as [Window, ...Window[]]), '30d') });
const owner = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
// `owner` in the body: only machine clients (an integration acting for a named person); a person is their own owner.
const ackBody = z.object({ owner: z.optional(owner) });
const resolveBody = z.object({ note: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)), rootCause: z.enum(ROOT_CAUSES), owner: z.optional(owner) });
const idParam = z.object({ id: z.string().check(z.minLength(1), z.maxLength(300)) });

function parse<T extends z.ZodMiniType>(schema: T, input: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new HttpError(400, `invalid ${what}`, describeIssues(parsed.error));
  return parsed.data;
}

/** An alert as the API shows it: the DESIGN.md fields and the context, without the sweep's bookkeeping. */
function view(alert: Alert) {
  const { notifyClaimAt: _claim, dueAt: _due, ...rest } = alert;
  return rest;
}

function lifecycleResult(outcome: LifecycleOutcome): HttpResult {
  if (outcome.status === 'not-found') throw new HttpError(404, 'no such alert');
  if (outcome.status === 'conflict') return json(409, { error: outcome.reason, alert: view(outcome.alert) });
  return json(200, view(outcome.alert));
}

async function alertsApi(event: HttpEvent): Promise<HttpResult> {
  const lifecycle = { alerts: alertStore(), now: systemClock, rules: alertRules() };
  switch (event.routeKey) {
    case 'GET /api/alerts': {
      const q = parse(listQuery, event.queryStringParameters, 'query');
      const teams = teamView(q.team, principalOf(event).team);
      return json(200, (await alertStore().listAlerts(q.status, q.limit, teams)).map(view), {
        'x-team-view': encodeURIComponent(teams.kind === 'all' ? ALL_TEAMS : teams.team),
      });
    }
    case 'GET /api/alerts/stats': {
      const q = parse(statsQuery, event.queryStringParameters, 'query');
      const to = systemClock();
      const from = new Date(to.getTime() - WINDOWS[q.window] * 24 * 3600_000);
      return json(200, { window: q.window, ...(await readAlertStatistics({ from: from.toISOString(), to: to.toISOString() }, lifecycle)) });
    }
    case 'POST /api/alerts/{id}/ack': {
      const { id } = parse(idParam, event.pathParameters, 'path');
      const body = parse(ackBody, jsonBody(event, 16 * 1024), 'body');
      const caller = principalOf(event);
      const outcome = await acknowledgeAlert(id, { owner: ownerOf(caller, body.owner) ?? caller.name }, lifecycle);
      if (outcome.status === 'ok') await audit(caller, 'ack', id);
      logger.info('alert acknowledged', { alertId: id, outcome: outcome.status });
      if (outcome.status === 'ok' && outcome.alert.ackedAt)
        recordSeconds('timeToAcknowledge', (Date.parse(outcome.alert.ackedAt) - Date.parse(outcome.alert.createdAt)) / 1000);
      return lifecycleResult(outcome);
    }
    case 'POST /api/alerts/{id}/resolve': {
      const { id } = parse(idParam, event.pathParameters, 'path');
      const body = parse(resolveBody, jsonBody(event, 16 * 1024), 'body');
      const caller = principalOf(event);
      const outcome = await resolveAlert(id, { ...body, owner: ownerOf(caller, body.owner) }, lifecycle);
      if (outcome.status === 'ok') await audit(caller, 'resolve', id, body.rootCause);
      logger.info('alert resolved', { alertId: id, outcome: outcome.status, rootCause: body.rootCause });
      return lifecycleResult(outcome);
    }
    case 'GET /api/customers/{id}/health': {
      const { id } = parse(idParam, event.pathParameters, 'path');
      const health = await readHealth(id, { health: healthStore(), now: systemClock, model: churnModel(), language: env().alerts.language });
      if (!health) throw new HttpError(404, 'no health profile for this customer yet');
      return json(200, health);
    }
    default:
      throw new HttpError(404, `no route ${event.routeKey}`);
  }
}

export const handler = middy(alertsApi).use(injectLambdaContext(logger)).use(httpErrors()).use(authorize()).use(contactHashKey()).use(emitMetrics());
