import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV, FUNCTIONS, HTTP_ROUTES, PAGE_WINDOW_SECONDS, SCHEDULES, STREAM_BATCHING, STREAM_CONSUMERS, type FunctionName } from '../../functions/manifest.ts';
import { PUBLIC_ROUTE_THROTTLE, publicRouteGroup, STAGE_THROTTLE } from '../../infra/constructs/survey-http-api.ts';
import { CANCELLING_EVENTS, SURVEY_TRIGGERS, UNTRACED } from '../../infra/survey-pipeline-stack.ts';
import { SURVEY_TABLE } from '../../functions/adapters/dynamodb/table/definition.ts';
import {
  COMMERCE_EVENT_FILTER,
  DETRACTOR_RESPONSE_FILTER,
  FINAL_RESPONSE_FILTER,
  LIVE_RESPONSE_FILTER,
} from '../../functions/adapters/dynamodb/table/filters.ts';
import { DEFAULT_CATALOGUE } from '../../surveys/catalogue.ts';
import { DASHBOARD_ASSETS } from '../../functions/dashboard/assets.ts';
import { logicalId, synthesize } from './synth.ts';

// One synthesis for the whole file, with real esbuild bundling: this is what `cdk deploy` uploads.
const synth = synthesize({ bundle: true, context: { senderEmail: 'surveys@shop.example' } });
const { template, stack } = synth;
afterAll(() => synth.cleanUp());

const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];
const fnId = (name: FunctionName) => logicalId(stack.functions[name].fn);
/** Functions that never touch the table: the dashboard's files. */
const NO_TABLE: FunctionName[] = ['dashboard'];
const tableId = () => logicalId(stack.data.surveyTable.table);

function functionResource(name: FunctionName): { Properties: Record<string, any> } {
  return template.toJSON().Resources[fnId(name)];
}

describe('survey table', () => {
  it('Should take keys, indexes, TTL and stream view from SURVEY_TABLE', () => {
    // Prepare
    const key = (name: string, type: string) => ({ AttributeName: name, KeyType: type });

    // Assess
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [key(SURVEY_TABLE.partitionKey.name, 'HASH'), key(SURVEY_TABLE.sortKey.name, 'RANGE')],
      GlobalSecondaryIndexes: SURVEY_TABLE.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [key(index.partitionKey.name, 'HASH'), key(index.sortKey.name, 'RANGE')],
        Projection: { ProjectionType: index.projection, ...('nonKeyAttributes' in index ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}) },
      })),
      AttributeDefinitions: Match.arrayWith(
        [SURVEY_TABLE.partitionKey, SURVEY_TABLE.sortKey, ...SURVEY_TABLE.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey])].map((k) => ({
          AttributeName: k.name,
          AttributeType: k.type,
        })),
      ),
      StreamSpecification: { StreamViewType: SURVEY_TABLE.streamViewType },
      TimeToLiveSpecification: { AttributeName: SURVEY_TABLE.timeToLiveAttribute, Enabled: true },
    });
  });

  it('Should be on-demand, encrypted with the AWS-managed key, recoverable and protected from deletion', () => {
    // Assess
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() }, // KMS with the aws/dynamodb key
        DeletionProtectionEnabled: true,
      },
    });
  });
});

