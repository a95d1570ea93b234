import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../functions/manifest.ts';
import { ITEM_READ_ACTIONS, ITEM_WRITE_ACTIONS } from '../../infra/constructs/survey-table.ts';
import { SURVEY_TABLE } from '../../functions/adapters/dynamodb/table/definition.ts';
import { actionsOf, logicalId, resourcesOf, statementsOf, synthesize, type Statement } from './synth.ts';

const synth = synthesize({ context: { senderEmail: 'surveys@shop.example' } });
const { stack, template } = synth;
afterAll(() => synth.cleanUp());

const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];
const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
/** Actions with no resource-level permissions: the only ones allowed on Resource "*" (see house-function.ts). */
const WILDCARD_RESOURCE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams'];

interface Access {
  tableWrite: boolean;
  streamRead: boolean;
  sendEmail: boolean;
  sms: boolean;
  linkSecret: boolean;
  publishAlerts: boolean;
  /** The Shopify and Zendesk signing secrets (webhooks, and the quarantine replay). */
  webhookSecrets?: boolean;
  /** false only for functions that never touch the table (the dashboard's files). */
  tableRead?: false;
  /** Outbound endpoint connections: created and deleted by the endpoints API, read by the delivery function. */
  endpointSecrets?: 'manage' | 'read';
}

/** The access matrix: what each function may do beyond writing its own logs and traces. */
const EXPECTED: Record<FunctionName, Access> = {
  ingestEvents: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },
  triggerSurvey: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },
  // E-mail and SMS sends in functions of their own: SES only on the one, SNS to phone numbers only on the other.
  sendDue: { tableWrite: true, streamRead: false, sendEmail: true, sms: false, linkSecret: true, publishAlerts: false },
  sendDueSms: { tableWrite: true, streamRead: false, sendEmail: false, sms: true, linkSecret: true, publishAlerts: false },
  respond: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: true, publishAlerts: false },
  privacyApi: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },
  aggregateScores: { tableWrite: true, streamRead: true, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },
  raiseAlerts: { tableWrite: true, streamRead: true, sendEmail: false, sms: false, linkSecret: false, publishAlerts: true },
  classifyComments: { tableWrite: true, streamRead: true, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },
  readApi: { tableWrite: false, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },
  dashboard: { tableRead: false, tableWrite: false, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },

  alertsApi: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },
  trackHealth: { tableWrite: true, streamRead: true, sendEmail: false, sms: false, linkSecret: false, publishAlerts: true },
  alertSweep: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: true },
  webhooks: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false, webhookSecrets: true },
  smsInbound: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: true, publishAlerts: false },
  emailFeedback: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },
  unsubscribe: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: true, publishAlerts: false },
  shortLink: { tableWrite: false, streamRead: false, sendEmail: false, sms: false, linkSecret: true, publishAlerts: false },
  endpointsApi: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false, endpointSecrets: 'manage' },
  emitOutbound: { tableWrite: true, streamRead: true, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },
  deliverOutbound: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false, endpointSecrets: 'read' },
  countFunnel: { tableWrite: true, streamRead: true, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },
  funnelApi: { tableWrite: false, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false },
  // A replay verifies the webhook signature again and triggers surveys.
  quarantineApi: { tableWrite: true, streamRead: false, sendEmail: false, sms: false, linkSecret: false, publishAlerts: false, webhookSecrets: true },
};

/** Endpoint connections: one secret per endpoint under the stack's prefix (infra/constructs/outbound-delivery.ts). */
const isEndpointSecret = (resource: string) => resource.includes('/endpoints/*');

const ref = (id: string) => JSON.stringify({ Ref: id });
const getAtt = (id: string, attribute: string) => JSON.stringify({ 'Fn::GetAtt': [id, attribute] });
const allows = (statements: Statement[], action: string) => statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).includes(action));
const resourceTexts = (statements: Statement[]) => statements.flatMap(resourcesOf).map((r) => JSON.stringify(r));

