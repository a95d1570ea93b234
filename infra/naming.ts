/**
 * Names of what other systems and people address by name: the stack, the bus, the table, the topics,
 * the API and the dashboard. Without a stage they are today's (stack "Ankieta", bus "ankieta", the
 * rest named by CloudFormation), so an existing deployment keeps its table and subscriptions; with
 * `-c stage=brandb` every one of them carries the stage and a second stack deploys beside the first.
 */

export interface ResourceNames {
  readonly stackName: string;
  /** Prefix of every explicit name: "ankieta" or "ankieta-<stage>". */
  readonly prefix: string;
  readonly eventBusName: string;
  /** Undefined without a stage: a new name would replace the retained table of an existing deployment. */
  readonly tableName?: string;
  readonly topicName: (purpose: 'alerts' | 'operations' | 'email-feedback' | 'sms-inbound') => string | undefined;
  readonly apiName: string;
  readonly dashboardName: string;
}

export function resourceNames(stage?: string): ResourceNames {
  const prefix = stage ? `ankieta-${stage}` : 'ankieta';
  return {
    stackName: stage ? `Ankieta-${stage}` : 'Ankieta',
    prefix,
    eventBusName: prefix,
    tableName: stage ? `${prefix}-surveys` : undefined,
    topicName: (purpose) => (stage ? `${prefix}-${purpose}` : undefined),
    apiName: prefix,
    dashboardName: `${prefix}-operations`,
  };
}
