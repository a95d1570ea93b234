import { describe, expect, it } from 'vitest';
import {
  CHURN_RISK_MODEL,
  SIGNALS,
  addFact,
  assessChurnRisk,
  bandOf,
  cancellationPhrase,
  configureChurnRisk,
  emptyHealth,
  shouldRaiseChurnAlert,
  type AnswerFact,
  type CustomerHealth,
  type EventFact,
  type HealthEventType,
  type Signal,
  withHistory,
} from '../../surveys/churn-risk.ts';
import type { Metric } from '../../surveys/model.ts';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 3600_000).toISOString();

let seq = 0;
function answer(metric: Metric, score: number, ago: number, extra: Partial<AnswerFact> = {}): AnswerFact {
  seq++;
  return { invitationId: `inv-${seq}`, version: 1, surveyId: `${metric}-survey`, metric, score, at: daysAgo(ago), ...extra };
}
function event(type: HealthEventType, ago: number, ref = `ref-${++seq}`): EventFact {
  return { type, ref, at: daysAgo(ago) };
}
const profile = (answers: AnswerFact[] = [], events: EventFact[] = []) => ({ answers, events });

/** A factory per signal: the profile that makes it hold, with its fact `ago` days old. */
const ONLY: Record<Exclude<Signal, 'goneQuiet'>, (ago: number) => ReturnType<typeof profile>> = {
  recentDetractor: (ago) => profile([answer('nps', 2, ago)]),
  npsDrop: (ago) => profile([answer('nps', 10, ago + 60), answer('nps', 6, ago)]),
  repeatedLowCsat: (ago) => profile([answer('csat', 2, ago + 5), answer('csat', 2, ago)]),
  highEffort: (ago) => profile([answer('ces', 2, ago)]),
  frequentContacts: (ago) => profile([], [event('ticket.solved', ago + 2), event('ticket.solved', ago + 1), event('ticket.reopened', ago)]),
  refund: (ago) => profile([], [event('order.refunded', ago)]),
  cancellationWords: (ago) => profile([answer('nps', 8, ago, { cancelPhrase: 'rezygnuj' })]),
};

