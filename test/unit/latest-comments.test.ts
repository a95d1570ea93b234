import { describe, expect, it } from 'vitest';
import type { SurveyResponse } from '../../surveys/model.ts';
import { commentsQuerySchema, latestComments } from '../../surveys/use-cases/latest-comments.ts';

function response(day: string, hour: number, overrides: Partial<SurveyResponse> = {}): SurveyResponse {
  const at = `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;
  return {
    invitationId: `inv-${day}-${hour}`,
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    customerId: 'c-secret',
    score: 3,
    segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store: 'krakow' },
    locale: 'pl',
    subjectRef: 'o-1',
    status: 'final',
    version: 2,
    answeredAt: at,
    updatedAt: at,
    ...overrides,
  };
}

const source = (byDay: Record<string, SurveyResponse[]>) => ({
  async *responsesOn(day: string) {
    for (const response of byDay[day] ?? []) yield { response };
  },
});
const now = () => new Date('2026-12-01T12:00:00Z');

describe('latestComments', () => {
  it('Should list the comments newest first with score, category and segment, and nothing naming the customer', async () => {
    // Prepare
    const byDay = {
      '2026-12-01': [
        response('2026-12-01', 8, { comment: 'Paczka <b>zniszczona</b>' }),
        response('2026-12-01', 9),
        response('2026-12-01', 10, { comment: 'Super', score: 10 }),
      ],
      '2026-11-30': [response('2026-11-30', 8, { comment: 'Wolno' })],
    };

    // Act
    const feed = await latestComments(commentsQuerySchema.parse({}), { source: source(byDay), now });

    // Assess
    expect(feed.map((c) => c.comment)).toEqual(['Super', 'Paczka <b>zniszczona</b>', 'Wolno']);
    expect(feed[0]).toMatchObject({ score: 10, category: 'promoter', segments: { channel: 'email', store: 'krakow' } });
    expect(JSON.stringify(feed)).not.toContain('c-secret');
  });

  it('Should stop at the limit and look no further back than asked', async () => {
    // Prepare
    const byDay = {
      '2026-12-01': [response('2026-12-01', 8, { comment: 'a' }), response('2026-12-01', 9, { comment: 'b' })],
      '2026-11-29': [response('2026-11-29', 8, { comment: 'too old' })],
    };

    // Act
    const limited = await latestComments(commentsQuerySchema.parse({ limit: '1' }), { source: source(byDay), now });
    const twoDays = await latestComments(commentsQuerySchema.parse({ days: '2' }), { source: source(byDay), now });

    // Assess
    expect(limited.map((c) => c.comment)).toEqual(['b']);
    expect(twoDays.map((c) => c.comment)).toEqual(['b', 'a']);
  });

  it('Should refuse more than 30 days', () => {
    // Act
    const parsed = commentsQuerySchema.safeParse({ days: '90' });

    // Assess
    expect(parsed.success).toBe(false);
  });
});
