import { describe, expect, it } from 'vitest';
import { mapColumns, mapRow, parseSegmentMapping, parseTimestamp, tallyReasons } from '../../surveys/history-import.ts';

const now = new Date('2026-11-20T12:00:00Z');
const options = { metric: 'nps' as const, source: 'delighted', now };

describe('mapColumns', () => {
  it.each([
    [['Score', 'Response Timestamp', 'Person Email'], { score: 0, time: 1, email: 2 }],
    [['score', 'created_at', 'email'], { score: 0, time: 1, email: 2 }],
    [
      ['Response ID', 'Rating', 'Created At', 'Properties: Store', 'Person Properties: Team', 'Property - Agent'],
      { id: 0, score: 1, time: 2, store: 3, team: 4, agent: 5 },
    ],
    [['SCORE', 'Date', 'Survey Type', 'Language'], { score: 0, time: 1, metric: 2, locale: 3 }],
  ])('Should find the columns of %j', (header, expected) => {
    // Act
    const map = mapColumns(header);

    // Assess
    expect(map.index).toEqual(expected);
  });

  it('Should name the columns it will not import', () => {
    // Act
    const map = mapColumns(['Score', 'Comment', 'Response Timestamp', 'Person Name', 'Notes']);

    // Assess
    expect(map.ignored).toEqual(['Person Name', 'Notes']);
  });

  it('Should refuse a header without a score or a time, naming what it looked for', () => {
    // Act
    const act = () => mapColumns(['Email', 'Comment']);

    // Assess
    expect(act).toThrow(/no score and no time column.*"response timestamp"/);
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2025-03-01 10:00:00 UTC', '2025-03-01T10:00:00.000Z'],
    ['2025-03-01 10:00:00 +0200', '2025-03-01T08:00:00.000Z'],
    ['2025-03-01T10:00:00-05:00', '2025-03-01T15:00:00.000Z'],
    ['2025-03-01 10:00', '2025-03-01T10:00:00.000Z'],
    ['1740830400', '2025-03-01T12:00:00.000Z'],
    ['2025-03-01', '2025-03-01T12:00:00.000Z'],
  ])('Should read %s as %s', (text, iso) => {
    // Act
    const date = parseTimestamp(text);

    // Assess
    expect(date?.toISOString()).toBe(iso);
  });

  it.each(['', 'yesterday', '03/01/2025', '2025-13-45 10:00:00'])('Should not guess at %j', (text) => {
    // Act
    const date = parseTimestamp(text);

    // Assess
    expect(date).toBeUndefined();
  });
});

describe('mapRow', () => {
  const map = mapColumns(['Response ID', 'Score', 'Response Timestamp', 'Person Email', 'Survey Type', 'Properties: Store', 'Properties: Locale']);

  it('Should turn a row into an answer with its segments and a deterministic id', () => {
    // Act
    const a = mapRow(['r-1', '9', '2025-03-01 10:00:00 UTC', 'Ala@Example.com', 'NPS', 'krakow', 'pl-PL'], map, options);
    const b = mapRow(['r-1', '9', '2025-03-01 10:00:00 UTC', 'ala@example.com', 'nps', 'krakow', 'pl'], map, options);

    // Assess
    expect(a).toEqual({
      ok: true,
      answer: {
        id: expect.stringMatching(/^imp-[\w-]{22}$/),
        metric: 'nps',
        score: 9,
        answeredAt: '2025-03-01T10:00:00.000Z',
        segments: { survey: 'imported-nps', channel: 'email', store: 'krakow', locale: 'pl' },
      },
    });
    expect(a.ok && b.ok && a.answer.id === b.answer.id).toBe(true);
  });

  it('Should give rows without a response id an id from who, when and what', () => {
    // Prepare
    const noId = mapColumns(['Score', 'Response Timestamp', 'Person Email']);

    // Act
    const ids = [
      mapRow(['9', '2025-03-01 10:00:00 UTC', 'ala@example.com'], noId, options),
      mapRow(['9', '2025-03-01 10:00:00 UTC', 'ala@example.com'], noId, options),
      mapRow(['8', '2025-03-01 10:00:00 UTC', 'ala@example.com'], noId, options),
      mapRow(['9', '2025-03-01 10:00:00 UTC', 'ola@example.com'], noId, options),
    ].map((o) => (o.ok ? o.answer.id : ''));

    // Assess
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(3);
  });

  it.each([
    [['r', '', '2025-03-01', 'a@b.pl', 'nps', '', ''], 'score is empty'],
    [['r', '11', '2025-03-01', 'a@b.pl', 'nps', '', ''], 'score "11" is not a whole number 0-10 (nps)'],
    [['r', '4.5', '2025-03-01', 'a@b.pl', 'csat', '', ''], 'score "4.5" is not a whole number 1-5 (csat)'],
    [['r', '0', '2025-03-01', 'a@b.pl', 'ces', '', ''], 'score "0" is not a whole number 1-7 (ces)'],
    [['r', '5', '2025-03-01', 'a@b.pl', 'enps', '', ''], 'survey type "enps" is not nps, csat or ces'],
    [['r', '5', '', 'a@b.pl', 'nps', '', ''], 'time is empty'],
    [['r', '5', '2027-01-01', 'a@b.pl', 'nps', '', ''], 'time is in the future'],
  ])('Should refuse %j: %s', (row, reason) => {
    // Act
    const outcome = mapRow(row, map, options);

    // Assess
    expect(outcome).toEqual({ ok: false, reason });
  });
});

describe('tallyReasons', () => {
  it('Should group refusals that differ only in the quoted value, most frequent first', () => {
    // Act
    const tally = tallyReasons([
      { reason: 'score "11" is not a whole number 0-10 (nps)' },
      { reason: 'time is empty' },
      { reason: 'score "x" is not a whole number 0-10 (nps)' },
    ]);

    // Assess
    expect(tally).toEqual([
      { reason: 'score "…" is not a whole number 0-10 (nps)', rows: 2 },
      { reason: 'time is empty', rows: 1 },
    ]);
  });
});

describe('segment mapping', () => {
  it('Should put a person property on the segment the mapping names, before a column of that name', () => {
    // Prepare
    const segments = parseSegmentMapping(['Purchase Experience=store', 'properties: Support Team = team']);

    // Act
    const map = mapColumns(['Score', 'Response timestamp', 'Store', 'Properties: Purchase Experience', 'Properties: Support Team'], segments);
    const outcome = mapRow(['9', '2025-03-01 10:00:00 UTC', 'web', 'Retail Store', 'billing'], map, { ...options, segments });

    // Assess
    expect(map.index).toMatchObject({ store: 3, team: 4 });
    expect(map.ignored).toEqual(['Store']);
    expect(outcome).toMatchObject({ ok: true, answer: { segments: { store: 'Retail Store', team: 'billing' } } });
  });

  it.each([['Purchase Experience'], ['Purchase Experience=country'], ['=store']])('Should refuse the mapping "%s" saying what it must look like', (spec) => {
    // Act
    const act = () => parseSegmentMapping([spec]);

    // Assess
    expect(act).toThrow(/must be "<column or property>=<store\|team\|agent\|channel\|locale>"/);
  });

  it('Should refuse a mapping that names no column of the file', () => {
    // Act
    const act = () => mapColumns(['Score', 'Date'], parseSegmentMapping(['Country=store']));

    // Assess
    expect(act).toThrow('--segment names "country", not a column of the file');
  });
});
