import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, HTTP_ROUTES, SCHEDULES, STREAM_CONSUMERS, type FunctionName } from '../../functions/manifest.ts';
import { BUSINESS_METRICS } from '../../functions/shared/metric-names.ts';
import { THRESHOLDS } from '../../infra/constructs/operations-alarms.ts';
import { PUBLIC_ROUTE_THROTTLE } from '../../infra/constructs/survey-http-api.ts';
import { WAF_EVALUATION_WINDOW_SECONDS } from '../../infra/constructs/web-acl.ts';
import { logicalId, synthesize } from './synth.ts';

const CERTIFICATE_EU = 'arn:aws:acm:eu-central-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const CERTIFICATE_US = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/ankieta-public-routes/12345678-1234-1234-1234-123456789012';

// A second stage with every operations parameter and its own link domain (API Gateway custom domain).
const staged = synthesize({
  context: {
    senderEmail: 'surveys@shop.example',
    stage: 'brandb',
    operationsEmail: 'oncall@shop.example',
    smsMonthlySpendLimitUsd: '20',
    customDomainName: 'go.shop.example',
    certificateArn: CERTIFICATE_EU,
  },
});
// The WAF option: its us-east-1 stack, and CloudFront with the web ACL (and the domain) in front of the API.
const withWaf = synthesize({
  context: { wafRateLimit: '300', webAclArn: WEB_ACL, customDomainName: 'go.shop.example', certificateArn: CERTIFICATE_US },
});
afterAll(() => {
  staged.cleanUp();
  withWaf.cleanUp();
});

const { template, stack } = staged;
const topicRef = () => ({ Ref: logicalId(stack.operations.topic) });
const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Record<string, any>);
const alarmNamed = (suffix: string) => {
  const found = alarms().find((a) => a.AlarmName === `ankieta-brandb-${suffix}`);
  if (!found) throw new Error(`no alarm ankieta-brandb-${suffix}`);
  return found;
};
const fnEnv = (name: FunctionName) => template.toJSON().Resources[logicalId(stack.functions[name].fn)].Properties.Environment.Variables;

describe('operations topic and alarms', () => {
  it('Should give every alarm of the stack the operations topic as alarm and OK action', () => {
    // Act
    const all = alarms();

    // Assess: dead-letter queue alarms, made outside the operations construct, included.
    expect(all.length).toBeGreaterThan(50);
    for (const alarm of all) {
      expect(alarm.AlarmActions).toEqual([topicRef()]);
      expect(alarm.OKActions).toEqual([topicRef()]);
    }
  });

  it('Should encrypt the topic with a rotated key CloudWatch of this account may use, and subscribe the operations e-mail', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'ankieta-brandb-operations',
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(stack.operations.topic.masterKey!), 'Arn'] },
    });
    const key = template.toJSON().Resources[logicalId(stack.operations.topic.masterKey!)];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Sid: 'CloudWatchPublishesAlarms', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
    );
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@shop.example', TopicArn: topicRef() });
  });

  it.each(Object.keys(FUNCTIONS) as FunctionName[])('Should alarm on errors and throttles of %s', (name) => {
    // Assess
    expect(alarmNamed(`${name}-errors`)).toMatchObject({ MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: THRESHOLDS.functionErrors });
    expect(alarmNamed(`${name}-throttles`)).toMatchObject({ MetricName: 'Throttles', Threshold: THRESHOLDS.functionThrottles });
  });

  it.each(STREAM_CONSUMERS.map((c) => c.fn))('Should alarm when %s falls 5 minutes behind the stream', (name) => {
    // Assess
    expect(alarmNamed(`${name}-iterator-age`)).toMatchObject({
      MetricName: 'IteratorAge',
      Statistic: 'Maximum',
      Threshold: THRESHOLDS.iteratorAgeMs,
      EvaluationPeriods: 5,
    });
  });

  it.each(SCHEDULES.map((s) => s.fn))('Should alarm when %s stops running, counting silence as breaching', (name) => {
    // Assess
    expect(alarmNamed(`${name}-not-running`)).toMatchObject({
      MetricName: 'Invocations',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
  });

  it('Should watch the business metrics for late invitations and quarantined input in the stage namespace', () => {
    // Assess
    expect(alarmNamed('oldest-due-invitation')).toMatchObject({
      Namespace: 'ankieta-brandb',
      MetricName: BUSINESS_METRICS.oldestDueAge.name,
      Threshold: THRESHOLDS.oldestDueAgeSeconds,
    });
    expect(alarmNamed('quarantined-input')).toMatchObject({
      Namespace: 'ankieta-brandb',
      MetricName: BUSINESS_METRICS.quarantined.name,
      Period: 3600,
      Threshold: THRESHOLDS.quarantinedPerHour,
    });
    expect(fnEnv('ingestEvents').POWERTOOLS_METRICS_NAMESPACE).toBe('ankieta-brandb');
  });

  it('Should warn on SES reputation well before AWS reviews the account (5 % bounces, 0.1 % complaints)', () => {
    // Assess
    expect(alarmNamed('ses-bounce-rate')).toMatchObject({ Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate', Threshold: 0.02 });
    expect(alarmNamed('ses-complaint-rate')).toMatchObject({ MetricName: 'Reputation.ComplaintRate', Threshold: 0.0005 });
    expect(THRESHOLDS.sesBounceRate).toBeLessThan(0.05);
    expect(THRESHOLDS.sesComplaintRate).toBeLessThan(0.001);
  });

  it('Should alarm at 80 % of the SMS spending limit given as a deploy parameter', () => {
    // Assess
    expect(alarmNamed('sms-spend')).toMatchObject({ Namespace: 'AWS/SNS', MetricName: 'SMSMonthToDateSpentUSD', Threshold: 16 });
  });

  it('Should alarm on the API 5xx share, its p95 latency and DynamoDB throttling', () => {
    // Assess
    const errors = alarmNamed('api-5xx');
    expect(errors.Threshold).toBe(THRESHOLDS.api5xxPercent);
    expect(JSON.stringify(errors.Metrics)).toContain('5xx');
    expect(alarmNamed('api-latency')).toMatchObject({ MetricName: 'Latency', ExtendedStatistic: 'p95', Threshold: THRESHOLDS.apiLatencyP95Ms });
    const throttles = JSON.stringify(alarmNamed('table-throttles').Metrics);
    expect(throttles).toContain('ReadThrottleEvents');
    expect(throttles).toContain('WriteThrottleEvents');
  });
});

describe('operations dashboard', () => {
  it('Should show every business metric next to the state of every alarm', () => {
    // Act
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]!;
    const body = JSON.stringify(dashboard.Properties.DashboardBody);

    // Assess
    expect(dashboard.Properties.DashboardName).toBe('ankieta-brandb-operations');
    for (const metric of Object.values(BUSINESS_METRICS)) expect(body).toContain(metric.name);
    expect(body).toContain('Health alarms');
    for (const alarmId of Object.keys(template.findResources('AWS::CloudWatch::Alarm'))) expect(body).toContain(`"Fn::GetAtt":["${alarmId}","Arn"]`);
    expect(body).toContain('answers per 100 sent');
  });
});

describe('stage naming', () => {
  it('Should derive the stack, bus, table, topic and API names from the stage', () => {
    // Assess
    expect(stack.stackName).toBe('Ankieta-brandb');
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'ankieta-brandb' });
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'ankieta-brandb-surveys' });
    for (const topic of ['alerts', 'operations', 'email-feedback', 'sms-inbound'])
      template.hasResourceProperties('AWS::SNS::Topic', { TopicName: `ankieta-brandb-${topic}` });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'ankieta-brandb' });
  });
});