describe('churn risk: profiles → score and reasons', () => {
  describe.each([
    { name: 'no facts at all', facts: profile(), score: 0, band: 'low', reasons: {} },
    { name: 'a promoter and a satisfied customer', facts: profile([answer('nps', 10, 5), answer('csat', 5, 2)]), score: 0, band: 'low', reasons: {} },
    { name: 'an NPS detractor today', facts: profile([answer('nps', 2, 0)]), score: 30, band: 'elevated', reasons: { recentDetractor: 30 } },
    { name: 'an NPS detractor one half-life (30 days) ago', facts: profile([answer('nps', 2, 30)]), score: 15, band: 'low', reasons: { recentDetractor: 15 } },
    { name: 'an NPS detractor two half-lives ago', facts: profile([answer('nps', 2, 60)]), score: 8, band: 'low', reasons: { recentDetractor: 8 } },
    { name: 'a detractor who later answered 9 (taken back)', facts: profile([answer('nps', 2, 20), answer('nps', 9, 3)]), score: 0, band: 'low', reasons: {} },
    {
      name: 'an NPS drop from 9 to 3 today',
      facts: profile([answer('nps', 9, 90), answer('nps', 3, 0)]),
      score: 55,
      band: 'high',
      reasons: { recentDetractor: 30, npsDrop: 25 },
    },
    { name: 'an NPS drop of 3 (10 to 7): not enough', facts: profile([answer('nps', 10, 90), answer('nps', 7, 0)]), score: 0, band: 'low', reasons: {} },
    {
      name: 'an NPS drop of exactly 4 (10 to 6)',
      facts: profile([answer('nps', 10, 90), answer('nps', 6, 0)]),
      score: 55,
      band: 'high',
      reasons: { recentDetractor: 30, npsDrop: 25 },
    },
    {
      name: 'two CSAT 1 within 90 days (10 and 40 days ago)',
      facts: profile([answer('csat', 1, 40), answer('csat', 1, 10)]),
      score: 41,
      band: 'elevated',
      reasons: { recentDetractor: 24, repeatedLowCsat: 17 },
    },
    { name: 'two low CSAT, one of them 100 days ago', facts: profile([answer('csat', 2, 100), answer('csat', 4, 50)]), score: 0, band: 'low', reasons: {} },
    { name: 'a high-effort CES (2) today', facts: profile([answer('ces', 2, 0)]), score: 15, band: 'low', reasons: { highEffort: 15 } },
    { name: 'an easy CES (6) after a hard one', facts: profile([answer('ces', 2, 10), answer('ces', 6, 1)]), score: 0, band: 'low', reasons: {} },
    {
      name: 'three support contacts in 30 days, one a reopening',
      facts: profile([], [event('ticket.solved', 20), event('ticket.reopened', 10), event('ticket.solved', 0)]),
      score: 15,
      band: 'low',
      reasons: { frequentContacts: 15 },
    },
    {
      name: 'two support contacts in 30 days',
      facts: profile([], [event('ticket.solved', 20), event('ticket.solved', 0)]),
      score: 0,
      band: 'low',
      reasons: {},
    },
    { name: 'a refund today', facts: profile([], [event('order.refunded', 0)]), score: 20, band: 'low', reasons: { refund: 20 } },
    { name: 'a refund 200 days ago (decayed below a point)', facts: profile([], [event('order.refunded', 200)]), score: 0, band: 'low', reasons: {} },
    {
      name: 'a passive score with "I am cancelling my subscription"',
      facts: profile([answer('nps', 8, 0, { cancelPhrase: 'cancelling my subscription' })]),
      score: 35,
      band: 'elevated',
      reasons: { cancellationWords: 35 },
    },
    {
      name: 'a Polish detractor who writes "rezygnuję"',
      facts: profile([answer('nps', 2, 0, { cancelPhrase: 'rezygnuj' })]),
      score: 65,
      band: 'high',
      reasons: { cancellationWords: 35, recentDetractor: 30 },
    },
    {
      name: 'a monthly buyer silent for 70 days',
      facts: profile([], [event('order.delivered', 130), event('order.delivered', 100), event('order.delivered', 70)]),
      score: 20,
      band: 'low',
      reasons: { goneQuiet: 20 },
    },
    {
      name: 'a monthly buyer silent for 40 days (not yet twice their rhythm)',
      facts: profile([], [event('order.delivered', 100), event('order.delivered', 70), event('order.delivered', 40)]),
      score: 0,
      band: 'low',
      reasons: {},
    },
    {
      name: 'two orders only, silent for a year: not a frequent buyer',
      facts: profile([], [event('order.delivered', 364), event('order.delivered', 330)]),
      score: 0,
      band: 'low',
      reasons: {},
    },
    {
      name: 'everything at once (capped at 100)',
      facts: profile(
        [answer('nps', 10, 100), answer('nps', 0, 0, { cancelPhrase: 'never again' }), answer('csat', 1, 3), answer('csat', 1, 1), answer('ces', 1, 1)],
        [event('order.refunded', 0), event('ticket.solved', 3), event('ticket.reopened', 2), event('ticket.solved', 1)],
      ),
      score: 100,
      band: 'critical',
      reasons: { recentDetractor: 30, npsDrop: 25, repeatedLowCsat: 20, highEffort: 15, frequentContacts: 14, refund: 20, cancellationWords: 35 },
    },
  ])('$name', ({ facts, score, band, reasons }) => {
    it(`Should score ${score} (${band}) for the expected reasons, strongest first`, () => {
      // Act
      const risk = assessChurnRisk(facts, NOW);

      // Assess
      expect(risk.score).toBe(score);
      expect(risk.band).toBe(band);
      expect(Object.fromEntries(risk.reasons.map((r) => [r.signal, r.points]))).toEqual(reasons);
      const points = risk.reasons.map((r) => r.points);
      expect(points).toEqual([...points].sort((a, b) => b - a));
    });
  });

  it('Should say why in each reason: what, how much and when', () => {
    // Prepare
    const facts = profile(
      [answer('nps', 9, 90), answer('nps', 3, 2)],
      [event('order.delivered', 130, 'o-1'), event('order.delivered', 100, 'o-2'), event('order.delivered', 70, 'o-3')],
    );

    // Act
    const { reasons } = assessChurnRisk(facts, NOW);

    // Assess
    expect(reasons.find((r) => r.signal === 'recentDetractor')!.detail).toEqual({ metric: 'NPS', score: 3, date: daysAgo(2).slice(0, 10) });
    expect(reasons.find((r) => r.signal === 'npsDrop')!.detail).toEqual({ from: 9, to: 3, date: daysAgo(2).slice(0, 10) });
    expect(reasons.find((r) => r.signal === 'goneQuiet')!.detail).toEqual({ days: 70, usual: 30 });
  });

  it('Should count split deliveries of one order once in the buying rhythm', () => {
    // Prepare: three deliveries of two orders are not three orders
    const facts = profile([], [event('order.delivered', 100, 'o-1'), event('order.delivered', 99, 'o-1'), event('order.delivered', 70, 'o-2')]);

    // Act
    const risk = assessChurnRisk(facts, NOW);

    // Assess
    expect(risk.reasons).toEqual([]);
    expect(risk.recheckAt).toBeUndefined();
  });

  it('Should name the moment a frequent buyer will count as gone quiet, for the sweep to look again', () => {
    // Prepare
    const facts = profile([], [event('order.delivered', 100), event('order.delivered', 70), event('order.delivered', 40)]);

    // Act
    const { recheckAt } = assessChurnRisk(facts, NOW);

    // Assess: the last order 40 days ago plus twice the 30-day rhythm
    expect(recheckAt).toBe(new Date(NOW.getTime() + 20 * 24 * 3600_000).toISOString());
  });

  describe.each(Object.keys(ONLY) as Array<keyof typeof ONLY>)('the %s signal', (signal) => {
    it('Should fade with the age of its fact and be gone once the facts age out', () => {
      // Act
      const pointsAt = (ago: number) => assessChurnRisk(ONLY[signal](ago), NOW).reasons.find((r) => r.signal === signal)?.points ?? 0;
      const series = [0, 5, 15, 25].map(pointsAt);

      // Assess
      expect(series[0]).toBe(CHURN_RISK_MODEL.signals[signal].weight);
      for (let i = 1; i < series.length; i++) expect(series[i]).toBeLessThan(series[i - 1]!);
      expect(pointsAt(400)).toBe(0);
    });
  });

  it('Should cover every signal with a decay test or a rhythm test', () => {
    // Assess: the goneQuiet signal is rhythm-based (tested above); every other one decays
    expect([...Object.keys(ONLY), 'goneQuiet'].sort()).toEqual([...SIGNALS].sort());
  });
});

