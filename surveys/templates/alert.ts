/**
 * What a support lead reads: the SNS message of an alert, in the lead's language, with what they need
 * to act (who, how to reach them — masked —, what they said, about which order or ticket, who served
 * them, what they said before, a link to the alert), and the routing attributes each lead's
 * subscription filters on: kind, survey, team, store, severity.
 */
import type { Alert, Language, Metric } from '../model.ts';
import type { RiskBand, RiskReason } from '../churn-risk.ts';
import { SCALES } from '../scales.ts';
import { alertTextsFor } from '../texts/alerts.ts';
import { fill } from '../texts/index.ts';
import { defaultTopicLabels } from '../insights/topic-labels.ts';
import { quotedBlock, singleLine } from '../outbound/safe-text.ts';

export interface AlertMessage {
  subject: string;
  body: string;
  attributes: Record<string, string>;
}

export interface AlertMessageOptions {
  /** The dashboard page; the alert is at `${dashboardUrl}#alert=<id>`. */
  dashboardUrl: string;
  /** The lead's language (ALERT_LANGUAGE); English by default. */
  language?: Language;
  /** 1, 2…: this is a reminder of an alert nobody acknowledged. */
  reminder?: number;
}

/** `ala@example.com` → `a***@example.com`: enough to recognise, not enough to write to. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** Country calling codes of one and two digits (E.164 codes are prefix-free); all others have three. */
const ONE_DIGIT_CODES = new Set(['1', '7']);
const TWO_DIGIT_CODES = new Set(
  '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(' '),
);

/** `+48600100200` → `+48 *** *** 200`: the country and the last three digits only. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '***';
  const codeLength = ONE_DIGIT_CODES.has(digits[0]!) ? 1 : TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
  return `+${digits.slice(0, codeLength)} *** *** ${digits.slice(-3)}`;
}

/** The masked e-mail address, else the masked phone number. */
export function maskedContact(contact: { email?: string; phone?: string }): string | undefined {
  if (contact.email) return maskEmail(contact.email);
  if (contact.phone) return maskPhone(contact.phone);
  return undefined;
}

export function alertLink(dashboardUrl: string, alertId: string): string {
  return `${dashboardUrl}#alert=${encodeURIComponent(alertId)}`;
}

/** A churn-risk reason as a lead reads it: "Refund (2026-11-20) (+20)". */
export function reasonText(reason: RiskReason, language: Language = 'en'): string {
  const t = alertTextsFor(language);
  return fill(t.reasonPoints, { reason: fill(t.reasons[reason.signal], reason.detail), points: reason.points });
}

export function bandName(band: RiskBand | string, language: Language = 'en'): string {
  const bands = alertTextsFor(language).bands;
  return Object.hasOwn(bands, band) ? bands[band as RiskBand] : band;
}

/**
 * SNS delivers the subject to e-mail endpoints; keep it to printable ASCII (Polish letters folded),
 * one line and under 100 characters, so no endpoint refuses or mangles it.
 */
export function snsSubject(text: string): string {
  const ascii = text
    .replaceAll('ł', 'l')
    .replaceAll('Ł', 'L')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[„”“]/g, '"')
    .replace(/[^\x20-\x7E]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii.slice(0, 99);
}

const metricName = (metric: Metric | undefined) => (metric ?? '').toUpperCase();

function severityOf(alert: Alert, reminder: number | undefined): 'high' | 'normal' {
  if (reminder) return 'high'; // nobody reacted: louder
  return alert.kind === 'churn-risk' || (alert.score ?? 10) <= 2 ? 'high' : 'normal';
}

export function alertMessage(alert: Alert, options: AlertMessageOptions): AlertMessage {
  const t = alertTextsFor(options.language ?? 'en');
  const l = t.labels;
  const customer = alert.customerName ? `${alert.customerName} (${alert.customerId})` : alert.customerId;
  // Customer- and shop-supplied values stay on their line, without bidi controls (surveys/outbound/safe-text.ts).
  const line = (label: string, value: string | number | undefined) =>
    value === undefined || value === '' ? [] : [`${label}: ${singleLine(String(value), 300)}`];

  const head =
    alert.kind === 'detractor'
      ? [
          t.detractorIntro,
          '',
          ...line(l.survey, alert.survey ? `${alert.survey} (${metricName(alert.metric)})` : undefined),
          ...line(l.score, alert.metric && alert.score !== undefined ? fill(t.scoreValue, { score: alert.score, max: SCALES[alert.metric].max }) : alert.score),
          // The comment is a quoted block: no line of it can pass for a line of the message.
          ...(alert.comment ? [`${l.comment}:`, quotedBlock(alert.comment)] : line(l.comment, t.noComment)),
          ...line(l.topics, alert.topics?.length ? defaultTopicLabels(alert.topics, options.language ?? 'en').join(', ') : undefined),
          ...line(l.sentiment, alert.sentiment ? t.sentiments[alert.sentiment] : undefined),
        ]
      : [
          t.churnRiskIntro,
          '',
          ...line(
            l.risk,
            alert.riskScore !== undefined ? fill(t.riskValue, { risk: alert.riskScore, band: bandName(alert.riskBand ?? '', options.language) }) : undefined,
          ),
          ...(alert.reasons?.length ? [`${l.reasons}:`, ...alert.reasons.map((r) => `- ${singleLine(r, 300)}`)] : []),
        ];
  const previous = (alert.previousScores ?? []).map((p) => `${metricName(p.metric)} ${p.score} (${p.at.slice(0, 10)})`).join(', ');
  const body = [
    ...(options.reminder ? [t.reminderIntro] : []),
    ...head,
    '',
    ...line(l.customer, customer),
    ...line(l.contact, alert.maskedContact),
    ...line(l.about, alert.subjectRef),
    ...line(l.agent, alert.segments.agent),
    ...line(l.team, alert.segments.team),
    ...line(l.store, alert.segments.store),
    ...line(l.previousScores, previous),
    '',
    `${l.link}: ${alertLink(options.dashboardUrl, alert.id)}`,
  ].join('\n');

  const who = singleLine(alert.customerName ?? alert.customerId, 60);
  const subject =
    alert.kind === 'detractor'
      ? fill(t.detractorSubject, {
          customer: who,
          metric: metricName(alert.metric),
          score: alert.score,
          max: alert.metric ? SCALES[alert.metric].max : '',
          survey: alert.survey,
        })
      : fill(t.churnRiskSubject, { customer: who, risk: alert.riskScore });
  return {
    subject: snsSubject(`[ankieta] ${options.reminder ? fill(t.reminderPrefix, { count: options.reminder }) : ''}${subject}`),
    body,
    attributes: {
      kind: alert.kind,
      ...(alert.survey ? { survey: alert.survey } : {}),
      ...(alert.segments.team ? { team: alert.segments.team } : {}),
      ...(alert.segments.store ? { store: alert.segments.store } : {}),
      severity: severityOf(alert, options.reminder),
      ...(options.reminder ? { reminder: String(options.reminder) } : {}),
    },
  };
}
