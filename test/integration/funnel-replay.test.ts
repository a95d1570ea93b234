/**
 * Exact funnel counts, proven on DynamoDB Local: invitations go through their real lifecycle in the
 * table (trigger, claim, send, SES delivery, a person's open, bounce, answer, comment, unsubscribe,
 * complaint), the stream records the funnel mapping would receive are read back, and replayed through
 * the consumer once, twice, bisected after a failure, resumed from a reported failure and after a crash.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoFunnelMarks } from '../../functions/adapters/dynamodb/funnel-marks.ts';
import { FunnelPageReader, FunnelPageWriter } from '../../functions/adapters/dynamodb/funnel-pages.ts';
import { surveyPorts } from '../support/stores.ts';
import { countFunnelBatch } from '../../functions/count-funnel/handler.ts';
import { INVITATION_CHANGE_FILTER } from '../../functions/manifest.ts';
import { FINAL_RESPONSE_FILTER } from '../../functions/adapters/dynamodb/table/filters.ts';
import type { FunnelPageDelta } from '../../surveys/funnel/pages.ts';
import { readFunnel } from '../../surveys/funnel/read-funnel.ts';
import type { Invitation, SurveyResponse } from '../../surveys/model.ts';
import { freshTable, readStreamRecords } from '../support/table.ts';

const SHARD = 'shardId-funnel-0001';
const NOW = () => new Date('2026-11-21T12:00:00.000Z');
const N = 30;

/** What each invitation i goes through; the expected counts are derived from the same plan. */
const plan = (i: number) => {
  const skipped = i % 5 === 0;
  const failed = !skipped && i % 13 === 1;
  const sent = !skipped && !failed;
  const bounced = sent && i % 11 === 2;
  return {
    skipped,
    skipReason: i % 10 === 0 ? 'fatigue' : 'no-consent',
    failed,
    sent,
    bounced,
    delivered: sent && !bounced && i % 6 !== 3,
    opened: sent && !bounced && i % 3 !== 0,
    answered: sent && !bounced && i % 3 === 1,
    commented: sent && !bounced && i % 3 === 1 && i % 2 === 0,
    unsubscribed: sent && i === 4,
    complained: sent && i === 8,
    channel: i % 4 === 0 ? ('sms' as const) : ('email' as const),
  };
};

function invitation(i: number): Invitation {
  const p = plan(i);
  return {
    id: `inv${String(i).padStart(19, '0')}`,
    surveyId: 'nps-post-delivery',
    metric: 'nps',
    channel: p.channel,
    customerId: `c-${i}`,
    locale: i % 2 ? 'pl' : 'en',
    eventId: `e-${i}`,
    eventType: 'order.delivered',
    subjectRef: `o-${i}`,
    segments: { survey: 'nps-post-delivery', channel: p.channel, locale: i % 2 ? 'pl' : 'en', store: i % 3 ? 'krakow' : 'web' },
    status: p.skipped ? 'skipped' : 'scheduled',
    createdAt: '2026-11-20T08:00:00.000Z',
    sendAt: '2026-11-20T09:00:00.000Z',
    ...(p.skipped ? { failureReason: `${p.skipReason}: test` } : {}),
  };
}

