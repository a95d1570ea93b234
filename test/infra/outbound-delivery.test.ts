/** CDK assertions of outbound deliveries: queue, dead-letter queue, alarms, the functions' wiring (issue 14). */
import { afterAll, describe, expect, it } from 'vitest';
import { ENV, HTTP_ROUTES, QUEUE_CONSUMERS } from '../../functions/manifest.ts';
import { ALERT_CHANGE_FILTER, UNSUBSCRIBE_FILTER } from '../../functions/adapters/dynamodb/outbound-filters.ts';
import { LIVE_RESPONSE_FILTER } from '../../functions/adapters/dynamodb/table/filters.ts';
import { logicalId, synthesize } from './synth.ts';

const synth = synthesize({ context: { senderEmail: 'surveys@shop.example' } });
const { template, stack } = synth;
afterAll(() => synth.cleanUp());

const resources = () => template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const fnId = (name: 'endpointsApi' | 'emitOutbound' | 'deliverOutbound') => logicalId(stack.functions[name].fn);
const queueId = () => logicalId(stack.outbound.queue);
const dlqId = () => logicalId(stack.outbound.deadLetters.queue);

describe('the outbound delivery queue', () => {
  it('Should be encrypted, TLS-only, hide a batch six times the function timeout, and redrive to a dead-letter queue', () => {
    // Act
    const queue = resources()[queueId()]!.Properties;
    const policies = Object.values(resources()).filter((r) => r.Type === 'AWS::SQS::QueuePolicy' && JSON.stringify(r.Properties.Queues).includes(queueId()));

    // Assess
    const subscription = QUEUE_CONSUMERS[0]!;
    expect(queue).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: subscription.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] }, maxReceiveCount: subscription.maxReceiveCount },
    });
    expect(subscription.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * subscription.functionTimeoutSeconds);
    expect(JSON.stringify(policies)).toContain('aws:SecureTransport');
  });

  it('Should alarm on the first dead letter and on a job older than its retry schedule', () => {
    // Act
    const alarms = Object.values(resources()).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const onDlq = alarms.filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(dlqId()));
    const onQueue = alarms.filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(`"${queueId()}"`));

    // Assess
    expect(onDlq.map((a) => [a.Properties.MetricName, a.Properties.Threshold])).toEqual([['ApproximateNumberOfMessagesVisible', 0]]);
    expect(onQueue.map((a) => a.Properties.MetricName)).toEqual(['ApproximateAgeOfOldestMessage']);
    expect(onQueue[0]!.Properties.Threshold).toBeGreaterThan(13 * 3600);
  });

  it('Should feed deliverOutbound in batches of 10 with item failures reported, at bounded concurrency', () => {
    // Act
    const mappings = Object.values(resources()).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.FunctionName?.Ref === fnId('deliverOutbound'),
    );

    // Assess
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });
});

describe('the outbound functions', () => {
  it('Should subscribe emitOutbound to live (not imported) final responses, alert changes and unsubscribes of the table stream', () => {
    // Act
    const mapping = Object.values(resources()).find(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.FunctionName?.Ref === fnId('emitOutbound'),
    )!;

    // Assess
    const filters = (mapping.Properties.FilterCriteria.Filters as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern));
    expect(filters).toEqual([LIVE_RESPONSE_FILTER, ALERT_CHANGE_FILTER, UNSUBSCRIBE_FILTER]);
  });

  it('Should give each function only the queue URLs and secret prefix it uses', () => {
    // Act
    const envOf = (name: 'endpointsApi' | 'emitOutbound' | 'deliverOutbound') =>
      resources()[fnId(name)]!.Properties.Environment.Variables as Record<string, unknown>;

    // Assess
    expect(Object.keys(envOf('endpointsApi'))).toContain(ENV.outboundSecretPrefix);
    expect(Object.keys(envOf('endpointsApi'))).not.toContain(ENV.outboundQueueUrl);
    expect(envOf('emitOutbound')[ENV.outboundQueueUrl]).toEqual({ Ref: queueId() });
    expect(Object.keys(envOf('emitOutbound'))).not.toContain(ENV.outboundSecretPrefix);
    expect(envOf('deliverOutbound')).toMatchObject({ [ENV.outboundQueueUrl]: { Ref: queueId() }, [ENV.outboundDlqUrl]: { Ref: dlqId() } });
    expect(envOf('deliverOutbound')[ENV.outboundAllowLoopback]).toBeUndefined(); // https only on AWS
  });

  it('Should serve the four endpoint routes behind the dashboard key', () => {
    // Act
    const routes = HTTP_ROUTES.filter((r) => r.fn === 'endpointsApi');
    const apiRoutes = Object.values(resources()).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');

    // Assess
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/endpoints',
      'GET /api/endpoints',
      'GET /api/endpoints/{id}/deliveries',
      'DELETE /api/endpoints/{id}',
    ]);
    expect(routes.every((r) => r.auth === 'jwt' && r.role === 'lead')).toBe(true);
    for (const r of routes) {
      const route = apiRoutes.find((a) => a.Properties.RouteKey === `${r.method} ${r.path}`)!;
      expect(route.Properties.AuthorizationType).toBe('JWT');
    }
  });
});
