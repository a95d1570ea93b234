/**
 * Unsubscribe from surveys through the link in a survey message (`/u/{token}`, the same signed token
 * as the survey link). RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` to it without
 * cookies; a GET only shows a confirmation page (mail scanners and previews follow every GET).
 *
 * Primary course (POST):
 *  1. Verify the token (HMAC) — a forged token is refused before any read.
 *  2. Load the invitation: its channel, and the hash of the address or number it was sent to.
 *  3. Put exactly that address or number on the suppression list ("unsubscribed"). Idempotent: a
 *     second POST changes nothing. Works after the survey has closed: the message stays in the inbox.
 * When the invitation predates contact hashes, the profile's current contact for the channel is used.
 */
import type { Channel, Invitation } from '../model.ts';
import type { LinkSigner, ResponseStore, SuppressionStore, TriggerStore } from '../ports.ts';
import type { FunnelMarks } from '../funnel/marks.ts';

export interface UnsubscribeDeps {
  links: LinkSigner;
  invitations: Pick<ResponseStore, 'getInvitation'>;
  profiles: Pick<TriggerStore, 'getProfile'>;
  suppressions: Pick<SuppressionStore, 'suppress'>;
  now: () => Date;
  /** The funnel counts the unsubscribe on the survey it came from (surveys/funnel/marks.ts). */
  marks?: Pick<FunnelMarks, 'mark'>;
}

export type UnsubscribeOutcome = { status: 'confirm' | 'unsubscribed'; invitation: Invitation; channel: Channel } | { status: 'invalid-link' };

async function findInvitation(token: string, deps: UnsubscribeDeps): Promise<Invitation | undefined> {
  const invitationId = deps.links.verify(token);
  if (!invitationId) return undefined;
  const invitation = await deps.invitations.getInvitation(invitationId);
  // Only a message that went out (or is going out: the send is marked right after it) carries this link.
  return invitation && (invitation.sentAt || invitation.status === 'sent' || invitation.status === 'sending') ? invitation : undefined;
}

/** GET: what the confirmation page needs. Writes nothing. */
export async function openUnsubscribe(token: string, deps: UnsubscribeDeps): Promise<UnsubscribeOutcome> {
  const invitation = await findInvitation(token, deps);
  return invitation ? { status: 'confirm', invitation, channel: invitation.channel } : { status: 'invalid-link' };
}

/** POST: unsubscribe the address or number the survey went to. */
export async function unsubscribe(token: string, deps: UnsubscribeDeps): Promise<UnsubscribeOutcome> {
  const invitation = await findInvitation(token, deps);
  if (!invitation) return { status: 'invalid-link' };
  const channel = invitation.channel;
  const base = { channel, reason: 'unsubscribed' as const, at: deps.now().toISOString(), source: `unsubscribe:${invitation.id}` };
  if (invitation.contactHash) {
    await deps.suppressions.suppress({ ...base, contactHash: invitation.contactHash });
  } else {
    const profile = await deps.profiles.getProfile(invitation.customerId);
    const contact = channel === 'email' ? profile?.email : profile?.phone;
    if (!contact) return { status: 'invalid-link' }; // erased meanwhile: nothing left to send to
    await deps.suppressions.suppress({ ...base, contact });
  }
  await deps.marks?.mark(invitation.id, 'unsubscribedAt', base.at);
  return { status: 'unsubscribed', invitation, channel };
}
