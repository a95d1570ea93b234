/**
 * Comments of imported history: a row with a comment answered within the retention period becomes a
 * history response (counted by the stream aggregator), every other row is folded into the score pages.
 */
import { describe, expect, it } from 'vitest';
import { historyResponseItem, pageWrites } from '../../functions/adapters/dynamodb/history-import.ts';
import { mapColumns, mapRow, splitComments, type ImportedAnswer } from '../../surveys/history-import.ts';
import { responseRecordSchema } from '../../surveys/model.ts';

const now = new Date('2026-11-20T12:00:00Z');
const options = { metric: 'nps' as const, source: 'delighted', now, retentionDays: 400 };
const map = mapColumns(['Response ID', 'Score', 'Comment', 'Response Timestamp']);

function answer(id: string, comment: string, at = '2026-05-01 10:00:00 UTC', score = '9'): ImportedAnswer {
  const outcome = mapRow([id, score, comment, at], map, options);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.answer;
}

describe('comments of imported rows', () => {
  it('Should keep the comment of a row answered within the retention period, trimmed', () => {
    // Act
    const a = answer('r-1', '  Great, fast  ');

    // Assess
    expect(a.comment).toBe('Great, fast');
  });

  it('Should keep only the score of a row whose comment would already have expired', () => {
    // Act: 2025-10-15 + 400 days is before now
    const a = answer('r-1', 'Great, fast', '2025-10-15 10:00:00 UTC');

    // Assess
    expect(a.comment).toBeUndefined();
    expect(a.score).toBe(9);
  });

  it('Should import no comment when no retention period is given', () => {
    // Act
    const outcome = mapRow(['r-1', '9', 'Great', '2026-05-01 10:00:00 UTC'], map, { ...options, retentionDays: undefined });

    // Assess
    expect(outcome.ok && outcome.answer.comment).toBeUndefined();
  });

  it('Should give a row the same id with or without its comment, so a later export matches it', () => {
    // Assess
    expect(answer('r-1', 'Great').id).toBe(answer('r-1', '').id);
  });

  it('Should split a batch into responses (with a comment) and scores (without), each row in one of them', () => {
    // Prepare
    const rows = [answer('r-1', 'Great'), answer('r-2', ''), answer('r-3', 'Slow', '2026-05-02 10:00:00 UTC', '3'), answer('r-4', '   ')];

    // Act
    const { responses, scores } = splitComments(rows);

    // Assess
    expect(responses.map((a) => a.id)).toEqual([rows[0]!.id, rows[2]!.id]);
    expect(scores.map((a) => a.id)).toEqual([rows[1]!.id, rows[3]!.id]);
  });

  it('Should fold only the rows without a comment into the page writes', () => {
    // Prepare
    const rows = [answer('r-1', 'Great'), answer('r-2', ''), answer('r-3', '', '2026-05-01 11:00:00 UTC', '3')];

    // Act
    const writes = pageWrites(splitComments(rows).scores);

    // Assess: two rows in every page (all, survey, channel...), not three
    for (const w of writes) expect(Object.values(w.cells).reduce((n, c) => n + c, 0)).toBe(2);
  });

  it('Should write a comment row as a final response the stream consumers parse, marked as history, expiring after the retention period', () => {
    // Prepare
    const a = answer('r-1', 'Great');

    // Act
    const item = historyResponseItem(a, 'delighted', '2026-11-20T12:00:00.000Z', 400);

    // Assess
    expect(responseRecordSchema.safeParse(item).success).toBe(true);
    expect(item).toMatchObject({ sk: 'RESPONSE', invitationId: a.id, history: 'delighted', evidence: 'import', status: 'final', comment: 'Great', score: 9 });
    expect(item.expiresAtEpoch).toBe(Date.parse('2026-05-01T10:00:00Z') / 1000 + 400 * 86_400);
    expect(JSON.stringify(item)).not.toContain('@'); // nothing personal besides the comment
  });
});