/** Runs every lifecycle against the table and returns the funnel consumer's stream records. */
async function lifecyclesAndTheirStream(): Promise<DynamoDBRecord[]> {
  const table = await freshTable();
  const store = surveyPorts(table.doc, table.tableName);
  const marks = new DynamoFunnelMarks(table.doc, table.tableName);
  const sentAt = '2026-11-20T09:00:05.000Z';
  for (let i = 0; i < N; i++) {
    const p = plan(i);
    const inv = invitation(i);
    await store.recordTrigger({
      eventKey: `shop#e-${i}`,
      subject: `order#o-${i}`,
      invitation: inv,
      profile: { customerId: inv.customerId, locale: 'pl', version: 0 },
    });
    if (p.skipped) continue;
    await store.claim(inv.id, '2026-11-20T09:00:00.000Z');
    if (p.failed) {
      await store.markFailed(inv.id, 'ses: MessageRejected');
      continue;
    }
    await store.markSent(inv.id, sentAt, '2026-11-27T09:00:00.000Z');
    if (p.bounced) await store.markUndeliverable(inv.id, 'bounced: Permanent', '2026-11-20T09:00:09.000Z');
    if (p.delivered) {
      await marks.mark(inv.id, 'deliveredAt', '2026-11-20T09:00:07.000Z');
      await marks.mark(inv.id, 'deliveredAt', '2026-11-20T09:00:08.000Z'); // SES sent it twice: no second mark
    }
    if (p.opened) await marks.mark(inv.id, 'openedAt', '2026-11-20T18:00:00.000Z');
    if (p.unsubscribed) await marks.mark(inv.id, 'unsubscribedAt', '2026-11-20T19:00:00.000Z');
    if (p.complained) await marks.mark(inv.id, 'complainedAt', '2026-11-20T19:00:00.000Z');
    if (p.answered) {
      const response: SurveyResponse = {
        invitationId: inv.id,
        surveyId: inv.surveyId,
        metric: 'nps',
        customerId: inv.customerId,
        score: i % 11,
        segments: inv.segments,
        locale: inv.locale,
        subjectRef: inv.subjectRef,
        status: 'final',
        version: 1,
        answeredAt: '2026-11-21T08:00:00.000Z',
        updatedAt: '2026-11-21T08:00:00.000Z',
        sentAt,
      };
      await store.putResponse(response, 0);
      if (p.commented) await store.putResponse({ ...response, comment: 'Szybka dostawa', version: 2 }, 1);
      await store.putResponse(
        { ...response, score: 10, version: p.commented ? 3 : 2, ...(p.commented ? { comment: 'Szybka dostawa' } : {}) },
        p.commented ? 2 : 1,
      );
    }
  }
  return readStreamRecords(table, [INVITATION_CHANGE_FILTER, FINAL_RESPONSE_FILTER]);
}

function expectedCounts() {
  const all = Array.from({ length: N }, (_, i) => plan(i));
  const n = (f: (p: ReturnType<typeof plan>) => boolean) => all.filter(f).length;
  return {
    scheduled: n((p) => !p.skipped),
    skipped: { fatigue: n((p) => p.skipped && p.skipReason === 'fatigue'), 'no-consent': n((p) => p.skipped && p.skipReason === 'no-consent') },
    failed: n((p) => p.failed),
    sent: n((p) => p.sent),
    bounced: n((p) => p.bounced),
    delivered: n((p) => p.delivered),
    opened: n((p) => p.opened),
    answered: n((p) => p.answered),
    commented: n((p) => p.commented),
    unsubscribed: n((p) => p.unsubscribed),
    complained: n((p) => p.complained),
  };
}

async function target() {
  const t = await freshTable();
  return { writer: new FunnelPageWriter(t.doc, t.tableName), reader: new FunnelPageReader(t.doc, t.tableName) };
}

const batch = (records: DynamoDBRecord[]) => ({ Records: records, shardId: SHARD });
const chunks = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const funnelOf = (reader: FunnelPageReader) => readFunnel({ window: '7d' }, { reader, now: NOW });

function flaky(writer: FunnelPageWriter, failOn: (call: number, delta: FunnelPageDelta) => boolean) {
  let call = 0;
  return {
    apply: async (delta: FunnelPageDelta, shard: string) => {
      if (failOn(call++, delta)) throw Object.assign(new Error('ProvisionedThroughputExceededException'), { name: 'ProvisionedThroughputExceededException' });
      return writer.apply(delta, shard);
    },
  };
}

