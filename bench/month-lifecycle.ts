/**
 * A month of a shop's e-mail surveys as the table's stream would carry them, in virtual time. Each survey
 * gets the item changes of its lifecycle (the invitation and response items as the stores write them,
 * the fields the stream consumers read), each at its step's offset (`OFFSETS`); the month is a circle
 * of 30 days (a time past its end comes round to its start), so every day looks like the steady state:
 * the sends of surveys triggered three days earlier mix with the new surveys' records.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { PK, SK } from '../functions/adapters/dynamodb/table/keys.ts';
import { DEFAULT_CATALOGUE } from '../surveys/catalogue.ts';
import type { Invitation, SurveyResponse } from '../surveys/model.ts';
import { withDetractorMark } from '../surveys/scales.ts';
import type { Timed } from './month-batches.ts';
import { seeded } from './random.ts';

export const MONTH_SECONDS = 30 * 86_400;
const START = Date.parse('2026-11-01T00:00:00.000Z');
const SURVEY = DEFAULT_CATALOGUE.find((s) => s.eventType === 'order.delivered')!;
const STORES = 5;

/** The offsets chosen for each step (seconds), reported with the figures. */
export const OFFSETS = {
  /** The event triggers the survey: the invitation is created (scheduled) at a uniform time of the month. */
  scheduled: 0,
  /** The survey's delay (the default order.delivered survey's), then sendDue's next whole-minute run. */
  sendDelay: SURVEY.delaySeconds,
  /** Claim (status sending) 1 s into the sweep, sent (SES accepted) 1 s later. */
  claimAfterSweep: 1,
  sentAfterClaim: 1,
  /** SES's delivery event: 2-5 s after the send. */
  deliveredAfterSent: [2, 5],
  /** A person's open (answered surveys only): 5 min plus an exponential wait with a mean of 2 h after the send. */
  openMinAfterSent: 300,
  openMeanExtra: 7_200,
  /** The score posted 10-60 s after the page opened. */
  answerAfterOpen: [10, 60],
  /** The classification of a comment is written 2 s after classifyComments' batch with the answer is handed over. */
  classifiedAfterHandOver: 2,
} as const;

export const ANSWERED_SHARE = 0.15;

export interface ItemChange {
  at: number;
  eventName: 'INSERT' | 'MODIFY';
  old?: Record<string, unknown>;
  new: Record<string, unknown>;
}

/** A time on the month's circle. */
export const onCircle = (at: number) => ((at % MONTH_SECONDS) + MONTH_SECONDS) % MONTH_SECONDS;
const iso = (at: number) => new Date(START + onCircle(at) * 1000).toISOString();

/** The item changes of `surveys` e-mail surveys triggered over the month (deterministic for a seed), answers included. */
export function monthOfSurveys(surveys: number, seed = 17): ItemChange[] {
  const rnd = seeded(seed);
  const between = ([lo, hi]: readonly [number, number]) => lo + (hi - lo) * rnd();
  const changes: ItemChange[] = [];
  for (let i = 0; i < surveys; i++) {
    const created = rnd() * MONTH_SECONDS;
    const sendAt = created + OFFSETS.sendDelay;
    const claimed = Math.ceil(sendAt / 60) * 60 + OFFSETS.claimAfterSweep;
    const sent = claimed + OFFSETS.sentAfterClaim;
    const delivered = sent + between(OFFSETS.deliveredAfterSent);
    const locale = i % 3 ? 'pl' : 'en';
    const invitation: Invitation & { pk: string; sk: string } = {
      pk: `${PK.invitation}m${i}`,
      sk: SK.invitation,
      id: `m${String(i).padStart(19, '0')}`,
      surveyId: SURVEY.id,
      metric: SURVEY.metric,
      channel: 'email',
      customerId: `c-${i}`,
      locale,
      eventId: `e-${i}`,
      eventType: 'order.delivered',
      subjectRef: `o-${i}`,
      segments: { survey: SURVEY.id, channel: 'email', locale, store: `store-${Math.floor(rnd() * STORES)}` },
      status: 'scheduled',
      createdAt: iso(created),
      sendAt: iso(sendAt),
    };
    let item: Record<string, unknown> = { ...invitation };
    const step = (at: number, fields: Record<string, unknown>) => {
      const next = { ...item, ...fields };
      changes.push({ at, eventName: 'MODIFY', old: item, new: next });
      item = next;
    };
    changes.push({ at: created, eventName: 'INSERT', new: item });
    step(claimed, { status: 'sending', attempts: 1 });
    step(sent, { status: 'sent', sentAt: iso(sent) });
    step(delivered, { deliveredAt: iso(delivered) });
    // Drawn for every survey, so that the same surveys are answered whatever else changes.
    const answered = rnd() < ANSWERED_SHARE;
    const opened = sent + OFFSETS.openMinAfterSent - Math.log(1 - rnd()) * OFFSETS.openMeanExtra;
    const answeredAt = opened + between(OFFSETS.answerAfterOpen);
    if (!answered) continue;
    step(opened, { openedAt: iso(opened) });
    const score = Math.floor(rnd() * 11);
    const response = withDetractorMark<SurveyResponse & { pk: string; sk: string }>({
      pk: invitation.pk,
      sk: SK.response,
      invitationId: invitation.id,
      surveyId: SURVEY.id,
      metric: SURVEY.metric,
      customerId: invitation.customerId,
      score,
      ...(i % 2 ? {} : { comment: 'Paczka przyszła szybko.' }),
      segments: invitation.segments,
      locale,
      subjectRef: invitation.subjectRef,
      status: 'final',
      version: 1,
      answeredAt: iso(answeredAt),
      updatedAt: iso(answeredAt),
      evidence: 'button',
      sentAt: iso(sent),
    });
    changes.push({ at: answeredAt, eventName: 'INSERT', new: { ...response } });
  }
  return changes;
}

/** The classification version of a commented answer, written at `at` (classifyComments' own write). */
export function classified(answer: ItemChange, at: number): ItemChange | undefined {
  if (answer.new.sk !== SK.response || !answer.new.comment || answer.old) return undefined;
  const insights = { topics: ['delivery'], sentiment: 'positive', sentimentScore: 0.6, version: 1 };
  return { at, eventName: 'MODIFY', old: answer.new, new: { ...answer.new, version: 2, updatedAt: iso(at), insights } };
}

/** Stream records on one shard: changes in time order (on the circle), numbered in that order. */
export function streamOf(changes: ItemChange[]): Array<Timed<DynamoDBRecord> & { change: ItemChange }> {
  const wrapped = changes.map((change) => ({ change, at: onCircle(change.at) }));
  wrapped.sort((a, b) => a.at - b.at);
  const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
  return wrapped.map(({ change, at }, n) => ({
    at,
    change,
    record: {
      eventName: change.eventName,
      dynamodb: {
        Keys: image({ pk: change.new.pk, sk: change.new.sk }),
        NewImage: image(change.new),
        ...(change.old ? { OldImage: image(change.old) } : {}),
        SequenceNumber: String(1_000_000 + n),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    },
  }));
}
