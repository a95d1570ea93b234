/**
 * The edges under random input, as checks shared by the CI properties (test/fuzz/*.test.ts) and the
 * long run (bench/fuzz.ts). Each edge calls the real handler the way AWS would (an API Gateway event,
 * an SNS event) or the real import script, on DynamoDB Local, and judges one input:
 *   crash — a 5xx, an exception out of the handler, or anything else than the contract's answers;
 *   lost  — a valid entry that was neither processed nor refused (its invitation, marker, answer,
 *           suppression, kept reply or imported row is not in the table);
 *   wrong — a refusal that does not say what the contract says (the field, the status).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { BatchGetCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { DynamoContactStore } from '../../functions/adapters/dynamodb/contact-store.ts';
import { surveyPorts, type SurveyPorts } from './stores.ts';
import { HistoryImportStore } from '../../functions/adapters/dynamodb/history-import.ts';
import { snsEventOf } from '../../functions/adapters/sns/sns-event.ts';
import { localContext } from '../../local/lambda-context.ts';
import { runImport } from '../../scripts/import-history.ts';
import { parseCsv } from '../../surveys/csv.ts';
import { mapColumns, mapRow } from '../../surveys/history-import.ts';
import { isScannerUserAgent } from '../../surveys/human-evidence.ts';
import { createLinkSigner } from '../../surveys/links.ts';
import { incomingEventSchema, type IncomingEvent, type Metric } from '../../surveys/model.ts';
import { SCALES } from '../../surveys/scales.ts';
import { RESPONSE_RULES } from '../../surveys/use-cases/record-response.ts';
import { receiveEvent } from '../../surveys/use-cases/receive-event.ts';
import { sendDueInvitations } from '../../surveys/use-cases/send-due.ts';
import { emailChannel } from '../../surveys/use-cases/send-email.ts';
import { smsChannel } from '../../surveys/use-cases/send-sms.ts';
import { inboundSmsSchema, normalizePhone, readReply } from '../../surveys/use-cases/sms-reply.ts';
import { eventKey } from '../../surveys/use-cases/trigger-survey.ts';
import { hmacBase64 } from '../../surveys/webhooks/signatures.ts';
import { callHttp, type HttpHandler } from './api-gateway.ts';
import { configureFor, handlerOf } from './functions.ts';
import {
  CSV_NOW,
  csvBytes,
  csvCase,
  eventsRequest,
  linkRequest,
  polishMobile,
  smsCase,
  webhookCase,
  type CsvCase,
  type EventCase,
  type EventsRequest,
  type LinkRequest,
  type SmsCase,
  type WebhookCase,
} from './arbitraries.ts';
import { SHOPIFY_SECRET, ZENDESK_SECRET, shopifyOrderFulfilled, shopifyRefundCreated, zendeskTicket, zendeskTimestamp } from './webhooks.ts';
import { SHOPIFY_SOURCE } from '../../surveys/webhooks/shopify.ts';

export interface Verdict {
  /** A short name of what happened, for the per-edge statistics. */
  outcome: string;
  crash?: string;
  lost?: string;
  wrong?: string;
}

export interface FuzzEdge<T> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  check(input: T): Promise<Verdict>;
}

export interface FuzzWorld {
  endpoint: string;
  tableName: string;
  doc: DynamoDBDocumentClient;
}

/**
 * Time a fuzz test may take: its 200 runs take 17-43 s on 2 cores, and once took 108 s of a 120 s limit
 * at load 10, so the limit leaves room for a busy CI machine; the runs themselves are never cut.
 */
export const FUZZ_TIMEOUT_MS = 300_000;

export const LINK_SECRET = 'fuzz-link-secret-0123456789abcdef0123';

/** Points the handlers at the world's table, with the webhook secrets of test/support/webhooks.ts. Call before importing a handler. */
export async function configureHandlers(world: FuzzWorld): Promise<void> {
  configureFor(world, { LINK_SECRET, SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET, SURVEY_DELAY_SCALE: '0.000001' });
}

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error).slice(0, 300));

