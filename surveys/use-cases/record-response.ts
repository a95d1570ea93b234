/**
 * Record a customer's answer from a survey link.
 *
 * Primary course (opening a link, GET):
 *  1. Verify the link token (HMAC) — a forged token is refused before any read.
 *  2. Load the invitation; it must have been sent and the link must not have expired.
 *  3. Note the open of this score's link (time only: it feeds the scanner-burst judgement) and show
 *     the page. Nothing else is written: a GET never answers.
 *
 * Primary course (answer, POST):
 *  1-2. As above.
 *  3. Check the score against the survey's scale and that a person, not a mail scanner, is evident
 *     (surveys/human-evidence.ts: the page's evidence, user agent, network, time since sending, and
 *     the link opens around this moment).
 *  4. Store the response, final, with its evidence: the first answer is version 1; the same score
 *     again changes nothing (double submit) unless its evidence is stronger (dwell → interaction →
 *     button: version n+1, counted once); a different score within the edit window replaces it as
 *     version n+1 so the aggregator sees old -> new; after the window the first answer stands —
 *     unless a scanner burst surrounded it, then the person's answer replaces it.
 *
 * Alternative course (dwell: the page stayed visible, nothing was touched):
 *  3a. Judged like the others plus the dwell signs; then held, not stored (HeldAnswerStore).
 *  4a. Once the hold is over — the page asks again, or the due sweep finds it (confirmHeldAnswers) —
 *      judged again with the link opens since; stored as in 4 if it still passes, dropped if not.
 *      A dwell never replaces an answer with stronger evidence.
 */
import type { EvidenceKind, Invitation, SurveyResponse } from '../model.ts';
import { ConcurrentUpdateError, type HeldAnswer, type HeldAnswerStore, type LinkActivityStore, type LinkSigner, type ResponseStore } from '../ports.ts';
import { isValidScore, withDetractorMark } from '../scales.ts';
import {
  DEFAULT_EVIDENCE_RULES,
  evidenceRank,
  isTaintedByBurst,
  judgeDwell,
  judgeEvidence,
  type Evidence,
  type EvidenceRules,
  type LinkActivity,
  type NetworkList,
} from '../human-evidence.ts';
import { noteFunnelOpen, type FunnelMarks, type Visitor } from '../funnel/marks.ts';

export const RESPONSE_RULES = {
  /** A different score within this many minutes of the first answer replaces it. */
  editWindowMinutes: 15,
  /** Longest comment kept; longer ones are refused with a message, not cut silently. */
  commentMaxLength: 2000,
};

export type AnswerOutcome =
  | { status: 'recorded' | 'updated' | 'unchanged'; response: SurveyResponse; invitation: Invitation }
  | { status: 'held'; retryAfterMs: number; invitation: Invitation }
  | {
      status: 'invalid-link' | 'not-found' | 'expired' | 'invalid-score' | 'edit-closed' | 'not-a-person' | 'weaker-evidence';
      detail?: string;
      invitation?: Invitation;
    };

export interface ResponseDeps {
  store: ResponseStore;
  links: LinkSigner;
  now: () => Date;
  /** Link opens; without it the burst rule has nothing to judge by. */
  activity?: LinkActivityStore;
  /** Scanner networks; the published mail-gateway ranges by default. */
  scannerNetworks?: NetworkList;
  /** The evidence rules (thresholds, the dwell's wait and hold) handed in by the composition root; the production ones without it. */
  rules?: EvidenceRules;
  /** Where dwell answers wait out their hold; without it a dwell is refused. */
  held?: HeldAnswerStore;
  /** The funnel's marks: a person's open of a link (surveys/funnel/marks.ts); without it opens are not counted. */
  funnelMarks?: FunnelMarks;
}

export async function openInvitation(
  token: string,
  deps: ResponseDeps,
): Promise<{ ok: true; invitation: Invitation } | { ok: false; status: 'invalid-link' | 'not-found' | 'expired'; invitation?: Invitation }> {
  const invitationId = deps.links.verify(token);
  if (!invitationId) return { ok: false, status: 'invalid-link' };
  const invitation = await deps.store.getInvitation(invitationId);
  if (invitation?.status !== 'sent') return { ok: false, status: 'not-found' };
  if (invitation.expiresAt && deps.now().getTime() > Date.parse(invitation.expiresAt)) return { ok: false, status: 'expired', invitation };
  return { ok: true, invitation };
}

export type PageOutcome =
  | { ok: true; invitation: Invitation; response?: SurveyResponse /** The time of this open (epoch ms): the page reports it with a dwell. */; openedAt: number }
  | { ok: false; status: 'invalid-link' | 'not-found' | 'expired'; invitation?: Invitation };

