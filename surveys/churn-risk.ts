/**
 * Churn risk: how likely a customer is to leave, as a 0-100 score with the reasons that make it.
 * Pure: a customer's health profile (facts from their answers and from commerce events) and a moment
 * in, an assessment out. Nothing here reads a clock or a table.
 *
 * Every weight, half-life and threshold lives in CHURN_RISK_MODEL (the one place to tune them; the
 * README's "Churn risk" section explains each; `configureChurnRisk` applies overrides from the
 * environment). A signal's points fade with the age of the fact behind it:
 *
 *     points = weight × 0.5 ^ (age in days / half-life in days)
 *
 * so a detractor answer counts fully today, half after one half-life, a quarter after two. Facts
 * older than `keepFactsDays` leave the profile, which ends every signal for good.
 */

export { CANCELLATION_PHRASES, cancellationPhrase, foldText } from './cancellation-words.ts';
import type { Metric, Segments } from './model.ts';
import { classify } from './scoring.ts';
import { SCALES } from './scales.ts';

export const RISK_BANDS = ['low', 'elevated', 'high', 'critical'] as const;
export type RiskBand = (typeof RISK_BANDS)[number];

export const SIGNALS = ['recentDetractor', 'npsDrop', 'repeatedLowCsat', 'highEffort', 'frequentContacts', 'refund', 'cancellationWords', 'goneQuiet'] as const;
export type Signal = (typeof SIGNALS)[number];

export interface ChurnRiskModel {
  signals: {
    /** The customer's latest NPS or CSAT answer is a detractor (NPS 0-6, CSAT 1-2). */
    recentDetractor: { weight: number; halfLifeDays: number };
    /** The latest NPS is at least `minDrop` points below the one before. */
    npsDrop: { weight: number; halfLifeDays: number; minDrop: number };
    /** At least `minCount` CSAT answers of `lowMax` or less within `withinDays`. */
    repeatedLowCsat: { weight: number; halfLifeDays: number; lowMax: number; minCount: number; withinDays: number };
    /** The latest CES answer is high effort (1-3). */
    highEffort: { weight: number; halfLifeDays: number };
    /** At least `minCount` support contacts (tickets solved or reopened) within `withinDays`. */
    frequentContacts: { weight: number; halfLifeDays: number; minCount: number; withinDays: number };
    /** An order was refunded. */
    refund: { weight: number; halfLifeDays: number };
    /** A comment says the customer is leaving (Polish or English, see CANCELLATION_PHRASES). */
    cancellationWords: { weight: number; halfLifeDays: number };
    /**
     * A frequent buyer (at least `minOrders` orders) has not ordered for `quietFactor` times their own
     * usual gap (the median between their orders), and at least `minQuietDays`. It holds while they
     * stay quiet and ends with their next order.
     */
    goneQuiet: { weight: number; minOrders: number; quietFactor: number; minQuietDays: number };
  };
  /** Lowest score of each band above "low" (which starts at 0). */
  bands: { elevated: number; high: number; critical: number };
  /** A churn-risk alert is raised when the score reaches this. */
  alertThreshold: number;
  /** At most one churn-risk alert per customer within this many days, unless the risk rises a band. */
  alertPeriodDays: number;
  /** Facts older than this leave the profile. */
  keepFactsDays: number;
  /** Most facts of each kind (answers, events) and history entries kept: the profile is one item. */
  maxFacts: number;
}

/**
 * The defaults. Weights are points out of 100; a single strong signal stays below the alert threshold
 * (50) and two together reach it: e.g. a detractor answer (30) whose comment says "I'm cancelling" (35),
 * or a refund (20) after a 4-point NPS drop (25) to a detractor score (30).
 */
export const CHURN_RISK_MODEL: ChurnRiskModel = {
  signals: {
    recentDetractor: { weight: 30, halfLifeDays: 30 },
    npsDrop: { weight: 25, halfLifeDays: 45, minDrop: 4 },
    repeatedLowCsat: { weight: 20, halfLifeDays: 45, lowMax: 2, minCount: 2, withinDays: 90 },
    highEffort: { weight: 15, halfLifeDays: 30 },
    frequentContacts: { weight: 15, halfLifeDays: 15, minCount: 3, withinDays: 30 },
    refund: { weight: 20, halfLifeDays: 30 },
    cancellationWords: { weight: 35, halfLifeDays: 60 },
    goneQuiet: { weight: 20, minOrders: 3, quietFactor: 2, minQuietDays: 14 },
  },
  bands: { elevated: 25, high: 50, critical: 75 },
  alertThreshold: 50,
  alertPeriodDays: 30,
  keepFactsDays: 365,
  maxFacts: 50,
};

/** Overrides as operators give them (environment): a threshold, and weights by signal name. */
export interface ChurnRiskOverrides {
  alertThreshold?: number;
  alertPeriodDays?: number;
  weights?: Partial<Record<Signal, number>>;
}

