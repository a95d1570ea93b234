/**
 * Everything in ankieta that holds state or is an address other systems know: the table, the event
 * bus commerce systems put events on, the alerts topic support leads subscribe to, and the secret
 * survey links are signed with. Compute (functions, rules, API) lives elsewhere and can be replaced
 * freely; these are kept across deployments.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AlertsTopic, type AlertsTopicProps } from './alerts-topic.ts';
import { SurveyTable } from './survey-table.ts';

/** The custom bus name commerce and helpdesk systems are configured with. */
export const EVENT_BUS_NAME = 'ankieta';

export interface StatefulResourcesProps extends AlertsTopicProps {
  /** Default EVENT_BUS_NAME; another stage's stack needs another name (infra/naming.ts). */
  readonly eventBusName?: string;
  readonly tableName?: string;
  /** Keep the retired GSI1 for one deployment (an upgrade's first step: docs/deploy.md). */
  readonly keepRetiredIndex?: boolean;
}

export class StatefulResources extends Construct {
  readonly surveyTable: SurveyTable;
  readonly bus: events.EventBus;
  readonly alerts: AlertsTopic;
  /** 64 random alphanumerics; the function reads the SecretString as it is (no JSON). */
  readonly linkSecret: secretsmanager.Secret;
  /** Key of the contact hashes (HMAC-SHA-256 of addresses, numbers and ids in stored keys). */
  readonly contactHashKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StatefulResourcesProps = {}) {
    super(scope, id);

    this.surveyTable = new SurveyTable(this, 'Surveys', { tableName: props.tableName, keepRetiredIndex: props.keepRetiredIndex });

    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: props.eventBusName ?? EVENT_BUS_NAME,
      description: 'Commerce and helpdesk events (order.delivered, ticket.solved) that trigger surveys',
    });

    this.alerts = new AlertsTopic(this, 'Alerts', props);

    this.linkSecret = new secretsmanager.Secret(this, 'LinkSecret', {
      description: 'ankieta: key for signing and hashing survey and unsubscribe link tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // A new value would invalidate every link already in a customer's inbox.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.linkSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The link secret signs tokens of links already sent to customers (valid for weeks): automatic rotation would break them. ' +
        'Rotation needs a dual-key grace period in the respond handler first; until then it is rotated by hand (docs/deploy.md).',
    });

    this.contactHashKey = new secretsmanager.Secret(this, 'ContactHashKey', {
      description: 'ankieta: key of the contact hashes (HMAC-SHA-256) in suppression, lookup, SMS and rate-limit keys',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // A new value orphans every stored hash (suppressions would be forgotten): kept, never replaced.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.contactHashKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key of the contact hashes is part of stored keys (suppression entries kept indefinitely): rotating it would forget ' +
        'who unsubscribed. A rotation needs a re-keying run with both keys; until then it is not rotated (docs/security.md).',
    });
  }
}
