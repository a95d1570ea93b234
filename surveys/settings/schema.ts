/**
 * The surveys settings file: everything a shop tunes without code (docs/settings.md is the annotated
 * example). One zod schema validates the file for `npm start` and for `cdk synth`, and generates the
 * JSON Schema editors use for autocompletion (surveys/settings/settings.schema.json).
 *
 * Objects are strict: a misspelt field ("dealy") is an error naming the allowed fields, not a setting
 * silently ignored. Every field has a default, so `{}` is a valid file that behaves like the code's
 * defaults (surveys/catalogue.ts, surveys/eligibility.ts, surveys/texts/).
 */
import * as z from '../zod.ts';
import { CHANNELS, METRICS, SUPPORTED_LOCALES } from '../model.ts';

import { DURATION, WEEKDAYS } from './units.ts';

// In a module of their own so that apply.ts (in the functions) does not keep this schema in their bundles.
export { DURATION, durationSeconds, WEEKDAYS } from './units.ts';

/** `schema` with its description for the JSON Schema (zod/mini: metadata is a check). */
const about = <T extends z.ZodMiniType>(schema: T, description: string): T => schema.check(z.meta({ description }));
const chars = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));

const duration = (what: string) =>
  about(z.string().check(z.regex(DURATION, `${what}: a duration such as "3d", "24h", "90m" or "30s"`)), `${what}, e.g. "3d", "24h", "90m"`);

const hourOfDay = z.int().check(z.gte(0), z.lte(23));
const clock = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day "HH:MM", e.g. "09:00"'));

export const TRIGGER_EVENTS = ['order.delivered', 'ticket.solved'] as const;

const storeSchema = z.strictObject({
  brand: about(chars(1, 100), 'The name customers know, in every text ({brand})'),
  sender: about(
    z.optional(z.email().check(z.maxLength(254))),
    'From: address of this store\'s survey mails (a verified SES identity on AWS); default: "sender"',
  ),
});

const surveySchema = z.strictObject({
  id: about(
    z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes, e.g. "nps-post-purchase"')),
    'Stable id: answers are counted under it; never reuse one for another question',
  ),
  trigger: about(z.enum(TRIGGER_EVENTS), 'The event that asks this survey'),
  metric: z.enum(METRICS),
  channels: about(
    z.array(z.enum(CHANNELS)).check(
      z.minLength(1),
      z.refine((c) => new Set(c).size === c.length, 'each channel once'),
    ),
    'In order of preference: the first the customer can be reached on and consented to wins',
  ),
  delay: z._default(duration('Time after the event before asking'), '1d'),
  linkValidity: z._default(duration('How long the answer links work after sending'), '14d'),
  maxEventAge: z.optional(duration('Older events ask nobody (stale-event); default: the link validity')),
  samplingPercent: about(z._default(z.number().check(z.gte(0), z.lte(100)), 100), 'Share of eligible customers asked (deterministic per customer and event)'),
  reminder: z._default(z.nullable(duration('One reminder this long after sending, if still unanswered')), null),
  companionOf: about(z.optional(z.string()), 'Asked together with this other survey of the same event (CES with CSAT): same channel and send time'),
  enabled: z._default(z.boolean(), true),
  fatigueWindow: z.optional(duration("This survey's own fatigue window; default: the global one")),
  onlyFor: about(
    z.optional(z.strictObject({ teams: z.optional(z.array(z.string().check(z.minLength(1)))), stores: z.optional(z.array(z.string().check(z.minLength(1)))) })),
    'Only for events of these teams or stores',
  ),
});

const questionTexts = z.strictObject(
  Object.fromEntries(METRICS.map((m) => [m, z.optional(chars(3, 300))])) as Record<(typeof METRICS)[number], z.ZodMiniOptional<z.ZodMiniString>>,
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

const settingsShape = z.strictObject({
  $schema: about(z.optional(z.string()), 'Path of the JSON Schema, for editors'),
  brand: about(z._default(chars(1, 100), 'ankieta shop'), "The shop's name in every text, unless its store sets one"),
  sender: about(z._default(z.email().check(z.maxLength(254)), 'surveys@ankieta.local'), 'From: address of survey mails (a verified SES identity on AWS)'),
  stores: about(
    z._default(z.record(chars(1, 64), storeSchema), {}),
    "Per store (the order's store: a Shopify shop domain, or your own store names): brand and sender",
  ),
  surveys: about(z.prefault(z.array(surveySchema).check(z.minLength(1)), DEFAULT_SURVEYS), 'Which event asks which survey, how, and when'),
  questions: about(
    z._default(
      z.strictObject(
        Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, z.optional(questionTexts)])) as Record<
          (typeof SUPPORTED_LOCALES)[number],
          z.ZodMiniOptional<typeof questionTexts>
        >,
      ),
      {},
    ),
    'Question wording per language and metric ({brand} is the brand); absent: the built-in texts',
  ),
  fatigue: z.prefault(
    z.strictObject({
      window: z._default(duration('At most one survey per customer in this window, across channels'), '30d'),
      hardCap: z._default(duration('Never two surveys within this time, whatever the survey'), '24h'),
    }),
    {},
  ),
  smsQuietHours: about(
    z._default(z.nullable(z.strictObject({ from: hourOfDay, to: hourOfDay })), { from: 21, to: 9 }),
    "No SMS from this hour to that hour in the customer's time zone (deferred, never dropped); null: none",
  ),
  emailSendWindows: about(
    z._default(z.array(z.strictObject({ days: z.array(z.enum(WEEKDAYS)).check(z.minLength(1)), from: clock, to: clock })), []),
    "E-mails go out only inside these windows, in the customer's time zone (deferred to the next one); empty: any time",
  ),
  zendesk: z._default(
    z.strictObject({
      defaultPhoneRegion: about(
        z.optional(z.string().check(z.regex(/^[A-Z]{2}$/, 'a two-letter region code, e.g. "PL"'))),
        'Region of phone numbers typed without a country code',
      ),
    }),
    {},
  ),
});

export const settingsSchema = settingsShape.check(
  z.superRefine((s, ctx) => {
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
  }),
);

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
export type SurveySettings = Settings['surveys'][number];
