import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv, CsvParser } from '../../surveys/csv.ts';
import type { DailyBucket, ScoreReader } from '../../surveys/ports.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import { readDailyScores, readScores } from '../../surveys/use-cases/read-scores.ts';
import {
  decodeCursor,
  encodeCursor,
  exportPage,
  exportResponses,
  exportScores,
  responsesHeader,
  scoresHeader,
  type ResponseExportSource,
} from '../../surveys/use-cases/export-csv.ts';

/** An in-memory ScoreReader over a list of daily buckets. */
function reader(buckets: DailyBucket[]): ScoreReader {
  return {
    readBuckets: async (metric, dimension, fromDay, toDay) =>
      buckets.filter((b) => b.metric === metric && b.dimension === dimension && b.day >= fromDay && b.day <= toDay),
  };
}

const bucket = (day: string, dimension: DailyBucket['dimension'], value: string, histogram: Record<string, number>): DailyBucket => ({
  metric: 'nps',
  dimension,
  value,
  day,
  histogram,
});
const now = () => new Date('2026-11-20T15:00:00Z');

describe('csv', () => {
  it('Should quote what needs quoting and defuse formulas in text, not in numbers', () => {
    // Act
    const line = csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', '=SUM(A1)', '+1', -12.5, null, undefined, true]);

    // Assess
    expect(line).toBe('plain,"a,b","say ""hi""","two\nlines",\'=SUM(A1),\'+1,-12.5,,,true\r\n');
  });

  it('Should read back what it writes, across chunk boundaries anywhere', () => {
    // Prepare
    const rows = [
      ['a', 'b,c', 'd "e"'],
      ['multi\nline', '', 'x'],
    ];
    const text = `\ufeff${rows.map(csvLine).join('')}`;

    // Act + Assess: every split point gives the same records
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new CsvParser();
      const out = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()];
      expect(out).toEqual(rows);
    }
  });

  it('Should take LF line ends, a last line without one, and skip empty lines', () => {
    // Act
    const rows = parseCsv('a,b\n\nc,d');

    // Assess
    expect(rows).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});

describe('readScores', () => {
  it('Should give every segment its own figures, most responses first, without empty ones', async () => {
    // Prepare
    const deps = {
      now,
      reader: reader([
        bucket('2026-11-20', 'all', 'all', { '10': 30, '0': 10 }),
        bucket('2026-11-20', 'store', 'web', { '10': 29, '0': 1 }),
        bucket('2026-11-19', 'store', 'app', { '0': 9, '10': 1 }),
        bucket('2026-11-01', 'store', 'old', { '10': 5 }), // outside a 7-day window
      ]),
    };

    // Act
    const result = await readScores({ metric: 'nps', window: '7d', segment: 'store' }, deps);

    // Assess
    expect(result).toMatchObject({ metric: 'nps', window: '7d', from: '2026-11-14', to: '2026-11-20', value: 50, responses: 40, smallSample: false });
    expect(result.segments!.map((s) => [s.key, s.value, s.responses, s.smallSample])).toEqual([
      ['web', 93.3, 30, false],
      ['app', -80, 10, true],
    ]);
    for (const s of result.segments!) expect(s.marginOfError).toBeGreaterThan(0);
  });
});

describe('readDailyScores', () => {
  const deps = {
    now,
    reader: reader([
      bucket('2026-11-14', 'all', 'all', { '10': 1 }),
      bucket('2026-11-18', 'all', 'all', { '0': 1 }),
      bucket('2026-11-20', 'all', 'all', { '10': 2 }),
      bucket('2026-11-20', 'store', 'web', { '10': 2 }),
      bucket('2026-11-20', 'store', 'app', { '0': 3 }),
    ]),
  };

  it('Should give one point per day, empty days with a null value', async () => {
    // Act
    const result = await readDailyScores({ metric: 'nps', days: 3, rolling: 1 }, deps);

    // Assess
    expect(result.series.map((p) => [p.day, p.responses, p.value])).toEqual([
      ['2026-11-18', 1, -100],
      ['2026-11-19', 0, null],
      ['2026-11-20', 2, 100],
    ]);
  });

  it('Should sum the trailing days for a rolling series, reading the days before the first point too', async () => {
    // Act
    const result = await readDailyScores({ metric: 'nps', days: 2, rolling: 7 }, deps);

    // Assess
    expect(result.series.map((p) => [p.day, p.responses])).toEqual([
      ['2026-11-19', 2],
      ['2026-11-20', 4],
    ]);
  });

  it('Should chart one segment value alone', async () => {
    // Act
    const result = await readDailyScores({ metric: 'nps', days: 1, rolling: 1, segment: 'store', key: 'app' }, deps);

    // Assess
    expect(result).toMatchObject({ segment: 'store', key: 'app', series: [{ day: '2026-11-20', responses: 3, value: -100 }] });
  });
});