describe('funnel counts replayed from real stream records', () => {
  let records: DynamoDBRecord[];
  const expected = expectedCounts();

  beforeAll(async () => {
    records = await lifecyclesAndTheirStream();
  }, 60_000);

  it('Should count every step exactly when each batch is delivered once', async () => {
    // Prepare
    const { writer, reader } = await target();

    // Act
    for (const part of chunks(records, 20)) await countFunnelBatch(batch(part), writer);

    // Assess
    const funnel = await funnelOf(reader);
    expect(funnel).toMatchObject(expected);
    expect(funnel.responseRate).toBeCloseTo(expected.answered / expected.sent, 4);
  });

  it('Should change nothing when every batch is delivered twice', async () => {
    // Prepare
    const { writer, reader } = await target();

    // Act
    for (const part of chunks(records, 20)) {
      await countFunnelBatch(batch(part), writer);
      await countFunnelBatch(batch(part), writer);
    }

    // Assess
    expect(await funnelOf(reader)).toMatchObject(expected);
  });

  it('Should stay exact when a failed batch is bisected and both halves are retried', async () => {
    // Prepare
    const { writer, reader } = await target();
    const failing = flaky(writer, (call) => call % 3 === 2);

    // Act
    const first = await countFunnelBatch(batch(records), failing);
    const half = Math.floor(records.length / 2);
    await countFunnelBatch(batch(records.slice(0, half)), writer);
    await countFunnelBatch(batch(records.slice(half)), writer);

    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect(await funnelOf(reader)).toMatchObject(expected);
  });

  it('Should stay exact when Lambda resumes from the reported record, and after a crash between page writes', async () => {
    // Prepare
    const resumed = await target();
    const crashed = await target();
    const failing = flaky(resumed.writer, (_call, delta) => delta.key.dimension === 'store');
    const crashing = flaky(crashed.writer, (call) => call >= 3);

    // Act
    const result = await countFunnelBatch(batch(records.slice(0, 60)), failing);
    const resumeAt = records.findIndex((r) => r.dynamodb?.SequenceNumber === result.batchItemFailures[0]!.itemIdentifier);
    await countFunnelBatch(batch(records.slice(resumeAt)), resumed.writer);
    await countFunnelBatch(batch(records), crashing).catch(() => undefined);
    await countFunnelBatch(batch(records), crashed.writer);

    // Assess
    expect(resumeAt).toBeGreaterThanOrEqual(0);
    expect(await funnelOf(resumed.reader)).toMatchObject(expected);
    expect(await funnelOf(crashed.reader)).toMatchObject(expected);
  });

  it('Should split one survey by channel with sends and answers that add up to the totals', async () => {
    // Prepare
    const { writer, reader } = await target();
    await countFunnelBatch(batch(records), writer);

    // Act
    const split = await readFunnel({ window: '7d', survey: 'nps-post-delivery', segment: 'channel' }, { reader, now: NOW });

    // Assess
    const rows = split.segments ?? [];
    expect(rows.map((r) => r.key).sort()).toEqual(['email', 'sms']);
    expect(rows.reduce((s, r) => s + r.sent, 0)).toBe(expected.sent);
    expect(rows.reduce((s, r) => s + r.answered, 0)).toBe(expected.answered);
  });

  it('Should write one update per page per batch, whatever the number of records', async () => {
    // Prepare
    const { writer } = await target();
    const pagesWritten: string[] = [];
    const counting = {
      apply: (d: FunnelPageDelta, s: string) => (pagesWritten.push(`${d.key.dimension}|${d.key.day}|${d.key.page}`), writer.apply(d, s)),
    };

    // Act
    await countFunnelBatch(batch(records), counting);

    // Assess
    expect(new Set(pagesWritten).size).toBe(pagesWritten.length);
    expect(pagesWritten.length).toBeLessThanOrEqual(6 * 2 + 3); // six segments over two days, store on up to four pages
    expect(records.length).toBeGreaterThan(100);
  });
});