/** GET of a rating link: the invitation and any answer so far, after noting the open of `score`'s link. */
export async function openSurveyPage(input: { token: string; score: number; visitor?: Visitor }, deps: ResponseDeps): Promise<PageOutcome> {
  const opened = await openInvitation(input.token, deps);
  if (!opened.ok) return opened;
  const { invitation } = opened;
  const now = deps.now();
  const score = isValidScore(invitation.metric, input.score) ? input.score : undefined;
  const keepUntil = new Date(Date.parse(invitation.expiresAt ?? now.toISOString()) + 24 * 3600_000);
  const [response] = await Promise.all([deps.store.getResponse(invitation.id), deps.activity?.noteOpen(invitation.id, score, now, keepUntil)]);
  if (deps.funnelMarks && input.visitor) {
    await noteFunnelOpen(invitation, input.visitor, now, {
      marks: deps.funnelMarks,
      activity: deps.activity,
      scannerNetworks: deps.scannerNetworks,
      rules: deps.rules,
    });
  }
  return { ok: true, invitation, openedAt: now.getTime(), ...(response ? { response } : {}) };
}

/** Browsers send a textarea's line breaks as CRLF, while its maxlength counted them as one character. */
const normalizedComment = (text: string) => text.replace(/\r\n?/g, '\n').trim();

/**
 * `comment`: typed in the no-script form along with the score. A first answer stores it in the same
 * write (one response version instead of two: docs/cost.md); anything else leaves it to commentOnSurvey.
 */
export async function answerSurvey(input: { token: string; score: number; evidence: Evidence; comment?: string }, deps: ResponseDeps): Promise<AnswerOutcome> {
  const opened = await openInvitation(input.token, deps);
  if (!opened.ok) return { status: opened.status, invitation: opened.invitation };
  const { invitation } = opened;
  if (!isValidScore(invitation.metric, input.score)) return { status: 'invalid-score', invitation };
  const activity = deps.activity && input.evidence.kind !== 'none' ? await deps.activity.getActivity(invitation.id) : undefined;
  const verdict = judgeEvidence(input.evidence, invitation, deps.now(), { activity, scannerNetworks: deps.scannerNetworks, rules: deps.rules });
  if (!verdict.person) return { status: 'not-a-person', detail: verdict.reason, invitation };
  if (input.evidence.kind === 'dwell') return holdDwell(invitation, input.score, input.evidence.openedAt!, deps);
  const comment = normalizedComment(input.comment ?? '');
  const firstComment = comment && comment.length <= RESPONSE_RULES.commentMaxLength ? comment : undefined;
  return storeAnswer(invitation, input.score, input.evidence.kind as EvidenceKind, activity, deps, firstComment);
}

/** Stores a judged answer: first answer, evidence upgrade, edit, or a person replacing a tainted answer. */
async function storeAnswer(
  invitation: Invitation,
  score: number,
  evidence: EvidenceKind,
  activity: LinkActivity | undefined,
  deps: ResponseDeps,
  firstComment?: string,
): Promise<AnswerOutcome> {
  for (let attempt = 0; ; attempt++) {
    const now = deps.now().toISOString();
    const current = await deps.store.getResponse(invitation.id);
    // The strongest evidence seen; responses stored before evidence was kept stay without one.
    const strongest =
      current && current.evidence === undefined ? undefined : evidenceRank(evidence) > evidenceRank(current?.evidence) ? evidence : current?.evidence;
    let next: SurveyResponse;
    if (!current) {
      next = {
        invitationId: invitation.id,
        surveyId: invitation.surveyId,
        metric: invitation.metric,
        customerId: invitation.customerId,
        score,
        segments: invitation.segments,
        locale: invitation.locale,
        subjectRef: invitation.subjectRef,
        status: 'final',
        version: 1,
        answeredAt: now,
        updatedAt: now,
        evidence,
        ...(invitation.sentAt ? { sentAt: invitation.sentAt } : {}),
        ...(firstComment ? { comment: firstComment } : {}),
      };
    } else if (current.score === score) {
      if (strongest === current.evidence) return { status: 'unchanged', response: current, invitation };
      next = { ...current, evidence: strongest, version: current.version + 1, updatedAt: now }; // an upgrade, not a second count
    } else if (evidence === 'dwell' && evidenceRank(current.evidence) > evidenceRank('dwell')) {
      return { status: 'weaker-evidence', invitation };
    } else if (deps.now().getTime() - Date.parse(current.answeredAt) <= RESPONSE_RULES.editWindowMinutes * 60_000) {
      next = { ...current, score, version: current.version + 1, updatedAt: now, ...(strongest ? { evidence: strongest } : {}) };
    } else if (isTaintedByBurst(activity, current.answeredAt, deps.rules)) {
      // A sandbox's answer amid a burst never closes the window: the person's answer replaces it and
      // counts from now (the aggregator moves the count to this day).
      next = { ...current, score, version: current.version + 1, answeredAt: now, updatedAt: now, evidence };
    } else {
      return { status: 'edit-closed', invitation };
    }
    next = withDetractorMark(next, current);
    try {
      await deps.store.putResponse(next, current?.version ?? 0);
      return { status: current ? 'updated' : 'recorded', response: next, invitation };
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < 2) continue; // a double submit raced us: look again
      throw error;
    }
  }
}

