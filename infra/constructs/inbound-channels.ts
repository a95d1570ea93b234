/**
 * What reaches ankieta from outside besides the bus and the HTTP API: webhook signing secrets, the SNS
 * topic AWS End User Messaging SMS publishes SMS replies to, and the subscription of a function to an
 * SNS topic with a place for what it failed on.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';

/**
 * One secret per webhook provider. CloudFormation fills it with a random placeholder; the operator puts
 * the provider's signing secret in it after the first deployment (docs/webhooks.md). Until then every
 * delivery fails its signature check: nothing is accepted unsigned.
 */
export class WebhookSecrets extends Construct {
  readonly shopify: secretsmanager.Secret;
  readonly zendesk: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const secret = (name: string, provider: string) => {
      const s = new secretsmanager.Secret(this, name, {
        description: `ankieta: ${provider} webhook signing secret (paste the value ${provider} shows; see docs/webhooks.md)`,
        // Kept on stack deletion: the provider's side is configured with this value.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(s).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: `The ${provider} webhook secret is issued by ${provider}, not by AWS: it is rotated in ${provider} and pasted here (docs/webhooks.md), so a Secrets Manager rotation function has nothing to rotate.`,
      });
      return s;
    };
    this.shopify = secret('Shopify', 'Shopify');
    this.zendesk = secret('Zendesk', 'Zendesk');
  }

  grantRead(grantee: iam.IGrantable): void {
    this.shopify.grantRead(grantee);
    this.zendesk.grantRead(grantee);
  }
}

/**
 * The topic two-way SMS replies arrive on. Connect it to the phone number's two-way channel in AWS End
 * User Messaging SMS (docs/webhooks.md). Encrypted with a key of the stack, because the service can only
 * publish to an encrypted topic whose key policy lets it, and the AWS-managed aws/sns key cannot be edited.
 * https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-iam-policy-auto.html
 */
export class SmsInboundTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: { topicName?: string } = {}) {
    super(scope, id);
    const { account } = Stack.of(this);
    const fromSmsService = { StringEquals: { 'aws:SourceAccount': account } }; // no other account's numbers

    const key = new kms.Key(this, 'Key', {
      description: 'ankieta: encrypts the inbound SMS (two-way replies) topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY, // protects transient notifications only
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EndUserMessagingSmsPublishesReplies',
        principals: [new iam.ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'], // in a key policy, "*" is this key
        conditions: fromSmsService,
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', { topicName: props.topicName, displayName: 'ankieta inbound SMS replies', masterKey: key, enforceSSL: true });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EndUserMessagingSmsPublishesReplies',
        principals: [new iam.ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromSmsService,
      }),
    );
  }
}

/**
 * Subscribes a function to a topic. SNS invokes it asynchronously: Lambda retries a failed invocation
 * twice, then the invocation record (the notification and the error) waits in a dead-letter queue with
 * an alarm. Handlers quarantine bad input themselves, so only infrastructure failures end up there.
 */
export function subscribeFunction(scope: Construct, id: string, props: { topic: sns.ITopic; fn: lambda.IFunction; holds: string }): DeadLetterQueue {
  const failures = new DeadLetterQueue(scope, `${id}Failures`, { holds: props.holds });
  props.topic.addSubscription(new subscriptions.LambdaSubscription(props.fn));
  props.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(failures.queue) });
  return failures;
}
