/**
 * Validated settings → what the domain uses: the catalogue of surveys, the eligibility policy, the
 * brand and sender of a store, the question wording of a language. Pure.
 */
import type { SurveyDefinition } from '../catalogue.ts';
import type { EligibilityPolicy } from '../eligibility.ts';
import type { Language, Metric } from '../model.ts';
import type { Settings } from './schema.ts';
import { durationSeconds, WEEKDAYS } from './units.ts';

const DAY = 86_400;

export function catalogueOf(settings: Settings): SurveyDefinition[] {
  return settings.surveys.map((s) => ({
    id: s.id,
    eventType: s.trigger,
    metric: s.metric,
    channels: [...s.channels],
    delaySeconds: durationSeconds(s.delay),
    linkValidDays: durationSeconds(s.linkValidity) / DAY,
    ...(s.enabled ? {} : { enabled: false }),
    ...(s.companionOf ? { companionOf: s.companionOf } : {}),
    ...(s.onlyFor ? { when: { ...(s.onlyFor.teams ? { teams: s.onlyFor.teams } : {}), ...(s.onlyFor.stores ? { stores: s.onlyFor.stores } : {}) } } : {}),
    ...(s.fatigueWindow ? { fatigueDays: durationSeconds(s.fatigueWindow) / DAY } : {}),
    ...(s.samplingPercent < 100 ? { sampleRate: s.samplingPercent / 100 } : {}),
    ...(s.reminder ? { reminderAfterHours: durationSeconds(s.reminder) / 3600 } : {}),
    ...(s.maxEventAge ? { maxEventAgeDays: durationSeconds(s.maxEventAge) / DAY } : {}),
  }));
}

const minuteOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

export function policyOf(settings: Settings): EligibilityPolicy {
  const quiet = settings.smsQuietHours;
  return {
    fatigueDays: durationSeconds(settings.fatigue.window) / DAY,
    hardCapHours: durationSeconds(settings.fatigue.hardCap) / 3600,
    // Equal hours never match: no quiet hours.
    quietHours: quiet ? { startHour: quiet.from, endHour: quiet.to } : { startHour: 0, endHour: 0 },
    emailWindows: settings.emailSendWindows.map((w) => ({
      // WEEKDAYS starts on Monday; Date and Intl count from Sunday.
      days: w.days.map((d) => (WEEKDAYS.indexOf(d) + 1) % 7),
      fromMinute: minuteOf(w.from),
      toMinute: minuteOf(w.to),
    })),
  };
}

/** The brand customers of this store know: the store's own, else the shop's. */
export function brandFor(settings: Settings, store: string | undefined): string {
  return (store !== undefined ? settings.stores[store]?.brand : undefined) ?? settings.brand;
}

/** The From: address of this store's survey mails. */
export function senderFor(settings: Settings, store: string | undefined): string {
  return (store !== undefined ? settings.stores[store]?.sender : undefined) ?? settings.sender;
}

/** The question as configured for this language and metric, or undefined (the built-in text). */
export function questionFor(settings: Settings, language: Language, metric: Metric): string | undefined {
  return settings.questions[language]?.[metric];
}
