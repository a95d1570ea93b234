/**
 * ankieta's HTTP API: one route per HTTP_ROUTES entry (functions/manifest.ts), so a route exists on AWS
 * exactly when it exists locally. 'iam' routes need SigV4-signed callers; 'public' routes are reached
 * by survey takers and must carry a written reason (publicRouteReason).
 * Lambda integrations use payload format 2.0 (APIGatewayProxyEventV2).
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName, HttpRoute } from '../../functions/manifest.ts';

/** Per-stage limits for the whole API; a burst of scanners or a retry loop stops here, not at the table. */
export const STAGE_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * Per-route limits of the public route groups, each below the stage's: a flood on one group (scanners
 * on the links, a webhook retry storm, someone hammering the dashboard page) is refused at that group's
 * routes and cannot use up the rate that POST /events and the leads' API need. Per-client limits (per
 * address, per link) are the respond function's own (functions/shared/rate-limit.ts): API Gateway has none.
 */
export const PUBLIC_ROUTE_THROTTLE = {
  /** /r/…: survey pages and answers; mail scanners open every link of a campaign at once. */
  links: { prefix: '/r/', rateLimit: 30, burstLimit: 60 },
  /** /s/…: SMS short links, opened one by one on phones. */
  shortLinks: { prefix: '/s/', rateLimit: 20, burstLimit: 40 },
  /** /webhooks/…: Shopify and Zendesk retry a refused delivery with backoff, so a low limit loses nothing. */
  webhooks: { prefix: '/webhooks/', rateLimit: 20, burstLimit: 40 },
  /** /u/…: unsubscribe pages and one-click POSTs, rare. */
  unsubscribe: { prefix: '/u/', rateLimit: 5, burstLimit: 10 },
  /** /dashboard…: a page and a few scripts per lead visit. */
  dashboard: { prefix: '/dashboard', rateLimit: 5, burstLimit: 20 },
} as const;

export type PublicRouteGroup = keyof typeof PUBLIC_ROUTE_THROTTLE;

/** The throttle group of a public route; a public route outside every group fails the synth. */
export function publicRouteGroup(route: HttpRoute): PublicRouteGroup {
  const found = (Object.keys(PUBLIC_ROUTE_THROTTLE) as PublicRouteGroup[]).find((group) => route.path.startsWith(PUBLIC_ROUTE_THROTTLE[group].prefix));
  if (!found)
    throw new Error(
      `Public route ${route.method} ${route.path} belongs to no throttle group: add one in PUBLIC_ROUTE_THROTTLE (infra/constructs/survey-http-api.ts).`,
    );
  return found;
}

/**
 * Access log line. `$context.routeKey` ("GET /r/{token}") rather than `$context.path`: survey tokens
 * are credentials and stay out of the logs.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    userArn: '$context.identity.userArn',
  }),
);

/** Why a route may skip authorization. A public route without a reason here fails the synth. */
export function publicRouteReason(route: HttpRoute): string {
  if (route.path === '/dashboard' || route.path.startsWith('/dashboard/')) {
    return "The dashboard page and its scripts hold no data: every figure comes from the read API, which needs the dashboard key (auth 'key'). A browser cannot sign with IAM, so the page must load before the key is asked for.";
  }
  if (route.path.startsWith('/r/')) {
    return 'Survey takers open this from an e-mail or SMS link in their own browser: there is no AWS identity to check. The unguessable, expiring token in the path is the credential (DESIGN.md, security notes).';
  }
  if (route.path.startsWith('/u/')) {
    return 'Unsubscribe links are opened, and one-click POSTed (RFC 8058), by mail clients and people without AWS identities. The signed survey token in the path is the credential; GET only shows a confirmation page.';
  }
  if (route.path.startsWith('/s/')) {
    return 'SMS short links are opened on phones without AWS identities. The random 10-character code (about 60 bits, behind the stage throttle) only redirects to the signed survey link; the redirect reads one item and writes nothing.';
  }
  if (route.path.startsWith('/webhooks/')) {
    return "Webhook senders cannot sign with AWS credentials: the handler verifies the sender's HMAC signature and rejects stale timestamps.";
  }
  throw new Error(
    `Route ${route.method} ${route.path} is public but has no reason to skip authorization: make it 'iam' in functions/manifest.ts or add its reason in infra/constructs/survey-http-api.ts.`,
  );
}

export class SurveyHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: { apiName?: string } = {}) {
    super(scope, id);

    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: props.apiName ?? 'ankieta',
      description: 'ankieta: commerce events in, survey links, scores and alerts',
      createDefaultStage: false, // the stage below adds throttling and access logs
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: STAGE_THROTTLE,
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });
  }

  /** The $default stage's base URL, without a trailing slash. */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /** One route per entry; one integration (and one invoke permission) per function. */
  addRoutes(
    routes: readonly HttpRoute[],
    handlers: Readonly<Record<FunctionName, lambda.IFunction>>,
    options: { keyAuthorizer?: lambda.IFunction } = {},
  ): void {
    const iamAuthorizer = new HttpIamAuthorizer();
    // 'key' routes: the dashboard key as a bearer token, checked by a Lambda authorizer whose answer
    // API Gateway caches per Authorization value; without the header API Gateway answers 401 itself.
    const keyAuthorizer = options.keyAuthorizer
      ? new HttpLambdaAuthorizer('ReaderKey', options.keyAuthorizer, {
          authorizerName: 'dashboard-key',
          responseTypes: [HttpLambdaResponseType.SIMPLE],
          identitySource: ['$request.header.Authorization'],
          resultsCacheTtl: Duration.minutes(5),
        })
      : undefined;
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();

    for (const route of routes) {
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.fn}Integration`, handlers[route.fn]);
        integrations.set(route.fn, integration);
      }
      const added = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration,
        authorizer: route.auth === 'iam' ? iamAuthorizer : route.auth === 'key' ? requireKeyAuthorizer(keyAuthorizer, route) : undefined,
      });
      if (route.auth === 'public') {
        const reason = publicRouteReason(route);
        for (const r of added) Validations.of(r).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      }
      if (route.auth === 'public') {
        const limit = PUBLIC_ROUTE_THROTTLE[publicRouteGroup(route)];
        // Route settings name routes by key: the stage must be created after them, or the deployment
        // fails with "Unable to find Route by key".
        const stage = this.stage.node.defaultChild as apigw.CfnStage;
        // RouteSettings is untyped JSON in the L1 construct: CloudFormation's own (PascalCase) names.
        const settings = (stage.routeSettings ?? {}) as Record<string, unknown>;
        stage.routeSettings = {
          ...settings,
          [`${route.method} ${route.path}`]: { ThrottlingRateLimit: limit.rateLimit, ThrottlingBurstLimit: limit.burstLimit },
        };
        for (const r of added) this.stage.node.addDependency(r);
      }
    }
  }
}

function requireKeyAuthorizer(authorizer: HttpLambdaAuthorizer | undefined, route: HttpRoute): HttpLambdaAuthorizer {
  if (!authorizer) throw new Error(`Route ${route.method} ${route.path} needs the dashboard key, but addRoutes got no keyAuthorizer`);
  return authorizer;
}