describe('cancellation words', () => {
  it.each([
    ['I want to cancel my subscription now', 'cancel my subscription'],
    ['Never again. Worst shop ever!', 'never again'],
    ["I won't be back", 'won t be back'],
    ['Going to a competitor next time', 'going to a competitor'],
    ['Rezygnuję z waszych usług', 'rezygnuj'],
    ['REZYGNUJE', 'rezygnuj'],
    ['Nigdy więcej nie zamówię', 'nigdy więcej'],
    ['nigdy wiecej', 'nigdy więcej'],
    ['Przechodzę do konkurencji.', 'przechodzę do konkurencji'],
    ['Usuńcie moje konto', 'usuńcie moje konto'],
  ])('Should find a leaving phrase in %j', (comment, phrase) => {
    // Act / Assess
    expect(cancellationPhrase(comment)).toBe(phrase);
  });

  it.each([
    'The courier cancelled the first delivery, but all good',
    'Better than the competition!',
    'Lepsze niż konkurencja',
    'Zamówienie anulowane przez kuriera',
    'I returned one item and got a refund quickly',
    'Wszystko super, dziękuję',
    'reneverage again', // "never again" only at a word start
    '',
  ])('Should find nothing in %j', (comment) => {
    // Act / Assess
    expect(cancellationPhrase(comment)).toBeUndefined();
  });
});

