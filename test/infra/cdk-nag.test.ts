import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { publicRouteReason } from '../../infra/constructs/survey-http-api.ts';
import { synthesize, type Synthesized } from './synth.ts';

interface PluginReport {
  pluginName: string;
  conclusion: 'success' | 'failure';
  violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[];
}

/** Every acknowledgment recorded with Validations.of(construct).acknowledge(), as { path, id, reason }. */
function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^[A-Za-z]+::/, ''), // CDK qualifies unprefixed ids as "Annotation::<id>"
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  // Prepare: the app as `cdk synth` builds it; the checks run inside app.synth() and throw on a finding.
  let synth: Synthesized | undefined;
  let synthError: unknown;
  try {
    synth = synthesize({ context: { senderEmail: 'surveys@shop.example', alertEmail: 'leads@shop.example' } });
  } catch (error) {
    synthError = error;
  }
  afterAll(() => synth?.cleanUp());

  it('Should synthesize with no unacknowledged finding', () => {
    // Assess (the error message is the validation report)
    expect(synthError).toBeUndefined();
    const report = JSON.parse(readFileSync(join(synth!.outdir, VALIDATION_REPORT_FILE), 'utf8')) as { pluginReports: PluginReport[] };
    const nag = report.pluginReports.filter((r) => r.pluginName === 'AwsSolutions');
    expect(nag.flatMap((r) => r.violations)).toEqual([]);
    expect(nag.every((r) => r.conclusion === 'success')).toBe(true);
  });

  it('Should give every acknowledgment a reason a person can check', () => {
    // Act
    const all = acknowledgments(synth!.app);

    // Assess
    expect(all.length).toBeGreaterThan(0);
    for (const { reason } of all) expect(reason.length).toBeGreaterThan(40);
  });

  it('Should acknowledge only the known, explained findings', () => {
    // Act
    const ids = new Set(acknowledgments(synth!.app).map((a) => a.id));

    // Assess: adding one means adding it here too, with its reason in code next to the resource.
    // Outbound endpoint connections: one secret per endpoint, created at run time under the stack's prefix (outbound-delivery.ts).
    const endpointSecrets = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:Ankieta/endpoints/*]';
    expect([...ids].sort()).toEqual(['AwsSolutions-APIG4', 'AwsSolutions-IAM5[Resource::*]', endpointSecrets, 'AwsSolutions-SMG4', 'AwsSolutions-SQS3']);
  });

  it('Should acknowledge missing authorization only on public survey-link, unsubscribe, short-link and webhook routes', () => {
    // Act
    const paths = acknowledgments(synth!.app)
      .filter((a) => a.id === 'AwsSolutions-APIG4')
      .map((a) => a.path);

    // Assess
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).toMatch(/^Ankieta\/Http\/Api\/[A-Z]+--(r|u|s|webhooks|dashboard)(--|$)/);
  });

  it('Should refuse a public route nobody has given a reason for', () => {
    // Act
    const act = () => publicRouteReason({ method: 'GET', path: '/api/export', fn: 'readApi', auth: 'public' });

    // Assess
    expect(act).toThrow(/GET \/api\/export is public but has no reason/);
  });

  it('Should fail the synth when a resource breaks a rule (the plugin is really wired in)', () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    new sqs.Queue(new Stack(app, 'Broken'), 'PlainQueue'); // no enforceSSL, no DLQ
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act
    const act = () => app.synth();

    // Assess
    expect(act).toThrow(/AwsSolutions-SQS4/);
  });
});

describe('cdk-nag AwsSolutions checks with the WAF option (CloudFront in front, WAF stack in us-east-1)', () => {
  // Prepare: no custom domain, the case with the most findings (CloudFront's default certificate).
  const synth = synthesize({
    context: {
      wafRateLimit: '300',
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/ankieta-public-routes/12345678-1234-1234-1234-123456789012',
    },
  });
  afterAll(() => synth.cleanUp());

  it('Should synthesize both stacks with no unacknowledged finding', () => {
    // Assess
    const report = JSON.parse(readFileSync(join(synth.outdir, VALIDATION_REPORT_FILE), 'utf8')) as { pluginReports: PluginReport[] };
    const nag = report.pluginReports.filter((r) => r.pluginName === 'AwsSolutions');
    expect(nag.flatMap((r) => r.violations)).toEqual([]);
    expect(synth.assembly.stacks.map((s) => s.stackName).sort()).toEqual(['Ankieta', 'AnkietaWaf']);
  });

  it('Should acknowledge only the distribution findings explained in public-edge.ts on top of the usual ones', () => {
    // Act
    const edge = acknowledgments(synth.app).filter((a) => a.path.startsWith('Ankieta/PublicEdge/'));

    // Assess
    expect(edge.map((a) => a.id).sort()).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR3', 'AwsSolutions-CFR4']);
  });
});
