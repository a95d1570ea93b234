/**
 * Commerce and helpdesk events on the bus reach triggerSurvey: one rule per detail-type. Two things
 * can fail, and each has its own dead-letter queue because the messages differ in shape:
 * - EventBridge cannot invoke the function (throttling, permissions): retried, then the original event
 *   goes to the delivery DLQ (error code and message in the SQS message attributes);
 * - the function itself fails on the event: Lambda retries the asynchronous invocation, then sends an
 *   invocation record (requestPayload = the event, responsePayload = the error) to the failure DLQ.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface CommerceEventRoutingProps {
  readonly bus: events.IEventBus;
  readonly detailTypes: readonly string[];
  readonly target: lambda.IFunction;
}

export class CommerceEventRouting extends Construct {
  readonly rules: events.Rule[];
  readonly deliveryFailures: DeadLetterQueue;
  readonly processingFailures: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: CommerceEventRoutingProps) {
    super(scope, id);

    this.deliveryFailures = new DeadLetterQueue(this, 'DeliveryFailures', {
      holds: 'commerce events EventBridge could not deliver to triggerSurvey',
    });
    this.processingFailures = new DeadLetterQueue(this, 'ProcessingFailures', {
      holds: 'commerce events triggerSurvey failed on after its retries',
    });

    this.rules = props.detailTypes.map(
      (detailType) =>
        new events.Rule(this, `On-${detailType}`, {
          eventBus: props.bus,
          description: `${detailType} events trigger a survey`,
          eventPattern: { detailType: [detailType] },
          targets: [
            new targets.LambdaFunction(props.target, {
              retryAttempts: 8,
              maxEventAge: Duration.hours(6), // a survey triggered hours late is still worth sending
              deadLetterQueue: this.deliveryFailures.queue,
            }),
          ],
        }),
    );

    // Function errors: two retries spaced by Lambda (the handler dedupes on eventId, so a retry after a
    // partial success sends nothing twice), then the failure destination.
    props.target.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.processingFailures.queue),
    });
  }
}