describe('the health profile', () => {
  it('Should add an event once: the same event again changes nothing', () => {
    // Prepare
    const refund = event('order.refunded', 1);
    const once = addFact(emptyHealth('c-1'), { kind: 'event', event: refund }, NOW).health;

    // Act
    const twice = addFact(once, { kind: 'event', event: refund }, NOW);

    // Assess
    expect(twice.changed).toBe(false);
    expect(twice.health.events).toHaveLength(1);
  });

  it('Should know an event by its type, order or ticket and time: stored before with a dedupe key, or the same order at another time', () => {
    // Prepare: a fact as items stored before this change hold it, with the event's dedupe key
    const delivered = event('order.delivered', 3, 'o-7');
    const stored: CustomerHealth = { ...emptyHealth('c-1'), events: [{ ...delivered, key: 'shop#evt-old' } as EventFact] };

    // Act
    const again = addFact(stored, { kind: 'event', event: delivered }, NOW);
    const later = addFact(stored, { kind: 'event', event: { ...delivered, at: daysAgo(1) } }, NOW);

    // Assess
    expect(again.changed).toBe(false);
    expect(later.changed).toBe(true);
    expect(later.health.events.at(-1)).toEqual({ type: 'order.delivered', ref: 'o-7', at: daysAgo(1) });
  });

  it('Should replace an answer by a newer version, keep the first answer time, and ignore an older or equal version', () => {
    // Prepare
    const v1 = answer('nps', 2, 1);
    const health = addFact(emptyHealth('c-1'), { kind: 'answer', answer: v1 }, NOW).health;

    // Act
    const edited = addFact(health, { kind: 'answer', answer: { ...v1, version: 2, score: 9, at: daysAgo(0) } }, NOW);
    const stale = addFact(edited.health, { kind: 'answer', answer: v1 }, NOW);

    // Assess
    expect(edited.changed).toBe(true);
    expect(edited.health.answers).toEqual([{ ...v1, version: 2, score: 9 }]);
    expect(stale.changed).toBe(false);
  });

  it('Should drop facts older than a year and keep at most maxFacts of each kind', () => {
    // Prepare
    let health: CustomerHealth = { ...emptyHealth('c-1'), events: [event('order.delivered', 400)] };
    const model = { ...CHURN_RISK_MODEL, maxFacts: 3 };

    // Act
    for (let i = 5; i > 0; i--) health = addFact(health, { kind: 'event', event: event('order.delivered', i) }, NOW, model).health;

    // Assess
    expect(health.events.map((e) => e.at)).toEqual([daysAgo(3), daysAgo(2), daysAgo(1)]);
  });

  it('Should keep a history of the changes from 0: none while the risk stays 0, then each change, a return to 0 too', () => {
    // Prepare
    const at = (score: number) => assessChurnRisk({ ...emptyHealth('c-1'), ...(score ? ONLY.refund(1) : profile()) }, NOW);
    const zero = at(0);
    const risen = at(1);

    // Act
    const quiet = withHistory(emptyHealth('c-1'), zero, NOW);
    const first = withHistory(quiet, risen, NOW);
    const same = withHistory(first, risen, NOW);
    const back = withHistory(same, zero, NOW);

    // Assess
    expect(zero.score).toBe(0);
    expect(risen.score).toBeGreaterThan(0);
    expect(quiet.history).toEqual([]);
    expect(first.history).toEqual([{ at: NOW.toISOString(), score: risen.score, band: risen.band }]);
    expect(same).toBe(first);
    expect(back.history.map((h) => h.score)).toEqual([risen.score, 0]);
  });
});

describe('when to raise a churn-risk alert', () => {
  describe.each([
    { name: 'below the threshold', score: 49, last: undefined, raise: false },
    { name: 'at the threshold, never alerted', score: 50, last: undefined, raise: true },
    { name: 'high again within the period', score: 60, last: { at: daysAgo(10), band: 'high' }, raise: false },
    { name: 'high again after the period', score: 60, last: { at: daysAgo(30), band: 'high' }, raise: true },
    { name: 'risen a band within the period', score: 80, last: { at: daysAgo(1), band: 'high' }, raise: true },
    { name: 'critical again within the period', score: 90, last: { at: daysAgo(1), band: 'critical' }, raise: false },
  ] as const)('$name', ({ score, last, raise }) => {
    it(raise ? 'Should raise one' : 'Should not raise one', () => {
      // Act / Assess
      expect(shouldRaiseChurnAlert({ score, band: bandOf(score) }, last, NOW)).toBe(raise);
    });
  });
});

describe('configuration', () => {
  it('Should apply a threshold and weights without touching the defaults', () => {
    // Act
    const model = configureChurnRisk({ alertThreshold: 40, weights: { refund: 45 } });

    // Assess
    expect(model.alertThreshold).toBe(40);
    expect(model.signals.refund.weight).toBe(45);
    expect(CHURN_RISK_MODEL.signals.refund.weight).toBe(20);
    expect(assessChurnRisk(profile([], [event('order.refunded', 0)]), NOW, model).score).toBe(45);
  });

  it.each([
    [{ alertThreshold: 0 }, /threshold must be 1-100/],
    [{ weights: { luck: 5 } }, /unknown churn signal "luck"/],
    [{ weights: { refund: 150 } }, /weight of refund must be 0-100/],
  ])('Should refuse %j and say why', (overrides, message) => {
    // Act / Assess
    expect(() => configureChurnRisk(overrides as Parameters<typeof configureChurnRisk>[0])).toThrow(message);
  });
});
