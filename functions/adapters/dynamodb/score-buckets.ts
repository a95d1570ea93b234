/**
 * Applies pre-aggregated bucket deltas exactly once under at-least-once stream delivery.
 *
 * Each bucket item keeps, per stream shard, a watermark: the sequence number of the last change it
 * has absorbed. A delta is written with one conditional UpdateItem ("watermark below my first
 * change"), so a batch delivered again — whole, bisected, or from a partial-failure checkpoint — is a
 * no-op for the buckets it already reached. When the condition fails the bucket is read and only the
 * changes past its watermark are applied. Records of one shard arrive in order (parallelization
 * factor 1), which is what makes a single watermark per shard sufficient.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, type ReturnConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { deltaAfter, firstSeq, type BucketDelta } from '#surveys/aggregation.ts';
import { keys } from './keys.ts';
import { scoreAttribute } from './survey-store.ts';

export interface ApplyResult {
  applied: boolean;
  consumedWriteUnits: number;
  consumedReadUnits: number;
}

export class ScoreBucketWriter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly returnConsumedCapacity: ReturnConsumedCapacity = 'NONE',
  ) {}

  private watermarkAttribute(shardId: string): string {
    return `wm_${shardId}`;
  }

  async apply(delta: BucketDelta, shardId: string): Promise<ApplyResult> {
    const result: ApplyResult = { applied: false, consumedWriteUnits: 0, consumedReadUnits: 0 };
    let pending: BucketDelta | undefined = delta;
    let conditionSeq = firstSeq(delta);
    for (let attempt = 0; attempt < 3 && pending; attempt++) {
      try {
        await this.write(pending, shardId, conditionSeq, result);
        result.applied = true;
        return result;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        result.consumedWriteUnits += 1; // a failed conditional write still consumes a write unit
        const watermark = await this.readWatermark(delta, shardId, result);
        pending = deltaAfter(delta, watermark);
        if (pending) conditionSeq = firstSeq(pending);
      }
    }
    return result; // nothing left past the watermark: this delta was already applied
  }

  private async write(delta: BucketDelta, shardId: string, conditionSeq: string, result: ApplyResult): Promise<void> {
    const names: Record<string, string> = { '#wm': this.watermarkAttribute(shardId) };
    const values: Record<string, unknown> = { ':first': conditionSeq, ':last': delta.lastSeq };
    const adds: string[] = [];
    let n = 0;
    Object.entries(delta.histogram).forEach(([score, count], i) => {
      if (count === 0) return;
      names[`#s${i}`] = scoreAttribute(score);
      values[`:d${i}`] = count;
      adds.push(`#s${i} :d${i}`);
      n += count;
    });
    if (n !== 0) {
      values[':n'] = n;
      adds.push('responses :n');
    }
    const { key } = delta;
    Object.assign(values, { ':metric': key.metric, ':dimension': key.dimension, ':value': key.value, ':day': key.day });
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.bucket(key),
        UpdateExpression: `SET #wm = :last, metric = :metric, dimension = :dimension, #v = :value, #day = :day${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
        ConditionExpression: 'attribute_not_exists(#wm) OR #wm < :first',
        ExpressionAttributeNames: { ...names, '#v': 'value', '#day': 'day' },
        ExpressionAttributeValues: values,
        ReturnConsumedCapacity: this.returnConsumedCapacity,
      }),
    );
    result.consumedWriteUnits += out.ConsumedCapacity?.CapacityUnits ?? 1;
  }

  private async readWatermark(delta: BucketDelta, shardId: string, result: ApplyResult): Promise<string | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.bucket(delta.key),
        ProjectionExpression: '#wm',
        ExpressionAttributeNames: { '#wm': this.watermarkAttribute(shardId) },
        ConsistentRead: true,
        ReturnConsumedCapacity: this.returnConsumedCapacity,
      }),
    );
    result.consumedReadUnits += out.ConsumedCapacity?.CapacityUnits ?? 1;
    return out.Item?.[this.watermarkAttribute(shardId)] as string | undefined;
  }
}
