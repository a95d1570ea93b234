/**
 * CloudFront in front of the HTTP API, only to carry the WAF web ACL (see web-acl.ts): nothing is
 * cached (every answer is personal or a write), every method, header, cookie and query string but
 * Host is forwarded. With a custom domain, the domain is served here (certificate in us-east-1)
 * instead of on an API Gateway custom domain.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { Construct } from 'constructs';

export interface PublicEdgeProps {
  readonly api: apigw.IHttpApi;
  readonly webAclArn: string;
  /** With its certificate (us-east-1); without, the distribution's cloudfront.net name is used. */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
}

export class PublicEdge extends Construct {
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: PublicEdgeProps) {
    super(scope, id);
    const { region, urlSuffix } = Stack.of(this);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'ankieta: WAF in front of the HTTP API (no caching)',
      webAclId: props.webAclArn,
      defaultBehavior: {
        origin: new origins.HttpOrigin(`${props.api.apiId}.execute-api.${region}.${urlSuffix}`, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
          }
        : {}),
    });
    acknowledgeEdgeFindings(this.distribution, Boolean(props.domain));
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}

function acknowledgeEdgeFindings(distribution: cloudfront.Distribution, customDomain: boolean): void {
  Validations.of(distribution).acknowledge({
    id: 'AwsSolutions-CFR1',
    reason: 'Customers answer surveys from wherever they are (travelling, abroad): a geo restriction would drop real answers.',
  });
  Validations.of(distribution).acknowledge({
    id: 'AwsSolutions-CFR3',
    reason:
      "Every request that passes is logged by the API stage's access log (route key, status, latency, no token); WAF's sampled requests cover the blocked ones. A CloudFront log bucket would hold client addresses twice.",
  });
  if (!customDomain) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose minimum protocol CloudFront fixes; set customDomainName and certificateArn for TLS 1.2.',
    });
  }
}