/** The default model with overrides applied; throws naming the bad value (a typo must not pass silently). */
export function configureChurnRisk(overrides: ChurnRiskOverrides, base: ChurnRiskModel = CHURN_RISK_MODEL): ChurnRiskModel {
  const model: ChurnRiskModel = structuredClone(base);
  if (overrides.alertThreshold !== undefined) {
    if (!(overrides.alertThreshold > 0 && overrides.alertThreshold <= 100))
      throw new RangeError(`churn alert threshold must be 1-100, got ${overrides.alertThreshold}`);
    model.alertThreshold = overrides.alertThreshold;
  }
  if (overrides.alertPeriodDays !== undefined) {
    if (!(overrides.alertPeriodDays >= 0)) throw new RangeError(`churn alert period must be ≥ 0 days, got ${overrides.alertPeriodDays}`);
    model.alertPeriodDays = overrides.alertPeriodDays;
  }
  for (const [signal, weight] of Object.entries(overrides.weights ?? {})) {
    if (!(SIGNALS as readonly string[]).includes(signal)) throw new RangeError(`unknown churn signal "${signal}" (known: ${SIGNALS.join(', ')})`);
    if (!(typeof weight === 'number' && weight >= 0 && weight <= 100)) throw new RangeError(`weight of ${signal} must be 0-100, got ${weight}`);
    model.signals[signal as Signal].weight = weight;
  }
  return model;
}

// ---------------------------------------------------------------------------------------------
// The health profile: facts
// ---------------------------------------------------------------------------------------------

/** A customer's answer, as far as churn risk needs it: no comment text is kept, only a matched phrase. */
export interface AnswerFact {
  invitationId: string;
  version: number;
  surveyId: string;
  metric: Metric;
  score: number;
  at: string;
  /** The cancellation phrase the comment contained, if any (from CANCELLATION_PHRASES, never the comment). */
  cancelPhrase?: string;
  /** Where the answer came from (team, store…): a churn-risk alert is routed like the latest answer. */
  segments?: Segments;
}

export const HEALTH_EVENT_TYPES = ['order.delivered', 'ticket.solved', 'ticket.reopened', 'order.refunded'] as const;
export type HealthEventType = (typeof HEALTH_EVENT_TYPES)[number];

/** An order or ticket event, as churn risk needs it: type, ref and time are its identity (a record delivered twice is one fact). */
export interface EventFact {
  type: HealthEventType;
  /** Order or ticket id. */
  ref: string;
  at: string;
}

export interface RiskHistoryEntry {
  at: string;
  score: number;
  band: RiskBand;
}

/** The last churn-risk alert decision: written with the profile, then followed through (created, notified). */
export interface ChurnAlertDecision {
  id: string;
  at: string;
  score: number;
  band: RiskBand;
  /** The reasons at the time of the decision: the alert shows these, however late it is created. */
  reasons: RiskReason[];
  notified: boolean;
}

export interface CustomerHealth {
  customerId: string;
  answers: AnswerFact[];
  events: EventFact[];
  /** Risk after each change from 0 (where every customer starts), oldest first. */
  history: RiskHistoryEntry[];
  lastAlert?: ChurnAlertDecision;
  /** Every churn-risk alert raised for the customer (erasure deletes them with the profile). */
  alertIds: string[];
  /** When the risk may rise by time alone (a frequent buyer going quiet): the sweep looks again then. */
  recheckAt?: string;
  /** 0 = not stored yet; every write is conditional on it. */
  version: number;
}

export type HealthFact = { kind: 'answer'; answer: AnswerFact } | { kind: 'event'; event: EventFact };

export function emptyHealth(customerId: string): CustomerHealth {
  return { customerId, answers: [], events: [], history: [], alertIds: [], version: 0 };
}

const DAY_MS = 24 * 3600 * 1000;
const ageDays = (at: string, now: Date) => Math.max(0, (now.getTime() - Date.parse(at)) / DAY_MS);
const byTime = <T extends { at: string }>(a: T, b: T) => a.at.localeCompare(b.at);

/**
 * Adds a fact to the profile. An event already there, or an answer version not newer than the one
 * there, changes nothing (`changed: false`): stream redelivery is harmless. Old facts are pruned.
 */
