/**
 * Funnel facts the table did not keep before (delivery, a person's open, unsubscribe, complaint),
 * written as one timestamp on the invitation so that they reach the stream with the invitation's
 * segments: the funnel consumer counts their appearance (steps.ts). Each is written at most once per
 * invitation (conditional on its absence), so a repeated SES event or a reload costs one failed write.
 *
 * Opens: a GET of a survey link counts as a person's open only when its user agent and network are not
 * a scanner's, it comes later than a scanner would (DEFAULT_EVIDENCE_RULES.minSecondsAfterSend), and no burst
 * of different scores' links surrounds it (human-evidence.ts). A burst that starts after the first
 * open was marked takes the mark back (the consumer counts −1), so a scanner that opens every link
 * is never an open; a later open by a person marks it again.
 */
import { DEFAULT_EVIDENCE_RULES, type EvidenceRules, isInScannerBurst, judgeEvidence, type LinkActivity, type NetworkList } from '../human-evidence.ts';
import type { Invitation } from '../model.ts';

export type MarkField = 'deliveredAt' | 'openedAt' | 'unsubscribedAt' | 'complainedAt';

/** Marks on invitations (functions/adapters/dynamodb/funnel-marks.ts). Each returns false when there was nothing to change. */
export interface FunnelMarks {
  mark(invitationId: string, field: MarkField, at: string): Promise<boolean>;
  /** Takes back an open judged too early: only the mark written at `openedAt`. */
  unmarkOpened(invitationId: string, openedAt: string): Promise<boolean>;
}

export interface Visitor {
  userAgent?: string;
  sourceIp?: string;
}

export interface OpenDeps {
  marks: FunnelMarks;
  /** The invitation's link opens, this one included (link-activity store). */
  activity?: { getActivity(invitationId: string): Promise<LinkActivity> };
  scannerNetworks?: NetworkList;
  /** The evidence rules the survey link applies (ResponseDeps.rules); the production ones without them. */
  rules?: EvidenceRules;
}

export type OpenOutcome = 'marked' | 'unmarked' | 'unchanged' | 'not-a-person';

/** Is this GET, by itself, a person's? (Bursts are judged with the link activity, see noteFunnelOpen.) */
export function looksLikePersonOpen(visitor: Visitor, invitation: Invitation, now: Date, scannerNetworks?: NetworkList, rules?: EvidenceRules): boolean {
  return judgeEvidence({ kind: 'interaction', ...visitor }, invitation, now, { ...(scannerNetworks ? { scannerNetworks } : {}), ...(rules ? { rules } : {}) })
    .person;
}

/** After a GET of a survey link (its open already noted in the link activity): mark or take back the funnel's open. */
export async function noteFunnelOpen(invitation: Invitation, visitor: Visitor, now: Date, deps: OpenDeps): Promise<OpenOutcome> {
  const activity = () => (deps.activity ? deps.activity.getActivity(invitation.id) : Promise.resolve(undefined));
  const rules = deps.rules ?? DEFAULT_EVIDENCE_RULES;
  if (!invitation.openedAt) {
    if (!looksLikePersonOpen(visitor, invitation, now, deps.scannerNetworks, rules)) return 'not-a-person';
    if (isInScannerBurst(await activity(), now, rules)) return 'not-a-person';
    return (await deps.marks.mark(invitation.id, 'openedAt', now.toISOString())) ? 'marked' : 'unchanged';
  }
  // Only a burst within seconds of the mark can show it was a scanner's first link.
  if (now.getTime() - Date.parse(invitation.openedAt) > rules.burstWindowSeconds * 1000) return 'unchanged';
  if (!isInScannerBurst(await activity(), now, rules)) return 'unchanged';
  return (await deps.marks.unmarkOpened(invitation.id, invitation.openedAt)) ? 'unmarked' : 'unchanged';
}
