import { describe, expect, it } from 'vitest';
import type { SurveyResponse } from '../../surveys/model.ts';
import { exportResponses, responsesHeader } from '../../surveys/use-cases/export-csv.ts';

function response(overrides: Partial<SurveyResponse>): SurveyResponse {
  return {
    invitationId: 'inv-1',
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    customerId: 'c-1',
    score: 4,
    segments: { channel: 'email', locale: 'pl' },
    locale: 'pl',
    subjectRef: 'o-1',
    status: 'final',
    version: 2,
    answeredAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

describe('responses export with comment topics', () => {
  it('Should have topics (ids joined by |) and sentiment columns, empty for a response not classified', async () => {
    // Prepare
    const rows = [
      response({ comment: 'x', insights: { topics: ['delivery', 'packaging'], sentiment: 'negative', sentimentScore: -0.7, version: 2 } }),
      response({ invitationId: 'inv-2', answeredAt: '2026-11-20T11:00:00.000Z' }),
    ];
    const source = {
      async *responsesOn() {
        for (const r of rows) yield { response: r, position: `${r.answeredAt}#${r.invitationId}` };
      },
      contactsOf: async () => new Map(),
    };

    // Act
    const lines: string[] = [];
    for await (const chunk of exportResponses({ fromDay: '2026-11-20', toDay: '2026-11-20', includePersonalData: false }, source)) lines.push(chunk.line);

    // Assess
    const header = responsesHeader(false).trim().split(',');
    const at = (line: string, column: string) => line.trim().split(',')[header.indexOf(column)];
    expect(header).toEqual(expect.arrayContaining(['topics', 'sentiment']));
    expect([at(lines[0]!, 'topics'), at(lines[0]!, 'sentiment')]).toEqual(['delivery|packaging', 'negative']);
    expect([at(lines[1]!, 'topics'), at(lines[1]!, 'sentiment')]).toEqual(['', '']);
  });
});