export function addFact(
  health: CustomerHealth,
  fact: HealthFact,
  now: Date,
  model: ChurnRiskModel = CHURN_RISK_MODEL,
): { health: CustomerHealth; changed: boolean } {
  let answers = health.answers;
  let events = health.events;
  if (fact.kind === 'answer') {
    const existing = answers.find((a) => a.invitationId === fact.answer.invitationId);
    if (existing && existing.version >= fact.answer.version) return { health, changed: false };
    // An edit keeps the first answer's time; a comment can name a phrase the first version did not have.
    const merged = existing ? { ...fact.answer, at: existing.at, cancelPhrase: fact.answer.cancelPhrase ?? existing.cancelPhrase } : fact.answer;
    answers = [...answers.filter((a) => a.invitationId !== fact.answer.invitationId), merged];
  } else {
    const { type, ref, at } = fact.event;
    if (events.some((e) => e.type === type && e.ref === ref && e.at === at)) return { health, changed: false };
    events = [...events, { type, ref, at }];
  }
  const keepAfter = now.getTime() - model.keepFactsDays * DAY_MS;
  const keep = <T extends { at: string }>(facts: T[]) =>
    facts
      .filter((f) => Date.parse(f.at) >= keepAfter)
      .sort(byTime)
      .slice(-model.maxFacts);
  return { health: { ...health, answers: keep(answers), events: keep(events) }, changed: true };
}

// ---------------------------------------------------------------------------------------------
// Cancellation words
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Assessment
// ---------------------------------------------------------------------------------------------

export interface RiskReason {
  signal: Signal;
  /** Points this signal adds now (after decay), rounded. */
  points: number;
  /** When the fact behind it happened (the newest one, for signals made of several). */
  at: string;
  /** Values for the reason's text, e.g. { metric: 'nps', score: 2 }. */
  detail: Record<string, string | number>;
}

export interface RiskAssessment {
  score: number;
  band: RiskBand;
  /** Strongest first. */
  reasons: RiskReason[];
  /** When the score may rise by time alone (the goneQuiet signal starting), if that is ahead. */
  recheckAt?: string;
}

const decayed = (weight: number, halfLifeDays: number, at: string, now: Date) => weight * 0.5 ** (ageDays(at, now) / halfLifeDays);
const latest = <T extends { at: string }>(facts: T[]) => [...facts].sort(byTime).at(-1);
const day = (iso: string) => iso.slice(0, 10);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export function bandOf(score: number, model: ChurnRiskModel = CHURN_RISK_MODEL): RiskBand {
  if (score >= model.bands.critical) return 'critical';
  if (score >= model.bands.high) return 'high';
  if (score >= model.bands.elevated) return 'elevated';
  return 'low';
}

