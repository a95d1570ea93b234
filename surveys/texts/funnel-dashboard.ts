/**
 * Texts of the dashboard's funnel panel and score split (functions/dashboard/assets/funnel-panel.js,
 * score-split.js), in both languages. Kept apart from the main dashboard texts so panels added side by
 * side do not edit the same lines. Placeholders in braces are filled by the page's script.
 */
import type { Language } from '../model.ts';

export interface FunnelDashboardTexts {
  title: string;
  survey: string;
  allSurveys: string;
  splitBy: string;
  segments: Record<'channel' | 'survey' | 'sendHour' | 'locale' | 'store' | 'team', string>;
  responseRate: string;
  deliveredRate: string;
  openRate: string;
  /** {answered} {sent} */
  ofSent: string;
  /** {answered} {delivered} */
  ofDelivered: string;
  /** {opened} {sent} */
  opensOfSent: string;
  /** 95 % interval. {low} {high} */
  interval: string;
  noRate: string;
  steps: Record<'scheduled' | 'sent' | 'delivered' | 'opened' | 'answered' | 'commented' | 'bounced' | 'failed' | 'unsubscribed' | 'complained', string>;
  /** Accessible name of the funnel chart. {summary} */
  chartLabel: string;
  skipped: string;
  noSkips: string;
  columns: { key: string; sent: string; answered: string; rate: string; interval: string; note: string };
  smallSample: string;
  /** {key} {rate} */
  leaderClear: string;
  /** {key} {rate} */
  leaderUnclear: string;
  noLeader: string;
  /** A send hour in the reader's time zone. {time} */
  sendHourValue: string;
  /** The stacked bar under each score tile. */
  split: Record<'nps' | 'csat' | 'ces', { label: string; parts: string[] }>;
  /** Accessible name of a split bar. {parts} */
  splitLabel: string;
  /** Trend: weekly points when days are thin. */
  weekly: string;
  daily: string;
  band: string;
  /** The alerts inbox's filters and the customer history under an alert. */
  alerts: {
    filters: string;
    any: string;
    fields: Record<'status' | 'kind' | 'team' | 'store' | 'owner', string>;
    statuses: Record<'open' | 'acked', string>;
    kinds: Record<'detractor' | 'churn-risk', string>;
    /** {shown} {total} */
    shown: string;
    history: string;
    historyOf: string;
    noHistory: string;
    /** {score} {band} */
    risk: string;
    /** The switch between the lead's team ({team}) and all teams. */
    teamView: { legend: string; mine: string; all: string };
  };
  /** The comments feed. */
  comments: {
    title: string;
    empty: string;
    /** {score} {category} */
    score: string;
    categories: Record<'promoter' | 'passive' | 'detractor', string>;
  };
}

