/**
 * Track a customer's health from their answers and from commerce events (order.delivered,
 * ticket.solved, ticket.reopened, order.refunded), and raise a churn-risk alert when the risk crosses
 * the threshold.
 *
 * Primary course:
 *  0. A customer erased meanwhile (a tombstone, see ports.ts ErasureLedger): no profile, no alert.
 *  1. Read the customer's health profile.
 *  2. Add the fact: an answer (a newer version replaces an older one) or an event. A fact already
 *     there changes nothing, so a redelivered stream record is harmless. A recheck adds no fact: time
 *     alone may have moved the risk (a frequent buyer going quiet).
 *  3. Assess the churn risk now (surveys/churn-risk.ts): score, band and reasons; note it in the history.
 *  4. Decide on an alert: at or above the threshold, at most once per customer per period unless the
 *     risk rose a band. The decision (with a deterministic alert id and its reasons) is written with the
 *     profile, conditionally on the profile's version; a lost race starts again at 1.
 *  5. Follow through on a decision not yet notified: create the alert if absent, notify the leads at
 *     once, then mark the decision notified. A crash in 5 is repaired when the record is delivered again
 *     (step 2 finds the fact, step 5 runs again).
 */
import type { Alert, Segments, SurveyResponse } from '../model.ts';
import { ConcurrentUpdateError, type CustomerHistoryReader, type HealthStore } from '../ports.ts';
import {
  addFact,
  assessChurnRisk,
  cancellationPhrase,
  emptyHealth,
  shouldRaiseChurnAlert,
  withHistory,
  type AnswerFact,
  type ChurnRiskModel,
  type CustomerHealth,
  type HealthFact,
  type RiskAssessment,
} from '../churn-risk.ts';
import { reasonText } from '../templates/alert.ts';
import { notifyIfDue, wasErased, withDueAt, type NotifyDeps, type NotifyOutcome } from './alert-lifecycle.ts';
import { customerContext } from './customer-context.ts';

export interface HealthDeps extends NotifyDeps {
  health: HealthStore;
  customers: CustomerHistoryReader;
  model: ChurnRiskModel;
}

export interface HealthOutcome {
  status: 'tracked' | 'duplicate' | 'rechecked' | 'erased';
  risk: number;
  band: string;
  alert?: { id: string; notification: NotifyOutcome | 'already-done' };
}

/** Dimensions a churn-risk alert is routed by: those of the customer's latest answer that has them. */
const ROUTING_DIMENSIONS = ['team', 'store', 'agent'] as const;

/** The part of an answer churn risk keeps: scores and a matched cancellation phrase, never the comment. */
export function answerFact(r: SurveyResponse): AnswerFact {
  const phrase = cancellationPhrase(r.comment);
  const segments: Segments = {};
  for (const d of ROUTING_DIMENSIONS) if (r.segments[d]) segments[d] = r.segments[d];
  return {
    invitationId: r.invitationId,
    version: r.version,
    surveyId: r.surveyId,
    metric: r.metric,
    score: r.score,
    at: r.answeredAt,
    ...(phrase ? { cancelPhrase: phrase } : {}),
    ...(Object.keys(segments).length ? { segments } : {}),
  };
}

export function churnAlertId(customerId: string, healthVersion: number): string {
  return `churn-risk-${customerId}-${healthVersion}`;
}

