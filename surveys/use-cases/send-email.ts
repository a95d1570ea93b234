/**
 * The e-mail part of a due send (send-due.ts runs the sweep around it): one signed link per score,
 * RFC 8058 one-click unsubscribe, the store's sender and the configured question, in the customer's
 * language. The sendDue function sweeps with it.
 */
import type { Language, Metric } from '../model.ts';
import { type EmailSender, SendError } from '../ports.ts';
import { renderSurveyEmail } from '../templates/email.ts';
import type { ChannelSender } from './send-due.ts';

export interface EmailChannelDeps {
  email: EmailSender;
  /** The From: address of a store's mails (surveys settings `stores.<store>.sender`, else `sender`); absent: the e-mail sender's own. */
  senderFor?: (store: string | undefined) => string | undefined;
  /** The question as configured for a language and metric (surveys settings `questions`); undefined: the built-in text. */
  questionFor?: (language: Language, metric: Metric) => string | undefined;
}

export function emailChannel(deps: EmailChannelDeps): ChannelSender {
  return {
    channel: 'email',
    contactOf(profile) {
      if (!profile?.email) throw new SendError('the customer has no e-mail address any more', true);
      return profile.email;
    },
    suppressionKey: (to) => ({ email: to }),
    async send(to, invitation, profile, { links, brand, remind }) {
      const question = deps.questionFor?.(invitation.locale, invitation.metric);
      const sender = deps.senderFor?.(invitation.segments.store);
      const mail = renderSurveyEmail({
        metric: invitation.metric,
        language: invitation.locale,
        brand,
        ...(question ? { question } : {}),
        customerName: profile.name,
        ratingUrl: links.rating,
        unsubscribeUrl: links.unsubscribe,
      });
      await deps.email.send({
        to,
        // The display name is the brand the customer knows: "Sklep Ali" <ankiety@sklep-ali.pl>.
        ...(sender ? { from: { address: sender, name: brand } } : {}),
        ...mail,
        subject: remind(mail.subject),
        // RFC 8058 one-click unsubscribe: mail clients POST to the URL; a GET only shows a confirmation.
        headers: { 'List-Unsubscribe': `<${links.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        tags: { invitation: invitation.id },
      });
    },
  };
}
