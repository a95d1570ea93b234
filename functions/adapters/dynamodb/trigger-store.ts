/**
 * Recording a commerce event that triggers a survey, without a transaction (a transaction bills 2 WCU
 * per item, a write 1: docs/cost.md "Write units item by item"). Plain writes, each idempotent, in an
 * order that keeps what the transaction guaranteed:
 *  0. The event's marker, read (consistent): there → DuplicateEventError, nothing written.
 *  1. The subject → invitation pointers and the hashed e-mail lookup, plain puts: they exist whenever
 *     the invitation or profile does (a refund finds the survey, erasure by e-mail finds the customer);
 *     a death after them leaves pointers to an invitation that never came, which their readers skip.
 *     Erasure by customer id finds the lookups from the profile: its address, and a set of the hashes of
 *     the addresses it had before (`emailHashes`), written in 2 when an event brings a new one.
 *  2. The profile, conditional on its version: the claim on the customer. Of two events racing for one
 *     customer the slower is refused (ConcurrentUpdateError) and judged again on the fresh profile, so the
 *     fatigue rule decides as with the transaction. It names the event and its decision (`lastEvent`):
 *     a retry after a death from here on finishes that decision (surveys/trigger-marks.ts).
 *  3. The invitation(s), put if absent (refused: written by an earlier attempt), or the merge: the order
 *     added to the pending invitation once (refused when it is there already, or the target is gone).
 *  4. The marker, put if absent: written last, it says the event is done; a concurrent delivery that
 *     wrote it first makes this one a duplicate. track-health reads its attributes from the stream.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
import { contactHash, ENTITY, epochSeconds, indexKeys, keys } from './table/keys.ts';
import { readProfile, storedProfile } from './profile-item.ts';
import { TableStore } from './table/store.ts';

/** Optional profile attributes: removed from the item when the profile written lacks them. */
const DROPPABLE = ['email', 'phone', 'name', 'timezone', 'consent', 'lastSurveyedAt', 'suppressed', 'pendingInvitation', 'lastEvent', 'claimedAt'] as const;

export class DynamoTriggerStore extends TableStore implements TriggerStore {
  /** Consistent: the version and the marks the trigger's conditional writes and retries rely on. */
  getProfile(customerId: string): Promise<CustomerProfile | undefined> {
    return readProfile(this.db, this.tableName, customerId, true);
  }

