/**
 * The optional AWS WAF in front of ankieta's public routes. WAF cannot be attached to an API Gateway
 * HTTP API (only to REST APIs, CloudFront, load balancers…), so it sits on a CloudFront distribution in
 * front of the API, and a CloudFront web ACL must live in us-east-1. Hence two pieces:
 * - WafStack: its own small stack in us-east-1 holding the web ACL (deploy it first; output WebAclArn);
 * - PublicEdge: the CloudFront distribution, in the main stack, using that ACL (deploy parameter webAclArn).
 * docs/operations.md "WAF" has the two commands.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export interface WafStackProps extends StackProps {
  /** Requests per client address per 5 minutes on the public routes before WAF blocks that address. */
  readonly rateLimit: number;
  /** Path prefixes the rate-based rule counts: the routes anyone on the internet may call. */
  readonly publicPathPrefixes: readonly string[];
  readonly prefix: string;
}

/** Requests are counted over this window (WAF's default and the documented rateLimit unit). */
export const WAF_EVALUATION_WINDOW_SECONDS = 300;

export class WafStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: WafStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: 'us-east-1' } });
    const visibility = (name: string) => ({ cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });
    const startsWith = (prefix: string): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: prefix,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    });
    const prefixes = props.publicPathPrefixes.map(startsWith);

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `${props.prefix}-public-routes`,
      description: `${props.prefix} per-address rate limit on the public routes: survey links, short links, unsubscribe, webhooks, dashboard page`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${props.prefix}-web-acl`),
      rules: [
        {
          name: 'public-routes-per-address',
          priority: 0,
          action: { block: {} },
          visibilityConfig: visibility(`${props.prefix}-public-routes-per-address`),
          statement: {
            rateBasedStatement: {
              limit: props.rateLimit,
              evaluationWindowSec: WAF_EVALUATION_WINDOW_SECONDS,
              aggregateKeyType: 'IP',
              // Only the public routes count: an integration posting many events is not a flood.
              scopeDownStatement: prefixes.length === 1 ? prefixes[0] : { orStatement: { statements: prefixes } },
            },
          },
        },
      ],
    });
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn, description: 'Deploy the main stack with -c webAclArn=<this>' });
  }
}
