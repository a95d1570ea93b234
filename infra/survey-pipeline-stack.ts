/**
 * ankieta on AWS, wiring only: which function gets which configuration and permissions, what
 * triggers it, and what the stack exports. How each piece is built lives in infra/constructs/.
 *
 *   bus rules ──► triggerSurvey ─┐            ┌─► aggregateScores (stream, final responses)
 *   POST /events ► ingestEvents ─┼─► table ───┤
 *   every minute ► sendDue ──────┤  (SES)     └─► raiseAlerts ─► alerts topic
 *   every minute ► sendDueSms ───┘  (SMS)
 *   /r/{token}  ─► respond           GET /api/* ─► readApi
 */
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ENV, FUNCTIONS, HTTP_ROUTES, QUEUE_CONSUMERS, SCHEDULES, STREAM_CONSUMERS, type FunctionName } from '../functions/manifest.ts';
import type { EventType, IncomingEventType } from '../surveys/model.ts';
import { CommerceEventRouting } from './constructs/commerce-event-routing.ts';
import { EmailSending } from './constructs/email-sending.ts';
import { HouseFunction, type HouseFunctionProps } from './constructs/house-function.ts';
import { SmsInboundTopic, subscribeFunction, WebhookSecrets } from './constructs/inbound-channels.ts';
import { StatefulResources } from './constructs/stateful-resources.ts';
import { StreamConsumer } from './constructs/stream-consumer.ts';
import { SurveyHttpApi } from './constructs/survey-http-api.ts';
import { OutboundDelivery } from './constructs/outbound-delivery.ts';
import type { DeployParameters } from './deploy-parameters.ts';
import { DASHBOARD_BUNDLE_FILES } from '../functions/dashboard/assets.ts';
import { METRICS_NAMESPACE_ENV } from '../functions/shared/metric-names.ts';
import { CustomDomain } from './constructs/custom-domain.ts';
import { OperationsAlarms } from './constructs/operations-alarms.ts';
import { OperationsDashboard } from './constructs/operations-dashboard.ts';
import { PublicEdge } from './constructs/public-edge.ts';
import { SweepSchedule } from './constructs/sweep-schedule.ts';
import { resourceNames } from './naming.ts';
import { LeadIdentities } from './constructs/lead-identities.ts';

/** Detail-types that trigger a survey; one bus rule each. */
export const SURVEY_TRIGGERS = ['order.delivered', 'ticket.solved'] as const satisfies readonly EventType[];
/** Detail-types that cancel a pending survey (refund, reopened ticket); routed to the same function. */
export const CANCELLING_EVENTS = ['order.refunded', 'ticket.reopened'] as const satisfies readonly IncomingEventType[];

/** Memory and timeout where the house default (512 MB, 10 s: HTTP handlers) does not fit. */
const SIZING: Partial<Record<FunctionName, Pick<HouseFunctionProps, 'memorySize' | 'timeout'>>> = {
  triggerSurvey: { timeout: Duration.seconds(30) },
  sendDue: { timeout: Duration.seconds(50) }, // finishes before the next minute's sweep starts
  sendDueSms: { timeout: Duration.seconds(50) },
  aggregateScores: { timeout: Duration.seconds(60) },
  raiseAlerts: { timeout: Duration.seconds(30) },
  classifyComments: { timeout: Duration.seconds(30) },
  trackHealth: { timeout: Duration.seconds(30) },
  alertSweep: { timeout: Duration.seconds(50) }, // finishes before the next minute's sweep starts
  emitOutbound: { timeout: Duration.seconds(30) },
  deliverOutbound: { timeout: Duration.seconds(QUEUE_CONSUMERS[0]!.functionTimeoutSeconds) }, // 5 s per request, a batch in parallel
  countFunnel: { timeout: Duration.seconds(60) },
};

/**
 * X-Ray only where a trace is worth its price (docs/cost.md "Tracing"). Lambda's active tracing cannot
 * be sampled below "the first request each second and 5 % of the rest" (X-Ray sampling rules do not
 * apply to it), so at survey volumes every invocation of a traced function is a trace: the choice per
 * function is on or off. Kept where calls are counted per detractor or per lead's click (the alert path,
 * the leads' APIs); off on everything invoked per survey or per link fetch (trigger, send, page, stream
 * consumers, webhooks), where metrics, logs and the REPORT line's duration tell what a trace would.
 * A function added to the manifest starts untraced.
 */