describe('stream consumers', () => {
  describe.each(['aggregateScores', 'raiseAlerts', 'trackHealth'] as const)('%s', (name) => {
    const mapping = () => {
      const mappings = template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: { Ref: fnId(name) } } });
      expect(Object.keys(mappings)).toHaveLength(1);
      return Object.values(mappings)[0] as { Properties: Record<string, any> };
    };

    it("Should read the table stream from the trim horizon in the manifest's batches, one batch per shard at a time", () => {
      // Act
      const { Properties } = mapping();
      const batching = STREAM_CONSUMERS.find((c) => c.fn === name)?.batching ?? STREAM_BATCHING;

      // Assess
      expect(Properties.EventSourceArn).toEqual({ 'Fn::GetAtt': [tableId(), 'StreamArn'] });
      expect(Properties).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: batching.batchSize,
        MaximumBatchingWindowInSeconds: batching.windowSeconds,
        ParallelizationFactor: 1,
      });
    });

    it('Should only receive what it handles: final responses (live ones for alerts and health, and for trackHealth new commerce event items)', () => {
      // Act
      const filters = mapping().Properties.FilterCriteria.Filters as { Pattern: string }[];

      // Assess
      const expected = {
        aggregateScores: [FINAL_RESPONSE_FILTER],
        raiseAlerts: [DETRACTOR_RESPONSE_FILTER],
        trackHealth: [LIVE_RESPONSE_FILTER, COMMERCE_EVENT_FILTER],
      }[name];
      expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual(expected);
    });

    it('Should bisect failing batches, report item failures, retry 10 times within a day, then dead-letter', () => {
      // Act
      const { Properties } = mapping();
      const queueId = logicalId(stack.streamConsumers[name]!.deadLetters.queue);

      // Assess
      expect(Properties).toMatchObject({
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 10,
        MaximumRecordAgeInSeconds: 86_400,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
    });

    it('Should get the shard id in its events only where the aggregator needs it (tumbling window)', () => {
      // Act
      const { Properties } = mapping();

      // Assess
      expect(Properties.TumblingWindowInSeconds).toBe(name === 'aggregateScores' ? PAGE_WINDOW_SECONDS : undefined);
      expect(Properties.ParallelizationFactor ?? 1).toBe(1);
    });
  });
});

