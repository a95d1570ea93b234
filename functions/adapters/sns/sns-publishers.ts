/** SNS adapters: SMS to a phone number, and alerts to the support leads' topic with routing attributes. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertPublisher, SmsSender } from '#surveys/ports.ts';
import { classifySendError } from '#functions/adapters/send-errors.ts';

/**
 * SNS Publish errors. https://docs.aws.amazon.com/sns/latest/api/API_Publish.html#API_Publish_Errors
 * Throttling: ThrottledException (and KMSThrottlingException on encrypted topics), plus the SDK's
 * generic names. Permanent: a bad number or message, or a number that opted out.
 */
export const SNS_THROTTLING = [
  'ThrottledException',
  'KMSThrottlingException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'LimitExceededException',
] as const;
export const SNS_PERMANENT = [
  'InvalidParameterException',
  'InvalidParameterValueException',
  'OptedOutException',
  'AuthorizationErrorException',
  'ValidationException',
] as const;

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
      throw classifySendError('SNS', error, SNS_THROTTLING, SNS_PERMANENT);
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