export const TRACED: readonly FunctionName[] = ['raiseAlerts', 'alertsApi', 'readApi', 'privacyApi', 'endpointsApi', 'funnelApi'];
export const UNTRACED: readonly FunctionName[] = (Object.keys(FUNCTIONS) as FunctionName[]).filter((name) => !TRACED.includes(name));

/**
 * Reserved concurrency of 1 for the sweeps (e-mail, SMS, alerts): it guarantees them a slot when a flood on the public
 * routes takes the account's concurrency (sending and alerting go on), and caps them at one run at a
 * time (a retry overlapping the next minute's run waits instead of doubling SES sends and reminders).
 * Nothing else is reserved: the HTTP routes are capped by the stage throttles, and the stream consumers'
 * concurrency follows the number of shards, which a reservation below it would throttle.
 */
export const RESERVED_CONCURRENCY: Partial<Record<FunctionName, number>> = { sendDue: 1, sendDueSms: 1, alertSweep: 1 };

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
  readonly outbound: OutboundDelivery;
  readonly sweeps: Readonly<Partial<Record<FunctionName, SweepSchedule>>>;
  readonly operations: OperationsAlarms;
  readonly operationsDashboard: OperationsDashboard;
  readonly customDomain?: CustomDomain;
  readonly publicEdge?: PublicEdge;
  readonly leads: LeadIdentities;

  constructor(scope: Construct, id: string, props: SurveyPipelineStackProps) {
    super(scope, id, props);

    const names = resourceNames(props.stage);
    const data = (this.data = new StatefulResources(this, 'Data', {
      alertEmail: props.alertEmail,
      teamSubscriptions: props.teamSubscriptions,
      eventBusName: names.eventBusName,
      tableName: names.tableName,
      topicName: names.topicName('alerts'),
      keepRetiredIndex: props.keepRetiredIndex,
    }));
    const { settings } = props.surveysSettings;
    // The settings file's senders (the shop's and each store's) may send too: send-due picks the store's.
    const otherSenders = [settings.sender, ...Object.values(settings.stores).flatMap((store) => (store.sender ? [store.sender] : []))].filter(
      (sender) => sender !== 'surveys@ankieta.local', // the settings' default: not an identity anyone verifies
    );
    const email = (this.email = new EmailSending(this, 'Email', {
      senderEmail: props.senderEmail,
      feedbackTopicName: names.topicName('email-feedback'),
      otherSenders,
    }));
    const httpApi = (this.httpApi = new SurveyHttpApi(this, 'Http', { apiName: names.apiName }));
    // Links on the shop's domain: on CloudFront when the WAF is on, else on an API Gateway custom domain.
    const domain = props.customDomainName && props.certificateArn ? { name: props.customDomainName, certificateArn: props.certificateArn } : undefined;
    if (props.webAclArn) this.publicEdge = new PublicEdge(this, 'PublicEdge', { api: httpApi.api, webAclArn: props.webAclArn, domain });
    else if (domain)
      this.customDomain = new CustomDomain(this, 'LinkDomain', {
        domainName: domain.name,
        certificateArn: domain.certificateArn,
        api: httpApi.api,
        stage: httpApi.stage,
      });
    const publicBaseUrl = props.publicBaseUrl ?? (domain ? `https://${domain.name}` : (this.publicEdge?.url ?? httpApi.url));
    const webhookSecrets = (this.webhookSecrets = new WebhookSecrets(this, 'WebhookSecrets'));
    const smsInbound = (this.smsInbound = new SmsInboundTopic(this, 'SmsInbound', { topicName: names.topicName('sms-inbound') }));
    const outbound = (this.outbound = new OutboundDelivery(this, 'Outbound', { subscription: QUEUE_CONSUMERS[0]! }));

    // Named support leads: Cognito, its hosted UI on a prefix of the stage's name, the dashboard as the way back.
    const dashboardUrls = [...new Set([`${publicBaseUrl}/dashboard`, `${httpApi.url}/dashboard`])];
    const leads = (this.leads = new LeadIdentities(this, 'LeadIdentities', { domainPrefix: `${names.prefix}-leads`, dashboardUrls }));
    const endpoints = leads.loginEndpoints();
    const login = {
      [ENV.authIssuer]: endpoints.issuer,
      [ENV.authClientId]: endpoints.clientId,
      [ENV.authAuthorizationEndpoint]: endpoints.authorizationEndpoint,
      [ENV.authTokenEndpoint]: endpoints.tokenEndpoint,
      [ENV.authEndSessionEndpoint]: endpoints.endSessionEndpoint,
    };

    // Configuration per function: only what its handler reads (names from ENV in functions/manifest.ts).
    // Every function with the table hashes contacts in keys (and quarantine refs): the key of the contact hashes goes with it.
    const table = { [ENV.tableName]: data.surveyTable.tableName, [ENV.contactHashKeyArn]: data.contactHashKey.secretArn };
    // The brand of the settings file, for the functions that render customer texts (BRAND_NAME was not settable on AWS).
    const brand = { [ENV.brandName]: props.surveysSettings.settings.brand };
    // Alert settings left unset take the documented defaults (README "Alerts"); the dashboard link is built from the base URL.
    const alertSettings = props.alertSettings ?? {};
    const alerting = { ...table, [ENV.alertsTopicArn]: data.alerts.topic.topicArn, [ENV.publicBaseUrl]: publicBaseUrl, ...alertSettings };
    const withBrand = (fn: FunctionName, e: Record<string, string>) =>
      ['sendDue', 'sendDueSms', 'respond', 'unsubscribe', 'shortLink'].includes(fn) ? { ...e, ...brand } : e;
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
      sendDueSms: { ...table, [ENV.publicBaseUrl]: publicBaseUrl, [ENV.linkSecretArn]: data.linkSecret.secretArn }, // short links, signed tokens
      respond: { ...table, [ENV.publicBaseUrl]: publicBaseUrl, [ENV.linkSecretArn]: data.linkSecret.secretArn },
      privacyApi: table,
      aggregateScores: table,
      raiseAlerts: alerting,
      classifyComments: table,
      readApi: table,
      dashboard: login, // serves files and the public login settings only: no table, no secret
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
      // Outbound endpoints: the API stores connections, the emitter queues jobs (alert links need the dashboard), the deliverer posts.
      endpointsApi: { ...table, [ENV.outboundSecretPrefix]: outbound.secretPrefix },
      emitOutbound: { ...table, [ENV.outboundQueueUrl]: outbound.queue.queueUrl, [ENV.publicBaseUrl]: publicBaseUrl, ...alertSettings },
      deliverOutbound: {
        ...table,
        [ENV.outboundQueueUrl]: outbound.queue.queueUrl,
        [ENV.outboundDlqUrl]: outbound.deadLetters.queue.queueUrl,
        [ENV.outboundSecretPrefix]: outbound.secretPrefix,
        [ENV.publicBaseUrl]: publicBaseUrl,
        ...alertSettings, // the leads' language
      },
      countFunnel: table,
      funnelApi: table,
      // A replay runs the webhook check and the trigger again: the table and the webhook secrets, like webhooks.
      quarantineApi: {
        ...table,
        [ENV.shopifyWebhookSecretArn]: webhookSecrets.shopify.secretArn,
        [ENV.zendeskWebhookSecretArn]: webhookSecrets.zendesk.secretArn,
      },
    };

    // Validated at synth (infra/deploy-parameters.ts); bundled into each function, not passed as environment.
    const settingsJson = JSON.stringify(props.surveysSettings.settings);
    const fns = (this.functions = mapFunctions(
      (name, { entry, description }) =>
        new HouseFunction(this, name, {
          entry,
          description,
          // Business metrics land in the stage's own namespace (functions/shared/metrics.ts).
          environment: { ...withBrand(name, environment[name]), [METRICS_NAMESPACE_ENV]: names.prefix },
          surveysSettingsJson: settingsJson,
          ...SIZING[name],
          tracing: !UNTRACED.includes(name),
          reservedConcurrentExecutions: RESERVED_CONCURRENCY[name],
          ...(name === 'dashboard' ? { copyFiles: DASHBOARD_BUNDLE_FILES } : {}),
        }),
    ));

    // Permissions per function: least privilege, read this as the access matrix.
    data.surveyTable.grantReadWriteItems(fns.ingestEvents);
    data.surveyTable.grantReadWriteItems(fns.triggerSurvey);
    data.surveyTable.grantReadWriteItems(fns.sendDue);
    email.grantSend(fns.sendDue); // SES only: SMS is sendDueSms's
    data.linkSecret.grantRead(fns.sendDue);
    data.surveyTable.grantReadWriteItems(fns.sendDueSms);
    grantSmsToPhoneNumbers(fns.sendDueSms); // SNS to phone numbers only: e-mail is sendDue's
    data.linkSecret.grantRead(fns.sendDueSms);
    data.surveyTable.grantReadWriteItems(fns.respond);
    data.linkSecret.grantRead(fns.respond);
    data.surveyTable.grantReadWriteItems(fns.privacyApi); // erasure: queries and deletes, no Scan
    data.surveyTable.grantReadWriteItems(fns.aggregateScores);
    data.surveyTable.grantReadWriteItems(fns.raiseAlerts);
    data.alerts.grantPublish(fns.raiseAlerts);
    data.surveyTable.grantReadWriteItems(fns.classifyComments); // stores topics and sentiment on the response
    data.surveyTable.grantReadWriteItems(fns.trackHealth);
    data.alerts.grantPublish(fns.trackHealth);
    data.surveyTable.grantReadWriteItems(fns.alertSweep);
    data.alerts.grantPublish(fns.alertSweep);
    data.surveyTable.grantReadWriteItems(fns.alertsApi); // acknowledge and resolve write the alert
    data.surveyTable.grantReadItems(fns.readApi);
    data.surveyTable.grantReadWriteItems(fns.webhooks); // triggers and cancellations, like triggerSurvey
    webhookSecrets.grantRead(fns.webhooks);
    data.surveyTable.grantReadWriteItems(fns.smsInbound); // answers, comments, suppression of a STOP
    data.linkSecret.grantRead(fns.smsInbound);
    data.surveyTable.grantReadWriteItems(fns.emailFeedback); // suppression list, bounced invitations
    data.surveyTable.grantReadWriteItems(fns.unsubscribe); // suppression list
    data.linkSecret.grantRead(fns.unsubscribe);
    data.surveyTable.grantReadItems(fns.shortLink); // a redirect writes nothing
    data.linkSecret.grantRead(fns.shortLink);
    data.surveyTable.grantReadWriteItems(fns.endpointsApi); // endpoints; deliveries are read
    outbound.grantManageSecrets(fns.endpointsApi);
    data.surveyTable.grantReadWriteItems(fns.emitOutbound); // reads endpoints and profiles, notes deliveries pending
    outbound.grantEnqueue(fns.emitOutbound);
    data.surveyTable.grantReadWriteItems(fns.deliverOutbound); // delivery records, the Zendesk ticket on its alert
    outbound.connectDeliverer(fns.deliverOutbound);
    data.surveyTable.grantReadWriteItems(fns.countFunnel); // funnel pages
    data.surveyTable.grantReadItems(fns.funnelApi);
    data.surveyTable.grantReadWriteItems(fns.quarantineApi); // a replay triggers surveys and records its outcome
    webhookSecrets.grantRead(fns.quarantineApi);
    for (const [name, fn] of Object.entries(fns)) if (environment[name as FunctionName][ENV.contactHashKeyArn]) data.contactHashKey.grantRead(fn);

    // Triggers.
    this.commerceEvents = new CommerceEventRouting(this, 'CommerceEvents', {
      bus: data.bus,
      detailTypes: [...SURVEY_TRIGGERS, ...CANCELLING_EVENTS],
      target: fns.triggerSurvey.fn,
    });

    const sweeps: Partial<Record<FunctionName, SweepSchedule>> = {};
    for (const schedule of SCHEDULES) {
      sweeps[schedule.fn] = new SweepSchedule(this, `${schedule.fn}Schedule`, {
        fn: fns[schedule.fn].fn,
        everyMinutes: schedule.everyMinutes,
        description: schedule.description,
      });
    }
    this.sweeps = sweeps;

    const consumers: Partial<Record<FunctionName, StreamConsumer>> = {};
    for (const subscription of STREAM_CONSUMERS) {
      consumers[subscription.fn] = new StreamConsumer(this, `${subscription.fn}Stream`, {
        table: data.surveyTable.table,
        consumer: fns[subscription.fn].fn,
        filterPattern: subscription.filter, // e.g. final responses only: the aggregator's own writes never trigger it
        needsShardId: subscription.needsShardId,
        batching: subscription.batching,
      });
    }
    this.streamConsumers = consumers;

    httpApi.addRoutes(
      HTTP_ROUTES,
      mapFunctions((name) => fns[name].fn),
      { jwtAuthorizer: leads.authorizer() },
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

    // Watch and tell: alarms on everything above, every alarm (dead-letter queues' too) to the operations topic.
    const fnsByName = mapFunctions((name) => fns[name].fn);
    const operations = (this.operations = new OperationsAlarms(this, 'Operations', {
      prefix: names.prefix,
      topicName: names.topicName('operations'),
      operationsEmail: props.operationsEmail,
      functions: fnsByName,
      streamConsumers: STREAM_CONSUMERS.map((c) => c.fn),
      sweeps: SCHEDULES.map((s) => s.fn),
      api: httpApi.api,
      table: data.surveyTable.table,
      metricsNamespace: names.prefix,
      smsMonthlySpendLimitUsd: props.smsMonthlySpendLimitUsd,
    }));
    this.operationsDashboard = new OperationsDashboard(this, 'OperationsDashboard', {
      dashboardName: names.dashboardName,
      metricsNamespace: names.prefix,
      alarms: operations,
      // Every other alarm of the stack (each DLQ's, outbound jobs stuck, any added later), as the actions aspect finds them.
      otherAlarms: this.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm && !operations.owns(c)),
    });

    new CfnOutput(this, 'OperationsTopicArn', { value: operations.topic.topicArn, description: 'Every alarm and its return to OK: subscribe on-call here' });
    new CfnOutput(this, 'OperationsDashboardName', { value: names.dashboardName });
    if (this.customDomain)
      new CfnOutput(this, 'LinkDomainTarget', { value: this.customDomain.target, description: `Point ${props.customDomainName} here (CNAME or alias)` });
    if (this.publicEdge)
      new CfnOutput(this, 'EdgeDomainName', {
        value: this.publicEdge.distribution.distributionDomainName,
        description: 'CloudFront (with WAF) in front of the API; point the custom domain here',
      });
    new CfnOutput(this, 'ApiUrl', { value: httpApi.url, description: 'HTTP API base URL' });
    new CfnOutput(this, 'DashboardUrl', { value: `${httpApi.url}/dashboard`, description: "Support leads' dashboard (sign in on the hosted UI)" });
    new CfnOutput(this, 'LeadsUserPoolId', { value: leads.userPool.userPoolId, description: 'Invite leads here, put them in the viewer, lead or admin group' });
    new CfnOutput(this, 'DashboardClientId', { value: endpoints.clientId, description: "The dashboard's public client (authorization code + PKCE)" });
    new CfnOutput(this, 'LoginIssuer', { value: endpoints.issuer, description: 'OpenID Connect issuer of the leads (JWT authorizer)' });
    new CfnOutput(this, 'LoginDomain', { value: leads.domain.baseUrl(), description: 'Hosted UI: /oauth2/authorize, /oauth2/token, /logout' });
    new CfnOutput(this, 'IntegrationsClientId', {
      value: leads.integrationsClient.userPoolClientId,
      description: 'Client-credentials client (ankieta/read, ankieta/write); its secret: aws cognito-idp describe-user-pool-client',
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