describe.each(FUNCTION_NAMES)('%s', (name) => {
  const statements = statementsOf(synth, name);
  const expected = EXPECTED[name];

  it('Should use a role of its own without AWS managed policies', () => {
    // Act
    const role = template.toJSON().Resources[logicalId(stack.functions[name].role)];

    // Assess
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('Should write logs to its own log group only', () => {
    // Act
    const logStatements = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));

    // Assess
    expect(resourceTexts(logStatements)).toEqual([getAtt(logicalId(stack.functions[name].logGroup), 'Arn')]);
  });

  it("Should use Resource '*' only for actions that have no resource-level permissions", () => {
    // Act
    const wildcardActions = statements.filter((s) => resourcesOf(s).includes('*')).flatMap(actionsOf);

    // Assess
    const allowed = expected.sms ? [...WILDCARD_RESOURCE_ACTIONS, 'sns:Publish'] : WILDCARD_RESOURCE_ACTIONS;
    for (const action of wildcardActions) expect(allowed).toContain(action);
  });

  it('Should never scan the table or touch it outside item operations', () => {
    // Act
    const dynamoActions = statements.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:'));

    // Assess
    const allowed = [...ITEM_READ_ACTIONS, ...ITEM_WRITE_ACTIONS, ...STREAM_READ_ACTIONS, 'dynamodb:ListStreams'];
    for (const action of dynamoActions) expect(allowed).toContain(action);
    expect(dynamoActions).not.toContain('dynamodb:Scan');
  });

  it(`Should ${expected.tableWrite ? '' : 'not '}write to the table`, () => {
    // Act
    const writers = ITEM_WRITE_ACTIONS.flatMap((action) => allows(statements, action));

    // Assess
    expect(writers.length > 0).toBe(expected.tableWrite);
    for (const action of ITEM_READ_ACTIONS) expect(allows(statements, action).length > 0).toBe(expected.tableRead !== false);
    if (expected.tableWrite) expect(resourceTexts(writers)).toEqual(writers.map(() => getAtt(logicalId(stack.data.surveyTable.table), 'Arn')));
  });

  it(`Should ${expected.streamRead ? '' : 'not '}read the table stream`, () => {
    // Act
    const readers = STREAM_READ_ACTIONS.flatMap((action) => allows(statements, action));

    // Assess
    expect(readers.length > 0).toBe(expected.streamRead);
    for (const resource of resourceTexts(readers)) expect(resource).toBe(getAtt(logicalId(stack.data.surveyTable.table), 'StreamArn'));
  });

  it(`Should ${expected.sendEmail ? '' : 'not '}send e-mail, and then only as the sender through the configuration set`, () => {
    // Act
    const senders = allows(statements, 'ses:SendEmail');

    // Assess
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('ses:') && a !== 'ses:SendEmail')).toEqual([]);
    expect(senders.length > 0).toBe(expected.sendEmail);
    if (expected.sendEmail) {
      const resources = resourceTexts(senders).join('\n');
      expect(resources).toContain(':identity/surveys@shop.example');
      expect(resources).toContain(':identity/shop.example');
      expect(resources).toContain(`:configuration-set/",${ref(logicalId(stack.email.configurationSet))}`);
      expect(resourceTexts(senders)).toHaveLength(3);
    }
  });

  it(`Should ${expected.publishAlerts ? '' : 'not '}publish to the alerts topic`, () => {
    // Act
    const publishers = allows(statements, 'sns:Publish');
    const toAlerts = publishers.filter((s) => resourceTexts([s]).includes(ref(logicalId(stack.data.alerts.topic))));

    // Assess
    expect(toAlerts.length > 0).toBe(expected.publishAlerts);
    // Besides the alerts topic, the only sns:Publish is sendDueSms's SMS to phone numbers.
    const other = publishers.filter((s) => !toAlerts.includes(s));
    expect(other.length > 0).toBe(expected.sms);
    for (const statement of other) expect(resourcesOf(statement)).toEqual(['*']);
  });

  it(`Should ${expected.linkSecret ? '' : 'not '}read the link secret`, () => {
    // Act
    const webhookSecrets = [ref(logicalId(stack.webhookSecrets.shopify)), ref(logicalId(stack.webhookSecrets.zendesk))];
    const otherSecrets = [...webhookSecrets, ref(logicalId(stack.data.contactHashKey))];
    const readers = allows(statements, 'secretsmanager:GetSecretValue').filter(
      (s) => !resourceTexts([s]).every((r) => otherSecrets.includes(r) || isEndpointSecret(r)),
    );

    // Assess
    expect(readers.length > 0).toBe(expected.linkSecret);
    for (const resource of resourceTexts(readers).filter((r) => !otherSecrets.includes(r))) expect(resource).toBe(ref(logicalId(stack.data.linkSecret)));
  });

  it(`Should read the key of the contact hashes exactly when it has the table (${name})`, () => {
    // Act
    const resources = resourceTexts(allows(statements, 'secretsmanager:GetSecretValue'));
    const hasTable = name !== 'dashboard';

    // Assess
    expect(resources.includes(ref(logicalId(stack.data.contactHashKey)))).toBe(hasTable);
  });

  it(`Should ${expected.webhookSecrets ? 'read both webhook secrets and nothing else of Secrets Manager' : 'not read the webhook secrets'}`, () => {
    // Act
    const webhookSecrets = [ref(logicalId(stack.webhookSecrets.shopify)), ref(logicalId(stack.webhookSecrets.zendesk))];
    // The key of the contact hashes goes with the table (its own test below).
    const contactHashKey = ref(logicalId(stack.data.contactHashKey));
    const resources = resourceTexts(allows(statements, 'secretsmanager:GetSecretValue')).filter((r) => r !== contactHashKey);

    // Assess
    if (expected.webhookSecrets) expect([...new Set(resources)].sort()).toEqual([...webhookSecrets].sort());
    else for (const secret of webhookSecrets) expect(resources).not.toContain(secret);
  });

  it(`Should ${expected.endpointSecrets ? `${expected.endpointSecrets} endpoint connections, and only under their prefix` : 'not touch endpoint connections'}`, () => {
    // Act
    const onEndpoints = statements.filter((s) => resourceTexts([s]).some(isEndpointSecret));
    const actions = onEndpoints.flatMap(actionsOf).sort();

    // Assess
    if (expected.endpointSecrets === 'manage') expect(actions).toEqual(['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret']);
    else if (expected.endpointSecrets === 'read') expect(actions).toEqual(['secretsmanager:GetSecretValue']);
    else expect(actions).toEqual([]);
    for (const s of onEndpoints) expect(resourceTexts([s]).every(isEndpointSecret)).toBe(true);
  });
});

describe('readApi', () => {
  it('Should have no dynamodb:PutItem, UpdateItem, DeleteItem or BatchWriteItem', () => {
    // Act
    const actions = statementsOf(synth, 'readApi').flatMap(actionsOf);

    // Assess
    for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
      expect(actions).not.toContain(write);
    }
  });
});

describe('table and indexes', () => {
  it('Should grant each index by name, never index/*', () => {
    // Act
    const resources = FUNCTION_NAMES.flatMap((name) => resourceTexts(statementsOf(synth, name)));

    // Assess
    expect(resources.join('\n')).not.toContain('/index/*');
    for (const index of SURVEY_TABLE.globalSecondaryIndexes) expect(resources.join('\n')).toContain(`/index/${index.indexName}"`);
  });
});
