/**
 * The response funnel: which changes of invitation and response items are funnel steps. Pure: the
 * funnel consumer reads old → new images from the table's stream, this module says what each change
 * counts, on which day and in which segments (pages.ts folds a batch into page deltas).
 *
 * Steps and the change that makes each one (an invitation item unless said otherwise):
 *  - scheduled: created eligible (INSERT, status scheduled);
 *  - skipped (by reason): created skipped (INSERT, status skipped; the reason before the ":" of its
 *    failureReason), or cancelled later by a refund or a reopen (reason `cancelled`);
 *  - failed: sending failed for good (sending → failed);
 *  - sent: status becomes sent; bounced: sent → failed with `bouncedAt` (a permanent SES bounce);
 *  - delivered, opened, unsubscribed, complained: `deliveredAt`, `openedAt`, `unsubscribedAt`,
 *    `complainedAt` appear. `openedAt` is written only for an open judged a person's and removed when a
 *    scanner burst shows it was not (−1): scanner opens are never opens;
 *  - answered: a response item becomes final; commented: its comment appears.
 *
 * Days: a decision (scheduled, skipped) counts on the day it was made; a send failure on the day it
 * was due; everything from `sent` on counts on the day of the send (cohort), so that answered / sent
 * over a window is the share of the surveys sent in it that were answered, never above 1. A change
 * that moves nothing (a claim, a retry, a reminder, an edited score) counts nothing.
 */
import * as z from '../zod.ts';
import { CHANNELS, SUPPORTED_LOCALES } from '../model.ts';

export const FUNNEL_STEPS = [
  'scheduled',
  'skipped',
  'sent',
  'delivered',
  'bounced',
  'failed',
  'opened',
  'answered',
  'commented',
  'unsubscribed',
  'complained',
] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/** What the funnel is split by (`GET /api/funnel?segment=`). `sendHour`: the UTC hour of the send, "00"-"23". */
export const FUNNEL_SEGMENTS = ['survey', 'channel', 'locale', 'store', 'team', 'sendHour'] as const;
export type FunnelSegment = (typeof FUNNEL_SEGMENTS)[number];
/** Every segment but `survey` is kept per survey, so `?survey=…&segment=channel` needs no other pages. */
export type SurveyScopedSegment = Exclude<FunnelSegment, 'survey'>;

const iso = z.iso.datetime({ offset: true });
const nonEmpty = z.string().check(z.minLength(1));

/** The parts of an invitation item the funnel reads; anything else on the item is ignored. */
export const funnelInvitationSchema = z.object({
  id: nonEmpty,
  surveyId: nonEmpty,
  channel: z.enum(CHANNELS),
  locale: z.enum(SUPPORTED_LOCALES),
  status: z.enum(['scheduled', 'sending', 'sent', 'failed', 'cancelled', 'skipped']),
  segments: z.record(z.string(), z.string()),
  createdAt: iso,
  sendAt: iso,
  sentAt: z.optional(iso),
  failureReason: z.optional(z.string()),
  bouncedAt: z.optional(iso),
  deliveredAt: z.optional(iso),
  openedAt: z.optional(iso),
  unsubscribedAt: z.optional(iso),
  complainedAt: z.optional(iso),
});
export type FunnelInvitation = z.infer<typeof funnelInvitationSchema>;

/** The parts of a final response item the funnel reads. `sentAt` (when its survey was sent) puts it in its send's cohort. */
export const funnelResponseSchema = z.object({
  invitationId: nonEmpty,
  surveyId: nonEmpty,
  locale: z.enum(SUPPORTED_LOCALES),
  status: z.literal('final'),
  segments: z.record(z.string(), z.string()),
  comment: z.optional(z.string()),
  answeredAt: iso,
  sentAt: z.optional(iso),
});
export type FunnelResponse = z.infer<typeof funnelResponseSchema>;

export type FunnelChange =
  | { kind: 'invitation'; old?: FunnelInvitation; new: FunnelInvitation }
  | { kind: 'response'; old?: FunnelResponse; new: FunnelResponse };

