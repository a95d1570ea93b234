/**
 * Recording a commerce event that triggers a survey. First the pointers, plain idempotent puts: the
 * subject → invitation pointers and the hashed e-mail lookups. Then one transaction: the event's
 * dedupe marker, the invitation(s) or the merge into a pending one, and the customer profile. A race
 * ends in a clear error (duplicate, merge target gone, concurrent update).
 * Why the pointers are outside the transaction (docs/cost.md, "Write units item by item"): a
 * transaction bills 2 WCU per item, a put 1. Written first, they exist whenever the invitation does
 * (a refund finds it, erasure by e-mail finds the customer); a death before the transaction leaves
 * pointers to an invitation that never came, which their readers skip, and the redelivery writes them again.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Invitation } from '#surveys/model.ts';
import {
  ConcurrentUpdateError,
  DuplicateEventError,
  MergeTargetGoneError,
  type CustomerProfile,
  type TriggerRecord,
  type TriggerStore,
} from '#surveys/ports.ts';
import { DAY_SECONDS, EVENT_MARKER_DAYS, invitationExpiry, SUBJECT_POINTER_DAYS, UNSENT_INVITATION_DAYS } from './retention.ts';
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
    const pointer = (item: Record<string, unknown>) => this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
    // Needed only while the survey is scheduled (docs/cost.md "Storage by need").
    const pointerEpoch = invitationExpiry(invitation.sendAt, SUBJECT_POINTER_DAYS, invitation.createdAt, this.retentionDays);
    const subjectPointer = (invitationId: string) =>
      pointer({ ...keys.subject(subject, invitationId), entity: 'subject', invitationId, expiresAtEpoch: pointerEpoch });
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
          profileItem,
        ]
      : [
          eventItem,
          // eventKey: erasure finds the event's dedupe marker through it.
          ...[invitation, ...companions].map((i) => ({
            Put: { TableName: this.tableName, Item: { ...invitationItem(i, this.retentionDays), eventKey }, ConditionExpression: 'attribute_not_exists(pk)' },
          })),
          profileItem,
        ];
    // Only a scheduled survey can be cancelled: skipped ones need no way back.
    const pointedAt = mergeInto ? [mergeInto] : [invitation, ...companions].filter((i) => i.status === 'scheduled').map((i) => i.id);
    // Hashed e-mail → customer, and its mirror under the customer: erasure by e-mail (surveys/use-cases/erase-customer.ts).
    const emailLookups = profile.email ? [keys.emailLookup(profile.email, profile.customerId), keys.customerEmail(profile.customerId, profile.email)] : [];
    await Promise.all([
      ...pointedAt.map(subjectPointer),
      ...emailLookups.map((key) => pointer({ ...key, entity: 'email-lookup', customerId: profile.customerId, expiresAtEpoch: retentionEpoch })),
    ]);
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
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

/**
 * An invitation item: on the due index while scheduled, in its customer's history always. Kept until
 * UNSENT_INVITATION_DAYS after its send time; the send sets how long a sent one stays (invitation-store.ts).
 */
function invitationItem(invitation: Invitation, retentionDays: number) {
  return {
    ...keys.invitation(invitation.id),
    entity: ENTITY.invitation,
    ...invitation,
    ...(invitation.status === 'scheduled' ? indexKeys.due(invitation.id, invitation.sendAt) : {}),
    ...indexKeys.invitationHistory(invitation.customerId, invitation.createdAt, invitation.id),
    expiresAtEpoch: invitationExpiry(invitation.sendAt, UNSENT_INVITATION_DAYS, invitation.createdAt, retentionDays),
  };
}
