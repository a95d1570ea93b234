/** The respond function's request limits against DynamoDB Local: fixed windows shared by every container. */
import { beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoRateLimiter } from '../../functions/adapters/dynamodb/rate-limiter.ts';
import type { RateRule } from '../../functions/shared/rate-limit.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import { freshTable } from '../support/table.ts';

type Table = Awaited<ReturnType<typeof freshTable>>;
const rule: RateRule = { scope: 'link', limit: 6, windowSeconds: 60 };
const WINDOW_START = Date.parse('2026-11-23T12:00:00.000Z');
const at = (ms: number) => new Date(WINDOW_START + ms);

/** A document client that counts what it sends. */
function counting(db: DynamoDBDocumentClient) {
  const counter = { sent: 0 };
  const client = { send: (command: unknown) => (counter.sent++, db.send(command as never)) } as unknown as DynamoDBDocumentClient;
  return { client, counter };
}

let table: Table;
beforeAll(async () => {
  table = await freshTable();
});

describe('fixed-window limits', () => {
  it('Should allow the weight up to the limit, refuse past it with the seconds left, and count per subject', async () => {
    // Prepare
    const limiter = new DynamoRateLimiter(table.doc, table.tableName);
    const hit = (subject: string, weight: number, ms: number) => limiter.hit([{ rule, subject, weight }], at(ms));

    // Act
    const decisions = [await hit('inv-a', 1, 0), await hit('inv-a', 3, 1_000), await hit('inv-a', 2, 2_000), await hit('inv-a', 1, 15_000)];
    const other = await hit('inv-b', 3, 16_000);

    // Assess
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 45, scope: 'link' });
    expect(other).toEqual({ allowed: true });
  });

  it('Should share the count between limiters (containers), and start afresh in the next window', async () => {
    // Prepare
    const first = new DynamoRateLimiter(table.doc, table.tableName);
    const second = new DynamoRateLimiter(table.doc, table.tableName);

    // Act
    await first.hit([{ rule, subject: 'inv-c', weight: 6 }], at(0));
    const elsewhere = await second.hit([{ rule, subject: 'inv-c' }], at(10_000));
    const nextWindow = await second.hit([{ rule, subject: 'inv-c' }], at(60_000));

    // Assess
    expect(elsewhere.allowed).toBe(false);
    expect(nextWindow.allowed).toBe(true);
  });

  it('Should refuse when any of its rules is exceeded, naming that one', async () => {
    // Prepare
    const limiter = new DynamoRateLimiter(table.doc, table.tableName);
    const address: RateRule = { scope: 'addr', limit: 2, windowSeconds: 60 };

    // Act
    const decisions = [];
    for (let i = 0; i < 3; i++)
      decisions.push(
        await limiter.hit(
          [
            { rule: address, subject: '83.12.34.56' },
            { rule, subject: `inv-d${i}` },
          ],
          at(i),
        ),
      );

    // Assess
    expect(decisions.map((d) => (d.allowed ? 'ok' : d.scope))).toEqual(['ok', 'ok', 'addr']);
  });

  it('Should stop writing for a subject it knows is over its limit, until the window ends', async () => {
    // Prepare
    const { client, counter } = counting(table.doc);
    const limiter = new DynamoRateLimiter(client, table.tableName);
    await limiter.hit([{ rule, subject: 'inv-e', weight: 7 }], at(0));
    const afterFirst = counter.sent;

    // Act
    for (let i = 1; i <= 20; i++) await limiter.hit([{ rule, subject: 'inv-e' }], at(i * 100));

    // Assess
    expect(afterFirst).toBe(1);
    expect(counter.sent).toBe(1);
  });

  it('Should keep only hashes of its subjects, expiring after two windows', async () => {
    // Prepare
    const limiter = new DynamoRateLimiter(table.doc, table.tableName);

    // Act
    await limiter.hit([{ rule: { scope: 'addr', limit: 10, windowSeconds: 60 }, subject: '198.51.100.23' }], at(0));
    const { Items = [] } = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.rateLimit('addr', '198.51.100.23', WINDOW_START).pk },
      }),
    );

    // Assess
    expect(Items).toEqual([
      { ...keys.rateLimit('addr', '198.51.100.23', WINDOW_START), entity: 'rate-limit', hits: 1, expiresAtEpoch: WINDOW_START / 1000 + 120 },
    ]);
    expect(JSON.stringify(Items)).not.toContain('198.51.100.23');
  });
});
