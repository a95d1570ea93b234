/**
 * The responses export opened in a spreadsheet: each metric's own category names, and customer text
 * that cannot become a formula whatever list separator the spreadsheet splits on (OWASP CSV injection).
 */
import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv } from '../../surveys/csv.ts';
import type { Metric, SurveyResponse } from '../../surveys/model.ts';
import { exportResponses, type ResponseExportSource } from '../../surveys/use-cases/export-csv.ts';

const FORMULA = /^\s*[=+\-@]/;

/** What a spreadsheet with `separator` as its list separator makes of a line, ignoring quotes (the worst case). */
const naiveCells = (line: string, separator: string) => line.replace(/\r\n$/, '').split(separator);

function response(metric: Metric, score: number, comment?: string): SurveyResponse {
  return {
    invitationId: `inv-${metric}-${score}`,
    surveyId: `${metric}-survey`,
    metric,
    customerId: 'c-1',
    score,
    ...(comment ? { comment } : {}),
    segments: { channel: 'email', locale: 'en' },
    locale: 'en',
    subjectRef: 'o-1',
    status: 'final',
    version: 1,
    answeredAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
  };
}

function source(rows: SurveyResponse[]): ResponseExportSource {
  return {
    async *responsesOn(day) {
      for (const [i, r] of rows.entries()) if (r.answeredAt.startsWith(day)) yield { response: r, position: String(i) };
    },
    contactsOf: async () => new Map(),
  };
}

async function exported(rows: SurveyResponse[], includePersonalData = false): Promise<string[][]> {
  const lines: string[] = [];
  for await (const chunk of exportResponses({ fromDay: '2026-11-20', toDay: '2026-11-20', includePersonalData }, source(rows))) lines.push(chunk.line);
  return parseCsv(lines.join(''));
}

describe('the category column', () => {
  it.each([
    { metric: 'nps', score: 10, category: 'promoter' },
    { metric: 'nps', score: 8, category: 'passive' },
    { metric: 'nps', score: 3, category: 'detractor' },
    { metric: 'csat', score: 4, category: 'satisfied' },
    { metric: 'csat', score: 3, category: 'neutral' },
    { metric: 'csat', score: 2, category: 'dissatisfied' },
    { metric: 'ces', score: 6, category: 'easy' },
    { metric: 'ces', score: 4, category: 'neutral' },
    { metric: 'ces', score: 2, category: 'high-effort' },
  ] as const)('Should label $metric $score as $category', async ({ metric, score, category }) => {
    // Act
    const [row] = await exported([response(metric, score)]);

    // Assess: column 6 is the category (answered_at, updated_at, survey, metric, score, category)
    expect(row![5]).toBe(category);
  });
});

describe('customer text in a spreadsheet', () => {
  it.each([',', ';', '\t'])('Should leave no cell that starts a formula when split on %j', (separator) => {
    // Prepare
    const comment = 'ok;=1+1;@SUM(A1),+CMD|x\t-2+3; =HYPERLINK("http://x")';

    // Act
    const line = csvLine(['2026-11-20', comment]);

    // Assess
    const cells = naiveCells(line, separator).map((c) => c.replace(/^"/, ''));
    expect(cells.filter((c) => FORMULA.test(c))).toEqual([]);
  });

  it('Should quote every field holding a separator and still read back as the original text with its marks', () => {
    // Prepare
    const comment = 'ok;=1+1;@SUM(A1)';

    // Act
    const line = csvLine([comment, 'a\tb', 'plain']);

    // Assess
    expect(line).toBe('"ok;\'=1+1;\'@SUM(A1)","a\tb",plain\r\n');
    expect(parseCsv(line)).toEqual([["ok;'=1+1;'@SUM(A1)", 'a\tb', 'plain']]);
  });

  it('Should export a hostile comment as one defused cell', async () => {
    // Act
    const [row] = await exported([response('csat', 1, 'bad;=cmd|"/C calc"!A0')], true);

    // Assess
    expect(row!.at(-1)).toBe('bad;\'=cmd|"/C calc"!A0');
  });
});
