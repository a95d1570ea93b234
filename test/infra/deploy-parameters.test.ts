import { afterAll, describe, expect, it } from 'vitest';
import { ENV, type FunctionName } from '../../functions/manifest.ts';
import { TEAM_ATTRIBUTE } from '../../infra/constructs/alerts-topic.ts';
import { DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD, DeployParameterError, PLACEHOLDER_SENDER_EMAIL, parseDeployParameters } from '../../infra/deploy-parameters.ts';
import { logicalId, synthesize } from './synth.ts';

const CERTIFICATE_US = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/ankieta-public-routes/12345678-1234-1234-1234-123456789012';

describe('parseDeployParameters', () => {
  it('Should fall back to the placeholder sender and no subscriptions when nothing is given', () => {
    // Act
    const parameters = parseDeployParameters({});

    // Assess
    expect(parameters).toEqual({
      senderEmail: PLACEHOLDER_SENDER_EMAIL,
      alertEmail: undefined,
      publicBaseUrl: undefined,
      teamSubscriptions: {},
      stage: undefined,
      operationsEmail: undefined,
      customDomainName: undefined,
      certificateArn: undefined,
      wafRateLimit: undefined,
      webAclArn: undefined,
      smsMonthlySpendLimitUsd: DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD,
      surveysSettings: { file: 'surveys.settings.json', settings: expect.objectContaining({ brand: 'ankieta shop' }) },
      keepRetiredIndex: false,
    });
  });

  it('Should read the operations parameters as the command line gives them (strings)', () => {
    // Act
    const parameters = parseDeployParameters({
      stage: 'brandb',
      operationsEmail: ' oncall@shop.example ',
      customDomainName: 'go.shop.example',
      certificateArn: CERTIFICATE_US,
      wafRateLimit: '300',
      webAclArn: WEB_ACL,
      smsMonthlySpendLimitUsd: '25.5',
    });

    // Assess
    expect(parameters).toMatchObject({
      stage: 'brandb',
      operationsEmail: 'oncall@shop.example',
      customDomainName: 'go.shop.example',
      certificateArn: CERTIFICATE_US,
      wafRateLimit: 300,
      webAclArn: WEB_ACL,
      smsMonthlySpendLimitUsd: 25.5,
    });
  });

  it.each([
    [{ stage: 'Prod' }, /stage: expected a stage or brand name/],
    [{ stage: 'a-very-long-brand-name-x' }, /stage: expected a stage or brand name/],
    [{ operationsEmail: 'oncall' }, /operationsEmail: expected an e-mail address/],
    [{ customDomainName: 'go.shop.example' }, /certificateArn: customDomainName go.shop.example needs the ARN/],
    [{ certificateArn: CERTIFICATE_US }, /customDomainName: certificateArn was given without the domain/],
    [{ customDomainName: 'https://go.shop.example', certificateArn: CERTIFICATE_US }, /customDomainName: expected a lower-case domain name/],
    [{ customDomainName: 'go.shop.example', certificateArn: 'arn:aws:iam::123456789012:role/x' }, /certificateArn: expected an ACM certificate ARN/],
    [{ customDomainName: 'go.shop.example', certificateArn: CERTIFICATE_US.replace('us-east-1', 'eu-central-1'), webAclArn: WEB_ACL }, /must be in us-east-1/],
    [{ webAclArn: WEB_ACL.replace('global', 'regional') }, /webAclArn: expected the ARN of a CloudFront-scope WAF web ACL/],
    [{ wafRateLimit: '99' }, /wafRateLimit: expected a whole number 100-/],
    [{ wafRateLimit: '1.5e3x' }, /wafRateLimit: expected a whole number/],
    [{ smsMonthlySpendLimitUsd: '0' }, /smsMonthlySpendLimitUsd: expected a positive number/],
  ])('Should reject the operations parameters %j and say why', (context, message) => {
    // Act
    const act = () => parseDeployParameters(context);

    // Assess
    expect(act).toThrow(DeployParameterError);
    expect(act).toThrow(message);
  });

  it('Should accept team subscriptions as JSON text from the command line or as an object from cdk.json', () => {
    // Prepare
    const subscriptions = { billing: 'lead@shop.example', returns: ['a@shop.example', 'b@shop.example'] };

    // Act
    const fromText = parseDeployParameters({ teamSubscriptions: JSON.stringify(subscriptions) });
    const fromObject = parseDeployParameters({ teamSubscriptions: subscriptions });

    // Assess
    const expected = { billing: ['lead@shop.example'], returns: ['a@shop.example', 'b@shop.example'] };
    expect(fromText.teamSubscriptions).toEqual(expected);
    expect(fromObject.teamSubscriptions).toEqual(expected);
  });

  it("Should turn alertSettings into the alert functions' environment", () => {
    // Act
    const { alertSettings } = parseDeployParameters({
      alertSettings: JSON.stringify({
        language: 'pl',
        commentWaitSeconds: 120,
        ackDeadlineSeconds: 7200,
        maxReminders: 1,
        churnAlertThreshold: 60,
        churnRiskWeights: { refund: 25 },
      }),
    });

    // Assess
    expect(alertSettings).toEqual({
      [ENV.alertLanguage]: 'pl',
      [ENV.alertCommentWaitSeconds]: '120',
      [ENV.alertAckDeadlineSeconds]: '7200',
      [ENV.alertMaxReminders]: '1',
      [ENV.churnAlertThreshold]: '60',
      [ENV.churnRiskWeights]: '{"refund":25}',
    });
  });

  it('Should drop a trailing slash from publicBaseUrl, since links are built as base + "/r/…"', () => {
    // Act
    const { publicBaseUrl } = parseDeployParameters({ publicBaseUrl: 'https://surveys.shop.example/' });

    // Assess
    expect(publicBaseUrl).toBe('https://surveys.shop.example');
  });

  it.each([
    ['senderEmail', 'not-an-address', /senderEmail: expected an e-mail address/],
    ['alertEmail', 42, /alertEmail: expected an e-mail address/],
    ['publicBaseUrl', 'http://surveys.shop.example', /publicBaseUrl: survey links must use https/],
    ['publicBaseUrl', 'surveys.shop.example', /publicBaseUrl: expected an absolute https URL/],
    ['publicBaseUrl', 'https://surveys.shop.example/?x=1', /publicBaseUrl: the base URL cannot carry a query/],
    ['teamSubscriptions', '{billing', /teamSubscriptions: expected a JSON object/],
    ['teamSubscriptions', ['lead@shop.example'], /teamSubscriptions: expected an object mapping a team/],
    ['teamSubscriptions', { 'two words': 'lead@shop.example' }, /team "two words" must be/],
    ['teamSubscriptions', { billing: 'nobody' }, /teamSubscriptions\.billing: expected an e-mail address/],
    ['teamSubscriptions', { billing: [] }, /team billing has no address/],
    ['alertSettings', '{"language":', /alertSettings: expected a JSON object/],
    ['alertSettings', { language: 'de' }, /alertSettings\.language: expected "en" or "pl"/],
    ['alertSettings', { commentWaitSeconds: 3600 }, /alertSettings\.commentWaitSeconds: expected a number 0-900/],
    ['alertSettings', { churnRiskWeights: { luck: 10 } }, /alertSettings\.churnRiskWeights\.luck: unknown signal/],
    ['alertSettings', { colour: 'red' }, /alertSettings\.colour: unknown setting/],
  ])('Should reject %s = %j and say why', (key, value, message) => {
    // Act
    const act = () => parseDeployParameters({ [key]: value });

    // Assess
    expect(act).toThrow(DeployParameterError);
    expect(act).toThrow(message);
  });
});

