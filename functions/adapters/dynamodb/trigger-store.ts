/**
 * Recording a commerce event that triggers a survey, in one transaction: the event's dedupe marker, the
 * invitation(s) or the merge into a pending one, the subject pointers, the customer profile and the
 * hashed e-mail lookups. A race ends in a clear error (duplicate, merge target gone, concurrent update).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Invitation } from '#surveys/model.ts';
import {
  ConcurrentUpdateError,
  DuplicateEventError,
  MergeTargetGoneError,
  type CustomerProfile,
  type TriggerRecord,
  type TriggerStore,
} from '#surveys/ports.ts';
import { DAY_SECONDS, EVENT_MARKER_DAYS } from './retention.ts';
import { ENTITY, epochSeconds, indexKeys, keys } from './table/keys.ts';
import { TableStore } from './table/store.ts';

export class DynamoTriggerStore extends TableStore implements TriggerStore {
  getProfile(customerId: string): Promise<CustomerProfile | undefined> {
    return this.read<CustomerProfile>(keys.profile(customerId));
  }

  async recordTrigger({ eventKey, invitation, profile, companions = [], mergeInto, subject }: TriggerRecord): Promise<void> {
    const retentionEpoch = epochSeconds(invitation.createdAt) + this.retentionDays * DAY_SECONDS;
    const eventItem = {
      Put: {
        TableName: this.tableName,
        // eventType, customerId and subjectRef are read from the stream (churn risk): keep them on every EVENT item.
        Item: {
          ...keys.event(eventKey),
          entity: ENTITY.event,
          invitationId: invitation.id,
          eventType: invitation.eventType,
          customerId: invitation.customerId,
          subjectRef: invitation.subjectRef,
          outcome: mergeInto ? 'merged' : invitation.status,
          receivedAt: invitation.createdAt,
          expiresAtEpoch: epochSeconds(invitation.createdAt) + EVENT_MARKER_DAYS * DAY_SECONDS,
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
        // Inactive for the retention period (no new survey) → the profile expires like its invitations.
        Item: { ...keys.profile(profile.customerId), entity: 'profile', ...profile, version: profile.version + 1, expiresAtEpoch: retentionEpoch },
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
            Put: { TableName: this.tableName, Item: { ...invitationItem(i, retentionEpoch), eventKey }, ConditionExpression: 'attribute_not_exists(pk)' },
          })),
          // Only a scheduled survey can be cancelled: skipped ones need no way back.
          ...[invitation, ...companions].filter((i) => i.status === 'scheduled').map((i) => subjectItem(i.id)),
          profileItem,
        ];
    // Hashed e-mail → customer, and its mirror under the customer: erasure by e-mail (surveys/use-cases/erase-customer.ts).
    const emailLookups = profile.email
      ? [keys.emailLookup(profile.email, profile.customerId), keys.customerEmail(profile.customerId, profile.email)].map((key) => ({
          Put: { TableName: this.tableName, Item: { ...key, entity: 'email-lookup', customerId: profile.customerId, expiresAtEpoch: retentionEpoch } },
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
}

/** An invitation item: on the due index while scheduled, in its customer's history always. */
function invitationItem(invitation: Invitation, retentionEpoch: number) {
  return {
    ...keys.invitation(invitation.id),
    entity: ENTITY.invitation,
    ...invitation,
    ...(invitation.status === 'scheduled' ? indexKeys.due(invitation.id, invitation.sendAt) : {}),
    ...indexKeys.invitationHistory(invitation.customerId, invitation.createdAt, invitation.id),
    expiresAtEpoch: retentionEpoch,
  };
}
