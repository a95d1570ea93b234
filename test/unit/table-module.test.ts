/**
 * The table module (functions/adapters/dynamodb/table/): the key values every stored item already has
 * (a change here orphans data in a deployed table), the stream filters derived from them, and the rule
 * that index names and the table definition are known in that module only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SURVEY_TABLE } from '../../functions/adapters/dynamodb/table/definition.ts';
import {
  COMMERCE_EVENT_FILTER,
  DETRACTOR_RESPONSE_FILTER,
  FINAL_RESPONSE_FILTER,
  LIVE_RESPONSE_FILTER,
} from '../../functions/adapters/dynamodb/table/filters.ts';
import { contactHash, DUE_SHARDS, indexKeys, keys, RESPONSE_DAY_SHARDS, upTo } from '../../functions/adapters/dynamodb/table/keys.ts';
import { parseHealthRecord } from '../../functions/adapters/dynamodb/table/stream-images.ts';
import { INVITATION_CHANGE_FILTER } from '../../functions/manifest.ts';
import { marshall } from '@aws-sdk/util-dynamodb';
import { matchesAnyFilter } from '../../local/stream-filter.ts';

const ROOT = join(import.meta.dirname, '../..');
const hash = contactHash('Ada@Example.com ');

describe('key builders', () => {
  it.each([
    ['profile', keys.profile('c-1'), { pk: 'CUST#c-1', sk: 'PROFILE' }],
    ['health', keys.health('c-1'), { pk: 'CUST#c-1', sk: 'HEALTH' }],
    ['event marker', keys.event('shop#e-1'), { pk: 'EVENT#shop#e-1', sk: 'EVENT' }],
    ['invitation', keys.invitation('i-1'), { pk: 'INV#i-1', sk: 'INVITATION' }],
    ['response', keys.response('i-1'), { pk: 'INV#i-1', sk: 'RESPONSE' }],
    ['link opens', keys.linkActivity('i-1'), { pk: 'INV#i-1', sk: 'OPENS' }],
    ['alert', keys.alert('a-1'), { pk: 'ALERT#a-1', sk: 'ALERT' }],
    ['score page', keys.bucket({ metric: 'nps', dimension: 'store', day: '2026-11-30', page: 2 }), { pk: 'AGG#nps#store', sk: 'DAY#2026-11-30#p2' }],
    ['quarantine', keys.quarantine('2026-11-30T10:00:00.000Z', 'q-1'), { pk: 'QUARANTINE#2026-11-30', sk: '2026-11-30T10:00:00.000Z#q-1' }],
    ['suppression', keys.suppression('email', 'ada@example.com'), { pk: `SUPPRESS#email#${hash}`, sk: 'SUPPRESSION' }],
    ['subject pointer', keys.subject('order#o-9', 'i-1'), { pk: 'SUBJECT#order#o-9', sk: 'INV#i-1' }],
    ['subject cancelled', keys.subjectCancelled('order#o-9'), { pk: 'SUBJECT#order#o-9', sk: 'CANCELLED' }],
    ['short link', keys.shortLink('Ab3'), { pk: 'SHORT#Ab3', sk: 'SHORTLINK' }],
    ['SMS thread', keys.smsThread('+48600100200'), { pk: `SMSTO#${contactHash('+48600100200')}`, sk: 'LATEST' }],
    ['inbound SMS', keys.inboundSms('m-1'), { pk: 'SMSIN#m-1', sk: 'SMSIN' }],
    ['e-mail lookup', keys.emailLookup('ada@example.com', 'c-1'), { pk: `EMAIL#${hash}`, sk: 'CUST#c-1' }],
    ['e-mail mirror', keys.customerEmail('c-1', 'ada@example.com'), { pk: 'CUST#c-1', sk: `EMAIL#${hash}` }],
    ['imported row', keys.importedRow('r-1'), { pk: 'IMPORT#r-1', sk: 'ROW' }],
    ['order ref', keys.orderRef('shopify', 'o-1'), { pk: 'ORDERREF#shopify#o-1', sk: 'ORDERREF' }],
    ['order snapshot', keys.orderSnapshot('c-1', 'shopify', 'o-1'), { pk: 'CUST#c-1', sk: 'ORDER#shopify#o-1' }],
  ])('Should key a %s as it has always been keyed', (_kind, built, expected) => {
    // Assess
    expect(built).toEqual(expected);
  });

  it('Should build the index keys of invitations, responses, alerts and health from the same prefixes', () => {
    // Prepare
    const at = '2026-11-30T10:00:00.000Z';

    // Act
    const due = indexKeys.due('i-1', at);
    const byDay = indexKeys.responsesByDay(at, 'i-1');

    // Assess
    expect(due.gsi1pk).toMatch(new RegExp(`^DUE#[0-${DUE_SHARDS - 1}]$`));
    expect(due).toEqual({ gsi1pk: keys.dueShard('i-1'), gsi1sk: `${at}#i-1` });
    expect(byDay.gsi1pk).toMatch(new RegExp(`^RESPONSES#2026-11-30#[0-${RESPONSE_DAY_SHARDS - 1}]$`));
    expect(indexKeys.invitationHistory('c-1', at, 'i-1')).toEqual({ gsi2pk: 'CUST#c-1', gsi2sk: `${at}#INV#i-1` });
    expect(indexKeys.responseHistory('c-1', at, 'i-1')).toEqual({ gsi2pk: 'CUST#c-1', gsi2sk: `${at}#RESP#i-1` });
    expect(indexKeys.alertsByStatus('open', at, 'a-1')).toEqual({ gsi1pk: 'ALERTS#open', gsi1sk: `${at}#a-1` });
    expect(indexKeys.alertsDue(at, 'a-1')).toEqual({ gsi2pk: 'ALERTS-DUE', gsi2sk: `${at}#a-1` });
    expect(indexKeys.healthRecheck(at, 'c-1')).toEqual({ gsi2pk: 'HEALTH-RECHECK', gsi2sk: `${at}#c-1` });
    expect(upTo(at) > `${at}#zzz`).toBe(true);
  });

  it('Should put every due invitation on one of the shards the sweep queries', () => {
    // Prepare
    const ids = Array.from({ length: 200 }, (_, i) => `i-${i}`);

    // Act
    const shards = new Set(ids.map((id) => keys.dueShard(id)));

    // Assess
    expect([...shards].sort()).toEqual(Array.from({ length: DUE_SHARDS }, (_, s) => keys.dueShardByNumber(s)));
  });
});

describe('stream filters', () => {
  const record = (newImage: Record<string, { S: string } | { BOOL: boolean }>, eventName = 'INSERT') => ({ eventName, dynamodb: { NewImage: newImage } });

  it.each([
    ['a final response', record({ sk: { S: 'RESPONSE' }, status: { S: 'final' } }), true, true, false],
    ['an imported (history) final response', record({ sk: { S: 'RESPONSE' }, status: { S: 'final' }, history: { S: 'delighted' } }), true, false, false],
    ['a draft response', record({ sk: { S: 'RESPONSE' }, status: { S: 'draft' } }), false, false, false],
    ['a new event marker', record({ sk: { S: 'EVENT' }, entity: { S: 'event' } }), false, false, true],
    ['an anonymized event marker', record({ sk: { S: 'EVENT' }, entity: { S: 'event' } }, 'MODIFY'), false, false, false],
    ['a score page', record({ sk: { S: 'DAY#2026-11-30#p0' } }), false, false, false],
  ])('Should let %s through the response filter: %s, the live response filter: %s, the commerce event filter: %s', (_what, rec, response, live, commerce) => {
    // Assess
    expect(matchesAnyFilter(FINAL_RESPONSE_FILTER, rec)).toBe(response);
    expect(matchesAnyFilter(LIVE_RESPONSE_FILTER, rec)).toBe(live);
    expect(matchesAnyFilter(COMMERCE_EVENT_FILTER, rec)).toBe(commerce);
  });

  it.each([
    ['a live final response that is or was a detractor', record({ sk: { S: 'RESPONSE' }, status: { S: 'final' }, everDetractor: { BOOL: true } }), true],
    ['a live final response never a detractor', record({ sk: { S: 'RESPONSE' }, status: { S: 'final' } }), false],
    ['an imported detractor', record({ sk: { S: 'RESPONSE' }, status: { S: 'final' }, everDetractor: { BOOL: true }, history: { S: 'delighted' } }), false],
    ['a draft marked a detractor', record({ sk: { S: 'RESPONSE' }, status: { S: 'draft' }, everDetractor: { BOOL: true } }), false],
  ])('Should let %s through the alert consumer filter: %s', (_what, rec, passes) => {
    // Assess
    expect(matchesAnyFilter(DETRACTOR_RESPONSE_FILTER, rec)).toBe(passes);
  });

  it.each([
    ['created scheduled', 'scheduled', true],
    ['claimed by a send (counts nothing)', 'sending', false],
    ['sent', 'sent', true],
    ['failed', 'failed', true],
    ['skipped', 'skipped', true],
  ])('Should let an invitation %s through the funnel filter: %s', (_what, status, passes) => {
    // Assess
    expect(matchesAnyFilter(INVITATION_CHANGE_FILTER, record({ sk: { S: 'INVITATION' }, status: { S: status } }, 'MODIFY'))).toBe(passes);
  });

  it('Should match `anything-but` only on a leaf that is there, as Lambda does', () => {
    // Prepare
    const pattern = { dynamodb: { NewImage: { status: { S: [{ 'anything-but': ['sending'] }] } } } };

    // Assess
    expect(matchesAnyFilter(pattern, { dynamodb: { NewImage: { status: { S: 'sent' } } } })).toBe(true);
    expect(matchesAnyFilter(pattern, { dynamodb: { NewImage: { status: { S: 'sending' } } } })).toBe(false);
    expect(matchesAnyFilter(pattern, { dynamodb: { NewImage: {} } })).toBe(false);
  });

  it('Should match `exists` on leaves only, as Lambda does: a history attribute that is not a string still counts as absent', () => {
    // Prepare
    const pattern = { dynamodb: { NewImage: { history: { S: [{ exists: false }] } } } };

    // Assess
    expect(matchesAnyFilter(pattern, { dynamodb: { NewImage: {} } })).toBe(true);
    expect(matchesAnyFilter(pattern, { dynamodb: { NewImage: { history: { S: 'x' } } } })).toBe(false);
    expect(matchesAnyFilter({ dynamodb: { NewImage: { history: { S: [{ exists: true }] } } } }, { dynamodb: { NewImage: { history: { S: 'x' } } } })).toBe(
      true,
    );
    expect(matchesAnyFilter({ dynamodb: { NewImage: { history: [{ exists: true }] } } }, { dynamodb: { NewImage: { history: { S: 'x' } } } })).toBe(false);
  });
});

describe('stream images', () => {
  const response = (version: number, score: number) =>
    marshall({
      pk: 'INV#i-1',
      sk: 'RESPONSE',
      invitationId: 'i-1',
      surveyId: 'nps-post-purchase',
      metric: 'nps',
      customerId: 'c-1',
      score,
      segments: { survey: 'nps-post-purchase' },
      locale: 'pl',
      subjectRef: 'o-1',
      status: 'final',
      version,
      answeredAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:00:00.000Z',
    });

  it('Should tell customer health a first final version (an answer, counted in the answers metric) from an edit', () => {
    // Act
    const first = parseHealthRecord({ eventName: 'INSERT', dynamodb: { SequenceNumber: '1', NewImage: response(1, 9) } } as never);
    const edit = parseHealthRecord({ eventName: 'MODIFY', dynamodb: { SequenceNumber: '2', OldImage: response(1, 9), NewImage: response(2, 3) } } as never);

    // Assess
    expect(first).toMatchObject({ kind: 'fact', customerId: 'c-1', newAnswer: true });
    expect(edit).toMatchObject({ kind: 'fact', customerId: 'c-1' });
    expect(edit).not.toHaveProperty('newAnswer');
  });
});

describe('one owner of the table', () => {
  const sources = (dir: string): string[] =>
    readdirSync(join(ROOT, dir)).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
      return path.endsWith('.ts') ? [path] : [];
    });
  const all = ['functions', 'infra', 'local', 'surveys', 'scripts', 'bench'].flatMap(sources);

  it('Should name the indexes only in the table module', () => {
    // Act
    const naming = all.filter(
      (path) => !path.startsWith('functions/adapters/dynamodb/table/') && /['"`]GSI[12]['"`]/.test(readFileSync(join(ROOT, path), 'utf8')),
    );

    // Assess
    expect(naming).toEqual([]);
  });

  it('Should build the stack and DynamoDB Local from the definition in functions/, which imports neither infra/ nor local/', () => {
    // Act
    const reachingOut = sources('functions').filter((path) => /from '(\.\.\/)+(infra|local)\//.test(readFileSync(join(ROOT, path), 'utf8')));
    const users = all.filter((path) => readFileSync(join(ROOT, path), 'utf8').includes('dynamodb/table/definition.ts'));

    // Assess
    expect(reachingOut).toEqual([]);
    expect(users).toEqual(expect.arrayContaining(['infra/constructs/survey-table.ts', 'local/dynamodb.ts']));
    expect(SURVEY_TABLE.globalSecondaryIndexes.map((i) => i.indexName)).toEqual(['GSI1-include', 'GSI2']);
  });
});
