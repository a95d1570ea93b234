/**
 * ankieta on AWS, wiring only: which function gets which configuration and permissions, what
 * triggers it, and what the stack exports. How each piece is built lives in infra/constructs/.
 *
 *   bus rules ──► triggerSurvey ─┐            ┌─► aggregateScores (stream, final responses)
 *   POST /events ► ingestEvents ─┼─► table ───┤
 *   every minute ► sendDue ──────┘  (SES, SMS)└─► raiseAlerts ─► alerts topic
 *   /r/{token}  ─► respond           GET /api/* ─► readApi
 */
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ENV, FUNCTIONS, HTTP_ROUTES, SCHEDULES, STREAM_CONSUMERS, type FunctionName } from '../functions/manifest.ts';
import type { EventType, IncomingEventType } from '../surveys/model.ts';
import { CommerceEventRouting } from './constructs/commerce-event-routing.ts';
import { EmailSending } from './constructs/email-sending.ts';
import { HouseFunction, type HouseFunctionProps } from './constructs/house-function.ts';
import { SmsInboundTopic, subscribeFunction, WebhookSecrets } from './constructs/inbound-channels.ts';
import { StatefulResources } from './constructs/stateful-resources.ts';
import { StreamConsumer } from './constructs/stream-consumer.ts';
import { SurveyHttpApi } from './constructs/survey-http-api.ts';
import type { DeployParameters } from './deploy-parameters.ts';
import { DASHBOARD_BUNDLE_FILES } from '../functions/dashboard/assets.ts';

/** Detail-types that trigger a survey; one bus rule each. */
export const SURVEY_TRIGGERS = ['order.delivered', 'ticket.solved'] as const satisfies readonly EventType[];
/** Detail-types that cancel a pending survey (refund, reopened ticket); routed to the same function. */
export const CANCELLING_EVENTS = ['order.refunded', 'ticket.reopened'] as const satisfies readonly IncomingEventType[];

/** Memory and timeout where the house default (512 MB, 10 s: HTTP handlers) does not fit. */
const SIZING: Partial<Record<FunctionName, Pick<HouseFunctionProps, 'memorySize' | 'timeout'>>> = {
  triggerSurvey: { timeout: Duration.seconds(30) },
  sendDue: { timeout: Duration.seconds(50) }, // finishes before the next minute's sweep starts
  aggregateScores: { timeout: Duration.seconds(60) },
  raiseAlerts: { timeout: Duration.seconds(30) },
  trackHealth: { timeout: Duration.seconds(30) },
  alertSweep: { timeout: Duration.seconds(50) }, // finishes before the next minute's sweep starts
};

export interface SurveyPipelineStackProps extends StackProps, DeployParameters {}

export class SurveyPipelineStack extends Stack {
  readonly data: StatefulResources;
  readonly email: EmailSending;
  readonly httpApi: SurveyHttpApi;
  readonly functions: Readonly<Record<FunctionName, HouseFunction>>;
  readonly commerceEvents: CommerceEventRouting;
  readonly streamConsumers: Readonly<Partial<Record<FunctionName, StreamConsumer>>>;
  readonly webhookSecrets: WebhookSecrets;
  readonly smsInbound: SmsInboundTopic;

