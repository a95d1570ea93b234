/**
 * Which survey a commerce event leads to, on which channel, after how long.
 * Delays: NPS a few days after delivery (the customer has used the product), CSAT a day after a solved
 * ticket (the conversation is fresh, the fix has had time to prove itself). Locally, seconds, so a
 * person can watch the flow (ANKIETA_DELAY_SCALE / local runtime override).
 */
import type { Channel, EventType, Metric } from './model.ts';

export interface SurveyDefinition {
  id: string;
  eventType: EventType;
  metric: Metric;
  /** Channels in order of preference; the first one the customer can be reached on and consented to wins. */
  channels: Channel[];
  delaySeconds: number;
  /** Days a response link stays valid after sending. */
  linkValidDays: number;
}

export const DEFAULT_CATALOGUE: SurveyDefinition[] = [
  { id: 'nps-post-purchase', eventType: 'order.delivered', metric: 'nps', channels: ['email'], delaySeconds: 3 * 24 * 3600, linkValidDays: 30 },
  { id: 'csat-post-ticket', eventType: 'ticket.solved', metric: 'csat', channels: ['email', 'sms'], delaySeconds: 24 * 3600, linkValidDays: 14 },
];

export function surveyFor(eventType: EventType, catalogue: SurveyDefinition[] = DEFAULT_CATALOGUE): SurveyDefinition | undefined {
  return catalogue.find((s) => s.eventType === eventType);
}

export function surveyById(id: string, catalogue: SurveyDefinition[] = DEFAULT_CATALOGUE): SurveyDefinition | undefined {
  return catalogue.find((s) => s.id === id);
}
