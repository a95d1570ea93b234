/**
 * ankieta's single DynamoDB table, built from SURVEY_TABLE (functions/adapters/dynamodb/table/definition.ts): the key
 * schema, indexes, TTL attribute and stream view are read from there, never repeated here.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SURVEY_TABLE, type KeyDef } from '../../functions/adapters/dynamodb/table/definition.ts';

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

  constructor(scope: Construct, id: string, props: { tableName?: string } = {}) {
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

    for (const index of SURVEY_TABLE.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: dynamodb.ProjectionType[index.projection],
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

  /** The table and each index named in SURVEY_TABLE, instead of an `index/*` wildcard. */
  private tableAndIndexArns(): string[] {
    return [this.table.tableArn, ...SURVEY_TABLE.globalSecondaryIndexes.map((index) => `${this.table.tableArn}/index/${index.indexName}`)];
  }
}