export async function trackHealth(customerId: string, fact: HealthFact | undefined, deps: HealthDeps): Promise<HealthOutcome> {
  if (await wasErased(customerId, deps)) return { status: 'erased', risk: 0, band: 'low' }; // no profile rebuilt
  for (let attempt = 1; ; attempt++) {
    const now = deps.now();
    const stored = await deps.health.getHealth(customerId);
    if (!fact && !stored) return { status: 'rechecked', risk: 0, band: 'low' };
    const current = stored ?? emptyHealth(customerId);
    const added = fact ? addFact(current, fact, now, deps.model) : { health: current, changed: true };
    if (!added.changed) {
      const risk = assessChurnRisk(current, now, deps.model);
      return { status: 'duplicate', risk: risk.score, band: risk.band, ...(await followThrough(current, deps)) };
    }
    const assessment = assessChurnRisk(added.health, now, deps.model);
    const { recheckAt: _old, ...rest } = withHistory(added.health, assessment, now, deps.model);
    let next: CustomerHealth = { ...rest, ...(assessment.recheckAt ? { recheckAt: assessment.recheckAt } : {}) };
    if (shouldRaiseChurnAlert(assessment, current.lastAlert, now, deps.model)) {
      const id = churnAlertId(customerId, current.version + 1);
      next = {
        ...next,
        lastAlert: { id, at: now.toISOString(), score: assessment.score, band: assessment.band, reasons: assessment.reasons, notified: false },
        alertIds: [...next.alertIds, id].slice(-deps.model.maxFacts),
      };
    }
    try {
      await deps.health.putHealth(next, current.version);
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < 4) continue; // another fact of this customer won: add ours to it
      throw error;
    }
    next = { ...next, version: current.version + 1 };
    return { status: fact ? 'tracked' : 'rechecked', risk: assessment.score, band: assessment.band, ...(await followThrough(next, deps)) };
  }
}

/** Step 5: the decided alert exists, the leads know, and the profile says so. */
async function followThrough(health: CustomerHealth, deps: HealthDeps): Promise<Pick<HealthOutcome, 'alert'>> {
  const decision = health.lastAlert;
  if (!decision || decision.notified) return {};
  let alert = await deps.alerts.getAlert(decision.id);
  if (!alert) {
    const fresh = await newChurnAlert(health, deps);
    alert = (await deps.alerts.createAlert(fresh)) ? fresh : (await deps.alerts.getAlert(decision.id))!;
  }
  const notification = await notifyIfDue(alert, deps);
  const done = notification === 'notified' || alert.notifiedAt !== undefined || alert.status !== 'open';
  if (done) {
    // Best effort: if this write loses a race, the next fact of the customer finds the alert notified and marks it.
    await deps.health.putHealth({ ...health, lastAlert: { ...decision, notified: true } }, health.version).catch((error: unknown) => {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
    });
  }
  return { alert: { id: decision.id, notification: notification === 'not-due' && done ? 'already-done' : notification } };
}

async function newChurnAlert(health: CustomerHealth, deps: HealthDeps): Promise<Alert> {
  const decision = health.lastAlert!;
  const latestRouted = [...health.answers].reverse().find((a) => a.segments && Object.keys(a.segments).length);
  return withDueAt(
    {
      id: decision.id,
      kind: 'churn-risk',
      customerId: health.customerId,
      reasons: decision.reasons.map((r) => reasonText(r, deps.language)),
      riskScore: decision.score,
      riskBand: decision.band,
      segments: latestRouted?.segments ?? {},
      status: 'open',
      createdAt: decision.at,
      revision: 1,
      notifyAfter: decision.at, // nothing to wait for
      ...(await customerContext(health.customerId, undefined, deps.customers)),
    },
    deps.rules,
  );
}

/** The risk as the health endpoint shows it: assessed now (decay applied), with the profile's history and facts. */
export async function readHealth(customerId: string, deps: Pick<HealthDeps, 'health' | 'now' | 'model' | 'language'>) {
  const health = await deps.health.getHealth(customerId);
  if (!health) return undefined;
  const now = deps.now();
  const risk: RiskAssessment = assessChurnRisk(health, now, deps.model);
  return {
    customerId,
    at: now.toISOString(),
    risk: {
      score: risk.score,
      band: risk.band,
      threshold: deps.model.alertThreshold,
      reasons: risk.reasons.map((r) => ({ ...r, text: reasonText(r, deps.language) })),
    },
    history: health.history,
    answers: health.answers.map(({ segments: _s, ...a }) => a),
    events: health.events.map(({ type, ref, at }) => ({ type, ref, at })), // not the dedupe key of items stored before
    ...(health.lastAlert
      ? { lastAlert: { id: health.lastAlert.id, at: health.lastAlert.at, score: health.lastAlert.score, band: health.lastAlert.band } }
      : {}),
    alertIds: health.alertIds,
  };
}