describe('deploy parameters in the stack', () => {
  const synth = synthesize({
    context: {
      senderEmail: 'surveys@shop.example',
      alertEmail: 'leads@shop.example',
      publicBaseUrl: 'https://surveys.shop.example/',
      teamSubscriptions: JSON.stringify({ billing: 'billing-lead@shop.example', returns: ['returns-lead@shop.example', 'billing-lead@shop.example'] }),
      alertSettings: { language: 'pl' },
    },
  });
  const { stack, template } = synth;
  afterAll(() => synth.cleanUp());
  const alertsTopic = { Ref: logicalId(stack.data.alerts.topic) };

  it('Should put publicBaseUrl in the survey links instead of the API URL', () => {
    // Act
    const variables = (name: 'sendDue' | 'sendDueSms' | 'respond') =>
      template.toJSON().Resources[logicalId(stack.functions[name].fn)].Properties.Environment.Variables as Record<string, unknown>;

    // Assess
    expect(variables('sendDue')[ENV.publicBaseUrl]).toBe('https://surveys.shop.example');
    expect(variables('sendDueSms')[ENV.publicBaseUrl]).toBe('https://surveys.shop.example'); // the SMS short links
    expect(variables('respond')[ENV.publicBaseUrl]).toBe('https://surveys.shop.example');
    template.hasOutput('PublicBaseUrl', { Value: 'https://surveys.shop.example' });
  });

  it("Should give the alert functions the leads' language and the base URL their dashboard links start with", () => {
    // Act
    const variables = (name: FunctionName) =>
      template.toJSON().Resources[logicalId(stack.functions[name].fn)].Properties.Environment.Variables as Record<string, unknown>;

    // Assess
    for (const name of ['raiseAlerts', 'trackHealth', 'alertSweep', 'alertsApi'] as const) {
      expect(variables(name)).toMatchObject({ [ENV.alertLanguage]: 'pl', [ENV.publicBaseUrl]: 'https://surveys.shop.example' });
    }
    expect(variables('readApi')[ENV.alertLanguage]).toBeUndefined();
  });

  it('Should subscribe alertEmail to every alert', () => {
    // Act
    const subscriptions = template.findResources('AWS::SNS::Subscription', { Properties: { Endpoint: 'leads@shop.example' } });

    // Assess
    expect(Object.values(subscriptions)).toHaveLength(1);
    expect(Object.values(subscriptions)[0]!.Properties).toMatchObject({ Protocol: 'email', TopicArn: alertsTopic });
    expect(Object.values(subscriptions)[0]!.Properties.FilterPolicy).toBeUndefined();
  });

  it('Should subscribe each team address once, filtered on the team attribute of its teams', () => {
    // Act
    const filterOf = (endpoint: string) => {
      const found = Object.values(template.findResources('AWS::SNS::Subscription', { Properties: { Endpoint: endpoint } }));
      expect(found).toHaveLength(1);
      expect(found[0]!.Properties.TopicArn).toEqual(alertsTopic);
      return found[0]!.Properties.FilterPolicy as Record<string, string[]>;
    };

    // Assess
    expect(filterOf('billing-lead@shop.example')).toEqual({ [TEAM_ATTRIBUTE]: ['billing', 'returns'] });
    expect(filterOf('returns-lead@shop.example')).toEqual({ [TEAM_ATTRIBUTE]: ['returns'] });
  });
});
