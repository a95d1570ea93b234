/**
 * Cancelling surveys when what they are about is undone (refund, reopen): the subject → invitation
 * pointers, the subject's cancellation marker, the cancelling event's dedupe marker and the customer's
 * fatigue window given back. Conditional writes: a survey that has moved on is left alone.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Invitation } from '#surveys/model.ts';
import { ConcurrentUpdateError, type CancellationStore, type CustomerProfile, type SubjectKey } from '#surveys/ports.ts';
import { DAY_SECONDS, EVENT_MARKER_DAYS, SUBJECT_CANCELLED_DAYS } from './retention.ts';
import { ENTITY, epochSeconds, keys, PK } from './table/keys.ts';
import { queryOnce } from './table/query.ts';
import { readProfile } from './profile-item.ts';
import { TableStore } from './table/store.ts';
import { endInvitation } from './invitation-store.ts';

export class DynamoCancellationStore extends TableStore implements CancellationStore {
  getProfile(customerId: string): Promise<CustomerProfile | undefined> {
    return readProfile(this.db, this.tableName, customerId);
  }

  cancelInvitation(invitationId: string, reason: string, at: string): Promise<boolean> {
    return this.writeIf(endInvitation(this.tableName, invitationId, { from: 'scheduled', to: 'cancelled', reason, at: { name: 'cancelledAt', value: at } }));
  }

  async dropSubject(invitationId: string, subjectRef: string): Promise<boolean> {
    const invitation = await this.read<Invitation>(keys.invitation(invitationId), true);
    if (invitation?.status !== 'scheduled') return false;
    const remaining = [invitation.subjectRef, ...(invitation.mergedSubjectRefs ?? [])].filter((ref) => ref !== subjectRef);
    if (remaining.length === 0) return false;
    return this.writeIf(
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
    // One page: a subject has a handful of pointers (one per survey ever sent about it).
    const pointers = await queryOnce(this.db, this.tableName, {
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :inv)',
      ExpressionAttributeValues: { ':p': keys.subjectPartition(subject), ':inv': PK.invitation },
      ConsistentRead: true,
    });
    const found = await Promise.all(pointers.map((item) => this.read<Invitation>(keys.invitation(String(item.invitationId)), true)));
    return found.filter((i): i is Invitation => i !== undefined);
  }

  async markSubjectCancelled(subject: SubjectKey, at: string, eventType: string): Promise<void> {
    await this.writeIf(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.subjectCancelled(subject),
          entity: 'subject-cancelled',
          cancelledAt: at,
          eventType,
          expiresAtEpoch: epochSeconds(at) + SUBJECT_CANCELLED_DAYS * DAY_SECONDS,
        },
        // The latest cancellation wins; an older one arriving late changes nothing.
        ConditionExpression: 'attribute_not_exists(pk) OR cancelledAt < :at',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async subjectCancelledAt(subject: SubjectKey): Promise<{ at: string; eventType: string } | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.subjectCancelled(subject) }));
    return Item ? { at: String(Item.cancelledAt), eventType: String(Item.eventType) } : undefined;
  }

  recordEvent(marker: { eventKey: string; eventType: string; customerId?: string; subjectRef: string; at: string; outcome: string }): Promise<boolean> {
    return this.writeIf(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.event(marker.eventKey),
          entity: ENTITY.event,
          eventType: marker.eventType,
          ...(marker.customerId ? { customerId: marker.customerId } : {}),
          subjectRef: marker.subjectRef,
          outcome: marker.outcome,
          receivedAt: marker.at,
          expiresAtEpoch: epochSeconds(marker.at) + EVENT_MARKER_DAYS * DAY_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
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
}
