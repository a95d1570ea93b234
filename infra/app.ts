/**
 * The CDK app (cdk.json: "npx tsx infra/app.ts"). Deploy parameters come from CDK context
 * (docs/deploy.md); synth needs no AWS credentials and makes no lookups.
 */
import { fileURLToPath } from 'node:url';
import { Annotations, App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeployParameterError, PLACEHOLDER_SENDER_EMAIL, readDeployParameters } from './deploy-parameters.ts';
import { PUBLIC_ROUTE_THROTTLE } from './constructs/survey-http-api.ts';
import { WafStack } from './constructs/web-acl.ts';
import { resourceNames } from './naming.ts';
import { SettingsError } from '../surveys/settings/load.ts';
import { SurveyPipelineStack } from './survey-pipeline-stack.ts';

/** The stack's name without a stage; with `-c stage=x` it is "Ankieta-x" (infra/naming.ts). */
export const STACK_NAME = 'Ankieta';

export function createApp(props: AppProps = {}): { app: App; stack: SurveyPipelineStack; waf?: WafStack } {
  const app = new App(props);
  const parameters = readDeployParameters(app.node);
  const names = resourceNames(parameters.stage);
  const stack = new SurveyPipelineStack(app, names.stackName, {
    ...parameters,
    description: 'ankieta: post-purchase and post-ticket surveys (NPS, CSAT, CES), scores and detractor alerts',
  });
  if (parameters.senderEmail === PLACEHOLDER_SENDER_EMAIL) {
    Annotations.of(stack).addWarningV2(
      'ankieta:senderEmailPlaceholder',
      `No senderEmail in context: survey e-mail would be sent from ${PLACEHOLDER_SENDER_EMAIL} and fail. Deploy with -c senderEmail=you@your-domain (docs/deploy.md).`,
    );
  }

  // cdk-nag 3 is a policy validation plugin, not an Aspect: it runs during synthesis, and a finding
  // not acknowledged with Validations.of(construct).acknowledge({ id, reason }) fails the synth
  // (report: cdk.out/validation-report.json).
  // The optional WAF web ACL lives in us-east-1 (CloudFront's region): a stack of its own, deployed first.
  const waf =
    parameters.wafRateLimit === undefined
      ? undefined
      : new WafStack(app, `${names.stackName}Waf`, {
          rateLimit: parameters.wafRateLimit,
          publicPathPrefixes: Object.values(PUBLIC_ROUTE_THROTTLE).map((group) => group.prefix),
          prefix: names.prefix,
          description: `ankieta (${names.prefix}): WAF web ACL for the CloudFront distribution in front of the public routes`,
        });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, waf };
}

// Entry point for the CDK CLI; tests import createApp instead.
// A settings file or deploy parameter that is wrong stops the synth with its message alone (no stack trace).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    createApp();
  } catch (error) {
    if (!(error instanceof SettingsError || error instanceof DeployParameterError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
