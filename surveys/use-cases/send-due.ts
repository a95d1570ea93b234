/**
 * Send the invitations whose time has come (the due sweep: every minute on AWS, a timer locally).
 *
 * Primary course, per due invitation:
 *  1. Claim it (scheduled -> sending) so that a concurrent sweep cannot send it too.
 *  2. Read the customer's contact from the profile; render the e-mail or SMS in their language,
 *     with one signed link per score.
 *  3. Send; mark it sent with the link's expiry. A transient failure (throttling, network) puts it
 *     back with a backoff; a permanent one, or too many attempts, marks it failed with the reason.
 */
import { surveyById, type SurveyDefinition } from '../catalogue.ts';
import type { Invitation } from '../model.ts';
import { SendError, type EmailSender, type InvitationStore, type LinkSigner, type SmsSender } from '../ports.ts';
import { renderSurveyEmail } from '../templates/email.ts';
import { renderSurveySms } from '../templates/sms.ts';

export interface SendDeps {
  store: InvitationStore;
  email: EmailSender;
  sms: SmsSender;
  links: LinkSigner;
  now: () => Date;
  publicBaseUrl: string;
  brand: string;
  catalogue?: SurveyDefinition[];
  maxAttempts?: number;
  batchLimit?: number;
}

export interface SendSummary {
  sent: number;
  retried: number;
  failed: number;
}

export function surveyLinks(baseUrl: string, token: string) {
  return {
    rating: (score: number) => `${baseUrl}/r/${token}?s=${score}`,
    survey: `${baseUrl}/r/${token}`,
    unsubscribe: `${baseUrl}/u/${token}`,
  };
}

async function sendOne(invitation: Invitation, deps: SendDeps): Promise<void> {
  const profile = await deps.store.getProfile(invitation.customerId);
  const survey = surveyById(invitation.surveyId, deps.catalogue);
  if (!survey) throw new SendError(`survey ${invitation.surveyId} is not in the catalogue`, true);
  const links = surveyLinks(deps.publicBaseUrl, deps.links.sign(invitation.id));

  if (invitation.channel === 'email') {
    if (!profile?.email) throw new SendError('the customer has no e-mail address any more', true);
    if (profile.suppressed?.email) throw new SendError(`e-mail suppressed: ${profile.suppressed.email}`, true);
    const mail = renderSurveyEmail({
      metric: invitation.metric,
      language: invitation.locale,
      brand: deps.brand,
      customerName: profile.name,
      ratingUrl: links.rating,
      unsubscribeUrl: links.unsubscribe,
    });
    await deps.email.send({
      to: profile.email,
      ...mail,
      // RFC 8058 one-click unsubscribe: mail clients POST to the URL; a GET only shows a confirmation.
      headers: { 'List-Unsubscribe': `<${links.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
  } else {
    if (!profile?.phone) throw new SendError('the customer has no phone number any more', true);
    if (profile.suppressed?.sms) throw new SendError(`SMS suppressed: ${profile.suppressed.sms}`, true);
    await deps.sms.send({ to: profile.phone, body: renderSurveySms({ metric: invitation.metric, language: invitation.locale, brand: deps.brand, link: links.survey }) });
  }
  const sentAt = deps.now();
  const expiresAt = new Date(sentAt.getTime() + survey.linkValidDays * 24 * 3600_000);
  await deps.store.markSent(invitation.id, sentAt.toISOString(), expiresAt.toISOString());
}

export async function sendDueInvitations(deps: SendDeps): Promise<SendSummary> {
  const summary: SendSummary = { sent: 0, retried: 0, failed: 0 };
  const maxAttempts = deps.maxAttempts ?? 5;
  const due = await deps.store.listDue(deps.now().toISOString(), deps.batchLimit ?? 100);
  for (const candidate of due) {
    const invitation = await deps.store.claim(candidate.id, deps.now().toISOString());
    if (!invitation) continue; // another sweep has it
    try {
      await sendOne(invitation, deps);
      summary.sent++;
    } catch (error) {
      const attempts = (invitation.attempts ?? 0) + 1;
      const permanent = error instanceof SendError ? error.permanent : false;
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (permanent || attempts >= maxAttempts) {
        await deps.store.markFailed(invitation.id, reason);
        summary.failed++;
      } else {
        const backoffMs = Math.min(2 ** attempts * 30_000, 3600_000); // 1 min, 2 min, 4 min … capped at 1 h
        await deps.store.markRetry(invitation.id, new Date(deps.now().getTime() + backoffMs).toISOString(), reason);
        summary.retried++;
      }
    }
  }
  return summary;
}
