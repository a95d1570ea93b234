/** SNS adapters: SMS to a phone number, and alerts to the support leads' topic with routing attributes. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendError, type AlertPublisher, type SmsSender } from '#surveys/ports.ts';

const PERMANENT = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'OptedOutException', 'AuthorizationErrorException']);

export class SnsSmsSender implements SmsSender {
  constructor(private readonly sns: SNSClient) {}

  async send(sms: { to: string; body: string }): Promise<{ messageId: string }> {
    try {
      const out = await this.sns.send(
        new PublishCommand({
          PhoneNumber: sms.to,
          Message: sms.body,
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }),
      );
      return { messageId: out.MessageId ?? 'unknown' };
    } catch (error) {
      const name = (error as Error).name;
      throw new SendError(`SNS ${name}: ${(error as Error).message}`, PERMANENT.has(name));
    }
  }
}

export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: { subject: string; body: string; attributes: Record<string, string> }): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: message.subject,
        Message: message.body,
        MessageAttributes: Object.fromEntries(Object.entries(message.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
      }),
    );
  }
}