  constructor(scope: Construct, id: string, props: SurveyPipelineStackProps) {
    super(scope, id, props);

    const data = (this.data = new StatefulResources(this, 'Data', {
      alertEmail: props.alertEmail,
      teamSubscriptions: props.teamSubscriptions,
    }));
    const email = (this.email = new EmailSending(this, 'Email', { senderEmail: props.senderEmail }));
    const httpApi = (this.httpApi = new SurveyHttpApi(this, 'Http'));
    const publicBaseUrl = props.publicBaseUrl ?? httpApi.url;
    const webhookSecrets = (this.webhookSecrets = new WebhookSecrets(this, 'WebhookSecrets'));
    const smsInbound = (this.smsInbound = new SmsInboundTopic(this, 'SmsInbound'));

    // Configuration per function: only what its handler reads (names from ENV in functions/manifest.ts).
    // Every function with the table hashes contacts in keys (and quarantine refs): the key of the contact hashes goes with it.
    const table = { [ENV.tableName]: data.surveyTable.tableName, [ENV.contactHashKeyArn]: data.contactHashKey.secretArn };
    // Alert settings left unset take the documented defaults (README "Alerts"); the dashboard link is built from the base URL.
    const alertSettings = props.alertSettings ?? {};
    const alerting = { ...table, [ENV.alertsTopicArn]: data.alerts.topic.topicArn, [ENV.publicBaseUrl]: publicBaseUrl, ...alertSettings };
    const environment: Record<FunctionName, Record<string, string>> = {
      ingestEvents: table,
      triggerSurvey: table,
      sendDue: {
        ...table,
        [ENV.senderEmail]: props.senderEmail,
        [ENV.sesConfigurationSet]: email.configurationSetName,
        [ENV.publicBaseUrl]: publicBaseUrl,
        [ENV.linkSecretArn]: data.linkSecret.secretArn,
      },
      respond: { ...table, [ENV.publicBaseUrl]: publicBaseUrl, [ENV.linkSecretArn]: data.linkSecret.secretArn },
      privacyApi: table,
      aggregateScores: table,
      raiseAlerts: alerting,
      readApi: table,
      dashboard: {}, // serves files only: no table, no secret
      readerAuthorizer: { [ENV.readerKeySecretArn]: data.readerKey.secretArn },
      alertsApi: { ...table, [ENV.publicBaseUrl]: publicBaseUrl, ...alertSettings },
      trackHealth: alerting,
      alertSweep: alerting,
      webhooks: {
        ...table,
        [ENV.shopifyWebhookSecretArn]: webhookSecrets.shopify.secretArn,
        [ENV.zendeskWebhookSecretArn]: webhookSecrets.zendesk.secretArn,
      },
      smsInbound: { ...table, [ENV.linkSecretArn]: data.linkSecret.secretArn }, // signs the token an SMS answer goes through
      emailFeedback: table,
      unsubscribe: { ...table, [ENV.linkSecretArn]: data.linkSecret.secretArn },
      shortLink: { ...table, [ENV.publicBaseUrl]: publicBaseUrl, [ENV.linkSecretArn]: data.linkSecret.secretArn },
    };

    const fns = (this.functions = mapFunctions(
      (name, { entry, description }) =>
        new HouseFunction(this, name, {
          entry,
          description,
          environment: environment[name],
          ...SIZING[name],
          ...(name === 'dashboard' ? { copyFiles: DASHBOARD_BUNDLE_FILES } : {}),
        }),
    ));

    // Permissions per function: least privilege, read this as the access matrix.
    data.surveyTable.grantReadWriteItems(fns.ingestEvents);
    data.surveyTable.grantReadWriteItems(fns.triggerSurvey);
    data.surveyTable.grantReadWriteItems(fns.sendDue);
    email.grantSend(fns.sendDue);
    grantSmsToPhoneNumbers(fns.sendDue);
    data.linkSecret.grantRead(fns.sendDue);
    data.surveyTable.grantReadWriteItems(fns.respond);
    data.linkSecret.grantRead(fns.respond);
    data.surveyTable.grantReadWriteItems(fns.privacyApi); // erasure: queries and deletes, no Scan
    data.surveyTable.grantReadWriteItems(fns.aggregateScores);
    data.surveyTable.grantReadWriteItems(fns.raiseAlerts);
    data.alerts.grantPublish(fns.raiseAlerts);
    data.surveyTable.grantReadWriteItems(fns.trackHealth);
    data.alerts.grantPublish(fns.trackHealth);
    data.surveyTable.grantReadWriteItems(fns.alertSweep);
    data.alerts.grantPublish(fns.alertSweep);
    data.surveyTable.grantReadWriteItems(fns.alertsApi); // acknowledge and resolve write the alert
    data.surveyTable.grantReadItems(fns.readApi);
    data.readerKey.grantRead(fns.readerAuthorizer);
    data.surveyTable.grantReadWriteItems(fns.webhooks); // triggers and cancellations, like triggerSurvey
    webhookSecrets.grantRead(fns.webhooks);
    data.surveyTable.grantReadWriteItems(fns.smsInbound); // answers, comments, suppression of a STOP
    data.linkSecret.grantRead(fns.smsInbound);
    data.surveyTable.grantReadWriteItems(fns.emailFeedback); // suppression list, bounced invitations
    data.surveyTable.grantReadWriteItems(fns.unsubscribe); // suppression list
    data.linkSecret.grantRead(fns.unsubscribe);
    data.surveyTable.grantReadItems(fns.shortLink); // a redirect writes nothing
    data.linkSecret.grantRead(fns.shortLink);
    for (const [name, fn] of Object.entries(fns)) if (environment[name as FunctionName][ENV.contactHashKeyArn]) data.contactHashKey.grantRead(fn);

    // Triggers.
    this.commerceEvents = new CommerceEventRouting(this, 'CommerceEvents', {
      bus: data.bus,
      detailTypes: [...SURVEY_TRIGGERS, ...CANCELLING_EVENTS],
      target: fns.triggerSurvey.fn,
    });

    for (const schedule of SCHEDULES) {
      const fn = fns[schedule.fn].fn;
      new events.Rule(this, `${schedule.fn}Schedule`, {
        description: schedule.description,
        schedule: events.Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        // No retries anywhere: the next run picks up whatever this one left, and a retry would only
        // overlap with it.
        targets: [new targets.LambdaFunction(fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
      });
      fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    }

    const consumers: Partial<Record<FunctionName, StreamConsumer>> = {};
    for (const subscription of STREAM_CONSUMERS) {
      consumers[subscription.fn] = new StreamConsumer(this, `${subscription.fn}Stream`, {
        table: data.surveyTable.table,
        consumer: fns[subscription.fn].fn,
        filterPattern: subscription.filter, // e.g. final responses only: the aggregator's own writes never trigger it
        needsShardId: subscription.needsShardId,
      });
    }
    this.streamConsumers = consumers;

    httpApi.addRoutes(
      HTTP_ROUTES,
      mapFunctions((name) => fns[name].fn),
      { keyAuthorizer: fns.readerAuthorizer.fn },
    );

    // SNS-fed functions: SMS replies from End User Messaging SMS, SES bounces and complaints.
    subscribeFunction(this, 'SmsInboundSubscription', {
      topic: smsInbound.topic,
      fn: fns.smsInbound.fn,
      holds: 'inbound SMS replies smsInbound failed on after its retries',
    });
    subscribeFunction(this, 'EmailFeedbackSubscription', {
      topic: email.feedbackTopic,
      fn: fns.emailFeedback.fn,
      holds: 'SES bounces and complaints emailFeedback failed on after its retries',
    });

    new CfnOutput(this, 'ApiUrl', { value: httpApi.url, description: 'HTTP API base URL' });
    new CfnOutput(this, 'DashboardUrl', { value: `${httpApi.url}/dashboard`, description: "Support leads' dashboard (asks for the dashboard key)" });
    new CfnOutput(this, 'DashboardKeySecretArn', {
      value: data.readerKey.secretArn,
      description: 'The dashboard key: aws secretsmanager get-secret-value --secret-id <this>',
    });
    new CfnOutput(this, 'PublicBaseUrl', { value: publicBaseUrl, description: 'Base of survey links' });
    new CfnOutput(this, 'TableName', { value: data.surveyTable.tableName });
    new CfnOutput(this, 'EventBusName', { value: data.bus.eventBusName });
    new CfnOutput(this, 'AlertsTopicArn', { value: data.alerts.topic.topicArn });
    new CfnOutput(this, 'SmsInboundTopicArn', {
      value: smsInbound.topic.topicArn,
      description: 'Two-way SMS destination: set it on the phone number in AWS End User Messaging SMS',
    });
    new CfnOutput(this, 'ShopifyWebhookSecretArn', { value: webhookSecrets.shopify.secretArn, description: "Put Shopify's webhook signing secret here" });
    new CfnOutput(this, 'ZendeskWebhookSecretArn', { value: webhookSecrets.zendesk.secretArn, description: "Put the Zendesk webhook's signing secret here" });
    new CfnOutput(this, 'EmailFeedbackTopicArn', { value: email.feedbackTopic.topicArn, description: 'SES bounces and complaints' });
  }
}

function mapFunctions<T>(build: (name: FunctionName, definition: (typeof FUNCTIONS)[FunctionName]) => T): Record<FunctionName, T> {
  const entries = (Object.keys(FUNCTIONS) as FunctionName[]).map((name) => [name, build(name, FUNCTIONS[name])] as const);
  return Object.fromEntries(entries) as Record<FunctionName, T>;
}

/**
 * SMS goes straight to a phone number with sns:Publish (PhoneNumber, no topic). A direct publish has
 * no resource ARN, so IAM only accepts Resource "*" for it. In a policy of its own, so the
 * acknowledgment below covers this statement and nothing else.
 */
function grantSmsToPhoneNumbers(fn: HouseFunction): void {
  const policy = new iam.Policy(fn, 'SmsToPhoneNumbers', {
    statements: [new iam.PolicyStatement({ sid: 'SmsToPhoneNumbers', actions: ['sns:Publish'], resources: ['*'] })],
  });
  policy.attachToRole(fn.role);
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'sns:Publish to a phone number (SMS survey invitations) has no resource ARN; AWS requires Resource "*" for it.',
  });
}
