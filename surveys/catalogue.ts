/**
 * Which survey a commerce event leads to, on which channel, after how long, how often, and for whom.
 *
 * Defaults, and why:
 * - `order.delivered` → NPS by e-mail 3 days after delivery: the customer has unpacked and used the
 *   product, but still remembers the purchase. Links stay valid 30 days.
 * - `ticket.solved` → CSAT by e-mail (or SMS with consent) 1 day after the ticket is solved: the
 *   conversation is fresh and the fix has had a day to prove itself. Links stay valid 14 days.
 * - CES (`ces-post-ticket`) is asked together with that CSAT where configured: it is in the catalogue
 *   but switched off (`enabled: false`), because it is a second message about the same ticket. Switch
 *   it on (optionally only for some teams with `when.teams`) where effort matters more than one more mail.
 * - Fatigue window: the policy's 30 days unless a survey sets `fatigueDays`; sampling rate 1 (everyone)
 *   unless a survey sets `sampleRate`; no reminder unless a survey sets `reminderAfterHours`.
 * Locally the delays are scaled to seconds (SURVEY_DELAY_SCALE), so a person can watch the flow.
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
  /** Off: never triggered (its invitations already sent can still be answered). Default on. */
  enabled?: boolean;
  /** Asked together with this other survey of the same event: same channel and send time, one ask for fatigue. */
  companionOf?: string;
  /** Only for events that match; absent: every event of the type. */
  when?: { teams?: readonly string[]; stores?: readonly string[] };
  /** Per-survey fatigue window in days (default: the policy's, 30). */
  fatigueDays?: number;
  /** Share of eligible customers asked, 0..1 (default 1). Deterministic per customer and event. */
  sampleRate?: number;
  /** One reminder this many hours after sending, if still unanswered (default: none). */
  reminderAfterHours?: number;
  /** Events older than this are skipped as `stale-event` (default: `linkValidDays`). */
  maxEventAgeDays?: number;
}

export const DEFAULT_CATALOGUE: SurveyDefinition[] = [
  { id: 'nps-post-purchase', eventType: 'order.delivered', metric: 'nps', channels: ['email'], delaySeconds: 3 * 24 * 3600, linkValidDays: 30 },
  { id: 'csat-post-ticket', eventType: 'ticket.solved', metric: 'csat', channels: ['email', 'sms'], delaySeconds: 24 * 3600, linkValidDays: 14 },
  // E-mail only: an SMS reply "5" must answer exactly one question.
  {
    id: 'ces-post-ticket',
    eventType: 'ticket.solved',
    metric: 'ces',
    channels: ['email'],
    delaySeconds: 24 * 3600,
    linkValidDays: 14,
    companionOf: 'csat-post-ticket',
    enabled: false,
  },
];

let active: SurveyDefinition[] = DEFAULT_CATALOGUE;

/**
 * Installs the catalogue of the surveys settings file (surveys/settings/, installed once at start by
 * functions/shared/settings.ts): the default of every lookup below, so every use case asks the same surveys.
 */
export function useCatalogue(catalogue: SurveyDefinition[]): void {
  active = catalogue;
}

export function activeCatalogue(): SurveyDefinition[] {
  return active;
}

/** What an event offers to match a survey's `when`. */
export interface EventFacts {
  team?: string;
  store?: string;
}

function matches(survey: SurveyDefinition, facts: EventFacts): boolean {
  const { teams, stores } = survey.when ?? {};
  if (teams && !(facts.team !== undefined && teams.includes(facts.team))) return false;
  if (stores && !(facts.store !== undefined && stores.includes(facts.store))) return false;
  return true;
}

/** The (primary) survey an event type leads to: enabled, not a companion, matching the event. */
export function surveyFor(eventType: EventType, catalogue: SurveyDefinition[] = activeCatalogue(), facts: EventFacts = {}): SurveyDefinition | undefined {
  return catalogue.find((s) => s.eventType === eventType && s.enabled !== false && !s.companionOf && matches(s, facts));
}

/** Surveys asked together with `primary` for this event (CES with CSAT), where configured. */
export function companionsOf(primary: SurveyDefinition, catalogue: SurveyDefinition[] = activeCatalogue(), facts: EventFacts = {}): SurveyDefinition[] {
  return catalogue.filter((s) => s.companionOf === primary.id && s.enabled !== false && matches(s, facts));
}

/** By id, enabled or not: an invitation created before a survey was switched off is still sent and answered. */
export function surveyById(id: string, catalogue: SurveyDefinition[] = activeCatalogue()): SurveyDefinition | undefined {
  return catalogue.find((s) => s.id === id);
}
