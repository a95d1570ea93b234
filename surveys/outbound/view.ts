/**
 * What a person reads of an outbound event, whatever the channel (Slack, Teams, a Zendesk ticket):
 * a headline, the score, the comment (as lines to quote), the context as label/value pairs, and the
 * link to the alert on the dashboard. Every customer- or shop-supplied value is made safe here
 * (safe-text.ts); each renderer then applies its own escaping (Slack mrkdwn, Teams TextRun, plain).
 */
import type { Language } from '../model.ts';
import { SCALES } from '../scales.ts';
import { bandName } from '../templates/alert.ts';
import { alertTextsFor } from '../texts/alerts.ts';
import { fill } from '../texts/index.ts';
import type { OutboundEvent } from './events.ts';
import { singleLine, textLines } from './safe-text.ts';

export interface EventView {
  headline: string;
  /** A sentence under the headline (system text). */
  intro?: string;
  /** The comment's lines, to be shown as a quote; empty when there is no comment. */
  comment: string[];
  noComment?: string;
  /** Label → value, in order; values are one line, without controls. */
  fields: Array<{ label: string; value: string }>;
  link?: { label: string; url: string };
}

const TEXTS = {
  en: {
    headlines: {
      'response.created': 'New answer: {metric} {score}/{max}',
      'response.updated': 'Answer changed: {metric} {score}/{max}',
      'alert.created': 'Detractor alert: {metric} {score}/{max}',
      'alert.created.churn': 'Churn risk {risk}/100',
      'alert.acknowledged': 'Alert taken by {owner}',
      'alert.resolved': 'Alert resolved by {owner}',
      'contact.unsubscribed': 'A customer unsubscribed ({channel})',
    },
    open: 'Open the alert',
    resolution: 'Resolution',
    rootCause: 'Root cause',
    followUp: 'Zendesk ticket',
  },
  pl: {
    headlines: {
      'response.created': 'Nowa odpowiedź: {metric} {score}/{max}',
      'response.updated': 'Zmieniona odpowiedź: {metric} {score}/{max}',
      'alert.created': 'Alert: niska ocena {metric} {score}/{max}',
      'alert.created.churn': 'Ryzyko odejścia {risk}/100',
      'alert.acknowledged': 'Alert przyjął(a): {owner}',
      'alert.resolved': 'Alert zamknął(a): {owner}',
      'contact.unsubscribed': 'Klient wypisał się ({channel})',
    },
    open: 'Otwórz alert',
    resolution: 'Rozwiązanie',
    rootCause: 'Przyczyna',
    followUp: 'Zgłoszenie w Zendesku',
  },
} as const satisfies Record<Language, unknown>;

export function outboundTexts(language: Language) {
  return TEXTS[language];
}

export function eventView(event: OutboundEvent, language: Language): EventView {
  const t = TEXTS[language];
  const a = alertTextsFor(language);
  const l = a.labels;
  const fields: EventView['fields'] = [];
  const add = (label: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') fields.push({ label, value: singleLine(String(value), 300) });
  };
  if (event.type === 'contact.unsubscribed') {
    return { headline: fill(t.headlines[event.type], { channel: event.data.channel }), comment: [], fields };
  }
  const d = event.data;
  const metric = (d.metric ?? '').toUpperCase();
  const max = d.metric ? SCALES[d.metric].max : '';
  const score = d.metric && d.score !== undefined ? fill(a.scoreValue, { score: d.score, max }) : d.score;
  const who = d.customer.name ? `${singleLine(d.customer.name, 100)} (${d.customer.id})` : d.customer.id;
  const owner = 'owner' in d ? singleLine(d.owner ?? '', 100) : '';
  let headline: string;
  let intro: string | undefined;
  if (event.type === 'alert.created' && event.data.kind === 'churn-risk') {
    headline = fill(t.headlines['alert.created.churn'], { risk: event.data.riskScore ?? '' });
    intro = a.churnRiskIntro;
  } else {
    headline = fill(t.headlines[event.type], { metric, score: d.score ?? '', max, owner });
    if (event.type === 'alert.created') intro = a.detractorIntro;
  }
  add(l.score, score);
  if ('riskScore' in d && d.riskScore !== undefined) add(l.risk, fill(a.riskValue, { risk: d.riskScore, band: bandName(d.riskBand ?? '', language) }));
  add(l.survey, d.survey);
  add(l.customer, who);
  add(l.contact, d.customer.email ?? d.customer.phone ?? d.customer.maskedContact);
  add(l.about, d.subjectRef);
  add(l.agent, d.segments.agent);
  add(l.team, d.segments.team);
  add(l.store, d.segments.store);
  if ('reasons' in d && d.reasons?.length) add(l.reasons, d.reasons.join('; '));
  if ('previousScores' in d && d.previousScores?.length) {
    add(l.previousScores, d.previousScores.map((p) => `${p.metric.toUpperCase()} ${p.score} (${p.at.slice(0, 10)})`).join(', '));
  }
  if ('resolution' in d && d.resolution && event.type === 'alert.resolved') {
    add(t.resolution, d.resolution.note);
    add(t.rootCause, d.resolution.rootCause);
  }
  if ('followUp' in d && d.followUp) add(t.followUp, d.followUp.url ?? `#${d.followUp.ticketId}`);
  const isAlert = 'alertId' in d;
  return {
    headline,
    ...(intro ? { intro } : {}),
    comment: d.comment ? textLines(d.comment) : [],
    ...(isAlert && (d as { kind?: string }).kind !== 'churn-risk' && !d.comment ? { noComment: a.noComment } : {}),
    fields,
    ...(isAlert ? { link: { label: t.open, url: (d as { url: string }).url } } : {}),
  };
}
