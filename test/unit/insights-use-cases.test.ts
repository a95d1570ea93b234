import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../surveys/insights/classify.ts';
import type { StoredInsights } from '../../surveys/insights/pages.ts';
import type { DailyTopicBucket, InsightsWriter } from '../../surveys/insights/ports.ts';
import { DEFAULT_TAXONOMY } from '../../surveys/insights/taxonomy.ts';
import type { SurveyResponse } from '../../surveys/model.ts';
import type { DailyBucket } from '../../surveys/ports.ts';
import { classificationFor, classifyResponse } from '../../surveys/use-cases/classify-response.ts';
import { readInsights } from '../../surveys/use-cases/read-insights.ts';

const classifier = createClassifier();

function response(overrides: Partial<SurveyResponse> = {}): SurveyResponse {
  return {
    invitationId: 'inv-1',
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    customerId: 'c-1',
    score: 3,
    comment: 'Kurier spóźnił się trzy dni, nie polecam',
    segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl' },
    locale: 'pl',
    subjectRef: 'o-1',
    status: 'final',
    version: 2,
    answeredAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:05:00.000Z',
    ...overrides,
  };
}

class FakeWriter implements InsightsWriter {
  stored: Array<{ invitationId: string; insights: StoredInsights }> = [];
  constructor(private readonly accept = true) {}
  async storeInsights(r: Pick<SurveyResponse, 'invitationId'>, insights: StoredInsights): Promise<boolean> {
    if (this.accept) this.stored.push({ invitationId: r.invitationId, insights });
    return this.accept;
  }
}

describe('classifyResponse', () => {
  it('Should store the topics and sentiment of a new comment, tagged with the response version', async () => {
    // Prepare
    const writer = new FakeWriter();

    // Act
    const outcome = await classifyResponse(response(), { classifier, writer });

    // Assess
    expect(outcome.status).toBe('stored');
    expect(writer.stored).toEqual([{ invitationId: 'inv-1', insights: expect.objectContaining({ topics: ['delivery'], sentiment: 'negative', version: 2 }) }]);
  });

  it('Should do nothing for a response already classified at its version (a redelivered record)', async () => {
    // Prepare
    const writer = new FakeWriter();
    const classified = response({ insights: { topics: ['delivery'], sentiment: 'negative', sentimentScore: -0.6, version: 2 } });

    // Act
    const outcome = await classifyResponse(classified, { classifier, writer });

    // Assess
    expect(outcome).toEqual({ status: 'already-classified' });
    expect(writer.stored).toEqual([]);
  });

  it('Should classify again when the comment was edited (a newer version)', () => {
    // Act
    const need = classificationFor(
      response({
        version: 3,
        comment: 'Zwrot pieniędzy bez problemu',
        insights: { topics: ['delivery'], sentiment: 'negative', sentimentScore: -0.6, version: 2 },
      }),
      classifier,
    );

    // Assess
    expect(need).toMatchObject({ status: 'classify', insights: { topics: ['returns'], sentiment: 'positive', version: 3 } });
  });

  it.each([undefined, '', '   '])('Should not classify a response without a comment (%j)', async (comment) => {
    // Act
    const outcome = await classifyResponse(response({ comment }), { classifier, writer: new FakeWriter() });

    // Assess
    expect(outcome).toEqual({ status: 'no-comment' });
  });

  it('Should report a superseded response when the store refused the write, and explain with cues, not words', async () => {
    // Act
    const outcome = await classifyResponse(response(), { classifier, writer: new FakeWriter(false) });

    // Assess
    expect(outcome).toMatchObject({
      status: 'superseded',
      evidence: [
        { topic: 'delivery', cue: 'kurier*' },
        { topic: 'delivery', cue: 'spóźni*' },
      ],
    });
  });
});

describe('readInsights', () => {
  const today = new Date('2026-11-30T12:00:00Z');
  const scoreBuckets: DailyBucket[] = [
    { metric: 'nps', dimension: 'store', value: 'store-1', day: '2026-11-28', histogram: { '3': 2, '9': 2 } },
    { metric: 'nps', dimension: 'store', value: 'store-2', day: '2026-11-28', histogram: { '0': 5 } },
    { metric: 'nps', dimension: 'store', value: 'store-1', day: '2026-11-20', histogram: { '3': 1, '9': 1 } }, // the window before
  ];
  const topicBuckets: DailyTopicBucket[] = [
    { metric: 'nps', dimension: 'store', value: 'store-1', day: '2026-11-28', cells: { 'c|3': 2, 't|delivery|3': 2, 's|delivery|negative': 2 } },
    { metric: 'nps', dimension: 'store', value: 'store-2', day: '2026-11-28', cells: { 'c|0': 5, 't|price|0': 5 } },
    { metric: 'nps', dimension: 'store', value: 'store-1', day: '2026-11-20', cells: { 'c|3': 1, 't|delivery|3': 1 } },
  ];
  const asked: string[] = [];
  const deps = {
    scores: {
      readBuckets: async (metric: string, dimension: string, from: string, to: string) => {
        asked.push(`scores ${metric} ${dimension} ${from}..${to}`);
        return scoreBuckets.filter((b) => b.dimension === dimension && b.day >= from && b.day <= to);
      },
    },
    topics: {
      readTopicBuckets: async (metric: string, dimension: string, from: string, to: string) => {
        asked.push(`topics ${metric} ${dimension} ${from}..${to}`);
        return topicBuckets.filter((b) => b.dimension === dimension && b.day >= from && b.day <= to);
      },
    },
    taxonomy: DEFAULT_TAXONOMY,
    now: () => today,
  };

  it('Should read one segment value over the window and the window before, and compare them', async () => {
    // Act
    const result = await readInsights({ metric: 'nps', window: '7d', dimension: 'store', value: 'store-1', lang: 'pl' }, deps);

    // Assess
    expect(asked).toContain('scores nps store 2026-11-17..2026-11-30');
    expect(result).toMatchObject({
      metric: 'nps',
      window: '7d',
      from: '2026-11-24',
      to: '2026-11-30',
      dimension: 'store',
      value: 'store-1',
      responses: 4,
      commented: 2,
    });
    expect(result.topics).toEqual([
      expect.objectContaining({
        topic: 'delivery',
        label: 'Dostawa',
        mentions: 2,
        share: 1,
        negative: 2,
        impact: 50,
        previous: { mentions: 1, share: 1, impact: 50 },
      }),
    ]);
  });
});

