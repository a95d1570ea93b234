/**
 * The business metrics ankieta emits (CloudWatch embedded metric format, written by
 * functions/shared/metrics.ts) and the dashboard and alarms read (infra/constructs/operations-*.ts).
 * Pure data, so the CDK app can import it without loading Powertools.
 */

/** Every metric carries this dimension (Powertools' default dimension, from POWERTOOLS_SERVICE_NAME). */
export const SERVICE_DIMENSION = { service: 'ankieta' } as const;

/** Environment variable holding the namespace: one per stack, so two stacks side by side do not mix their figures. */
export const METRICS_NAMESPACE_ENV = 'POWERTOOLS_METRICS_NAMESPACE';

export const BUSINESS_METRICS = {
  /** A commerce event scheduled a survey (or joined a pending one). */
  eventsAccepted: { name: 'EventsAccepted', unit: 'Count' },
  /** A commerce event that scheduled nothing, by `reason` (the eligibility reason, `duplicate`, `no-survey`, …). */
  eventsSkipped: { name: 'EventsSkipped', unit: 'Count', dimension: 'reason' },
  /** Invitations handed to SES or SNS, by `channel` (email, sms). */
  surveysSent: { name: 'SurveysSent', unit: 'Count', dimension: 'channel' },
  /** Final answers, by `metric` (nps, csat, ces). Edits of an answer are not counted again. */
  answers: { name: 'Answers', unit: 'Count', dimension: 'metric' },
  /** Answers in the detractor band, by `metric`. */
  detractors: { name: 'Detractors', unit: 'Count', dimension: 'metric' },
  /** Alerts raised, by `kind` (detractor, churn-risk). */
  alerts: { name: 'AlertsRaised', unit: 'Count', dimension: 'kind' },
  /** Seconds from an alert being raised to its acknowledgement. */
  timeToAcknowledge: { name: 'TimeToAcknowledge', unit: 'Seconds' },
  /** Input kept in quarantine with its reason instead of being processed. */
  quarantined: { name: 'QuarantinedItems', unit: 'Count' },
  /** Age of the oldest invitation the due sweep found due (0 when none was waiting). */
  oldestDueAge: { name: 'OldestDueAge', unit: 'Seconds' },
} as const;

export type BusinessMetric = keyof typeof BUSINESS_METRICS;
