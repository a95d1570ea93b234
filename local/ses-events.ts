/**
 * The local stand-in for SES event publishing of deliveries: the local SES server accepts every mail at
 * once and publishes nothing, so when an e-mail survey is marked sent this consumer hands the
 * emailFeedback handler the Delivery event SES would publish through the configuration set's topic
 * (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html). The
 * funnel's "delivered" then behaves locally as on AWS.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { snsEventOf } from '../functions/adapters/sns/sns-event.ts';
import { INVITATION_CHANGE_FILTER } from '../functions/manifest.ts';

export const LOCAL_SES_EVENTS_FILTER = INVITATION_CHANGE_FILTER;

/** Delivery events for the e-mail invitations a batch shows being sent. */
export function deliveryEventsOf(records: DynamoDBRecord[]): unknown[] {
  return records
    .filter((r) => r.dynamodb?.NewImage?.status?.S === 'sent' && r.dynamodb?.OldImage?.status?.S === 'sending' && r.dynamodb?.NewImage?.channel?.S === 'email')
    .map((r) => {
      const id = r.dynamodb!.NewImage!.id!.S!;
      const sentAt = r.dynamodb!.NewImage!.sentAt?.S ?? new Date().toISOString();
      return snsEventOf({
        eventType: 'Delivery',
        mail: { messageId: `local-${id}`, timestamp: sentAt, tags: { invitation: [id] } },
        delivery: { timestamp: sentAt, recipients: ['(local)'], smtpResponse: '250 OK (local SES)' },
      });
    });
}

export function localSesEventsConsumer(emailFeedback: (event: unknown) => Promise<unknown>) {
  return {
    name: 'localSesEvents',
    filter: LOCAL_SES_EVENTS_FILTER,
    handler: async (event: unknown) => {
      for (const sns of deliveryEventsOf((event as { Records: DynamoDBRecord[] }).Records)) await emailFeedback(sns);
    },
  };
}
