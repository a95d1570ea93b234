/**
 * Is a person evident behind this answer? Email security scanners (Safe Links, Mimecast, Proofpoint…)
 * open every link of a mail within seconds, sometimes in a headless browser. A GET never answers:
 * an answer is a POST from the rating page, sent either by its script after a real interaction
 * (pointer, key, touch, scroll) or by a person pressing the no-script button.
 */
import type { Invitation } from './model.ts';

export interface Evidence {
  /** How the page reported the answer: its script after an interaction, or the form's button. */
  kind: 'interaction' | 'button' | 'none';
  userAgent?: string;
}

/** User agents of link scanners and preview fetchers that identify themselves. */
const SCANNER_AGENTS = /(bot|crawler|spider|preview|scan|safelinks|proofpoint|mimecast|barracuda|curl|wget|python-requests|go-http-client|headlesschrome|phantomjs|httpclient|okhttp|java\/)/i;

export const EVIDENCE_RULES = {
  /** Answers within this many seconds of sending come from machines: no person reads that fast. */
  minSecondsAfterSend: 2,
};

export function isScannerUserAgent(userAgent: string | undefined): boolean {
  return !userAgent || SCANNER_AGENTS.test(userAgent);
}

export function judgeEvidence(evidence: Evidence, invitation: Invitation, now: Date): { person: true } | { person: false; reason: string } {
  if (evidence.kind === 'none') return { person: false, reason: 'no interaction or button press' };
  if (isScannerUserAgent(evidence.userAgent)) return { person: false, reason: 'scanner user agent' };
  if (invitation.sentAt && now.getTime() - Date.parse(invitation.sentAt) < EVIDENCE_RULES.minSecondsAfterSend * 1000) {
    return { person: false, reason: 'too soon after sending' };
  }
  return { person: true };
}