/** A dwell answer waits out its hold; the page asking again after it (same page, same score) confirms it. */
async function holdDwell(invitation: Invitation, score: number, openedAt: number, deps: ResponseDeps): Promise<AnswerOutcome> {
  if (!deps.held) return { status: 'not-a-person', detail: 'dwell without a hold', invitation };
  const current = await deps.store.getResponse(invitation.id);
  if (current?.score === score) return { status: 'unchanged', response: current, invitation };
  if (current && evidenceRank(current.evidence) > evidenceRank('dwell')) return { status: 'weaker-evidence', invitation };
  const now = deps.now().getTime();
  const held = await deps.held.getHeld(invitation.id);
  if (held?.score === score && held.openedAt === openedAt) {
    if (now >= held.confirmAt) return confirmHeld(invitation, held, deps);
    return { status: 'held', retryAfterMs: held.confirmAt - now, invitation };
  }
  const holdMs = (deps.rules ?? DEFAULT_EVIDENCE_RULES).dwellHoldSeconds * 1000;
  await deps.held.hold(invitation.id, { score, openedAt, heldAt: now, confirmAt: now + holdMs });
  return { status: 'held', retryAfterMs: holdMs, invitation };
}

/** Judges a held dwell answer again with the link opens since it was held; stores it if it still passes. */
async function confirmHeld(invitation: Invitation, held: HeldAnswer, deps: ResponseDeps): Promise<AnswerOutcome> {
  const activity = await deps.activity?.getActivity(invitation.id);
  const verdict = judgeDwell({ kind: 'dwell', openedAt: held.openedAt }, invitation, deps.now(), activity, deps.rules);
  const outcome: AnswerOutcome = verdict.person
    ? await storeAnswer(invitation, held.score, 'dwell', activity, deps)
    : { status: 'not-a-person', detail: verdict.reason, invitation };
  await deps.held?.release(invitation.id, held.heldAt); // after the write: a failure leaves it for the next sweep
  return outcome;
}

export interface HeldSweepSummary {
  confirmed: number;
  dropped: number;
}

/** The due sweep's part: confirms or drops the dwell answers whose hold is over. */
export async function confirmHeldAnswers(deps: ResponseDeps & { held: HeldAnswerStore }, limit = 100): Promise<HeldSweepSummary> {
  const summary: HeldSweepSummary = { confirmed: 0, dropped: 0 };
  for (const invitationId of await deps.held.listDue(deps.now(), limit)) {
    const held = await deps.held.getHeld(invitationId);
    if (!held) continue;
    const invitation = await deps.store.getInvitation(invitationId);
    const open = invitation?.status === 'sent' && !(invitation.expiresAt && deps.now().getTime() > Date.parse(invitation.expiresAt));
    const outcome: AnswerOutcome = open ? await confirmHeld(invitation, held, deps) : { status: 'expired' };
    if (!open) await deps.held.release(invitationId, held.heldAt);
    if (outcome.status === 'recorded' || outcome.status === 'updated' || outcome.status === 'unchanged') summary.confirmed++;
    else summary.dropped++;
  }
  return summary;
}

export type CommentOutcome =
  | { status: 'saved'; response: SurveyResponse; invitation: Invitation }
  | { status: 'invalid-link' | 'not-found' | 'expired' | 'comment-too-long' | 'no-answer-yet' | 'edit-closed'; invitation?: Invitation };

export async function commentOnSurvey(input: { token: string; comment: string }, deps: ResponseDeps): Promise<CommentOutcome> {
  const opened = await openInvitation(input.token, deps);
  if (!opened.ok) return { status: opened.status, invitation: opened.invitation };
  const { invitation } = opened;
  const comment = normalizedComment(input.comment);
  if (comment.length > RESPONSE_RULES.commentMaxLength) return { status: 'comment-too-long', invitation };
  for (let attempt = 0; ; attempt++) {
    const current = await deps.store.getResponse(invitation.id);
    if (!current) return { status: 'no-answer-yet', invitation };
    if (current.comment === comment) return { status: 'saved', response: current, invitation };
    // A first comment is always welcome; replacing one follows the edit window, like the score.
    if (current.comment && deps.now().getTime() - Date.parse(current.answeredAt) > RESPONSE_RULES.editWindowMinutes * 60_000) {
      return { status: 'edit-closed', invitation };
    }
    const next = withDetractorMark({ ...current, comment, version: current.version + 1, updatedAt: deps.now().toISOString() }, current);
    try {
      await deps.store.putResponse(next, current.version);
      return { status: 'saved', response: next, invitation };
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < 2) continue;
      throw error;
    }
  }
}