describe('readInsights samples', () => {
  it('Should give each topic its newest comments of the segment, without personal data', async () => {
    // Prepare
    const classified = (id: string, answeredAt: string, comment: string, store: string) =>
      response({
        invitationId: id,
        answeredAt,
        comment,
        segments: { survey: 'nps-post-purchase', channel: 'email', locale: 'pl', store },
        insights: { topics: ['delivery'], sentiment: 'negative', sentimentScore: -0.5, version: 2 },
      });
    const byDay: Record<string, SurveyResponse[]> = {
      '2026-11-29': [
        classified('a', '2026-11-29T08:00:00.000Z', 'Kurier spóźniony, dzwońcie +48 600 100 200', 'store-1'),
        classified('b', '2026-11-29T09:00:00.000Z', 'Kurier zgubił paczkę, pani Ania nie pomogła', 'store-1'),
        classified('c', '2026-11-29T10:00:00.000Z', 'Other store courier', 'store-2'),
      ],
      '2026-11-30': [classified('d', '2026-11-30T07:00:00.000Z', 'Dostawa po tygodniu, pisz: jan@example.com', 'store-1')],
    };
    const deps = {
      scores: { readBuckets: async () => [] },
      topics: {
        readTopicBuckets: async (): Promise<DailyTopicBucket[]> => [
          { metric: 'nps', dimension: 'store', value: 'store-1', day: '2026-11-29', cells: { 'c|3': 3, 't|delivery|3': 3 } },
        ],
      },
      taxonomy: DEFAULT_TAXONOMY,
      now: () => new Date('2026-11-30T12:00:00Z'),
      responses: {
        async *responsesOn(day: string) {
          for (const r of byDay[day] ?? []) yield { response: r };
        },
      },
    };

    // Act
    const result = await readInsights({ metric: 'nps', window: '7d', dimension: 'store', value: 'store-1', samples: 2 }, deps);

    // Assess
    expect(result.topics[0]!.samples!.map((s) => s.comment)).toEqual(['Dostawa po tygodniu, pisz: [e-mail]', 'Kurier zgubił paczkę, pani … nie pomogła']);
  });

  it('Should read older days only while a shown topic lacks samples, and none when no topic is shown', async () => {
    // Prepare: a delivery comment on each of the last three days
    const daysRead: string[] = [];
    const onDay = (day: string) =>
      response({
        invitationId: day,
        answeredAt: `${day}T08:00:00.000Z`,
        insights: { topics: ['delivery'], sentiment: 'negative', sentimentScore: -0.5, version: 2 },
      });
    const deps = (cells: Record<string, number>) => ({
      scores: { readBuckets: async () => [] },
      topics: { readTopicBuckets: async (): Promise<DailyTopicBucket[]> => [{ metric: 'nps', dimension: 'all', value: 'all', day: '2026-11-30', cells }] },
      taxonomy: DEFAULT_TAXONOMY,
      now: () => new Date('2026-11-30T12:00:00Z'),
      responses: {
        async *responsesOn(day: string) {
          daysRead.push(day);
          if (day >= '2026-11-28') yield { response: onDay(day) };
        },
      },
    });

    // Act
    const two = await readInsights({ metric: 'nps', window: '30d', samples: 2 }, deps({ 'c|3': 3, 't|delivery|3': 3 }));
    const readForTwo = daysRead.splice(0);
    const none = await readInsights({ metric: 'nps', window: '30d', samples: 2 }, deps({}));

    // Assess
    expect(two.topics[0]!.samples!.map((s) => s.answeredAt.slice(0, 10))).toEqual(['2026-11-30', '2026-11-29']);
    expect(readForTwo).toEqual(['2026-11-30', '2026-11-29']);
    expect(none.topics).toEqual([]);
    expect(daysRead).toEqual([]);
  });
});
