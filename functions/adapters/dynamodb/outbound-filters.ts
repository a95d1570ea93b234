/**
 * Stream filters of the outbound emitter (Lambda filter pattern syntax; the local stream reader applies
 * the same). Pure data: functions/manifest.ts and the CDK stack import it.
 */

/** Every write of an alert: the handler compares old and new images to find the transitions. */
export const ALERT_CHANGE_FILTER = {
  dynamodb: { NewImage: { entity: { S: ['alert'] } } },
} as const;

/** A new suppression because the customer asked (unsubscribe page, one-click, SMS STOP); not bounces. */
export const UNSUBSCRIBE_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entity: { S: ['suppression'] }, reason: { S: ['unsubscribed', 'stop'] } } },
} as const;
