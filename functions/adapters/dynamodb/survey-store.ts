/**
 * The DynamoDB implementation of the domain's store ports, over the single table.
 * Every state change is a conditional write, so races end in a clear error instead of a lost update.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Alert, AlertStatus, Invitation, Metric, SegmentDimension, SurveyResponse } from '#surveys/model.ts';
import {
  ConcurrentUpdateError,
  DuplicateEventError,
  MergeTargetGoneError,
  type AlertStore,
  type CustomerHistoryReader,
  type CustomerProfile,
  type DailyBucket,
  type CancellationStore,
  type DeliveryFeedbackStore,
  type InvitationStore,
  type SubjectKey,
  type ResponseStore,
  type ScoreReader,
  type TriggerRecord,
  type TriggerStore,
} from '#surveys/ports.ts';
import { contactHash, DUE_SHARDS, epochSeconds, keys } from './keys.ts';
import { ScoreBucketReader } from './score-buckets.ts';

const DAY = 24 * 3600;
/** How long a sweep's claim on an invitation holds (the send function times out after 50 s). */
export const SEND_CLAIM_LEASE_SECONDS = 300;

/** Raw invitations and responses expire after this many days (personal data retention; aggregates stay). */
export const RETENTION_DAYS = Number(process.env.RESPONSE_RETENTION_DAYS ?? 400);

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, gsi2pk: _g2, gsi2sk: _g2s, expiresAtEpoch: _ttl, entity: _e, ...rest } = item;
  return rest as T;
}