describe('link domain', () => {
  it('Should map the custom domain to the stage with its certificate and TLS 1.2, and build links on it', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'go.shop.example',
      DomainNameConfigurations: [{ CertificateArn: CERTIFICATE_EU, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: { Ref: logicalId(stack.httpApi.api) },
      DomainName: { Ref: logicalId(stack.customDomain!.domainName) },
    });
    for (const name of ['sendDue', 'sendDueSms', 'respond', 'shortLink'] as const) expect(fnEnv(name).PUBLIC_BASE_URL).toBe('https://go.shop.example');
    template.hasOutput('LinkDomainTarget', {});
  });
});

describe('WAF option', () => {
  it('Should put a CloudFront-scope web ACL in us-east-1 that rate-limits each address on the public routes only', () => {
    // Prepare
    const artifact = wafArtifact();
    const waf = Template.fromJSON(artifact.template);

    // Act
    const acl = Object.values(waf.findResources('AWS::WAFv2::WebACL'))[0]!.Properties;
    const rule = acl.Rules[0].Statement.RateBasedStatement;

    // Assess
    expect(artifact.environment.region).toBe('us-east-1');
    expect(acl).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    expect(acl.Rules[0].Action).toEqual({ Block: {} });
    expect(rule).toMatchObject({ Limit: 300, AggregateKeyType: 'IP', EvaluationWindowSec: WAF_EVALUATION_WINDOW_SECONDS });
    const prefixes = rule.ScopeDownStatement.OrStatement.Statements.map((s: any) => s.ByteMatchStatement.SearchString);
    expect(prefixes.sort()).toEqual(
      Object.values(PUBLIC_ROUTE_THROTTLE)
        .map((g) => g.prefix)
        .sort(),
    );
    for (const route of HTTP_ROUTES.filter((r) => r.auth === 'public')) expect(prefixes.some((p: string) => route.path.startsWith(p))).toBe(true);
    expect(prefixes.some((p: string) => '/events'.startsWith(p) || '/api/scores'.startsWith(p))).toBe(false);
  });

  it('Should front the API with an uncached CloudFront distribution carrying the web ACL and the domain', () => {
    // Prepare
    const main = withWaf.template;

    // Act
    const distribution = Object.values(main.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;

    // Assess
    expect(distribution).toMatchObject({
      WebACLId: WEB_ACL,
      Aliases: ['go.shop.example'],
      ViewerCertificate: { AcmCertificateArn: CERTIFICATE_US, MinimumProtocolVersion: 'TLSv1.2_2021' },
      DefaultCacheBehavior: { CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', AllowedMethods: expect.arrayContaining(['POST']) },
    });
    main.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0); // the domain is CloudFront's
    const respondEnv = main.toJSON().Resources[logicalId(withWaf.stack.functions.respond.fn)].Properties.Environment.Variables;
    expect(respondEnv.PUBLIC_BASE_URL).toBe('https://go.shop.example');
  });

  it('Should create neither the WAF stack nor CloudFront without the WAF parameters', () => {
    // Assess
    expect(staged.assembly.stacks.map((s) => s.stackName)).toEqual(['Ankieta-brandb']);
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
  });
});

function wafArtifact() {
  const found = withWaf.assembly.stacks.find((s) => s.stackName === 'AnkietaWaf');
  if (!found) throw new Error('no WAF stack');
  return found;
}
