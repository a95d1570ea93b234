/**
 * The shape of every language's texts: one interface types them all, so a language that misses a key
 * (or has one too many) does not compile. Apart from index.ts, which holds the languages, so that a
 * language file imports its type without importing the module that imports it.
 */
import type { Language, Metric, RootCause } from '../model.ts';

/** Strings of one survey kind. */
export interface MetricTexts {
  /** Email subject. {brand} */
  subject: string;
  /** First paragraph of the email, after the greeting. {brand} */
  intro: string;
  /** The survey question, as asked in the email and on the pages. {brand} */
  question: string;
  /** How to answer, under the question ("Choose a number …"). {min} {max} */
  instruction: string;
  /** Label of the lowest score (NPS 0, CSAT 1, CES 1). */
  lowLabel: string;
  /** Label of the highest score (NPS 10, CSAT 5, CES 7). */
  highLabel: string;
  /** Heading of the thank-you page. */
  thankYouHeading: string;
  /** Body of the thank-you page. {brand} */
  thankYouBody: string;
  /** Label of the optional comment box. */
  commentPrompt: string;
  /** What the company does with the answer. {brand} */
  whatHappensNext: string;
  /** SMS invitation: answer by replying with a number, or through the link. {brand} {link} {min} {max} */
  sms: string;
}

/** The support leads' dashboard (functions/dashboard): tiles, trend, segments, alerts, export. */
export interface DashboardTexts {
  /** Page title and heading. */
  title: string;
  /** Label of the window chooser. */
  window: string;
  /** Window names. {days} */
  windowDays: string;
  metricNames: Record<Metric, string>;
  /** What each metric's value means, under the tile. */
  metricHints: Record<Metric, string>;
  /** {count} */
  responses: string;
  /** Margin of error. {moe} */
  marginOfError: string;
  /** Shown when a figure rests on fewer than 30 responses. */
  smallSample: string;
  /** Shown instead of a figure when there are no responses. */
  noData: string;
  /** Heading of the trend chart. {days} {rolling} */
  trendTitle: string;
  /** Label of the chart's metric chooser. */
  metric: string;
  /** Heading of the segment table. */
  segmentsTitle: string;
  /** Label of the dimension chooser. */
  segmentBy: string;
  dimensions: Record<'survey' | 'channel' | 'agent' | 'team' | 'store' | 'locale' | 'evidence', string>;
  /** The tiles from strong evidence only (no dwell answers). */
  strongOnly: string;
  /** The evidence mix line: how answers were confirmed, e.g. "{mix}" = "interaction 12 · dwell 3". */
  evidenceMix: string;
  /** Names of the evidence kinds (surveys/model.ts EVIDENCE_KINDS). */
  evidenceKinds: Record<'dwell' | 'interaction' | 'button' | 'sms' | 'import', string>;
  columns: { segment: string; value: string; marginOfError: string; responses: string; flag: string };
  /** Heading of the alerts panel. */
  alertsTitle: string;
  alertsEmpty: string;
  alertColumns: { when: string; kind: string; customer: string; survey: string; score: string; comment: string };
  /** The alerts panel's status column and its acknowledge / resolve actions. */
  alertActions: {
    status: string;
    open: string;
    /** {owner} */
    acked: string;
    acknowledge: string;
    resolve: string;
    note: string;
    rootCause: string;
    rootCauses: Record<RootCause, string>;
    save: string;
    cancel: string;
    /** {error} */
    failed: string;
  };
  /** Heading and links of the export section. */
  exportTitle: string;
  exportScores: string;
  exportResponses: string;
  /** The "What drives the score" panel (comment topics). */
  drivers: {
    title: string;
    /** {commented} {responses} */
    summary: string;
    empty: string;
    columns: { topic: string; impact: string; mentions: string; sentiment: string; scores: string; samples: string };
    /** {impact} {moe} */
    impact: string;
    /** {mentions} {share} */
    mentions: string;
    /** {negative} {neutral} {positive} */
    sentiment: string;
    /** {score} {without} {moe} */
    scores: string;
    more: string;
    fewer: string;
    same: string;
    small: string;
  };
  /** The key form (AWS: the read API needs the dashboard key). */
  /** {error} */
  loadFailed: string;
  refresh: string;
  /** The name of the other language, on the link that switches to it. */
  switchLanguage: string;
}

