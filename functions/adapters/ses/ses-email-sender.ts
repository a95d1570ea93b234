/** EmailSender over SES v2 SendEmail (Simple content with per-message headers for List-Unsubscribe). */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { SendError, type EmailSender, type OutgoingEmail } from '#surveys/ports.ts';

/** SES errors that will not go away by retrying: the message or the address is the problem. */
const PERMANENT = new Set(['MessageRejected', 'MailFromDomainNotVerifiedException', 'AccountSuspendedException', 'SendingPausedException', 'BadRequestException', 'NotFoundException']);

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
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [email.to] },
          ConfigurationSetName: this.configurationSet,
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
              Headers: Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value })),
            },
          },
        }),
      );
      return { messageId: out.MessageId ?? 'unknown' };
    } catch (error) {
      const name = (error as Error).name;
      throw new SendError(`SES ${name}: ${(error as Error).message}`, PERMANENT.has(name));
    }
  }
}
