/**
 * The one definition of ankieta's single table. The CDK stack (infra/constructs/survey-table.ts) and the
 * local runtime (local/dynamodb.ts) both build their table from this object: there is no second copy of
 * the key schema. Pure data: no CDK or SDK import, so the local runtime does not load aws-cdk-lib.
 *
 * Item layout (pk / sk):
 *   CUST#<customerId>      / PROFILE               customer profile: contact, consent, last surveyed
 *   EVENT#<source>#<id>    / EVENT                 dedupe record of a commerce event (TTL)
 *   INV#<invitationId>     / INVITATION            invitation; GSI1 = due index while scheduled
 *   INV#<invitationId>     / RESPONSE              the response (score, comment, version); streamed
 *   AGG#<metric>#<dim>     / DAY#<yyyy-mm-dd>#<value>  daily histogram bucket with stream watermarks
 *   ALERT#<alertId>        / ALERT                 alert; GSI1 = alerts by status, GSI2 = ALERTS-DUE (sweep) while due
 *   CUST#<customerId>      / HEALTH                customer health (churn risk); GSI2 = HEALTH-RECHECK while pending
 *   QUARANTINE#<day>       / <ts>#<id>             input that could not be processed, with its reason
 */
export interface KeyDef {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDef {
  indexName: string;
  partitionKey: KeyDef;
  sortKey: KeyDef;
}

export const SURVEY_TABLE = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expiresAtEpoch',
  /** Old and new images: the aggregator needs old -> new to move a count when a score is edited. */
  streamViewType: 'NEW_AND_OLD_IMAGES',
  globalSecondaryIndexes: [
    // Due invitations (sparse: only while scheduled) and alerts by status.
    { indexName: 'GSI1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' } },
    // A customer's history: invitations and responses in time order; and the sparse ALERTS-DUE and HEALTH-RECHECK queues.
    { indexName: 'GSI2', partitionKey: { name: 'gsi2pk', type: 'S' }, sortKey: { name: 'gsi2sk', type: 'S' } },
  ],
} as const satisfies {
  partitionKey: KeyDef;
  sortKey: KeyDef;
  timeToLiveAttribute: string;
  streamViewType: 'NEW_AND_OLD_IMAGES';
  globalSecondaryIndexes: readonly IndexDef[];
};

/** Stream records the response consumers (aggregator, alerts) receive: final responses only.
 * The CDK event source mapping and the local stream reader both apply exactly this filter, so the
 * aggregator's own bucket writes never trigger it. Lambda filter pattern syntax. */
export const FINAL_RESPONSE_FILTER = {
  dynamodb: {
    NewImage: {
      sk: { S: ['RESPONSE'] },
      status: { S: ['final'] },
    },
  },
} as const;

/** Commerce events as they are first recorded (their EVENT dedupe items): customer health reads them. */
export const COMMERCE_EVENT_FILTER = {
  eventName: ['INSERT'],
  dynamodb: {
    NewImage: {
      sk: { S: ['EVENT'] },
      entity: { S: ['event'] },
    },
  },
} as const;