describe('functions', () => {
  it('Should create exactly one function per FUNCTIONS entry', () => {
    // Assess
    template.resourceCountIs('AWS::Lambda::Function', FUNCTION_NAMES.length);
  });

  describe.each(FUNCTION_NAMES)('%s', (name) => {
    it(`Should run on Node.js 24 on arm64 ${UNTRACED.includes(name) ? 'untraced' : 'with active tracing'} and its own log group`, () => {
      // Act
      const { Properties } = functionResource(name);

      // Assess
      expect(Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: logicalId(stack.functions[name].logGroup) } },
        Description: FUNCTIONS[name].description,
      });
      expect(Properties.TracingConfig).toEqual(UNTRACED.includes(name) ? undefined : { Mode: 'Active' });
      expect(Properties.Environment.Variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'ankieta',
        POWERTOOLS_METRICS_NAMESPACE: 'ankieta',
      });
    });

    it(`Should ${NO_TABLE.includes(name) ? 'not ' : ''}pass the table name`, () => {
      // Assess
      expect(functionResource(name).Properties.Environment.Variables[ENV.tableName]).toEqual(NO_TABLE.includes(name) ? undefined : { Ref: tableId() });
    });
  });

  it('Should give log groups a retention', () => {
    // Assess
    for (const logGroup of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('Should configure sendDue for SES, links and the link secret', () => {
    // Act
    const variables = functionResource('sendDue').Properties.Environment.Variables;

    // Assess
    expect(variables).toMatchObject({
      [ENV.senderEmail]: 'surveys@shop.example',
      [ENV.sesConfigurationSet]: { Ref: logicalId(stack.email.configurationSet) },
      [ENV.publicBaseUrl]: { 'Fn::GetAtt': [logicalId(stack.httpApi.api), 'ApiEndpoint'] },
      [ENV.linkSecretArn]: { Ref: logicalId(stack.data.linkSecret) },
    });
  });

  it('Should configure sendDueSms for short links and the link secret, and for no e-mail sending', () => {
    // Act
    const variables = functionResource('sendDueSms').Properties.Environment.Variables;

    // Assess
    expect(variables).toMatchObject({
      [ENV.publicBaseUrl]: { 'Fn::GetAtt': [logicalId(stack.httpApi.api), 'ApiEndpoint'] },
      [ENV.linkSecretArn]: { Ref: logicalId(stack.data.linkSecret) },
    });
    expect(variables[ENV.senderEmail]).toBeUndefined();
    expect(variables[ENV.sesConfigurationSet]).toBeUndefined();
  });

  it("Should give the erasure function the table name, the hash key and the audit retention, behind IAM for integrations and a signed-in admin on the dashboard's route", () => {
    // Act
    const variables = functionResource('privacyApi').Properties.Environment.Variables;
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((r) => /erase|erasure/.test(r.Properties.RouteKey));

    // Assess
    expect(Object.keys(variables).filter((k) => !k.startsWith('POWERTOOLS') && !k.startsWith('NODE_') && !k.startsWith('AWS_'))).toEqual([
      ENV.tableName,
      ENV.contactHashKeyArn,
    ]);
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(['POST /api/admin/erasure', 'POST /api/customers/{id}/erase', 'POST /api/erasure']);
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe(route.Properties.RouteKey.includes('/admin/') ? 'JWT' : 'AWS_IAM');
  });

  it('Should configure respond with the link secret and the public base URL, and raiseAlerts with the alerts topic', () => {
    // Act
    const respond = functionResource('respond').Properties.Environment.Variables;
    const raiseAlerts = functionResource('raiseAlerts').Properties.Environment.Variables;

    // Assess
    expect(respond).toMatchObject({
      [ENV.linkSecretArn]: { Ref: logicalId(stack.data.linkSecret) },
      [ENV.publicBaseUrl]: { 'Fn::GetAtt': [logicalId(stack.httpApi.api), 'ApiEndpoint'] },
    });
    expect(raiseAlerts[ENV.alertsTopicArn]).toEqual({ Ref: logicalId(stack.data.alerts.topic) });
  });

  it.each(['raiseAlerts', 'trackHealth', 'alertSweep'] as const)('Should give %s the alerts topic and the base URL of dashboard links', (name) => {
    // Act
    const variables = functionResource(name).Properties.Environment.Variables;

    // Assess
    expect(variables).toMatchObject({
      [ENV.alertsTopicArn]: { Ref: logicalId(stack.data.alerts.topic) },
      [ENV.publicBaseUrl]: { 'Fn::GetAtt': [logicalId(stack.httpApi.api), 'ApiEndpoint'] },
    });
  });

  it('Should bundle every handler as minified ESM with a require shim and the AWS SDK inside', () => {
    // Prepare
    const assets = readdirSync(synth.outdir).filter((entry) => entry.startsWith('asset.'));

    // Act
    const bundles = assets.map((asset) => readFileSync(join(synth.outdir, asset, 'index.mjs'), 'utf8'));

    // Assess
    expect(bundles).toHaveLength(FUNCTION_NAMES.length);
    for (const bundle of bundles) {
      expect(bundle.startsWith("import { createRequire as __ankietaCreateRequire } from 'node:module';")).toBe(true);
      expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//); // no runtime-provided SDK
      expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    }
  });
});

describe("dashboard and the support leads' key", () => {
  it("Should ship the dashboard's scripts, styles and uPlot beside its bundle", () => {
    // Prepare
    const code = functionResource('dashboard').Properties.Code as { S3Key: string };
    const asset = readdirSync(synth.outdir).find((entry) => entry.startsWith('asset.') && code.S3Key.startsWith(entry.slice('asset.'.length)));

    // Act
    const files = readdirSync(join(synth.outdir, asset!, 'assets')).sort();

    // Assess
    expect(files).toEqual(Object.keys(DASHBOARD_ASSETS).sort());
  });

  it('Should put every read route of support leads behind the JWT authorizer, and nothing a survey taker opens', () => {
    // Assess
    const signedIn = HTTP_ROUTES.filter((r) => r.auth === 'jwt').map((r) => r.path);
    expect(signedIn).toEqual(expect.arrayContaining(['/api/scores', '/api/scores/daily', '/api/export/scores', '/api/export/responses']));
    for (const path of signedIn) expect(path.startsWith('/api/')).toBe(true);
  });
});

describe('commerce events', () => {
  it('Should create the custom bus "ankieta"', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'ankieta' });
  });

  it('Should route every event type of the survey catalogue', () => {
    // Assess
    for (const survey of DEFAULT_CATALOGUE) expect(SURVEY_TRIGGERS).toContain(survey.eventType);
  });

  it.each([...SURVEY_TRIGGERS, ...CANCELLING_EVENTS])('Should send %s events to triggerSurvey with bounded retries and a dead-letter queue', (detailType) => {
    // Act
    const rules = template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { 'detail-type': [detailType] } } });

    // Assess
    expect(Object.keys(rules)).toHaveLength(1);
    expect(Object.values(rules)[0]!.Properties).toMatchObject({
      EventBusName: { Ref: logicalId(stack.data.bus) },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [fnId('triggerSurvey'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(stack.commerceEvents.deliveryFailures.queue), 'Arn'] } },
        },
      ],
    });
  });

  it('Should send events triggerSurvey failed on to a failure destination', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId('triggerSurvey') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack.commerceEvents.processingFailures.queue), 'Arn'] } } },
    });
  });

  it.each(['sendDue', 'sendDueSms', 'alertSweep'] as const)('Should run %s every minute, retry delivery and the run briefly, then dead-letter', (name) => {
    // Prepare
    const failures = { 'Fn::GetAtt': [logicalId(stack.sweeps[name]!.failures.queue), 'Arn'] };

    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [fnId(name), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: { Arn: failures },
        },
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId(name) },
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 120,
      DestinationConfig: { OnFailure: { Destination: failures } },
    });
  });

  it('Should reserve one concurrent run for each sweep and for no other function', () => {
    // Act
    const reserved = FUNCTION_NAMES.filter((name) => functionResource(name).Properties.ReservedConcurrentExecutions !== undefined);

    // Assess
    expect(reserved.sort()).toEqual(['alertSweep', 'sendDue', 'sendDueSms']);
    for (const name of reserved) expect(functionResource(name).Properties.ReservedConcurrentExecutions).toBe(1);
  });
});

