/**
 * The SMS part of a due send (send-due.ts runs the sweep around it): a valid mobile number of a served
 * market, a short link and a reply thread stored before the text goes out (a quick reply must find the
 * survey it answers), "reply with a number" in the customer's language. The sendDueSms function sweeps
 * with it; quiet hours are the sweep's (they move SMS retries and reminders only).
 */
import { isValidMobile } from '../phone/index.ts';
import { SendError, type SmsLinkStore, type SmsSender } from '../ports.ts';
import { renderSurveySms } from '../templates/sms.ts';
import { type ChannelSender, newShortCode } from './send-due.ts';

export interface SmsChannelDeps {
  sms: SmsSender;
  links: Pick<SmsLinkStore, 'putShortLink' | 'rememberSmsThread'>;
  publicBaseUrl: string;
}

export function smsChannel(deps: SmsChannelDeps): ChannelSender {
  return {
    channel: 'sms',
    contactOf(profile) {
      const to = profile?.phone;
      if (!to) throw new SendError('the customer has no phone number any more', true);
      if (!isValidMobile(to)) throw new SendError('the phone number is not a valid E.164 number', true);
      return to;
    },
    suppressionKey: (to) => ({ phone: to }),
    async send(to, invitation, _profile, { brand, expiresAt, remind }) {
      const code = newShortCode();
      await deps.links.putShortLink(code, invitation.id, expiresAt);
      // Before sending: a quick reply must find the survey it answers.
      await deps.links.rememberSmsThread(to, invitation.id, expiresAt);
      const body = renderSurveySms({ metric: invitation.metric, language: invitation.locale, brand, link: `${deps.publicBaseUrl}/s/${code}` });
      await deps.sms.send({ to, body: remind(body) });
    },
  };
}
