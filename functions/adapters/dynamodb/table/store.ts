/** What every store over the single table shares: the client, the table name and two small habits. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient, type UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_RETENTION_DAYS } from '../retention.ts';
import { maybeFromItem } from './query.ts';

export abstract class TableStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
    /** Days before personal items (invitations, responses, alerts) expire: RESPONSE_RETENTION_DAYS. */
    protected readonly retentionDays: number = DEFAULT_RETENTION_DAYS,
  ) {}

  /** The domain object under `key`, without its table attributes. */
  protected async read<T>(key: { pk: string; sk: string }, consistent = false): Promise<T | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ...(consistent ? { ConsistentRead: true } : {}) }));
    return maybeFromItem<T>(Item);
  }

  /** A write that only applies in a given state: false instead of an error when the state has moved on. */
  protected async writeIf(command: UpdateCommand | PutCommand): Promise<boolean> {
    try {
      // Two sends rather than one: the client's overloads take one command type at a time.
      if (command instanceof PutCommand) await this.db.send(command);
      else await this.db.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