async function exists(world: FuzzWorld, key: { pk: string; sk: string }): Promise<boolean> {
  const { Item } = await world.doc.send(new GetCommand({ TableName: world.tableName, Key: key, ConsistentRead: true, ProjectionExpression: 'pk' }));
  return Item !== undefined;
}

/** Is the accepted event's effect in the table: the invitation it names, or its dedupe marker? */
async function recorded(
  world: FuzzWorld,
  store: SurveyPorts,
  event: IncomingEvent,
  result: { outcome?: string; invitationId?: string },
): Promise<string | undefined> {
  const triggers = ['scheduled', 'skipped', 'merged', 'duplicate'];
  const cancels = ['cancelled', 'nothing-pending', 'duplicate'];
  const allowed = event['detail-type'] === 'order.delivered' || event['detail-type'] === 'ticket.solved' ? triggers : cancels;
  if (!allowed.includes(result.outcome ?? '')) return `outcome ${result.outcome} is not one of ${allowed.join(', ')}`;
  if (result.invitationId && !(await store.getInvitation(result.invitationId)))
    return `invitation ${result.invitationId} (${result.outcome}) is not in the table`;
  if (!(await exists(world, keys.event(eventKey(event))))) return `no dedupe marker for ${event.source}#${event.detail.eventId}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// POST /events
// ---------------------------------------------------------------------------------------------

export async function eventsEdge(world: FuzzWorld): Promise<FuzzEdge<EventsRequest>> {
  await configureHandlers(world);
  const handler = await handlerOf<HttpHandler>('ingest-events');
  const store = surveyPorts(world.doc, world.tableName);
  type Answer = {
    accepted: number;
    rejected: number;
    results: Array<{ index: number; status: number; outcome?: string; invitationId?: string; errors?: string[] }>;
  };

  return {
    name: 'POST /events',
    arbitrary: eventsRequest,
    async check(request) {
      const body =
        request.shape === 'raw' ? request.body : JSON.stringify(request.shape === 'one' ? request.entries[0].entry : request.entries.map((e) => e.entry));
      const contentType = request.shape === 'raw' ? request.contentType : 'application/json';
      let answer: Awaited<ReturnType<typeof callHttp<Answer>>>;
      try {
        answer = await callHttp<Answer>(handler, 'ingestEvents', {
          method: 'POST',
          route: '/events',
          path: '/events',
          headers: { 'content-type': contentType },
          body,
        });
      } catch (error) {
        return { outcome: 'threw', crash: `the handler threw ${describeError(error)}` };
      }
      if (answer.status >= 500) return { outcome: `${answer.status}`, crash: `${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}` };
      if (request.shape === 'raw') {
        return answer.status === request.expect
          ? { outcome: `raw ${answer.status}` }
          : { outcome: `raw ${answer.status}`, wrong: `a raw body answered ${answer.status}, not ${request.expect}` };
      }

      const entries: EventCase[] = request.entries;
      const results = answer.body?.results ?? [];
      if (results.length !== entries.length) return { outcome: `${answer.status}`, lost: `${entries.length} entries, ${results.length} results` };
      const lost: string[] = [];
      const wrong: string[] = [];
      let anyValid = false;
      for (const [i, c] of entries.entries()) {
        const result = results[i]!;
        const parsed = incomingEventSchema.safeParse(c.entry);
        // Junk is judged by the schema; valid and broken entries by what the generator made them.
        const valid = c.kind === 'valid' || (c.kind === 'junk' && parsed.success);
        if (c.kind === 'valid' && !parsed.success) {
          lost.push(`entry ${i}, valid by the contract, refused: ${JSON.stringify(result.errors)}`);
          continue;
        }
        if (valid) {
          anyValid = true;
          if (result.status !== 202) lost.push(`entry ${i} (valid) answered ${result.status}: ${JSON.stringify(result.errors ?? result)}`);
          else {
            const missing = await recorded(world, store, parsed.data!, result);
            if (missing) lost.push(`entry ${i}: ${missing}`);
          }
          continue;
        }
        if (result.status !== 400) wrong.push(`entry ${i} (${c.mutation ?? 'junk'}) answered ${result.status}`);
        else if (!result.errors?.length) wrong.push(`entry ${i} (${c.mutation ?? 'junk'}) refused without errors`);
        else if (c.field && !result.errors.some((e) => e.startsWith(`${c.field}:`)))
          wrong.push(`entry ${i} (${c.mutation}) refused without naming ${c.field}: ${JSON.stringify(result.errors)}`);
      }
      if ((answer.status === 202) !== anyValid) wrong.push(`answered ${answer.status} with ${anyValid ? 'a' : 'no'} valid entry`);
      return {
        outcome: `${answer.status} ${entries.length === 1 ? 'one' : 'several'}`,
        ...(lost.length ? { lost: lost.join('; ') } : {}),
        ...(wrong.length ? { wrong: wrong.join('; ') } : {}),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// POST /webhooks/{source}
// ---------------------------------------------------------------------------------------------

function signature(good: string, signing: 'good' | 'tampered' | 'other-secret' | 'missing' | 'garbage', other: () => string): string | undefined {
  if (signing === 'good') return good;
  if (signing === 'tampered') return `${good[0] === 'A' ? 'B' : 'A'}${good.slice(1)}`;
  if (signing === 'other-secret') return other();
  if (signing === 'garbage') return 'sha256=not-a-mac';
  return undefined;
}

function webhookHeaders(c: Exclude<WebhookCase, { source: 'unknown' }>, now: Date): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const set = (name: string, value: string | undefined) => void (value !== undefined && (headers[name] = value));
  if (c.source === 'shopify') {
    set('x-shopify-topic', c.topic);
    set('x-shopify-shop-domain', c.shop);
    set('x-shopify-event-id', c.eventId);
    set(
      'x-shopify-hmac-sha256',
      signature(hmacBase64(SHOPIFY_SECRET, c.body), c.signing, () => hmacBase64('another-secret', c.body)),
    );
    return headers;
  }
  const timestamp =
    c.skewSeconds === 'missing'
      ? undefined
      : c.skewSeconds === 'garbage'
        ? 'Tue, 32 Foo 2026'
        : zendeskTimestamp(new Date(now.getTime() - c.skewSeconds * 1000));
  set('x-zendesk-account-id', '12514403');
  set('x-zendesk-webhook-invocation-id', c.invocationId);
  set('x-zendesk-webhook-signature-timestamp', timestamp);
  set(
    'x-zendesk-webhook-signature',
    signature(hmacBase64(ZENDESK_SECRET, timestamp ?? '', c.body), c.signing, () => hmacBase64('another-secret', timestamp ?? '', c.body)),
  );
  return headers;
}

/** The status the contract gives a webhook request, when it follows from the request alone. */
function expectedWebhookStatus(c: WebhookCase): number | undefined {
  if (c.source === 'unknown') return 404;
  if (c.signing !== 'good') return 401;
  if (c.source === 'zendesk') {
    if (c.skewSeconds === 'missing' || c.skewSeconds === 'garbage' || Math.abs(c.skewSeconds) > 300) return 401;
    if (!c.invocationId) return 400;
    return c.kind === 'valid-solved' || c.kind === 'valid-reopened' ? 200 : undefined;
  }
  if (c.kind === 'other-topic') return 200; // acknowledged, ignored
  // A valid delivery is accepted: its dedupe key comes from the signed body (topic, id, updated_at), so the
  // unsigned X-Shopify-Event-Id may be absent; a shop domain no shop can have is left to the handler's judgement.
  const sane = c.shop === undefined || c.shop.length <= 200;
  return (c.kind === 'valid-order' || c.kind === 'valid-refund') && sane ? 200 : undefined;
}

export async function webhooksEdge(world: FuzzWorld): Promise<FuzzEdge<WebhookCase>> {
  await configureHandlers(world);
  const handler = await handlerOf<HttpHandler>('webhooks');
  const store = surveyPorts(world.doc, world.tableName);
  type Answer = { status?: string; outcome?: string; invitationId?: string; eventId?: string; errors?: string[]; error?: string };

  return {
    name: 'POST /webhooks/{source}',
    arbitrary: webhookCase((t) => zendeskTicket(t), shopifyOrderFulfilled, shopifyRefundCreated),
    async check(c) {
      const now = new Date();
      const name = c.source === 'unknown' ? c.name : c.source;
      let answer: Awaited<ReturnType<typeof callHttp<Answer>>>;
      try {
        answer = await callHttp<Answer>(handler, 'webhooks', {
          method: 'POST',
          route: '/webhooks/{source}',
          path: `/webhooks/${encodeURIComponent(name)}`,
          pathParameters: { source: name },
          headers: c.source === 'unknown' ? { 'content-type': 'application/json' } : webhookHeaders(c, now),
          body: c.body,
        });
      } catch (error) {
        return { outcome: 'threw', crash: `the handler threw ${describeError(error)}` };
      }
      const outcome = `${c.source}${c.source === 'unknown' ? '' : ` ${c.kind}`} ${answer.status}${answer.body?.status ? ` ${answer.body.status}` : ''}`;
      if (answer.status >= 500) return { outcome, crash: `${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}` };
      const expected = expectedWebhookStatus(c);
      if (expected === 200 && c.source !== 'unknown' && c.kind.startsWith('valid')) {
        if (answer.status !== 200 || answer.body.status !== 'accepted')
          return { outcome, lost: `a valid ${c.source} ${c.kind} delivery answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}` };
      } else if (expected !== undefined && answer.status !== expected) {
        return { outcome, wrong: `expected ${expected}, answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}` };
      }
      if (![200, 202, 400, 401, 404, 413].includes(answer.status)) return { outcome, wrong: `status ${answer.status} is not in the contract` };
      if (answer.status === 202 && !(answer.body.status === 'quarantined' && answer.body.errors?.length))
        return { outcome, wrong: `202 without a quarantine reason` };
      if (answer.body?.status === 'accepted') {
        // Whatever was accepted is in the table: re-map it the way the handler did and look for its marker.
        const source = c.source === 'shopify' ? SHOPIFY_SOURCE : 'zendesk:12514403'; // Shopify's ids are unique across shops: one source
        const event = { source, detail: { eventId: String(answer.body.eventId) } } as IncomingEvent;
        if (!(await exists(world, keys.event(eventKey(event))))) return { outcome, lost: `accepted ${answer.body.eventId} but no dedupe marker` };
        if (answer.body.invitationId && !(await store.getInvitation(answer.body.invitationId)))
          return { outcome, lost: `accepted, invitation ${answer.body.invitationId} not in the table` };
      }
      return { outcome };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// SMS replies
// ---------------------------------------------------------------------------------------------

/** A fixed-offset zone where it is mid-day at `at`, so quiet hours never defer the setup's messages. */
function daytimeZone(at: Date): string {
  const offset = 13 - at.getUTCHours();
  const wrapped = ((offset + 12 + 24) % 24) - 12;
  return wrapped === 0 ? 'UTC' : `Etc/GMT${wrapped > 0 ? '-' : '+'}${Math.abs(wrapped)}`;
}

/** CSAT surveys sent by SMS two hours ago to `count` numbers (through the real use cases and adapters). */
async function smsSurveys(world: FuzzWorld, count: number): Promise<string[]> {
  const store = surveyPorts(world.doc, world.tableName);
  const contacts = new DynamoContactStore(world.doc, world.tableName);
  const sentAt = new Date(Date.now() - 2 * 3600_000);
  const now = () => sentAt;
  const numbers = fc
    .sample(polishMobile, { numRuns: count * 3, seed: 7 })
    .filter((n, i, all) => all.indexOf(n) === i)
    .slice(0, count);
  for (const [i, phone] of numbers.entries()) {
    const event: IncomingEvent = {
      source: 'fuzz.helpdesk',
      'detail-type': 'ticket.solved',
      detail: {
        eventId: `sms-setup-${i}-${phone}`,
        occurredAt: sentAt.toISOString(),
        customer: { id: `sms-${phone}`, phone, locale: 'pl-PL', timezone: daytimeZone(sentAt), consent: { sms: true } },
        ticket: { id: `t-sms-${phone}`, team: 'support' },
      },
    };
    const outcome = await receiveEvent(event, { store, suppressions: contacts, cancellations: store, now, delayScale: 0 });
    if (outcome.status !== 'scheduled') throw new Error(`SMS survey setup: ${JSON.stringify(outcome)}`);
  }
  const sent = await sendDueInvitations({
    store,
    contacts,
    channel: smsChannel({ sms: { send: async () => ({ messageId: 'sms' }) }, links: contacts, publicBaseUrl: 'https://surveys.example' }),
    links: createLinkSigner(LINK_SECRET),
    now: () => new Date(sentAt.getTime() + 1000),
    publicBaseUrl: 'https://surveys.example',
    brand: 'ankieta shop',
  });
  if (sent.sent !== numbers.length) throw new Error(`SMS survey setup sent ${sent.sent} of ${numbers.length}`);
  return numbers;
}

export async function smsEdge(world: FuzzWorld, surveys = 6): Promise<FuzzEdge<SmsCase>> {
  await configureHandlers(world);
  const numbers = await smsSurveys(world, surveys);
  const handler = (await import('../../functions/sms-inbound/handler.ts')).handler as unknown as (
    event: unknown,
    context: unknown,
  ) => Promise<Array<{ status: string; reason?: string; score?: number; commented?: boolean; invitationId?: string }>>;
  const store = surveyPorts(world.doc, world.tableName);
  const contacts = new DynamoContactStore(world.doc, world.tableName);
  const metric: Metric = 'csat';
  const { min, max } = SCALES[metric];
  const normalized = (comment: string) => comment.replace(/\r\n?/g, '\n').trim();

  return {
    name: 'SMS replies',
    arbitrary: smsCase(numbers, metric),
    async check(c) {
      const event = c.envelope === 'junk-event' ? c.junkEvent : snsEventOf(c.envelope === 'not-json' ? String(c.message) : JSON.stringify(c.message));
      const parsed = c.envelope === 'sns' ? inboundSmsSchema.safeParse(c.message) : undefined;
      // What the table says before the reply: the survey this number would answer, and its answer so far.
      const phone = parsed?.success ? normalizePhone(parsed.data.originationNumber) : undefined;
      const invitationId = phone ? await contacts.latestSmsInvitation(phone) : undefined;
      const before = invitationId ? await store.getResponse(invitationId) : undefined;
      let results: Awaited<ReturnType<typeof handler>>;
      try {
        results = await handler(event, localContext('smsInbound'));
      } catch (error) {
        return { outcome: 'threw', crash: `the handler threw ${describeError(error)}` };
      }
      const result = results[0];
      const outcome = `${result?.status}${result?.reason ? `: ${result.reason.replace(/\d+/g, 'n').slice(0, 40)}` : ''}`;
      if (!parsed?.success)
        return result?.status === 'quarantined' && results.length === 1
          ? { outcome }
          : { outcome, wrong: `not a reply, answered ${JSON.stringify(results).slice(0, 200)}` };
      if (!result) return { outcome, lost: 'no result for a reply' };
      const sms = parsed.data;

      const kept = async (reason: RegExp): Promise<Verdict> => {
        if (result.status !== 'kept' || !reason.test(result.reason ?? ''))
          return { outcome, wrong: `expected kept (${reason}), got ${JSON.stringify(result)}` };
        return (await exists(world, keys.inboundSms(sms.inboundMessageId)))
          ? { outcome }
          : { outcome, lost: `kept reply ${sms.inboundMessageId} is not in the table` };
      };
      if (!phone) return kept(/not a valid phone number/);
      const meaning = readReply(sms.messageBody, sms.messageKeyword);
      if (meaning.kind === 'stop') {
        if (result.status !== 'suppressed') return { outcome, lost: `STOP from ${phone} was ${JSON.stringify(result)}` };
        return (await exists(world, keys.suppression('sms', phone))) ? { outcome } : { outcome, lost: `STOP from ${phone} left no suppression` };
      }
      if (!invitationId) return kept(/no SMS survey was sent/);

      // The edit window (15 min from the first answer): near its end either answer is right.
      const age = before ? Date.now() - Date.parse(before.answeredAt) : 0;
      const windowMs = RESPONSE_RULES.editWindowMinutes * 60_000;
      if (before && Math.abs(age - windowMs) < 10_000) return { outcome: `${outcome} (edit window edge)` };
      const open = !before || age <= windowMs;
      const after = await store.getResponse(invitationId);

      if (meaning.kind === 'score') {
        if (meaning.score < min || meaning.score > max) return kept(/outside the csat scale/);
        if (!open && before!.score !== meaning.score) return kept(/not recorded: edit-closed/);
        const commentClosed = meaning.comment !== undefined && !open && before!.comment && before!.comment !== normalized(meaning.comment);
        if (commentClosed) return kept(/comment was not saved: edit-closed/);
        if (result.status !== 'answered' || result.score !== meaning.score)
          return { outcome, lost: `score ${meaning.score} from ${phone} was ${JSON.stringify(result)}` };
        if (after?.score !== meaning.score) return { outcome, lost: `score ${meaning.score} answered, ${after?.score} stored` };
        if (meaning.comment !== undefined && after.comment !== normalized(meaning.comment)) return { outcome, lost: `comment with the score not stored` };
        return { outcome };
      }
      if (!before) return kept(/a comment before any answer/);
      if (!open && before.comment && before.comment !== normalized(meaning.text)) return kept(/edit-closed/);
      if (result.status !== 'commented') return { outcome, lost: `comment from ${phone} was ${JSON.stringify(result)}` };
      return after?.comment === normalized(meaning.text) ? { outcome } : { outcome, lost: 'the comment is not stored' };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CSV history import
// ---------------------------------------------------------------------------------------------

export async function csvEdge(world: FuzzWorld): Promise<FuzzEdge<CsvCase>> {
  const store = new HistoryImportStore(world.doc, world.tableName);
  const dir = mkdtempSync(join(tmpdir(), 'ankieta-fuzz-csv-'));
  let run = 0;
  const REASONS = { score: /score/, time: /time/, future: /in the future/, metric: /survey type/ } as const;

  return {
    name: 'CSV import',
    arbitrary: csvCase,
    async check(c) {
      const n = ++run; // every run its own source and survey: rows never meet an earlier run's
      const file = join(dir, `history-${n % 4}.csv`);
      const bytes = csvBytes(c);
      writeFileSync(file, bytes);
      const options = { metric: c.metric, surveyId: `fuzz-${n}`, source: `fuzz-${n}`, now: CSV_NOW };
      const fileRefused = c.encoding === 'utf16le' || !c.columns.includes('score') || !c.columns.includes('time');
      let summary: Awaited<ReturnType<typeof runImport>>;
      try {
        summary = await runImport({ file, store, options });
      } catch (error) {
        const message = (error as Error).message ?? '';
        // The script's refusal of a whole file names the missing column; anything else is a crash.
        if (/^the CSV has no (score|time)/.test(message))
          return fileRefused ? { outcome: 'file refused' } : { outcome: 'file refused', lost: `a file with score and time columns refused: ${message}` };
        return { outcome: 'threw', crash: describeError(error) };
      }
      if (fileRefused)
        return { outcome: 'file imported', wrong: `a file without a score or time column (or UTF-16) was imported: ${JSON.stringify(summary).slice(0, 200)}` };

      const outcome = summary.added === 0 ? 'nothing added' : `imported${summary.refused.length ? ', some refused' : ''}`;
      const refused = summary.refused.reduce((sum, r) => sum + r.rows, 0);
      if (summary.rows !== c.rows.length) return { outcome, lost: `${c.rows.length} rows written, ${summary.rows} read` };
      if (summary.added + summary.already + summary.duplicatesInFile + refused !== summary.rows)
        return { outcome, lost: `rows do not add up: ${JSON.stringify(summary)}` };
      const valid = c.rows.filter((r) => r.kind === 'valid').length;
      const invalid = c.rows.filter((r) => r.kind === 'invalid');
      if (refused < invalid.length) return { outcome, wrong: `${invalid.length} bad rows, ${refused} refused` };
      if (summary.added + summary.duplicatesInFile < valid)
        return { outcome, lost: `${valid} good rows, ${summary.added} added and ${summary.duplicatesInFile} repeated` };
      for (const r of invalid) {
        if (!summary.refused.some((s) => REASONS[r.reason!].test(s.reason)))
          return { outcome, wrong: `a row bad for its ${r.reason} is not in the refusals ${JSON.stringify(summary.refused)}` };
      }

      // The good rows are in the ledger and in the score pages of this run's survey.
      const records = parseCsv(bytes.toString('utf8'));
      const map = mapColumns(records[0]!);
      const ids = new Map<string, { day: string; metric: Metric }>();
      for (const [i, record] of records.slice(1).entries()) {
        const mapped = mapRow(record, map, options);
        if (mapped.ok) ids.set(mapped.answer.id, { day: mapped.answer.answeredAt.slice(0, 10), metric: mapped.answer.metric });
        else if (c.rows[i]?.kind === 'valid') return { outcome, lost: `good row ${i} does not map back from the file: ${mapped.reason}` };
      }
      // Each (metric, day) ledger lists the hash of every row counted that day (functions/adapters/dynamodb/history-import.ts).
      const ledger = new Set<string>();
      const days = [...new Set([...ids.values()].map((v) => `${v.metric}|${v.day}`))].map((d) => d.split('|') as [Metric, string]);
      for (let i = 0; i < days.length; i += 100) {
        const out = await world.doc.send(
          new BatchGetCommand({
            RequestItems: { [world.tableName]: { Keys: days.slice(i, i + 100).map(([metric, day]) => keys.importLedger(metric, day)), ConsistentRead: true } },
          }),
        );
        for (const item of out.Responses?.[world.tableName] ?? [])
          for (const row of (item.rows as Set<string>) ?? []) ledger.add(`${item.metric}|${item.day}|${row}`);
      }
      const missing = [...ids].filter(([id, v]) => !ledger.has(`${v.metric}|${v.day}|${id.slice(4, 20)}`));
      if (missing.length) return { outcome, lost: `${missing.length} imported rows have no ledger item` };
      let counted = 0;
      const pages = [...new Set([...ids.values()].map((v) => `${v.metric}|${v.day}`))].map((page) => {
        const [metric, day] = page.split('|') as [Metric, string];
        return keys.bucket({ metric, dimension: 'survey', day, page: 0 });
      });
      for (let i = 0; i < pages.length; i += 100) {
        const out = await world.doc.send(new BatchGetCommand({ RequestItems: { [world.tableName]: { Keys: pages.slice(i, i + 100), ConsistentRead: true } } }));
        for (const item of out.Responses?.[world.tableName] ?? []) {
          for (const [name, count] of Object.entries(item)) if (name.endsWith(`:${options.surveyId}`) && typeof count === 'number') counted += count;
        }
      }
      if (counted !== summary.added) return { outcome, lost: `${summary.added} rows added, ${counted} counted in the score pages` };
      return { outcome };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Survey links (the CI property is test/e2e/respond-fuzz.test.ts, over HTTP; this one calls the handler)
// ---------------------------------------------------------------------------------------------

/** Exactly what a person's page sends: the one request allowed to write, left out of the property. */
function isPersonAnswer(r: LinkRequest, token: string): boolean {
  if (r.method !== 'POST' || r.comment || r.token !== token || typeof r.body !== 'string') return false;
  const site = r.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') return false;
  if (r.headers.origin && r.headers.origin !== 'null' && r.headers.origin !== 'http://localhost:3000') return false;
  if (isScannerUserAgent(r.headers['user-agent'])) return false;
  const form = new URLSearchParams(r.body);
  return ['button', 'interaction'].includes(form.get('evidence') ?? '') && /^\d{1,2}$/.test(form.get('score') ?? '') && Number(form.get('score')) <= 10;
}

export async function respondEdge(world: FuzzWorld): Promise<FuzzEdge<LinkRequest>> {
  await configureHandlers(world);
  // Every request comes from one address to one link: lift the limits so the deeper paths are reached.
  configureFor(world, { RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000', RATE_LIMIT_LINK_PER_MINUTE: '100000000', PUBLIC_BASE_URL: 'http://localhost:3000' });
  const store = surveyPorts(world.doc, world.tableName);
  const contacts = new DynamoContactStore(world.doc, world.tableName);
  const links = createLinkSigner(LINK_SECRET);
  const sentAt = new Date(Date.now() - 2 * 3600_000);
  const customerId = `links-${Date.now()}`;
  const scheduled = await receiveEvent(
    {
      source: 'fuzz.shop',
      'detail-type': 'order.delivered',
      detail: {
        eventId: `evt-${customerId}`,
        occurredAt: sentAt.toISOString(),
        customer: { id: customerId, email: `${customerId}@example.com` },
        order: { id: `o-${customerId}` },
      },
    },
    { store, suppressions: contacts, cancellations: store, now: () => sentAt, delayScale: 0 },
  );
  if (scheduled.status !== 'scheduled') throw new Error(`link survey setup: ${JSON.stringify(scheduled)}`);
  const invitationId = scheduled.invitationId;
  await sendDueInvitations({
    store,
    contacts,
    channel: emailChannel({ email: { send: async () => ({ messageId: 'm' }) } }),
    links,
    now: () => new Date(sentAt.getTime() + 1000),
    publicBaseUrl: 'http://localhost:3000',
    brand: 'ankieta shop',
  });
  if ((await store.getInvitation(invitationId))?.status !== 'sent') throw new Error('link survey setup: not sent');
  const token = links.sign(invitationId);
  const handler = await handlerOf<HttpHandler>('respond');

  return {
    name: 'survey links',
    arbitrary: linkRequest(token, invitationId),
    async check(r) {
      if (isPersonAnswer(r, token)) return { outcome: "skipped: a person's answer" };
      const comment = r.comment && r.method === 'POST'; // the comment route is POST only (functions/manifest.ts)
      const route = comment ? '/r/{token}/comment' : '/r/{token}';
      let answer: Awaited<ReturnType<typeof callHttp>>;
      try {
        answer = await callHttp(handler, 'respond', {
          method: r.method,
          route,
          path: `/r/${encodeURIComponent(r.token)}${comment ? '/comment' : ''}`,
          pathParameters: { token: r.token },
          query: r.query,
          headers: r.headers,
          body: r.method === 'POST' ? r.body : undefined,
        });
      } catch (error) {
        return { outcome: 'threw', crash: `the handler threw ${describeError(error)}` };
      }
      const outcome = `${r.method}${comment ? ' comment' : ''} ${answer.status}`;
      if (answer.status >= 500) return { outcome, crash: `${answer.status}: ${String(answer.raw.body).slice(0, 200)}` };
      if (await store.getResponse(invitationId)) return { outcome, wrong: "a request that is no person's answer wrote a response" };
      return { outcome };
    },
  };
}

export type AnyEdge = FuzzEdge<EventsRequest> | FuzzEdge<WebhookCase> | FuzzEdge<SmsCase> | FuzzEdge<CsvCase>;

/** Runs `runs` random inputs through an edge as a fast-check property (shrinking to the smallest failing input); returns the outcomes seen. */
export async function assertEdge<T>(
  edge: FuzzEdge<T>,
  runs: number,
  seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31),
): Promise<Map<string, number>> {
  const outcomes = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(edge.arbitrary, async (input) => {
      const verdict = await edge.check(input);
      outcomes.set(verdict.outcome, (outcomes.get(verdict.outcome) ?? 0) + 1);
      if (verdict.crash || verdict.lost || verdict.wrong) throw new Error(`${edge.name}: ${JSON.stringify(verdict)}`);
    }),
    { numRuns: runs, seed, endOnFailure: process.env.FUZZ_SHRINK === '0' },
  );
  return outcomes;
}