function responses(n: number): Array<{ response: SurveyResponse; position: string }> {
  return Array.from({ length: n }, (_, i) => {
    const at = `2026-11-20T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`;
    return {
      position: `${at}#inv-${i}`,
      response: {
        invitationId: `inv-${i}`,
        surveyId: 'nps-post-purchase',
        metric: 'nps',
        customerId: `c-${i}`,
        score: i % 11,
        comment: `comment ${i}`,
        segments: { channel: 'email', store: 'web' },
        locale: 'pl',
        subjectRef: `o-${i}`,
        status: 'final',
        version: 1,
        answeredAt: at,
        updatedAt: at,
      },
    };
  });
}

function source(rows: ReturnType<typeof responses>): ResponseExportSource & { lookups: number } {
  const s = {
    lookups: 0,
    async *responsesOn(day: string, after?: string) {
      for (const row of rows) if (row.response.answeredAt.startsWith(day) && (!after || row.position > after)) yield row;
    },
    async contactsOf(ids: string[]) {
      s.lookups += 1;
      return new Map(ids.map((id) => [id, { email: `${id}@example.com` }]));
    },
  };
  return s;
}

describe('exportResponses', () => {
  it('Should leave personal data out unless asked, and never look contacts up then', async () => {
    // Prepare
    const src = source(responses(3));

    // Act
    const lines: string[] = [];
    for await (const c of exportResponses({ fromDay: '2026-11-20', toDay: '2026-11-20', includePersonalData: false }, src)) lines.push(c.line);

    // Assess
    const text = responsesHeader(false) + lines.join('');
    expect(text).not.toMatch(/example\.com|comment|c-\d|o-\d/);
    expect(src.lookups).toBe(0);
    expect(parseCsv(text)).toHaveLength(4);
  });

  it('Should cut pages at the size cap and resume after the last row of a page, losing and repeating nothing', async () => {
    // Prepare
    const rows = responses(250);
    const header = responsesHeader(true);
    const query = { fromDay: '2026-11-19', toDay: '2026-11-21', includePersonalData: true };

    // Act
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await exportPage(header, exportResponses({ ...query, cursor: cursor ? decodeCursor(cursor) : undefined }, source(rows)), 4_000);
      pages.push(page.body);
      cursor = page.next;
    } while (cursor);

    // Assess
    expect(pages.length).toBeGreaterThan(3);
    const ids = pages.flatMap((p) =>
      parseCsv(p)
        .slice(1)
        .map((r) => r[parseCsv(header)[0]!.indexOf('response_id')]),
    );
    expect(ids).toEqual(rows.map((r) => r.response.invitationId));
  });
});

describe('exportScores', () => {
  it('Should give one line per day, metric, dimension and value, cut only between days', async () => {
    // Prepare
    const r = reader([
      bucket('2026-11-19', 'all', 'all', { '9': 2 }),
      bucket('2026-11-20', 'all', 'all', { '0': 1 }),
      bucket('2026-11-20', 'store', 'web', { '0': 1 }),
    ]);

    // Act
    const chunks = [];
    for await (const c of exportScores({ fromDay: '2026-11-19', toDay: '2026-11-20', metric: 'nps', segment: 'store' }, r)) chunks.push(c);

    // Assess
    const rows = parseCsv(scoresHeader() + chunks.map((c) => c.line).join(''));
    expect(rows.slice(1).map((row) => row.slice(0, 6))).toEqual([
      ['2026-11-19', 'nps', 'all', 'all', '2', '100'],
      ['2026-11-20', 'nps', 'all', 'all', '1', '-100'],
      ['2026-11-20', 'nps', 'store', 'web', '1', '-100'],
    ]);
    expect(chunks.map((c) => (c.cursor ? decodeCursor(c.cursor)!.day : null))).toEqual(['2026-11-20', null, null]);
  });
});

describe('cursors', () => {
  it.each(['', 'abc', encodeCursor({ day: '2026-11-20' }).slice(2), Buffer.from('{"day":"yesterday"}').toString('base64url')])('Should refuse %j', (text) => {
    // Act
    const cursor = decodeCursor(text);

    // Assess
    expect(cursor).toBeUndefined();
  });

  it('Should give back what it encoded', () => {
    // Act
    const cursor = decodeCursor(encodeCursor({ day: '2026-11-20', after: '2026-11-20T10:00:00.000Z#inv-1' }));

    // Assess
    expect(cursor).toEqual({ day: '2026-11-20', after: '2026-11-20T10:00:00.000Z#inv-1' });
  });
});
