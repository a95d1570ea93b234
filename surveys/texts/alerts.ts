/**
 * Messages to support leads (SNS → e-mail or chat), per language: a module of their own, so that the
 * functions that write alerts (templates/alert.ts, outbound/view.ts) carry these texts only, not every
 * customer and dashboard text (~13 KB of raiseAlerts). en.ts and pl.ts hold the same objects as their
 * `alerts`, so TEXTS and its tests see them as before.
 */
import type { Language } from '../model.ts';
import type { Texts } from './types.ts';

export const EN_ALERTS: Texts['alerts'] = {
  sentiments: { negative: 'negative', neutral: 'neutral', positive: 'positive' },
  detractorSubject: 'Detractor: {customer} rated {metric} {score}/{max} ({survey})',
  detractorIntro: 'A customer gave a low score and may need a follow-up.',
  churnRiskSubject: 'Churn risk {risk}/100: {customer}',
  churnRiskIntro: 'A customer shows signs of leaving.',
  reminderPrefix: 'Reminder {count}: ',
  reminderIntro: 'Nobody has acknowledged this alert yet.',
  noComment: '(no comment)',
  labels: {
    survey: 'Survey',
    score: 'Score',
    customer: 'Customer',
    contact: 'Contact',
    about: 'About',
    agent: 'Agent',
    team: 'Team',
    store: 'Store',
    comment: 'Comment',
    previousScores: 'Previous scores',
    topics: 'Topics',
    sentiment: 'Sentiment',
    risk: 'Churn risk',
    reasons: 'Reasons',
    link: 'Acknowledge and resolve',
  },
  scoreValue: '{score} out of {max}',
  riskValue: '{risk}/100 ({band})',
  bands: { low: 'low', elevated: 'elevated', high: 'high', critical: 'critical' },
  reasons: {
    recentDetractor: 'Low {metric} score: {score} ({date})',
    npsDrop: 'NPS fell from {from} to {to} ({date})',
    repeatedLowCsat: 'Low CSAT scores in {days} days: {count}',
    highEffort: 'High effort: CES {score} ({date})',
    frequentContacts: 'Support contacts in {days} days: {count}, reopened: {reopened}',
    refund: 'Refund ({date})',
    cancellationWords: 'Comment mentions leaving: "{phrase}" ({date})',
    goneQuiet: 'No order for {days} days; usually one every {usual} days',
  },
  reasonPoints: '{reason} (+{points})',
};

export const PL_ALERTS: Texts['alerts'] = {
  sentiments: { negative: 'negatywny', neutral: 'neutralny', positive: 'pozytywny' },
  detractorSubject: 'Niska ocena: {customer} ocenił(a) {metric} na {score}/{max} ({survey})',
  detractorIntro: 'Klient wystawił niską ocenę i może potrzebować kontaktu.',
  churnRiskSubject: 'Ryzyko odejścia {risk}/100: {customer}',
  churnRiskIntro: 'Klient wykazuje oznaki możliwego odejścia.',
  reminderPrefix: 'Przypomnienie {count}: ',
  reminderIntro: 'Nikt jeszcze nie przyjął tego alertu.',
  noComment: '(brak komentarza)',
  labels: {
    survey: 'Ankieta',
    score: 'Ocena',
    customer: 'Klient',
    contact: 'Kontakt',
    about: 'Dotyczy',
    agent: 'Konsultant',
    team: 'Zespół',
    store: 'Sklep',
    comment: 'Komentarz',
    previousScores: 'Wcześniejsze oceny',
    topics: 'Tematy',
    sentiment: 'Wydźwięk',
    risk: 'Ryzyko odejścia',
    reasons: 'Powody',
    link: 'Przyjmij i zamknij',
  },
  scoreValue: '{score} z {max}',
  riskValue: '{risk}/100 ({band})',
  bands: { low: 'niskie', elevated: 'podwyższone', high: 'wysokie', critical: 'krytyczne' },
  reasons: {
    recentDetractor: 'Niska ocena {metric}: {score} ({date})',
    npsDrop: 'NPS spadł z {from} do {to} ({date})',
    repeatedLowCsat: 'Niskie oceny CSAT w ciągu {days} dni: {count}',
    highEffort: 'Duży wysiłek: CES {score} ({date})',
    frequentContacts: 'Kontakty z obsługą w ciągu {days} dni: {count}, ponownie otwarte: {reopened}',
    refund: 'Zwrot pieniędzy ({date})',
    cancellationWords: 'Komentarz wspomina o odejściu: „{phrase}” ({date})',
    goneQuiet: 'Brak zamówień od {days} dni; zwykle jedno co {usual} dni',
  },
  reasonPoints: '{reason} (+{points})',
};

const ALERT_TEXTS: Record<Language, Texts['alerts']> = { en: EN_ALERTS, pl: PL_ALERTS };

/** The alert texts of a language, falling back as textsFor does (a locale like "pl-PL", anything unknown: English). */
export function alertTextsFor(language: Language | string | undefined): Texts['alerts'] {
  const primary = (language ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return Object.hasOwn(ALERT_TEXTS, primary) ? ALERT_TEXTS[primary as Language] : EN_ALERTS;
}
