/** EmailSender over SES v2 SendEmail (Simple content with per-message headers for List-Unsubscribe). */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailSender, OutgoingEmail } from '#surveys/ports.ts';
import { classifySendError } from '#functions/adapters/send-errors.ts';

/**
 * SES v2 SendEmail errors.
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html#API_SendEmail_Errors
 * Throttling: TooManyRequestsException (sending rate), LimitExceededException (daily quota, "Maximum
 * sending rate exceeded"), and the SDK's generic Throttling names. They go away by waiting.
 * Permanent: the message, the address or the account is the problem; retrying sends nothing.
 */
export const SES_THROTTLING = ['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException', 'Throttling'] as const;
export const SES_PERMANENT = [
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
] as const;

/**
 * `"Display Name" <address>` (RFC 5322). A name outside printable ASCII is a MIME encoded-word (RFC 2047):
 * SES takes non-ASCII only in that form in the "friendly from" part.
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html (FromEmailAddress)
 */
export function fromHeader(from: { address: string; name?: string }): string {
  const name = from.name?.replace(/[\r\n]+/g, ' ').trim();
  if (!name) return from.address;
  const display = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : encodedWords(name);
  return `${display} <${from.address}>`;
}

/** RFC 2047 words of at most 75 characters: 45 bytes of UTF-8 each, never splitting a character. */
function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(' ');
}

export class SesEmailSender implements EmailSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const out = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: email.from ? fromHeader(email.from) : this.from,
          Destination: { ToAddresses: [email.to] },
          ConfigurationSetName: this.configurationSet,
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
              Headers: Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value })),
            },
          },
          // Message tags come back in bounce and complaint events: the feedback finds its invitation.
          ...(email.tags?.invitation ? { EmailTags: [{ Name: 'invitation', Value: email.tags.invitation }] } : {}),
        }),
      );
      return { messageId: out.MessageId ?? 'unknown' };
    } catch (error) {
      throw classifySendError('SES', error, SES_THROTTLING, SES_PERMANENT);
    }
  }
}
