/**
 * ankieta's single DynamoDB table, built from SURVEY_TABLE (functions/adapters/dynamodb/table/definition.ts): the key
 * schema, indexes, TTL attribute and stream view are read from there, never repeated here.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type IndexDef, type KeyDef, RETIRED_GSI1, SURVEY_TABLE } from '../../functions/adapters/dynamodb/table/definition.ts';

const ATTRIBUTE_TYPES: Record<KeyDef['type'], dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
};

function attribute(key: KeyDef): dynamodb.Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

/** Item-level actions only: no Scan, no table management, no stream reads (stream consumers get those from their event source). */
export const ITEM_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'] as const;
/** Transactions need no action of their own: TransactWriteItems is authorized per Put/Update/Delete/ConditionCheck inside it. */
export const ITEM_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;

export class SurveyTable extends Construct {
  readonly table: dynamodb.Table;

  /** The indexes the table has: SURVEY_TABLE's, and the retired GSI1 during an upgrade. */
  private readonly indexes: readonly IndexDef[];

  /**
   * `keepRetiredIndex`: keep the retired GSI1 (ALL) next to its INCLUDE successor for one deployment, the
   * first step of upgrading a deployed stack (docs/deploy.md "Upgrading a deployed stack").
   */
  constructor(scope: Construct, id: string, props: { tableName?: string; keepRetiredIndex?: boolean } = {}) {
    super(scope, id);

    this.table = new dynamodb.Table(this, 'Table', {
      tableName: props.tableName, // set only for a named stage (infra/naming.ts)
      partitionKey: attribute(SURVEY_TABLE.partitionKey),
      sortKey: attribute(SURVEY_TABLE.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: SURVEY_TABLE.timeToLiveAttribute,
      stream: dynamodb.StreamViewType[SURVEY_TABLE.streamViewType],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Responses and scores are the product: neither a stack update nor a stack deletion may drop them.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The retired GSI1 first, where it was: CloudFormation then sees one index added, none removed.
    this.indexes = [...(props.keepRetiredIndex ? [RETIRED_GSI1] : []), ...SURVEY_TABLE.globalSecondaryIndexes];
    for (const index of this.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: dynamodb.ProjectionType[index.projection],
        nonKeyAttributes: index.nonKeyAttributes ? [...index.nonKeyAttributes] : undefined,
      });
    }
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /** Get, query (table and every index) and condition checks. */
  grantReadItems(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: [...ITEM_READ_ACTIONS], resourceArns: this.tableAndIndexArns() });
  }

  /** grantReadItems plus put, update, delete and batch writes on the table. */
  grantReadWriteItems(grantee: iam.IGrantable): iam.Grant {
    return this.grantReadItems(grantee).combine(iam.Grant.addToPrincipal({ grantee, actions: [...ITEM_WRITE_ACTIONS], resourceArns: [this.table.tableArn] }));
  }

  /** The table and each of its indexes by name, instead of an `index/*` wildcard (the retired one too: functions not yet updated read it). */
  private tableAndIndexArns(): string[] {
    return [this.table.tableArn, ...this.indexes.map((index) => `${this.table.tableArn}/index/${index.indexName}`)];
  }
}
