/**
 * Synthesizes the ankieta app the way `npx cdk synth` does (cdk.json feature flags, the cdk-nag
 * plugin from infra/app.ts) into a temporary directory, offline. Test files call it once at module
 * level and share the result: synthesis and bundling are the slow part.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnElement, Stack, type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import type { FunctionName } from '../../functions/manifest.ts';
import { createApp } from '../../infra/app.ts';
import { REPO_ROOT } from '../../infra/constructs/house-function.ts';
import type { SurveyPipelineStack } from '../../infra/survey-pipeline-stack.ts';

export interface Synthesized {
  app: App;
  stack: SurveyPipelineStack;
  assembly: CloudAssembly;
  template: Template;
  outdir: string;
  /** Deletes the temporary cloud assembly. */
  cleanUp(): void;
}

export interface SynthOptions {
  /** Deploy parameters and other context, as `-c key=value` would pass them. */
  context?: Record<string, unknown>;
  /** Run esbuild for every function (default false: the template does not depend on the bundles). */
  bundle?: boolean;
}

/** The feature flags of cdk.json, so tests see the same template as `cdk synth`. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export function synthesize(options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'ankieta-cdk-'));
  // Bundling runs while the stack is built (each NodejsFunction's asset), not in app.synth().
  const build = () => {
    const built = createApp({
      outdir,
      context: {
        ...cdkJsonContext(),
        // An empty list of stacks to bundle makes CDK skip asset bundling.
        ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
        ...options.context,
      },
    });
    return { ...built, assembly: built.app.synth() };
  };
  const { app, stack, assembly } = options.bundle ? quietly(build) : build();
  return { app, stack, assembly, template: Template.fromStack(stack), outdir, cleanUp: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** Runs `work` without CDK's "Bundling asset …" progress lines on stderr (the test output stays readable); anything else still shows. */
function quietly<T>(work: () => T): T {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('Bundling asset ') ? true : write(chunk, ...rest)) as typeof process.stderr.write;
  try {
    return work();
  } finally {
    process.stderr.write = write;
  }
}

export function logicalId(construct: IConstruct): string {
  const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
  if (!(element instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(element).getLogicalId(element);
}

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
export const resourcesOf = (statement: Statement): unknown[] => [statement.Resource].flat();

/** Every IAM statement attached to a function's execution role (its default policy and any other policy). */
export function statementsOf(synth: Synthesized, name: FunctionName): Statement[] {
  const roleId = logicalId(synth.stack.functions[name].role);
  const policies = synth.template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } } }
  >;
  return Object.values(policies)
    .filter((policy) => policy.Properties.Roles.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}
