/**
 * The DynamoDB table module: everything about ankieta's single table lives in this folder.
 *   definition.ts     the table (keys, indexes, TTL, stream) the CDK stack and DynamoDB Local are built from
 *   keys.ts           index names, key prefixes and a key builder for every item kind
 *   filters.ts        the stream filter criteria, derived from those keys
 *   stream-images.ts  parsers of the stream records the consumers receive
 *   query.ts          the paginated query loop and the item → domain object helper
 *   ITEMS.md          every item kind: keys, index keys, who writes it, who reads it, TTL
 * This file is pure data: no CDK or SDK import, so the local runtime does not load aws-cdk-lib, and
 * `infra/` and `local/` import it from here (never the other way round).
 */
import { GSI1, GSI2 } from './keys.ts';

export interface KeyDef {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDef {
  indexName: string;
  partitionKey: KeyDef;
  sortKey: KeyDef;
  /**
   * ALL: each copy a full item, rewritten (and billed) on every change of the item. KEYS_ONLY: the table
   * and index keys only, written when an item enters, leaves or moves in the index; readers fetch the
   * items they need by key (docs/cost.md "Index projections"). INCLUDE: the keys and `nonKeyAttributes`,
   * rewritten only when one of those changes.
   */
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** INCLUDE only: the attributes the index's queries filter on (nothing the send's claim changes). */
  nonKeyAttributes?: readonly string[];
}

export const SURVEY_TABLE = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expiresAtEpoch',
  /** Old and new images: the aggregator needs old -> new to move a count when a score is edited. */
  streamViewType: 'NEW_AND_OLD_IMAGES',
  globalSecondaryIndexes: [
    // Due invitations (sparse: only while scheduled), alerts by status and responses by day. Only what its queries
    // filter on: the sweep's channel, erasure's customerId, a team view's segments. Not status or claimedAt, so
    // the send's claim writes no copy here; readers fetch the items by key (query.ts readFound).
    {
      indexName: GSI1.name,
      partitionKey: { name: GSI1.pk, type: 'S' },
      sortKey: { name: GSI1.sk, type: 'S' },
      projection: 'INCLUDE',
      nonKeyAttributes: ['channel', 'customerId', 'segments'],
    },
    // A customer's history: invitations and responses in time order; and the sparse ALERTS-DUE, HEALTH-RECHECK,
    // HELD-ANSWERS and SMSFROM queues. Keys only: an invitation's claim, send and funnel marks write no copy here.
    { indexName: GSI2.name, partitionKey: { name: GSI2.pk, type: 'S' }, sortKey: { name: GSI2.sk, type: 'S' }, projection: 'KEYS_ONLY' },
  ],
} as const satisfies {
  partitionKey: KeyDef;
  sortKey: KeyDef;
  timeToLiveAttribute: string;
  streamViewType: 'NEW_AND_OLD_IMAGES';
  globalSecondaryIndexes: readonly IndexDef[];
};

/**
 * The index GSI1's keys were read through before its projection became INCLUDE (DynamoDB cannot change a
 * projection in place, so the new one has a new name). Kept next to it for one deployment when a deployed
 * stack is upgraded (`-c keepRetiredIndex=true`, docs/deploy.md "Upgrading"): CloudFormation cannot delete
 * one index and create another in one update. Nothing reads it.
 */
export const RETIRED_GSI1: IndexDef = {
  indexName: 'GSI1',
  partitionKey: { name: GSI1.pk, type: 'S' },
  sortKey: { name: GSI1.sk, type: 'S' },
  projection: 'ALL',
};
