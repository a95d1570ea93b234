/**
 * Rejected input for admins (role admin in functions/manifest.ts; payload reads and replays audited): list it (newest first, never a payload),
 * count it by reason (the dashboard), read one item (its payload only with `?include=payload`: it may
 * name customers), and replay one once its cause is fixed (surveys/quarantine/replay.ts).
 * Parse (zod) → one use case or store call → JSON. Pages follow the exports' convention: `?cursor=`,
 * answered with `Link: <…>; rel="next"` and `x-next-cursor`.
 */
import middy from '@middy/core';
import * as z from '#surveys/zod.ts';
import { type QuarantinedItem, summarize } from '#surveys/quarantine/model.ts';
import { replayQuarantined } from '#surveys/quarantine/replay.ts';
import { DAY_SECONDS, QUARANTINE_DAYS } from '#functions/adapters/dynamodb/retention.ts';
import { decodeCursor, encodeCursor, QUARANTINE_ID } from '#functions/adapters/dynamodb/quarantine-ids.ts';
import { quarantineStore, replayDeps, systemClock } from '#functions/shared/deps.ts';
import { HttpError, json, jsonBody, type HttpEvent, type HttpResult } from '#functions/shared/http.ts';
import { describeIssues } from '#functions/shared/issues.ts';
import { httpErrors } from '#functions/shared/middlewares/http-errors.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { audit } from '#functions/shared/audit.ts';
import { authorize } from '#functions/shared/middlewares/authorize.ts';
import { principalOf } from '#functions/shared/principal.ts';

const listQuery = z.object({
  source: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  since: z.optional(
    z.pipe(
      z.union([z.iso.datetime({ offset: true }), z.iso.date()], 'must be a date (yyyy-mm-dd) or an ISO time'),
      z.transform((t: string) => new Date(t).toISOString()),
    ),
  ),
  cursor: z.optional(
    z.pipe(
      z.string().check(z.maxLength(400)),
      z.transform((text: string, ctx) => {
        const cursor = decodeCursor(text);
        if (!cursor) ctx.issues.push({ code: 'custom', message: 'not a cursor this API gave out', input: text });
        return cursor ?? z.NEVER;
      }),
    ),
  ),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
});
const idParam = z.object({ id: z.string().check(z.regex(QUARANTINE_ID, 'not a quarantine id')) });
const itemQuery = z.object({ include: z.optional(z.literal('payload', 'include takes only "payload"')) });
/** The replay takes no options: an empty body or {}. */
const replayBody = z.strictObject({});

/** An item as listed: DESIGN.md's `{ id, source, reason, at, size }`, with `receivedAt` (= at) and the replay state. */
function parse<T extends z.ZodMiniType>(schema: T, input: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new HttpError(400, `invalid ${what}`, describeIssues(parsed.error));
  return parsed.data;
}

function listed(item: QuarantinedItem) {
  return {
    id: item.id,
    source: item.source,
    reason: item.reason,
    at: item.receivedAt,
    receivedAt: item.receivedAt,
    size: item.size ?? null,
    ...(item.truncated ? { truncated: true } : {}),
    replay: item.replay ?? null,
  };
}

function readablePayload(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? 'null');
  } catch {
    return text; // cut to fit the table: shown as the text it is
  }
}

async function list(event: HttpEvent): Promise<HttpResult> {
  const q = parse(listQuery, event.queryStringParameters, 'query');
  const page = await quarantineStore().list(q, systemClock());
  if (!page.next) return json(200, page.items.map(listed));
  const next = encodeCursor(page.next);
  const params = new URLSearchParams(
    Object.entries(event.queryStringParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'cursor'),
  );
  params.set('cursor', next);
  return json(200, page.items.map(listed), { link: `<${event.rawPath}?${params}>; rel="next"`, 'x-next-cursor': next });
}

async function quarantineApi(event: HttpEvent): Promise<HttpResult> {
  switch (event.routeKey) {
    case 'GET /api/quarantine':
      return list(event);
    case 'GET /api/quarantine/stats': {
      const now = systemClock();
      const since = new Date(now.getTime() - QUARANTINE_DAYS * DAY_SECONDS * 1000).toISOString();
      const items: QuarantinedItem[] = [];
      for await (const item of quarantineStore().since(since, now)) items.push(item);
      return json(200, { ...summarize(items, QUARANTINE_DAYS), replayed: items.filter((i) => i.replay).length });
    }
    case 'GET /api/quarantine/{id}': {
      const { id } = parse(idParam, event.pathParameters, 'path');
      const { include } = parse(itemQuery, event.queryStringParameters, 'query');
      const item = await quarantineStore().get(id, { payload: include === 'payload' });
      if (!item) throw new HttpError(404, 'no such quarantined item (items are kept 14 days)');
      if (include === 'payload') await audit(principalOf(event), 'quarantine-payload', id); // who read personal data, and when
      return json(200, { ...listed(item), ...(include === 'payload' ? { payload: readablePayload(item.payload) } : {}) });
    }
    case 'POST /api/quarantine/{id}/replay': {
      const { id } = parse(idParam, event.pathParameters, 'path');
      parse(replayBody, event.body ? jsonBody(event, 1024) : {}, 'body');
      const answer = await replayQuarantined(id, replayDeps());
      if (answer.status === 'not-found') throw new HttpError(404, 'no such quarantined item (items are kept 14 days)');
      if (answer.status === 'unreplayable') return json(409, { error: `not replayable: ${answer.reason}` });
      if (!answer.repeated) await audit(principalOf(event), 'quarantine-replay', id, answer.replay.result);
      logger.info('quarantine replayed', { quarantineId: id, source: answer.source, result: answer.replay.result, repeated: answer.repeated });
      return json(200, answer);
    }
    default:
      throw new HttpError(404, `no route ${event.routeKey}`);
  }
}

export const handler = middy(quarantineApi).use(injectLambdaContext(logger)).use(httpErrors()).use(authorize()).use(contactHashKey());