describe('SNS-fed functions', () => {
  it.each([
    ['smsInbound', () => stack.smsInbound.topic],
    ['emailFeedback', () => stack.email.feedbackTopic],
  ] as const)('Should subscribe %s to its topic and keep what it failed on after two retries', (name, topic) => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: logicalId(topic()) },
      Endpoint: { 'Fn::GetAtt': [fnId(name), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId(name) },
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp(`${name === 'smsInbound' ? 'SmsInbound' : 'EmailFeedback'}SubscriptionFailures`), 'Arn'] },
        },
      },
    });
  });

  it('Should let only End User Messaging SMS of this account publish to the inbound SMS topic, encrypted with a key it may use', () => {
    // Prepare
    const topicId = logicalId(stack.smsInbound.topic);

    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'sms-voice.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]),
      },
    });
  });

  it('Should give the webhooks function both secret ARNs and no secret value', () => {
    // Act
    const variables = functionResource('webhooks').Properties.Environment.Variables;

    // Assess
    expect(variables).toMatchObject({
      [ENV.shopifyWebhookSecretArn]: { Ref: logicalId(stack.webhookSecrets.shopify) },
      [ENV.zendeskWebhookSecretArn]: { Ref: logicalId(stack.webhookSecrets.zendesk) },
    });
    expect(variables[ENV.shopifyWebhookSecret]).toBeUndefined();
    expect(variables[ENV.zendeskWebhookSecret]).toBeUndefined();
  });
});

describe('dead-letter queues', () => {
  it('Should encrypt every queue, refuse plain HTTP and alarm on the first waiting message', () => {
    // Prepare
    // The outbound delivery queue is a work queue, not a dead-letter queue: test/infra/outbound-delivery.test.ts checks it.
    const queueIds = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => id !== logicalId(stack.outbound.queue));

    // Assess
    expect(queueIds).toHaveLength(2 + STREAM_CONSUMERS.length + 2 + 1 + SCHEDULES.length); // 2 for commerce events, 1 per stream consumer, 1 per SNS-fed function, 1 for outbound deliveries, 1 per sweep
    for (const queueId of queueIds) {
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    }
  });
});

