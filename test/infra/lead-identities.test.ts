/**
 * Named support leads on AWS (issue 12): a Cognito user pool nobody signs up to, groups for the roles,
 * a public dashboard client (code + PKCE), a client-credentials client for integrations, the hosted UI
 * on the stage's prefix, and the HTTP API's JWT authorizer on every 'jwt' route (no Lambda authorizer).
 */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV, FUNCTIONS, HTTP_ROUTES } from '../../functions/manifest.ts';
import { ROLES } from '../../functions/shared/principal.ts';
import { synthesize } from './synth.ts';

const synth = synthesize({ context: { senderEmail: 'surveys@shop.example', stage: 'brandb' } });
const { template, stack } = synth;
afterAll(() => synth.cleanUp());

const logicalId = (c: { node: { defaultChild?: unknown } } | object) => stack.getLogicalId((c as { node: { defaultChild: never } }).node.defaultChild);

describe('the leads user pool', () => {
  it('Should let nobody sign up, ask TOTP as the optional second factor and enforce threat protection', () => {
    // Assess
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
  });

  it('Should create one group per role', () => {
    // Act
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);

    // Assess
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('Should give the dashboard a public client: authorization code only, no secret, back to the dashboard', () => {
    // Assess
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email', 'profile']),
      CallbackURLs: Match.anyValue(),
      WriteAttributes: ['name'], // a lead cannot set their own team
    });
  });

  it('Should give integrations a confidential client-credentials client without the admin scope', () => {
    // Act
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    const machine = clients.find((c) => c.Properties.AllowedOAuthFlows?.includes('client_credentials'))!;

    // Assess
    expect(machine.Properties.GenerateSecret).toBe(true);
    const scopes = JSON.stringify(machine.Properties.AllowedOAuthScopes);
    expect(scopes).toContain('/read');
    expect(scopes).toContain('/write');
    expect(scopes).not.toContain('/admin');
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'ankieta',
      Scopes: Match.arrayWith([Match.objectLike({ ScopeName: 'admin' })]),
    });
  });

  it("Should name the hosted UI's domain after the stage, without a lookup", () => {
    // Assess
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'ankieta-brandb-leads' });
  });
});

describe('the JWT authorizer', () => {
  it("Should check the pool's tokens for both clients, and no Lambda authorizer is left", () => {
    // Act
    const authorizers = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer'));

    // Assess
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]!.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    expect(authorizers[0]!.Properties.JwtConfiguration.Audience).toHaveLength(2);
    expect(Object.keys(FUNCTIONS)).not.toContain('readerAuthorizer');
  });

  it('Should put every route that needs a role behind it', () => {
    // Act
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);

    // Assess
    for (const r of HTTP_ROUTES.filter((route) => route.auth === 'jwt')) {
      expect(routes.find((route) => route.RouteKey === `${r.method} ${r.path}`)?.AuthorizationType).toBe('JWT');
    }
  });

  it("Should hand the dashboard function the issuer, its client id and the hosted UI's endpoints", () => {
    // Act
    const fn = template.toJSON().Resources[stack.getLogicalId(stack.functions.dashboard.fn.node.defaultChild as never)];
    const variables = fn.Properties.Environment.Variables;

    // Assess
    expect(variables[ENV.authClientId]).toEqual({ Ref: logicalId(stack.leads.dashboardClient) });
    expect(JSON.stringify(variables[ENV.authIssuer])).toContain('https://');
    expect(JSON.stringify(variables[ENV.authTokenEndpoint])).toContain('/oauth2/token');
    expect(JSON.stringify(variables[ENV.authAuthorizationEndpoint])).toContain('/oauth2/authorize');
  });
});
