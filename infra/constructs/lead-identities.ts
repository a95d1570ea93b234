/**
 * Named support leads (issue 12, docs/security.md "Identities"): a Cognito user pool the shop's admin
 * fills (no self sign-up), groups viewer / lead / admin (the roles of functions/shared/principal.ts), an
 * optional `custom:team` only an admin can set, a public client for the dashboard (authorization code +
 * PKCE on the hosted UI) and a confidential client-credentials client for integrations. API Gateway's
 * JWT authorizer (`authorizer()`) checks their tokens on every 'jwt' route.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { MACHINE_SCOPES, RESOURCE_SERVER, ROLES, type Role } from '../../functions/shared/principal.ts';

export interface LeadIdentitiesProps {
  /** Prefix of the hosted UI's domain (`<prefix>.auth.<region>.amazoncognito.com`): from the stage name. */
  readonly domainPrefix: string;
  /** Where the hosted UI may send a signed-in lead back to: the dashboard's URLs. */
  readonly dashboardUrls: readonly string[];
}

const GROUP_MEANING: Readonly<Record<Role, string>> = {
  viewer: 'reads scores, insights, funnel, comments and alerts',
  lead: 'viewer, and acknowledges and resolves alerts, manages outbound endpoints',
  admin: 'lead, and exports personal data, erases customers, replays quarantine, reads the audit log',
};

export class LeadIdentities extends Construct {
  readonly userPool: cognito.UserPool;
  readonly dashboardClient: cognito.UserPoolClient;
  readonly integrationsClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: LeadIdentitiesProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'Leads', {
      selfSignUpEnabled: false, // an admin invites each lead
      signInAliases: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: true, mutable: true } },
      customAttributes: { team: new cognito.StringAttribute({ minLen: 1, maxLen: 100, mutable: true }) },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true }, // TOTP apps; no SMS (cost, SIM swapping)
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus: compromised-credential checks and adaptive authentication (risky sign-ins blocked), a few cents per lead a month.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN, // the leads and their MFA devices outlive a stack replacement
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP) so that a shop can invite leads before they set up an authenticator; adaptive authentication (Plus plan, ' +
        'threat protection ENFORCED) asks for the second factor on a risky sign-in. A shop that wants it for everyone sets MFA to required.',
    });

    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `${role}Group`, { userPoolId: this.userPool.userPoolId, groupName: role, description: GROUP_MEANING[role] });
    }

    // Leads may read their name and e-mail; nobody but an admin (AdminUpdateUserAttributes) writes the team.
    const readable = new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true }).withCustomAttributes('team');
    const writable = new cognito.ClientAttributes().withStandardAttributes({ fullname: true });
    this.dashboardClient = this.userPool.addClient('Dashboard', {
      generateSecret: false, // a browser keeps no secret: authorization code + PKCE
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [...props.dashboardUrls],
        logoutUrls: [...props.dashboardUrls],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      readAttributes: readable,
      writeAttributes: writable,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12), // a working day; then the hosted UI again
    });

    const scopes = ROLES.map(
      (role) => new cognito.ResourceServerScope({ scopeName: MACHINE_SCOPES[role].slice(RESOURCE_SERVER.length + 1), scopeDescription: GROUP_MEANING[role] }),
    );
    const server = this.userPool.addResourceServer('Api', { identifier: RESOURCE_SERVER, userPoolResourceServerName: 'ankieta API', scopes });
    // Integrations read and act on alerts; the admin scope (personal data) goes to a client made for it, by hand (docs/security.md).
    this.integrationsClient = this.userPool.addClient('Integrations', {
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true },
        scopes: scopes.filter((s) => s.scopeName !== 'admin').map((s) => cognito.OAuthScope.resourceServer(server, s)),
      },
      accessTokenValidity: Duration.hours(1),
      enableTokenRevocation: true,
    });

    this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.domainPrefix } });
  }

  /** The HTTP API's JWT authorizer: Cognito's issuer, and these clients as the audience (ID tokens' `aud`, access tokens' `client_id`). */
  authorizer(): HttpUserPoolAuthorizer {
    return new HttpUserPoolAuthorizer('Leads', this.userPool, {
      authorizerName: 'leads',
      userPoolClients: [this.dashboardClient, this.integrationsClient],
      identitySource: ['$request.header.Authorization'],
    });
  }

  /** The dashboard's login settings (functions/shared/principal.ts, point 4). */
  loginEndpoints(): { issuer: string; clientId: string; authorizationEndpoint: string; tokenEndpoint: string; endSessionEndpoint: string } {
    const base = this.domain.baseUrl();
    return {
      issuer: `https://${this.userPool.userPoolProviderUrl}`, // ProviderURL has no scheme; the tokens' `iss` does
      clientId: this.dashboardClient.userPoolClientId,
      authorizationEndpoint: `${base}/oauth2/authorize`,
      tokenEndpoint: `${base}/oauth2/token`,
      endSessionEndpoint: `${base}/logout`,
    };
  }
}