export class DynamoSurveyStore
  implements TriggerStore, InvitationStore, CancellationStore, DeliveryFeedbackStore, ResponseStore, AlertStore, CustomerHistoryReader, ScoreReader
{
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getProfile(customerId: string): Promise<CustomerProfile | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.profile(customerId) }));
    return strip<CustomerProfile>(Item);
  }

  async recordTrigger({ eventKey, invitation, profile, companions = [], mergeInto, subject }: TriggerRecord): Promise<void> {
    const retentionEpoch = epochSeconds(invitation.createdAt) + RETENTION_DAYS * DAY;
    const eventItem = {
      Put: {
        TableName: this.tableName,
        // eventType, customerId and subjectRef are read from the stream (churn risk): keep them on every EVENT item.
        Item: {
          ...keys.event(eventKey),
          entity: 'event',
          invitationId: invitation.id,
          eventType: invitation.eventType,
          customerId: invitation.customerId,
          subjectRef: invitation.subjectRef,
          outcome: mergeInto ? 'merged' : invitation.status,
          receivedAt: invitation.createdAt,
          expiresAtEpoch: epochSeconds(invitation.createdAt) + 90 * DAY,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    const subjectItem = (invitationId: string) => ({
      Put: { TableName: this.tableName, Item: { ...keys.subject(subject, invitationId), entity: 'subject', invitationId, expiresAtEpoch: retentionEpoch } },
    });
    const profileItem = {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.profile(profile.customerId), entity: 'profile', ...profile, version: profile.version + 1 },
        ConditionExpression: profile.version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
        ...(profile.version === 0 ? {} : { ExpressionAttributeValues: { ':v': profile.version } }),
      },
    };
    const items = mergeInto
      ? [
          eventItem,
          {
            Update: {
              TableName: this.tableName,
              Key: keys.invitation(mergeInto),
              UpdateExpression: 'SET mergedSubjectRefs = list_append(if_not_exists(mergedSubjectRefs, :none), :ref)',
              ConditionExpression: '#s = :scheduled',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':none': [], ':ref': [invitation.subjectRef], ':scheduled': 'scheduled' },
            },
          },
          subjectItem(mergeInto),
          profileItem,
        ]
      : [
          eventItem,
          // eventKey: erasure finds the event's dedupe marker through it.
          ...[invitation, ...companions].map((i) => ({
            Put: { TableName: this.tableName, Item: { ...this.invitationItem(i, retentionEpoch), eventKey }, ConditionExpression: 'attribute_not_exists(pk)' },
          })),
          // Only a scheduled survey can be cancelled: skipped ones need no way back.
          ...[invitation, ...companions].filter((i) => i.status === 'scheduled').map((i) => subjectItem(i.id)),
          profileItem,
        ];
    // Hashed e-mail → customer, and its mirror under the customer: erasure by e-mail (surveys/use-cases/erase-customer.ts).
    const emailLookups = profile.email
      ? [keys.emailLookup(profile.email, profile.customerId), keys.customerEmail(profile.customerId, profile.email)].map((key) => ({
          Put: { TableName: this.tableName, Item: { ...key, entity: 'email-lookup', customerId: profile.customerId } },
        }))
      : [];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [...items, ...emailLookups] }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new DuplicateEventError(eventKey);
        if (mergeInto && reasons[1]?.Code === 'ConditionalCheckFailed') throw new MergeTargetGoneError(mergeInto);
        throw new ConcurrentUpdateError(`customer ${profile.customerId}`);
      }
      throw error;
    }
  }

  private invitationItem(invitation: Invitation, retentionEpoch: number) {
    return {
      ...keys.invitation(invitation.id),
      entity: 'invitation',
      ...invitation,
      ...(invitation.status === 'scheduled' ? { gsi1pk: keys.dueShard(invitation.id), gsi1sk: `${invitation.sendAt}#${invitation.id}` } : {}),
      gsi2pk: keys.customerHistory(invitation.customerId),
      gsi2sk: `${invitation.createdAt}#INV#${invitation.id}`,
      expiresAtEpoch: retentionEpoch,
    };
  }

  async listDue(now: string, limit: number): Promise<Invitation[]> {
    const perShard = await Promise.all(
      Array.from({ length: DUE_SHARDS }, (_, shard) =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'gsi1pk = :p AND gsi1sk <= :now',
            ExpressionAttributeValues: { ':p': `DUE#${shard}`, ':now': `${now}#~` },
            Limit: limit,
          }),
        ),
      ),
    );
    return perShard
      .flatMap((r) => (r.Items ?? []).map((i) => strip<Invitation>(i)!))
      .sort((a, b) => a.sendAt.localeCompare(b.sendAt))
      .slice(0, limit);
  }

  async claim(invitationId: string, now: string): Promise<Invitation | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.invitation(invitationId),
          // A claim is a lease: it stays on the due index at its expiry, so a sweep that died after claiming
          // (before sending, or before recording the send) is taken over by a later sweep — at least once.
          UpdateExpression: 'SET #s = :sending, claimedAt = :now, gsi1pk = :shard, gsi1sk = :lease',
          ConditionExpression: '#s = :scheduled OR (#s = :sending AND claimedAt < :expired)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':scheduled': 'scheduled',
            ':now': now,
            ':expired': new Date(Date.parse(now) - SEND_CLAIM_LEASE_SECONDS * 1000).toISOString(),
            ':shard': keys.dueShard(invitationId),
            ':lease': `${new Date(Date.parse(now) + SEND_CLAIM_LEASE_SECONDS * 1000).toISOString()}#${invitationId}`,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<Invitation>(Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async markSent(invitationId: string, sentAt: string, expiresAt: string, details: { sentTo?: string; reminderAt?: string } = {}): Promise<void> {
    const { sentTo, reminderAt } = details;
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression:
          'SET #s = :sent, sentAt = :at, expiresAt = :exp' +
          (sentTo ? ', contactHash = :hash' : '') +
          // The optional reminder waits in the due index like a scheduled send.
          (reminderAt ? ', reminderAt = :rem, gsi1pk = :shard, gsi1sk = :due' : '') +
          ' REMOVE failureReason' +
          (reminderAt ? '' : ', gsi1pk, gsi1sk'), // off the due index: the claim's lease is over
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':sending': 'sending',
          ':at': sentAt,
          ':exp': expiresAt,
          ...(sentTo ? { ':hash': contactHash(sentTo) } : {}),
          ...(reminderAt ? { ':rem': reminderAt, ':shard': keys.dueShard(invitationId), ':due': `${reminderAt}#${invitationId}` } : {}),
        },
      }),
    );
  }

  async markRetry(invitationId: string, retryAt: string, reason: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET #s = :scheduled, sendAt = :at, failureReason = :r, gsi1pk = :shard, gsi1sk = :due ADD attempts :one',
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':scheduled': 'scheduled',
          ':sending': 'sending',
          ':at': retryAt,
          ':r': reason,
          ':shard': keys.dueShard(invitationId),
          ':due': `${retryAt}#${invitationId}`,
          ':one': 1,
        },
      }),
    );
  }

  async markFailed(invitationId: string, reason: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET #s = :failed, failureReason = :r REMOVE gsi1pk, gsi1sk ADD attempts :one',
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':r': reason, ':one': 1 },
      }),
    );
  }

  // ---- Invitation lifecycle beyond sending: cancellation, merged orders, reminders, bounces (issue 3) ----

  /** An update that only applies in a given state: false instead of an error when the state has moved on. */
  private async conditionalUpdate(command: UpdateCommand): Promise<boolean> {
    try {
      await this.db.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markCancelled(invitationId: string, reason: string, at: string): Promise<void> {
    await this.conditionalUpdate(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET #s = :cancelled, failureReason = :r, cancelledAt = :at REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':cancelled': 'cancelled', ':sending': 'sending', ':r': reason, ':at': at },
      }),
    );
  }

  async cancelInvitation(invitationId: string, reason: string, at: string): Promise<boolean> {
    return this.conditionalUpdate(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET #s = :cancelled, failureReason = :r, cancelledAt = :at REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#s = :scheduled',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':cancelled': 'cancelled', ':scheduled': 'scheduled', ':r': reason, ':at': at },
      }),
    );
  }

  async dropSubject(invitationId: string, subjectRef: string): Promise<boolean> {
    const invitation = await this.getInvitation(invitationId);
    if (invitation?.status !== 'scheduled') return false;
    const remaining = [invitation.subjectRef, ...(invitation.mergedSubjectRefs ?? [])].filter((ref) => ref !== subjectRef);
    if (remaining.length === 0) return false;
    return this.conditionalUpdate(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET subjectRef = :first, mergedSubjectRefs = :rest',
        ConditionExpression: '#s = :scheduled AND subjectRef = :was',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':first': remaining[0], ':rest': remaining.slice(1), ':scheduled': 'scheduled', ':was': invitation.subjectRef },
      }),
    );
  }

  async invitationsAbout(subject: SubjectKey): Promise<Invitation[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :inv)',
        ExpressionAttributeValues: { ':p': keys.subject(subject, '').pk, ':inv': 'INV#' },
        ConsistentRead: true,
      }),
    );
    const found = await Promise.all(Items.map((item) => this.getInvitation(String(item.invitationId))));
    return found.filter((i): i is Invitation => i !== undefined);
  }

  async markSubjectCancelled(subject: SubjectKey, at: string, eventType: string): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.subjectCancelled(subject), entity: 'subject-cancelled', cancelledAt: at, eventType, expiresAtEpoch: epochSeconds(at) + 90 * DAY },
          // The latest cancellation wins; an older one arriving late changes nothing.
          ConditionExpression: 'attribute_not_exists(pk) OR cancelledAt < :at',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async subjectCancelledAt(subject: SubjectKey): Promise<{ at: string; eventType: string } | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.subjectCancelled(subject) }));
    return Item ? { at: String(Item.cancelledAt), eventType: String(Item.eventType) } : undefined;
  }

  async recordEvent(marker: { eventKey: string; eventType: string; customerId?: string; subjectRef: string; at: string; outcome: string }): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.event(marker.eventKey),
            entity: 'event',
            eventType: marker.eventType,
            ...(marker.customerId ? { customerId: marker.customerId } : {}),
            subjectRef: marker.subjectRef,
            outcome: marker.outcome,
            receivedAt: marker.at,
            expiresAtEpoch: epochSeconds(marker.at) + 90 * DAY,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releasePending(profile: CustomerProfile): Promise<void> {
    const previous = profile.pendingInvitation?.previousSurveyedAt;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.profile(profile.customerId),
          UpdateExpression: `SET version = :next${previous ? ', lastSurveyedAt = :prev' : ''} REMOVE pendingInvitation${previous ? '' : ', lastSurveyedAt'}`,
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': profile.version, ':next': profile.version + 1, ...(previous ? { ':prev': previous } : {}) },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentUpdateError(`customer ${profile.customerId}`);
      throw error;
    }
  }

  async claimReminder(invitationId: string, now: string): Promise<Invitation | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.invitation(invitationId),
          UpdateExpression: 'SET remindedAt = :now REMOVE gsi1pk, gsi1sk',
          ConditionExpression: '#s = :sent AND reminderAt <= :now AND attribute_not_exists(remindedAt)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':sent': 'sent', ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<Invitation>(Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async hasResponse(invitationId: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.response(invitationId), ProjectionExpression: 'pk', ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  async markUndeliverable(invitationId: string, reason: string, at: string): Promise<boolean> {
    return this.conditionalUpdate(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        // A bounced survey gets no reminder either.
        UpdateExpression: 'SET #s = :failed, failureReason = :r, bouncedAt = :at REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#s = :sent',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':sent': 'sent', ':r': reason, ':at': at },
      }),
    );
  }

  async getInvitation(invitationId: string): Promise<Invitation | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.invitation(invitationId), ConsistentRead: true }));
    return strip<Invitation>(Item);
  }

  async getResponse(invitationId: string): Promise<SurveyResponse | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.response(invitationId), ConsistentRead: true }));
    return strip<SurveyResponse>(Item);
  }

  async putResponse(next: SurveyResponse, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.response(next.invitationId),
            entity: 'response',
            ...next,
            gsi2pk: keys.customerHistory(next.customerId),
            gsi2sk: `${next.answeredAt}#RESP#${next.invitationId}`,
            // Responses by day (sharded: a busy day is not one hot index partition): the CSV export reads them.
            gsi1pk: keys.responsesByDay(next.answeredAt, keys.responseDayShard(next.invitationId)),
            gsi1sk: `${next.answeredAt}#${next.invitationId}`,
            expiresAtEpoch: epochSeconds(next.answeredAt) + RETENTION_DAYS * DAY,
          },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentUpdateError(`response ${next.invitationId}`);
      throw error;
    }
  }

  async createAlert(alert: Alert): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.alertItem(alert),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.alert(id), ConsistentRead: true }));
    return strip<Alert>(Item);
  }

  /** GSI1: alerts by status, newest first; GSI2 (sparse): alerts the sweep must act on, by dueAt. Alerts hold comments: same retention as responses. */
  private alertItem(alert: Alert) {
    return {
      ...keys.alert(alert.id),
      entity: 'alert',
      ...alert,
      gsi1pk: keys.alertsByStatus(alert.status),
      gsi1sk: `${alert.createdAt}#${alert.id}`,
      ...(alert.dueAt ? { gsi2pk: keys.alertsDue(), gsi2sk: `${alert.dueAt}#${alert.id}` } : {}),
      expiresAtEpoch: epochSeconds(alert.createdAt) + RETENTION_DAYS * DAY,
    };
  }

  async saveAlert(next: Alert, expectedRevision: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.alertItem(next),
          // Alerts written before revisions existed count as revision 0.
          ConditionExpression: expectedRevision === 0 ? 'attribute_exists(pk) AND attribute_not_exists(revision)' : 'revision = :r',
          ...(expectedRevision === 0 ? {} : { ExpressionAttributeValues: { ':r': expectedRevision } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentUpdateError(`alert ${next.id}`);
      throw error;
    }
  }

  async listDueAlerts(now: string, limit: number): Promise<Alert[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'gsi2pk = :p AND gsi2sk <= :now',
        ExpressionAttributeValues: { ':p': keys.alertsDue(), ':now': `${now}#~` },
        Limit: limit,
      }),
    );
    return Items.map((i) => strip<Alert>(i)!);
  }

  async listAlertsCreatedBetween(status: AlertStatus, from: string, to: string): Promise<Alert[]> {
    const out: Alert[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':p': keys.alertsByStatus(status), ':from': from, ':to': `${to}#~` },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) out.push(strip<Alert>(item)!);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return out;
  }

  /** A customer's responses from their history (GSI2), newest first; invitations in between are skipped. */
  async listCustomerResponses(customerId: string, limit: number): Promise<SurveyResponse[]> {
    const out: SurveyResponse[] = [];
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; page < 5 && out.length < limit; page++) {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'gsi2pk = :p',
          FilterExpression: 'entity = :response',
          ExpressionAttributeValues: { ':p': keys.customerHistory(customerId), ':response': 'response' },
          ScanIndexForward: false,
          Limit: 4 * limit,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) out.push(strip<SurveyResponse>(item)!);
      startKey = result.LastEvaluatedKey;
      if (!startKey) break;
    }
    return out.slice(0, limit);
  }

  async listAlerts(status?: AlertStatus, limit = 100): Promise<Alert[]> {
    const statuses: AlertStatus[] = status ? [status] : ['open', 'acked', 'resolved'];
    const pages = await Promise.all(
      statuses.map((s) =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'gsi1pk = :p',
            ExpressionAttributeValues: { ':p': keys.alertsByStatus(s) },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      ),
    );
    return pages
      .flatMap((p) => (p.Items ?? []).map((i) => strip<Alert>(i)!))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit);
  }

  /** Daily histograms, read from the score pages (functions/adapters/dynamodb/score-buckets.ts). */
  readBuckets(metric: Metric, dimension: SegmentDimension, fromDay: string, toDay: string): Promise<DailyBucket[]> {
    return new ScoreBucketReader(this.db, this.tableName).readBuckets(metric, dimension, fromDay, toDay);
  }
}