  async recordTrigger(record: TriggerRecord): Promise<void> {
    const { eventKey, invitation, profile, companions = [], mergeInto, subject, replacedEmail } = record;
    const seen = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.event(eventKey), ConsistentRead: true, ProjectionExpression: 'pk' }));
    if (seen.Item) throw new DuplicateEventError(eventKey);

    const retentionEpoch = epochSeconds(invitation.createdAt) + this.retentionDays * DAY_SECONDS;
    const pointer = (item: Record<string, unknown>) => this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
    // Needed only while the survey is scheduled (docs/cost.md "Storage by need").
    const pointerEpoch = invitationExpiry(invitation.sendAt, SUBJECT_POINTER_DAYS, invitation.createdAt, this.retentionDays);
    const subjectPointer = (invitationId: string) =>
      pointer({ ...keys.subject(subject, invitationId), entity: 'subject', invitationId, expiresAtEpoch: pointerEpoch });
    // Only a scheduled survey can be cancelled: skipped ones need no way back.
    const pointedAt = mergeInto ? [mergeInto] : [invitation, ...companions].filter((i) => i.status === 'scheduled').map((i) => i.id);
    // Hashed e-mail → customer: erasure by e-mail (surveys/use-cases/erase-customer.ts); its mirror is the profile (claimProfile).
    const emailLookups = profile.email ? [keys.emailLookup(profile.email, profile.customerId)] : [];
    await Promise.all([
      ...pointedAt.map(subjectPointer),
      // The customer is the lookup's sort key (`CUST#<id>`): no attribute repeats it, the item is kept the retention.
      ...emailLookups.map((key) => pointer({ ...key, entity: 'email-lookup', expiresAtEpoch: retentionEpoch })),
    ]);

    await this.claimProfile(profile, retentionEpoch, replacedEmail);
    if (mergeInto) await this.mergeOnce(mergeInto, invitation.subjectRef);
    // eventKey: erasure finds the event's dedupe marker through it.
    else await Promise.all([invitation, ...companions].map((i) => this.putOnce({ ...invitationItem(i, this.retentionDays), eventKey })));

    const marked = await this.writeIf(
      new PutCommand({
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
      }),
    );
    if (!marked) throw new DuplicateEventError(eventKey); // a concurrent delivery of the event finished first
  }

  /**
   * The profile, if its version is still the one read (a new one only if none exists). An update, not a
   * put, for one reason: `ADD emailHashes` — when the event brings a new address, the hash of the one it
   * replaces. Erasure by customer id follows the profile to every `EMAIL#<hash>` lookup (erasure-store.ts):
   * the address it has, and the hashes of those it had. Most customers keep one address and store no set
   * (a profile is kept the retention: 75 bytes a customer). Attributes the profile no longer has (a
   * pending survey given back) are removed, so the item is exactly the profile, as a put made it.
   */
  private async claimProfile(profile: CustomerProfile, retentionEpoch: number, replacedEmail?: string): Promise<void> {
    const { customerId, version } = profile;
    const fields = storedProfile(profile);
    const set = Object.entries({ ...fields, entity: 'profile', version: version + 1, expiresAtEpoch: retentionEpoch }).filter(
      ([name, value]) => value !== undefined && name !== 'emailHashes',
    );
    // customerId: items written before profile-item.ts kept it, a key's copy.
    const removed = [...DROPPABLE.filter((name) => fields[name] === undefined), 'customerId'];
    const names = Object.fromEntries([...set.map(([name], i) => [`#s${i}`, name]), ...removed.map((name, i) => [`#r${i}`, name])]);
    const values: Record<string, unknown> = Object.fromEntries(set.map(([, value], i) => [`:s${i}`, value]));
    if (replacedEmail) values[':hash'] = new Set([contactHash(replacedEmail)]);
    if (version > 0) values[':v'] = version;
    const claimed = await this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.profile(customerId),
        UpdateExpression: [
          `SET ${set.map((_, i) => `#s${i} = :s${i}`).join(', ')}`,
          removed.length ? `REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : '',
          replacedEmail ? 'ADD emailHashes :hash' : '',
        ].join(' '),
        // Inactive for the retention period (no new survey) → the profile expires like its invitations (expiresAtEpoch).
        ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    if (!claimed) throw new ConcurrentUpdateError(`customer ${customerId}`);
  }

  /** Refused = an earlier attempt of the same event wrote it (the id is the profile's record of it). */
  private async putOnce(item: Record<string, unknown>): Promise<void> {
    await this.writeIf(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  /**
   * The order joins the pending invitation once: a list append is not idempotent, so the write is refused
   * when the order is on it already (an earlier attempt) — done — or the invitation is no longer scheduled.
   */
  private async mergeOnce(invitationId: string, subjectRef: string): Promise<void> {
    const merged = await this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET mergedSubjectRefs = list_append(if_not_exists(mergedSubjectRefs, :none), :refs)',
        ConditionExpression: '#s = :scheduled AND subjectRef <> :ref AND NOT contains(mergedSubjectRefs, :ref)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':none': [], ':refs': [subjectRef], ':ref': subjectRef, ':scheduled': 'scheduled' },
      }),
    );
    if (merged) return;
    const target = await this.read<Invitation>(keys.invitation(invitationId), true);
    if (!target) throw new MergeTargetGoneError(invitationId, true);
    if (target.subjectRef === subjectRef || target.mergedSubjectRefs?.includes(subjectRef)) return;
    throw new MergeTargetGoneError(invitationId);
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
