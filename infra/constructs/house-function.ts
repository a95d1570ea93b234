/**
 * The one place that knows how ankieta builds a Lambda function: runtime, architecture, bundling,
 * logging, tracing and the execution role. Every function of functions/manifest.ts goes through it,
 * so there is no second NodejsFunction block to drift.
 */
import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Charset, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_OPTIONS, REPO_ROOT } from './bundle-options.ts';

export { ESM_REQUIRE_BANNER, LAMBDA_CREDENTIALS, REPO_ROOT } from './bundle-options.ts';

/** Set on every function; handlers must not rely on anything else being there. */
export const HOUSE_ENVIRONMENT = {
  // Stack traces point at the TypeScript sources (the bundle ships a source map).
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'ankieta',
} as const;

export interface HouseFunctionProps {
  /** Entry file relative to the repository root, as written in functions/manifest.ts. */
  readonly entry: string;
  readonly description: string;
  /** Function-specific variables (names from ENV in functions/manifest.ts), added to HOUSE_ENVIRONMENT. */
  readonly environment?: Record<string, string>;
  /** @default 512 (MB): on arm64 this also buys CPU for cold starts of the bundled SDK. */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /**
   * Files (relative to the repository root) copied next to the bundle, for a handler that serves
   * them as they are (the dashboard's scripts and styles): `to` is relative to the bundle's folder.
   */
  readonly copyFiles?: ReadonlyArray<{ from: string; to: string }>;
  /**
   * Active X-Ray tracing (docs/cost.md "Tracing"). Lambda samples the first request each second and 5 %
   * of the rest; that rate cannot be changed for Lambda, so the choice per function is on or off.
   * @default true
   */
  readonly tracing?: boolean;
  /** Concurrency reserved for (and capping) this function; see the stack for who gets some and why. */
  readonly reservedConcurrentExecutions?: number;
  /**
   * The validated surveys settings as JSON, bundled as the constant __ANKIETA_SETTINGS__
   * (functions/shared/settings.ts): not an environment variable, since Lambda allows 4 KB of those in total.
   */
  readonly surveysSettingsJson?: string;
}

export class HouseFunction extends Construct implements iam.IGrantable {
  readonly fn: NodejsFunction;
  /** A role of our own instead of AWSLambdaBasicExecutionRole: logs are granted on this function's log group only. */
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      // Logs belong to the compute: redeploying or removing a function takes its log group with it.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `ankieta ${id}: ${props.description}`.slice(0, 1000),
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.resolve(REPO_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing === false ? lambda.Tracing.DISABLED : lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: { ...HOUSE_ENVIRONMENT, ...props.environment },
      bundling: {
        minify: BUNDLE_OPTIONS.minify,
        logLevel: LogLevel.WARNING, // warnings and errors only: no size summary per function in synth and test output
        sourceMap: true,
        sourcesContent: false, // file and line numbers are enough; keeps the bundle small
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: [...BUNDLE_OPTIONS.mainFields],
        banner: BUNDLE_OPTIONS.banner,
        charset: Charset.UTF8,
        // Bundle the AWS SDK v3 instead of using the runtime's copy: a pinned version, tree-shaken,
        // and faster cold starts than resolving the full SDK from the runtime.
        externalModules: [],
        esbuildArgs: {
          ...Object.fromEntries(Object.entries(BUNDLE_OPTIONS.alias).map(([from, to]) => [`--alias:${from}`, to])),
          '--legal-comments': BUNDLE_OPTIONS.legalComments,
        },
        ...(props.surveysSettingsJson !== undefined ? { define: { __ANKIETA_SETTINGS__: JSON.stringify(props.surveysSettingsJson) } } : {}),
        forceDockerBundling: false, // the local esbuild devDependency; no Docker needed
        ...(props.copyFiles?.length ? { commandHooks: copyFilesHooks(props.copyFiles) } : {}),
      },
    });
    this.grantPrincipal = this.fn.grantPrincipal;

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "Resource '*' in a function's role is limited to actions that have no resource-level permissions: " +
        'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) and dynamodb:ListStreams (stream event sources). ' +
        'Every data action is scoped to ARNs; test/infra/least-privilege.test.ts enforces this allowlist.',
    });
  }
}

/** Bundling hooks that copy files beside the bundle (local bundling: plain shell commands). */
function copyFilesHooks(files: ReadonlyArray<{ from: string; to: string }>) {
  const quote = (p: string) => `'${p.replaceAll("'", "'\\''")}'`;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) =>
      files.map(
        ({ from, to }) =>
          `mkdir -p ${quote(path.dirname(path.join(outputDir, to)))} && cp ${quote(path.join(inputDir, from))} ${quote(path.join(outputDir, to))}`,
      ),
  };
}
