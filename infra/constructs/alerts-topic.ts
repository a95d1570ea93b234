/**
 * The SNS topic raiseAlerts publishes detractor and churn-risk alerts to. Messages carry the
 * attributes kind, survey and team; a support lead subscribes to everything (alertEmail) or to one
 * or more teams, through a filter policy on the "team" attribute.
 */
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** The message attribute team subscriptions filter on; raiseAlerts must set it (String) when the alert has a team. */
export const TEAM_ATTRIBUTE = 'team';

export interface AlertsTopicProps {
  /** Receives every alert. */
  readonly alertEmail?: string;
  /** team -> addresses receiving that team's alerts only. */
  readonly teamSubscriptions?: Readonly<Record<string, readonly string[]>>;
  /** Set for a named stage (infra/naming.ts); CloudFormation names it otherwise. */
  readonly topicName?: string;
}

export class AlertsTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlertsTopicProps = {}) {
    super(scope, id);

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: 'ankieta alerts',
      // The AWS-managed key: only IAM principals of this account publish here (raiseAlerts), and its
      // key policy already lets them use it through SNS, so no key grant is needed.
      masterKey: kms.Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });

    if (props.alertEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));

    // One subscription per address (SNS keeps a single subscription per endpoint), listing all its teams.
    for (const [address, teams] of teamsByAddress(props.teamSubscriptions ?? {})) {
      if (address === props.alertEmail) continue; // already receives every alert
      this.topic.addSubscription(
        new subscriptions.EmailSubscription(address, {
          filterPolicy: { [TEAM_ATTRIBUTE]: sns.SubscriptionFilter.stringFilter({ allowlist: teams }) },
        }),
      );
    }
  }

  grantPublish(grantee: iam.IGrantable): iam.Grant {
    return this.topic.grantPublish(grantee);
  }
}

function teamsByAddress(teamSubscriptions: Readonly<Record<string, readonly string[]>>): Map<string, string[]> {
  const byAddress = new Map<string, string[]>();
  for (const [team, addresses] of Object.entries(teamSubscriptions)) {
    for (const address of addresses) byAddress.set(address, [...(byAddress.get(address) ?? []), team]);
  }
  return byAddress;
}
