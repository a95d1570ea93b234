/**
 * The surveys settings file: everything a shop tunes without code (docs/settings.md is the annotated
 * example). One zod schema validates the file for `npm start` and for `cdk synth`, and generates the
 * JSON Schema editors use for autocompletion (surveys/settings/settings.schema.json).
 *
 * Objects are strict: a misspelt field ("dealy") is an error naming the allowed fields, not a setting
 * silently ignored. Every field has a default, so `{}` is a valid file that behaves like the code's
 * defaults (surveys/catalogue.ts, surveys/eligibility.ts, surveys/texts/).
 */
import * as z from 'zod';
import { CHANNELS, METRICS, SUPPORTED_LOCALES } from '../model.ts';

/** "3d", "24h", "90m", "30s": a duration a person can read. */
export const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

export function durationSeconds(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a duration such as 3d, 24h, 90m`);
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

const duration = (what: string) =>
  z
    .string()
    .regex(DURATION, `${what}: a duration such as "3d", "24h", "90m" or "30s"`)
    .meta({ description: `${what}, e.g. "3d", "24h", "90m"` });

const hourOfDay = z.number().int().min(0).max(23);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day "HH:MM", e.g. "09:00"');

export const TRIGGER_EVENTS = ['order.delivered', 'ticket.solved'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const storeSchema = z.strictObject({
  brand: z.string().min(1).max(100).meta({ description: 'The name customers know, in every text ({brand})' }),
  sender: z
    .email()
    .max(254)
    .optional()
    .meta({ description: 'From: address of this store\'s survey mails (a verified SES identity on AWS); default: "sender"' }),
});

const surveySchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes, e.g. "nps-post-purchase"')
    .meta({ description: 'Stable id: answers are counted under it; never reuse one for another question' }),
  trigger: z.enum(TRIGGER_EVENTS).meta({ description: 'The event that asks this survey' }),
  metric: z.enum(METRICS),
  channels: z
    .array(z.enum(CHANNELS))
    .min(1)
    .refine((c) => new Set(c).size === c.length, 'each channel once')
    .meta({ description: 'In order of preference: the first the customer can be reached on and consented to wins' }),
  delay: duration('Time after the event before asking').default('1d'),
  linkValidity: duration('How long the answer links work after sending').default('14d'),
  maxEventAge: duration('Older events ask nobody (stale-event); default: the link validity').optional(),
  samplingPercent: z.number().min(0).max(100).default(100).meta({ description: 'Share of eligible customers asked (deterministic per customer and event)' }),
  reminder: duration('One reminder this long after sending, if still unanswered').nullable().default(null),
  companionOf: z
    .string()
    .optional()
    .meta({ description: 'Asked together with this other survey of the same event (CES with CSAT): same channel and send time' }),
  enabled: z.boolean().default(true),
  fatigueWindow: duration("This survey's own fatigue window; default: the global one").optional(),
  onlyFor: z
    .strictObject({ teams: z.array(z.string().min(1)).optional(), stores: z.array(z.string().min(1)).optional() })
    .optional()
    .meta({ description: 'Only for events of these teams or stores' }),
});

const questionTexts = z.strictObject(
  Object.fromEntries(METRICS.map((m) => [m, z.string().min(3).max(300).optional()])) as Record<(typeof METRICS)[number], z.ZodOptional<z.ZodString>>,
);

export const DEFAULT_SURVEYS: z.input<typeof surveySchema>[] = [
  { id: 'nps-post-purchase', trigger: 'order.delivered', metric: 'nps', channels: ['email'], delay: '3d', linkValidity: '30d' },
  { id: 'csat-post-ticket', trigger: 'ticket.solved', metric: 'csat', channels: ['email', 'sms'], delay: '1d', linkValidity: '14d' },
  // E-mail only: an SMS reply "5" must answer exactly one question.
  {
    id: 'ces-post-ticket',
    trigger: 'ticket.solved',
    metric: 'ces',
    channels: ['email'],
    delay: '1d',
    linkValidity: '14d',
    companionOf: 'csat-post-ticket',
    enabled: false,
  },
];

export const settingsSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Path of the JSON Schema, for editors' }),
    brand: z.string().min(1).max(100).default('ankieta shop').meta({ description: "The shop's name in every text, unless its store sets one" }),
    sender: z.email().max(254).default('surveys@ankieta.local').meta({ description: 'From: address of survey mails (a verified SES identity on AWS)' }),
    stores: z
      .record(z.string().min(1).max(64), storeSchema)
      .default({})
      .meta({ description: "Per store (the order's store: a Shopify shop domain, or your own store names): brand and sender" }),
    surveys: z.array(surveySchema).min(1).prefault(DEFAULT_SURVEYS).meta({ description: 'Which event asks which survey, how, and when' }),
    questions: z
      .strictObject(
        Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, questionTexts.optional()])) as Record<
          (typeof SUPPORTED_LOCALES)[number],
          z.ZodOptional<typeof questionTexts>
        >,
      )
      .default({})
      .meta({ description: 'Question wording per language and metric ({brand} is the brand); absent: the built-in texts' }),
    fatigue: z
      .strictObject({
        window: duration('At most one survey per customer in this window, across channels').default('30d'),
        hardCap: duration('Never two surveys within this time, whatever the survey').default('24h'),
      })
      .prefault({}),
    smsQuietHours: z
      .strictObject({ from: hourOfDay, to: hourOfDay })
      .nullable()
      .default({ from: 21, to: 9 })
      .meta({ description: "No SMS from this hour to that hour in the customer's time zone (deferred, never dropped); null: none" }),
    emailSendWindows: z
      .array(z.strictObject({ days: z.array(z.enum(WEEKDAYS)).min(1), from: clock, to: clock }))
      .default([])
      .meta({ description: "E-mails go out only inside these windows, in the customer's time zone (deferred to the next one); empty: any time" }),
    zendesk: z
      .strictObject({
        defaultPhoneRegion: z
          .string()
          .regex(/^[A-Z]{2}$/, 'a two-letter region code, e.g. "PL"')
          .optional()
          .meta({ description: 'Region of phone numbers typed without a country code' }),
      })
      .default({}),
  })
  .superRefine((s, ctx) => {
    const ids = s.surveys.map((v) => v.id);
    s.surveys.forEach((survey, i) => {
      if (ids.indexOf(survey.id) !== i)
        ctx.addIssue({ code: 'custom', path: ['surveys', i, 'id'], message: `"${survey.id}" is used twice: survey ids must be unique` });
      if (survey.companionOf !== undefined) {
        const primary = s.surveys.find((p) => p.id === survey.companionOf);
        if (!primary) {
          ctx.addIssue({
            code: 'custom',
            path: ['surveys', i, 'companionOf'],
            message: `no survey "${survey.companionOf}"; allowed: ${ids.filter((id) => id !== survey.id).join(', ')}`,
          });
        } else if (primary.trigger !== survey.trigger) {
          ctx.addIssue({
            code: 'custom',
            path: ['surveys', i, 'companionOf'],
            message: `"${survey.companionOf}" is asked on ${primary.trigger}, this survey on ${survey.trigger}`,
          });
        }
      }
    });
    s.emailSendWindows.forEach((w, i) => {
      if (w.from >= w.to) ctx.addIssue({ code: 'custom', path: ['emailSendWindows', i, 'to'], message: `"to" (${w.to}) must be after "from" (${w.from})` });
    });
  });

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
export type SurveySettings = Settings['surveys'][number];
