/** What the two due sweeps share (sendDue: e-mail, sendDueSms: SMS): their dependencies but the channel, and the report of a run. */
import type { SendDeps, SendSummary } from '#surveys/use-cases/send-due.ts';
import { contactStore, invitationStore, linkSigner, systemClock } from '#functions/shared/deps.ts';
import { env } from '#functions/shared/env.ts';
import { logger } from '#functions/shared/logger.ts';
import { countMetric, recordSeconds } from '#functions/shared/metrics.ts';

export async function sendDeps(): Promise<Omit<SendDeps, 'channel'>> {
  const config = env();
  return {
    store: invitationStore(),
    contacts: contactStore(),
    links: await linkSigner(),
    now: systemClock,
    publicBaseUrl: config.publicBaseUrl,
    brand: config.brand,
  };
}

/** Logs a sweep that did something and writes its metrics: surveys sent per channel, and how late sending runs. */
export function reportSweep(summary: SendSummary): SendSummary {
  if (summary.sent + summary.retried + summary.failed + summary.cancelled + summary.reminded > 0) logger.info('due sweep', { ...summary });
  for (const channel of ['email', 'sms'] as const) if (summary.sentByChannel[channel] > 0) countMetric('surveysSent', channel, summary.sentByChannel[channel]);
  // Every run writes the age, 0 when nothing waits: the oldest-due alarm sees a steady series.
  recordSeconds('oldestDueAge', summary.oldestDueAt ? (systemClock().getTime() - Date.parse(summary.oldestDueAt)) / 1000 : 0);
  if (summary.throttled) logger.warn('due sweep throttled by the provider (SES or SNS): the rest waits for the next sweep', { ...summary });
  return summary;
}
