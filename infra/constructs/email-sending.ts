/**
 * Sending survey e-mail through SES v2: a configuration set (reputation metrics, account suppression
 * of bounces and complaints) whose bounce and complaint events go to an SNS topic, and the grant that
 * lets a function send from the sender identity through that configuration set.
 *
 * The sender identity (the address or its domain) is verified in SES outside this stack: see docs/deploy.md.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface EmailSendingProps {
  /** The From address; SES authorizes sending against its own identity or its domain's. */
  readonly senderEmail: string;
  /** Name of the bounce and complaint topic, set for a named stage (infra/naming.ts). */
  readonly feedbackTopicName?: string;
}

export class EmailSending extends Construct {
  readonly senderEmail: string;
  readonly configurationSet: ses.ConfigurationSet;
  /** Bounce and complaint events (SES notification JSON). A suppression function will consume it. */
  readonly feedbackTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: EmailSendingProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    const { account } = Stack.of(this);

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    // SES can only publish to an encrypted topic whose key policy lets it: the AWS-managed aws/sns key
    // cannot be edited, hence a key of our own.
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html (AWS services publishing to encrypted topics)
    const key = new kms.Key(this, 'FeedbackTopicKey', {
      description: 'ankieta: encrypts the SES bounce and complaint topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY, // protects transient notifications only
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SesPublishesBouncesAndComplaints',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'], // in a key policy, "*" is this key
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );

    this.feedbackTopic = new sns.Topic(this, 'FeedbackTopic', {
      topicName: props.feedbackTopicName,
      displayName: 'ankieta SES bounces and complaints',
      masterKey: key,
      enforceSSL: true,
    });
    this.feedbackTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SesPublishesBouncesAndComplaints',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.feedbackTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } }, // no other account's SES
      }),
    );

    const destination = this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(this.feedbackTopic),
      // DELIVERY: the response funnel's "delivered" (functions/email-feedback marks the invitation).
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.DELIVERY],
    });
    // SES checks that it can publish when the destination is created: policies first.
    destination.node.addDependency(this.feedbackTopic, key);
  }

  get configurationSetName(): string {
    return this.configurationSet.configurationSetName;
  }

  /**
   * ses:SendEmail (SES API v2, simple and raw content alike) from the sender address or its domain
   * identity, and only through this configuration set.
   */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const domain = this.senderEmail.slice(this.senderEmail.lastIndexOf('@') + 1);
    const identityArn = (identity: string) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail'],
      resourceArns: [
        identityArn(this.senderEmail),
        identityArn(domain),
        stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSetName }),
      ],
    });
  }
}