/** `skipped` carries its reason: the stored cell is `skipped.<reason>`. */
export interface StepCount {
  step: FunnelStep;
  reason?: string;
  day: string;
  survey: string;
  /** The value of each segment this change is counted under (within its survey). */
  values: Partial<Record<SurveyScopedSegment, string>>;
  delta: 1 | -1;
}

const dayOf = (at: string) => new Date(at).toISOString().slice(0, 10);
const hourOf = (at: string) => new Date(at).toISOString().slice(11, 13);

/** The reason a skip names first ("no-consent: no consent for sms" → "no-consent"); cells hold [a-z0-9-] only. */
export function skipReasonOf(failureReason: string | undefined): string {
  const head = (failureReason ?? '').split(':')[0]!.trim().toLowerCase();
  const cleaned = head.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned.slice(0, 40) || 'unknown';
}

function placeOf(item: { surveyId: string; locale: string; segments: Record<string, string> }, channel: string | undefined, sendHour: string | undefined) {
  const values: Partial<Record<SurveyScopedSegment, string>> = { locale: item.segments.locale ?? item.locale, sendHour: sendHour ?? 'unknown' };
  const ch = item.segments.channel ?? channel;
  if (ch) values.channel = ch;
  if (item.segments.store) values.store = item.segments.store;
  if (item.segments.team) values.team = item.segments.team;
  return { survey: item.segments.survey ?? item.surveyId, values };
}

/** Appears: absent before, present now (+1); disappears: present before, absent now (−1). */
function appeared(before: string | undefined, after: string | undefined): 0 | 1 | -1 {
  if (!before && after) return 1;
  if (before && !after) return -1;
  return 0;
}

function invitationSteps(old: FunnelInvitation | undefined, next: FunnelInvitation): StepCount[] {
  const out: StepCount[] = [];
  const sentAt = next.sentAt ?? old?.sentAt;
  const place = placeOf(next, next.channel, hourOf(sentAt ?? next.sendAt));
  const count = (step: FunnelStep, day: string, delta: 1 | -1 = 1, reason?: string) => out.push({ step, day, ...place, delta, ...(reason ? { reason } : {}) });

  if (!old) {
    if (next.status === 'scheduled') count('scheduled', dayOf(next.createdAt));
    if (next.status === 'skipped') count('skipped', dayOf(next.createdAt), 1, skipReasonOf(next.failureReason));
  }
  if (next.status === 'cancelled' && old && old.status !== 'cancelled') count('skipped', dayOf(next.createdAt), 1, 'cancelled');
  if (next.status === 'failed' && old?.status === 'sending') count('failed', dayOf(next.sendAt));
  if (!sentAt) return out;
  const cohort = dayOf(sentAt);
  if (next.status === 'sent' && old?.status !== 'sent') count('sent', cohort);
  if (next.status === 'failed' && old?.status === 'sent' && next.bouncedAt) count('bounced', cohort);
  const marks: Array<[FunnelStep, keyof FunnelInvitation]> = [
    ['delivered', 'deliveredAt'],
    ['opened', 'openedAt'],
    ['unsubscribed', 'unsubscribedAt'],
    ['complained', 'complainedAt'],
  ];
  for (const [step, field] of marks) {
    const delta = appeared(old?.[field] as string | undefined, next[field] as string | undefined);
    if (delta !== 0) count(step, cohort, delta);
  }
  return out;
}

function responseSteps(old: FunnelResponse | undefined, next: FunnelResponse): StepCount[] {
  const sentAt = next.sentAt ?? old?.sentAt;
  const day = dayOf(sentAt ?? next.answeredAt);
  const place = placeOf(next, undefined, sentAt ? hourOf(sentAt) : undefined);
  const out: StepCount[] = [];
  if (!old) out.push({ step: 'answered', day, ...place, delta: 1 });
  // A comment erased with the customer's data keeps the count, like the scores.
  if (!old?.comment && next.comment) out.push({ step: 'commented', day, ...place, delta: 1 });
  return out;
}

/** What one stream change counts: funnel steps with their day and segment values, signed. */
export function funnelStepsOf(change: FunnelChange): StepCount[] {
  return change.kind === 'invitation' ? invitationSteps(change.old, change.new) : responseSteps(change.old, change.new);
}