export interface Texts {
  /** Support leads' dashboard. */
  dashboard: DashboardTexts;
  language: Language;
  /** Name of the language in itself, for a language switcher. */
  languageName: string;
  metrics: Record<Metric, MetricTexts>;
  common: {
    /** Accessible name of one score: "Rate 7 out of 10". {score} {max} */
    rateScore: string;
    /** The chosen score, shown on the rating page. {score} {max} */
    yourScore: string;
    /** Legend of the score radio group on the rating page (the question is shown above it). */
    changeScore: string;
    /** Hint under the comment box. {max} */
    commentHint: string;
    /** Shown when a comment is longer than allowed. {max} */
    commentTooLong: string;
    /** Submit button of the rating and comment forms. */
    send: string;
    /** Status line once the answer is saved. */
    saved: string;
    /** Status line while the answer is being saved. */
    saving: string;
    /** Status line when the automatic save failed. */
    saveFailed: string;
    /** Shown once the comment is saved. */
    commentSaved: string;
    /** Title of the survey pages. {brand} */
    pageTitle: string;
    /** Under the scores until the answer is saved: how to save it (no script, or before any interaction). */
    confirmHint: string;
    /** When an answer could not be confirmed as coming from a person yet (e.g. during a burst of link scans). */
    notConfirmed: string;
  };
  email: {
    /** Greeting with the customer's name. {name} */
    greeting: string;
    /** Greeting when the name is unknown. */
    greetingNoName: string;
    /** Line above the score buttons. */
    oneClick: string;
    /** Why the customer got this message. {brand} */
    footer: string;
    /** Text of the unsubscribe link. */
    unsubscribe: string;
    /** Sign-off. {brand} */
    signature: string;
  };
  /** The one optional reminder of an unanswered survey: its e-mail subject or SMS text. {message} */
  reminder: string;
  /** The unsubscribe page: a GET only shows it (scanners follow links); its button unsubscribes. */
  unsubscribe: {
    /** Title and heading of the confirmation page. */
    title: string;
    /** What the button does. {brand} {channel} */
    confirm: string;
    /** The button. */
    button: string;
    /** Title once unsubscribed. */
    doneTitle: string;
    /** Body once unsubscribed. {brand} {channel} */
    doneBody: string;
    /** For {channel}: e-mail. */
    channelEmail: string;
    /** For {channel}: text messages. */
    channelSms: string;
  };
  /** Friendly error and notice pages. */
  pages: Record<MessageKind, { title: string; body: string }>;
  /** Messages to support leads (SNS → email/chat), in the lead's language (ALERT_LANGUAGE). */
  alerts: {
    /** {metric} {score} {max} {customer} {survey} */
    detractorSubject: string;
    /** The comment's sentiment, named. */
    sentiments: Record<'negative' | 'neutral' | 'positive', string>;
    /** First line of a detractor alert. */
    detractorIntro: string;
    /** {customer} {risk} */
    churnRiskSubject: string;
    /** First line of a churn-risk alert. */
    churnRiskIntro: string;
    /** Put before the subject of a reminder (an alert nobody acknowledged). {count} */
    reminderPrefix: string;
    /** First line of a reminder. */
    reminderIntro: string;
    /** Shown for the comment when the customer left none. */
    noComment: string;
    /** Labels of the context lines. */
    labels: {
      survey: string;
      score: string;
      customer: string;
      contact: string;
      about: string;
      agent: string;
      team: string;
      store: string;
      comment: string;
      previousScores: string;
      /** The comment's topics and sentiment (surveys/insights/). */
      topics: string;
      sentiment: string;
      risk: string;
      reasons: string;
      link: string;
    };
    /** {score} {max} */
    scoreValue: string;
    /** {risk} {band} */
    riskValue: string;
    /** Names of the churn-risk bands. */
    bands: { low: string; elevated: string; high: string; critical: string };
    /** Churn-risk reasons (surveys/churn-risk.ts signals). */
    reasons: {
      /** {metric} {score} {date} */
      recentDetractor: string;
      /** {from} {to} {date} */
      npsDrop: string;
      /** {count} {days} */
      repeatedLowCsat: string;
      /** {score} {date} */
      highEffort: string;
      /** {count} {days} {reopened} */
      frequentContacts: string;
      /** {date} */
      refund: string;
      /** {phrase} {date} */
      cancellationWords: string;
      /** {days} {usual} */
      goneQuiet: string;
    };
    /** A reason with the risk points it adds. {reason} {points} */
    reasonPoints: string;
  };
}

export type MessageKind = 'invalid-link' | 'expired' | 'rate-limited' | 'comment-too-long' | 'edit-closed' | 'not-found' | 'not-confirmed';
