/**
 * Fixed-window request limits shared by every container (and the local runtime, which runs the same
 * code against DynamoDB Local): one counter item per subject and window, `ADD hits` in one
 * UpdateItem, expired by TTL. Subjects (an address, an invitation id) are stored hashed.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#functions/adapters/dynamodb/table/keys.ts';
import type { RateDecision, RateLimiter, RateRule } from '#functions/shared/rate-limit.ts';

export class DynamoRateLimiter implements RateLimiter {
  /** Subjects known to be over a limit until a time: no write while they keep knocking. */
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(checks: Array<{ rule: RateRule; subject: string; weight?: number }>, now: Date): Promise<RateDecision> {
    const nowMs = now.getTime();
    for (const { rule, subject } of checks) {
      const until = this.blockedUntil.get(`${rule.scope}|${subject}`);
      if (until !== undefined && until > nowMs) return { allowed: false, retryAfterSeconds: Math.ceil((until - nowMs) / 1000), scope: rule.scope };
    }
    const counts = await Promise.all(
      checks.map(async ({ rule, subject, weight = 1 }) => {
        const windowMs = rule.windowSeconds * 1000;
        const windowStart = Math.floor(nowMs / windowMs) * windowMs;
        const { Attributes } = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.rateLimit(rule.scope, subject, windowStart),
            UpdateExpression: 'ADD hits :w SET entity = :entity, expiresAtEpoch = :ttl',
            ExpressionAttributeValues: { ':w': weight, ':entity': 'rate-limit', ':ttl': Math.ceil((windowStart + 2 * windowMs) / 1000) },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        return { rule, subject, hits: Number(Attributes?.hits ?? weight), windowEnd: windowStart + windowMs };
      }),
    );
    const over = counts.find((c) => c.hits > c.rule.limit);
    if (!over) return { allowed: true };
    this.blockedUntil.set(`${over.rule.scope}|${over.subject}`, over.windowEnd);
    if (this.blockedUntil.size > 10_000) this.blockedUntil.clear(); // bounded memory; DynamoDB still knows
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((over.windowEnd - nowMs) / 1000)), scope: over.rule.scope };
  }
}