describe('HTTP API', () => {
  const routes = () =>
    Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties as { RouteKey: string; AuthorizationType?: string });

  it('Should create exactly the routes of HTTP_ROUTES', () => {
    // Assess
    expect(
      routes()
        .map((r) => r.RouteKey)
        .sort(),
    ).toEqual(HTTP_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it.each(HTTP_ROUTES.map((r) => [`${r.method} ${r.path}`, r.auth] as const))('Should authorize %s as %s', (routeKey, auth) => {
    // Act
    const route = routes().find((r) => r.RouteKey === routeKey);

    // Assess
    expect(route?.AuthorizationType ?? 'NONE').toBe({ iam: 'AWS_IAM', jwt: 'JWT', public: 'NONE' }[auth]);
  });

  it('Should send each route to the function the manifest names', () => {
    // Prepare
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const routeResources = template.findResources('AWS::ApiGatewayV2::Route');

    // Assess
    for (const route of HTTP_ROUTES) {
      const resource = Object.values(routeResources).find((r) => r.Properties.RouteKey === `${route.method} ${route.path}`)!;
      const integrationId = (resource.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
      expect(integrations[integrationId.Ref]!.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [fnId(route.fn), 'Arn'] });
    }
  });

  it('Should throttle the default stage and write access logs', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: STAGE_THROTTLE.rateLimit, ThrottlingBurstLimit: STAGE_THROTTLE.burstLimit },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalId(stack.httpApi.accessLogs), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.routeKey'),
      },
    });
  });

  it("Should throttle every public route with its group's limit below the stage, created after those routes", () => {
    // Prepare
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    const publicRoutes = HTTP_ROUTES.filter((r) => r.auth === 'public');
    const routeIds = Object.entries(template.findResources('AWS::ApiGatewayV2::Route'))
      .filter(([, r]) => publicRoutes.some((p) => `${p.method} ${p.path}` === r.Properties.RouteKey))
      .map(([id]) => id);

    // Act
    const settings = stage.Properties.RouteSettings as Record<string, unknown>;

    // Assess: each group has its own bucket, so a flood on one cannot starve POST /events or the leads' API.
    expect(Object.keys(settings).sort()).toEqual(publicRoutes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of publicRoutes) {
      const limit = PUBLIC_ROUTE_THROTTLE[publicRouteGroup(route)];
      expect(settings[`${route.method} ${route.path}`]).toEqual({ ThrottlingRateLimit: limit.rateLimit, ThrottlingBurstLimit: limit.burstLimit });
      expect(limit.rateLimit).toBeLessThan(STAGE_THROTTLE.rateLimit);
    }
    expect(new Set(publicRoutes.map(publicRouteGroup))).toEqual(new Set(['links', 'shortLinks', 'webhooks', 'unsubscribe', 'dashboard']));
    expect(routeIds).toHaveLength(publicRoutes.length);
    expect(stage.DependsOn).toEqual(expect.arrayContaining(routeIds)); // else "Unable to find Route by key" on the first deploy
  });

  it('Should refuse a public route that belongs to no throttle group', () => {
    // Act
    const act = () => publicRouteGroup({ method: 'GET', path: '/p/{id}', fn: 'respond', auth: 'public' });

    // Assess
    expect(act).toThrow(/GET \/p\/\{id\} belongs to no throttle group/);
  });

  it('Should keep survey tokens out of the access log', () => {
    // Act
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!;

    // Assess
    expect(stage.Properties.AccessLogSettings.Format).not.toContain('$context.path');
  });
});

describe('alerts and e-mail', () => {
  it('Should encrypt the alerts topic with the AWS-managed SNS key and refuse plain HTTP', () => {
    // Act
    const topic = template.toJSON().Resources[logicalId(stack.data.alerts.topic)];

    // Assess
    expect(JSON.stringify(topic.Properties.KmsMasterKeyId)).toMatch(/:alias\/aws\/sns"\]\]\}$/);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: logicalId(stack.data.alerts.topic) }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('Should create an SES configuration set with reputation metrics', () => {
    // Assess
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
    });
  });

  it('Should publish bounces, complaints and deliveries (the funnel) to an encrypted topic SES may write to', () => {
    // Prepare
    const topicId = logicalId(stack.email.feedbackTopic);

    // Assess
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: logicalId(stack.email.configurationSet) },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['bounce', 'complaint', 'delivery']),
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FeedbackTopicKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'ses.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: topicId } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'ses.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('Should generate a 64-character link secret without punctuation and keep it', () => {
    // Assess
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
    });
  });
});

describe('outputs', () => {
  it('Should output the API URL and the table name', () => {
    // Assess
    template.hasOutput('ApiUrl', { Value: { 'Fn::GetAtt': [logicalId(stack.httpApi.api), 'ApiEndpoint'] } });
    template.hasOutput('TableName', { Value: { Ref: tableId() } });
  });
});