export const FUNNEL_TEXTS: Readonly<Record<Language, FunnelDashboardTexts>> = {
  en: {
    title: 'How many answer',
    survey: 'Survey',
    allSurveys: 'All surveys',
    splitBy: 'Split by',
    segments: { channel: 'Channel', survey: 'Survey', sendHour: 'Send hour', locale: 'Language', store: 'Store', team: 'Team' },
    responseRate: 'Response rate',
    deliveredRate: 'Of delivered',
    openRate: 'Opened',
    ofSent: '{answered} of {sent} sent answered',
    ofDelivered: '{answered} of {delivered} delivered answered',
    opensOfSent: '{opened} of {sent} sent opened by a person',
    interval: '95 % range {low} – {high}',
    noRate: 'Nothing sent yet',
    steps: {
      scheduled: 'Scheduled',
      sent: 'Sent',
      delivered: 'Delivered',
      opened: 'Opened',
      answered: 'Answered',
      commented: 'Commented',
      bounced: 'Bounced',
      failed: 'Failed',
      unsubscribed: 'Unsubscribed',
      complained: 'Complaints',
    },
    chartLabel: 'Response funnel: {summary}',
    skipped: 'Not sent, by reason',
    noSkips: 'None skipped',
    columns: { key: 'Segment', sent: 'Sent', answered: 'Answered', rate: 'Response rate', interval: '95 % range', note: 'Note' },
    smallSample: 'Fewer than 30 sent',
    leaderClear: '{key} gets the most answers ({rate}), clearly ahead of the rest.',
    leaderUnclear: '{key} leads ({rate}), but the ranges overlap: not yet a safe choice.',
    noLeader: 'Not enough surveys sent per segment to compare yet.',
    sendHourValue: '{time} your time',
    split: {
      nps: { label: 'Promoters, passives, detractors', parts: ['Promoters', 'Passives', 'Detractors'] },
      csat: { label: 'Satisfied, neutral, unsatisfied', parts: ['Satisfied', 'Neutral', 'Unsatisfied'] },
      ces: { label: 'Easy, neutral, hard', parts: ['Easy', 'Neutral', 'Hard'] },
    },
    splitLabel: '{parts}',
    weekly: 'weekly points (few answers a day)',
    daily: 'daily points',
    band: '95 % range',
    alerts: {
      filters: 'Filter alerts',
      any: 'Any',
      fields: { status: 'Status', kind: 'Kind', team: 'Team', store: 'Store', owner: 'Owner' },
      statuses: { open: 'Open', acked: 'Taken' },
      kinds: { detractor: 'Detractor', 'churn-risk': 'Churn risk' },
      shown: '{shown} of {total} alerts shown, newest first',
      history: 'History',
      historyOf: 'Earlier answers of this customer',
      noHistory: 'No earlier answers',
      risk: 'Churn risk {score} ({band})',
      teamView: { legend: 'Whose alerts', mine: 'My team ({team})', all: 'All teams' },
    },
    comments: {
      title: 'Latest comments',
      empty: 'No comments in the last 7 days',
      score: 'Score {score} ({category})',
      categories: { promoter: 'positive', passive: 'neutral', detractor: 'negative' },
    },
  },
  pl: {
    title: 'Ilu odpowiada',
    survey: 'Ankieta',
    allSurveys: 'Wszystkie ankiety',
    splitBy: 'Podział',
    segments: { channel: 'Kanał', survey: 'Ankieta', sendHour: 'Godzina wysyłki', locale: 'Język', store: 'Sklep', team: 'Zespół' },
    responseRate: 'Odsetek odpowiedzi',
    deliveredRate: 'Z doręczonych',
    openRate: 'Otwarte',
    ofSent: 'Odpowiedzi: {answered} z {sent} wysłanych',
    ofDelivered: 'Odpowiedzi: {answered} z {delivered} doręczonych',
    opensOfSent: 'Otwarte przez człowieka: {opened} z {sent} wysłanych',
    interval: 'Przedział 95 %: {low} – {high}',
    noRate: 'Jeszcze nic nie wysłano',
    steps: {
      scheduled: 'Zaplanowane',
      sent: 'Wysłane',
      delivered: 'Doręczone',
      opened: 'Otwarte',
      answered: 'Z odpowiedzią',
      commented: 'Z komentarzem',
      bounced: 'Odbite',
      failed: 'Nieudane',
      unsubscribed: 'Wypisania',
      complained: 'Skargi',
    },
    chartLabel: 'Lejek odpowiedzi: {summary}',
    skipped: 'Niewysłane, według powodu',
    noSkips: 'Nic nie pominięto',
    columns: { key: 'Segment', sent: 'Wysłane', answered: 'Odpowiedzi', rate: 'Odsetek odpowiedzi', interval: 'Przedział 95 %', note: 'Uwaga' },
    smallSample: 'Mniej niż 30 wysłanych',
    leaderClear: '{key}: najwięcej odpowiedzi ({rate}), wyraźnie przed resztą.',
    leaderUnclear: '{key} prowadzi ({rate}), ale przedziały się nakładają: to jeszcze nie pewny wybór.',
    noLeader: 'Za mało wysłanych ankiet w segmentach, by je porównać.',
    sendHourValue: '{time} Twojego czasu',
    split: {
      nps: { label: 'Promotorzy, neutralni, krytycy', parts: ['Promotorzy', 'Neutralni', 'Krytycy'] },
      csat: { label: 'Zadowoleni, neutralni, niezadowoleni', parts: ['Zadowoleni', 'Neutralni', 'Niezadowoleni'] },
      ces: { label: 'Łatwo, neutralnie, trudno', parts: ['Łatwo', 'Neutralnie', 'Trudno'] },
    },
    splitLabel: '{parts}',
    weekly: 'punkty tygodniowe (mało odpowiedzi dziennie)',
    daily: 'punkty dzienne',
    band: 'przedział 95 %',
    alerts: {
      filters: 'Filtruj alerty',
      any: 'Wszystkie',
      fields: { status: 'Status', kind: 'Rodzaj', team: 'Zespół', store: 'Sklep', owner: 'Właściciel' },
      statuses: { open: 'Otwarte', acked: 'Przyjęte' },
      kinds: { detractor: 'Krytyk', 'churn-risk': 'Ryzyko odejścia' },
      shown: 'Widoczne alerty: {shown} z {total}, od najnowszych',
      history: 'Historia',
      historyOf: 'Wcześniejsze odpowiedzi tego klienta',
      noHistory: 'Brak wcześniejszych odpowiedzi',
      risk: 'Ryzyko odejścia {score} ({band})',
      teamView: { legend: 'Czyje alerty', mine: 'Mój zespół ({team})', all: 'Wszystkie zespoły' },
    },
    comments: {
      title: 'Najnowsze komentarze',
      empty: 'Brak komentarzy z ostatnich 7 dni',
      score: 'Ocena {score} ({category})',
      categories: { promoter: 'pozytywna', passive: 'neutralna', detractor: 'negatywna' },
    },
  },
};
