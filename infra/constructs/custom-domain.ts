/**
 * Survey links on the shop's own domain (e.g. https://go.shop.example/r/…): an API Gateway regional
 * custom domain with the operator's ACM certificate (in the stack's region), mapped to the $default
 * stage. DNS stays with the operator: a CNAME (or alias) from the domain to `target`
 * (output LinkDomainTarget). A short domain keeps the SMS text within one segment (docs/cost.md).
 */
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';

export interface CustomDomainProps {
  readonly domainName: string;
  /** ACM certificate covering domainName, in the stack's region. */
  readonly certificateArn: string;
  readonly api: apigw.IHttpApi;
  readonly stage: apigw.IStage;
}

export class CustomDomain extends Construct {
  readonly domainName: apigw.DomainName;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    this.domainName = new apigw.DomainName(this, 'Domain', {
      domainName: props.domainName,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
    });
    new apigw.ApiMapping(this, 'Mapping', { api: props.api, domainName: this.domainName, stage: props.stage });
  }

  /** Where the domain's DNS record must point. */
  get target(): string {
    return this.domainName.regionalDomainName;
  }

  get url(): string {
    return `https://${this.domainName.name}`;
  }
}