/** The churn risk of a customer at `now`: each signal that holds, with its decayed points. */
export function assessChurnRisk(health: Pick<CustomerHealth, 'answers' | 'events'>, now: Date, model: ChurnRiskModel = CHURN_RISK_MODEL): RiskAssessment {
  const s = model.signals;
  const answers = health.answers.filter((a) => Date.parse(a.at) <= now.getTime()).sort(byTime);
  const events = health.events.filter((e) => Date.parse(e.at) <= now.getTime()).sort(byTime);
  const found: Array<Omit<RiskReason, 'points'> & { raw: number }> = [];
  const ofMetric = (metric: Metric) => answers.filter((a) => a.metric === metric);

  // A detractor as the latest answer of its survey kind: a later good answer takes it back.
  const detractors = (['nps', 'csat'] as const)
    .map((metric) => ofMetric(metric).at(-1))
    .filter((a): a is AnswerFact => a !== undefined && classify(a.metric, a.score) === 'detractor');
  const worst = detractors
    .map((a) => ({ a, raw: decayed(s.recentDetractor.weight, s.recentDetractor.halfLifeDays, a.at, now) }))
    .sort((x, y) => y.raw - x.raw)[0];
  if (worst)
    found.push({
      signal: 'recentDetractor',
      raw: worst.raw,
      at: worst.a.at,
      detail: { metric: worst.a.metric.toUpperCase(), score: worst.a.score, date: day(worst.a.at) },
    });

  const nps = ofMetric('nps');
  if (nps.length >= 2) {
    const [before, last] = [nps.at(-2)!, nps.at(-1)!];
    if (before.score - last.score >= s.npsDrop.minDrop) {
      found.push({
        signal: 'npsDrop',
        raw: decayed(s.npsDrop.weight, s.npsDrop.halfLifeDays, last.at, now),
        at: last.at,
        detail: { from: before.score, to: last.score, date: day(last.at) },
      });
    }
  }

  const lowCsat = ofMetric('csat').filter((a) => a.score <= s.repeatedLowCsat.lowMax && ageDays(a.at, now) <= s.repeatedLowCsat.withinDays);
  if (lowCsat.length >= s.repeatedLowCsat.minCount) {
    const newest = lowCsat.at(-1)!;
    found.push({
      signal: 'repeatedLowCsat',
      raw: decayed(s.repeatedLowCsat.weight, s.repeatedLowCsat.halfLifeDays, newest.at, now),
      at: newest.at,
      detail: { count: lowCsat.length, days: s.repeatedLowCsat.withinDays },
    });
  }

  const lastCes = ofMetric('ces').at(-1);
  if (lastCes && lastCes.score <= SCALES.ces.detractorMax) {
    found.push({
      signal: 'highEffort',
      raw: decayed(s.highEffort.weight, s.highEffort.halfLifeDays, lastCes.at, now),
      at: lastCes.at,
      detail: { score: lastCes.score, date: day(lastCes.at) },
    });
  }

  const contacts = events.filter((e) => (e.type === 'ticket.solved' || e.type === 'ticket.reopened') && ageDays(e.at, now) <= s.frequentContacts.withinDays);
  if (contacts.length >= s.frequentContacts.minCount) {
    const newest = contacts.at(-1)!;
    const reopened = contacts.filter((e) => e.type === 'ticket.reopened').length;
    found.push({
      signal: 'frequentContacts',
      raw: decayed(s.frequentContacts.weight, s.frequentContacts.halfLifeDays, newest.at, now),
      at: newest.at,
      detail: { count: contacts.length, days: s.frequentContacts.withinDays, reopened },
    });
  }

  const refund = latest(events.filter((e) => e.type === 'order.refunded'));
  if (refund)
    found.push({ signal: 'refund', raw: decayed(s.refund.weight, s.refund.halfLifeDays, refund.at, now), at: refund.at, detail: { date: day(refund.at) } });

  const leaving = latest(answers.filter((a) => a.cancelPhrase));
  if (leaving) {
    found.push({
      signal: 'cancellationWords',
      raw: decayed(s.cancellationWords.weight, s.cancellationWords.halfLifeDays, leaving.at, now),
      at: leaving.at,
      detail: { phrase: leaving.cancelPhrase!, date: day(leaving.at) },
    });
  }

  // Rhythm: one date per order (split deliveries of one order count once).
  const firstDelivery = new Map<string, number>();
  for (const e of events) if (e.type === 'order.delivered' && !firstDelivery.has(e.ref)) firstDelivery.set(e.ref, Date.parse(e.at));
  const orders = [...firstDelivery.values()].sort((a, b) => a - b);
  let recheckAt: string | undefined;
  if (orders.length >= s.goneQuiet.minOrders) {
    const usualDays = median(orders.slice(1).map((t, i) => (t - orders[i]!) / DAY_MS));
    const lastOrder = orders.at(-1)!;
    const quietFrom = lastOrder + Math.max(s.goneQuiet.quietFactor * usualDays, s.goneQuiet.minQuietDays) * DAY_MS;
    if (now.getTime() >= quietFrom) {
      found.push({
        signal: 'goneQuiet',
        raw: s.goneQuiet.weight,
        at: new Date(lastOrder).toISOString(),
        detail: { days: Math.floor((now.getTime() - lastOrder) / DAY_MS), usual: Math.max(1, Math.round(usualDays)) },
      });
    } else if (s.goneQuiet.weight > 0) {
      recheckAt = new Date(quietFrom).toISOString();
    }
  }

  const reasons = found
    .map(({ raw, ...reason }) => ({ ...reason, points: Math.round(raw) }))
    .filter((r) => r.points >= 1)
    .sort((a, b) => b.points - a.points || a.signal.localeCompare(b.signal));
  const score = Math.min(
    100,
    reasons.reduce((sum, r) => sum + r.points, 0),
  );
  return { score, band: bandOf(score, model), reasons, ...(recheckAt ? { recheckAt } : {}) };
}

/**
 * Whether a churn-risk alert is due now: the score reaches the threshold, and no alert was raised for
 * this customer within the period — unless the risk has since risen a band (high → critical).
 */
export function shouldRaiseChurnAlert(
  assessment: Pick<RiskAssessment, 'score' | 'band'>,
  lastAlert: Pick<ChurnAlertDecision, 'at' | 'band'> | undefined,
  now: Date,
  model: ChurnRiskModel = CHURN_RISK_MODEL,
): boolean {
  if (assessment.score < model.alertThreshold) return false;
  if (!lastAlert) return true;
  if (ageDays(lastAlert.at, now) >= model.alertPeriodDays) return true;
  return RISK_BANDS.indexOf(assessment.band) > RISK_BANDS.indexOf(lastAlert.band as RiskBand);
}

/**
 * Appends an assessment to the history when the score changed, keeping the newest `maxFacts`. Every customer
 * starts at 0, so the many whose risk never moves store none (docs/cost.md "Storage by need").
 */
export function withHistory(health: CustomerHealth, assessment: RiskAssessment, now: Date, model: ChurnRiskModel = CHURN_RISK_MODEL): CustomerHealth {
  const lastScore = health.history.at(-1)?.score ?? 0;
  if (lastScore === assessment.score) return health;
  return { ...health, history: [...health.history, { at: now.toISOString(), score: assessment.score, band: assessment.band }].slice(-model.maxFacts) };
}
