/**
 * Link-secret rotation through the adapter (functions/adapters/secrets/link-secret.ts): on AWS it reads
 * the secret's AWSCURRENT and AWSPREVIOUS versions (Secrets Manager mocked with aws-sdk-client-mock),
 * locally LINK_SECRET and LINK_SECRET_PREVIOUS; new links are signed with the current value and links
 * signed before the rotation still verify.
 */
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { linkSigner } from '../../functions/adapters/secrets/link-secret.ts';
import { configure } from '../../functions/shared/env.ts';
import { createLinkSigner } from '../../surveys/links.ts';
import { newInvitationId } from '../../surveys/use-cases/trigger-survey.ts';

const OLD = 'old-link-secret-'.padEnd(48, 'o');
const NEW = 'new-link-secret-'.padEnd(48, 'n');
const OTHER = 'other-link-secret-'.padEnd(48, 'x');
const secretsManager = mockClient(SecretsManagerClient);
let arnCounter = 0;

/** A fresh ARN per test: the resolver caches per ARN for SECRET_MAX_AGE_SECONDS. */
function configureArn(): string {
  const arn = `arn:aws:secretsmanager:eu-central-1:123456789012:secret:link-${++arnCounter}-AbCdEf`;
  configure({ LINK_SECRET_ARN: arn });
  return arn;
}

function stagesFactory(arn: string, stages: { AWSCURRENT: string; AWSPREVIOUS?: string }) {
  secretsManager.on(GetSecretValueCommand, { SecretId: arn, VersionStage: 'AWSCURRENT' }).resolves({ SecretString: stages.AWSCURRENT });
  const previous = secretsManager.on(GetSecretValueCommand, { SecretId: arn, VersionStage: 'AWSPREVIOUS' });
  if (stages.AWSPREVIOUS) previous.resolves({ SecretString: stages.AWSPREVIOUS });
  else
    previous.rejects(
      new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS", $metadata: {} }),
    );
}

beforeEach(() => secretsManager.reset());
afterAll(() => {
  secretsManager.restore();
  configure({});
});

describe('the link signer on AWS', () => {
  it('signs new links with AWSCURRENT and still verifies a link signed with AWSPREVIOUS', async () => {
    // Prepare: a link sent before the rotation, then the secret rotated
    const id = newInvitationId();
    const sentBefore = createLinkSigner(OLD).sign(id);
    stagesFactory(configureArn(), { AWSCURRENT: NEW, AWSPREVIOUS: OLD });

    // Act
    const signer = await linkSigner();

    // Assess
    expect(signer.verify(sentBefore)).toBe(id);
    expect(signer.sign(id)).toBe(createLinkSigner(NEW).sign(id));
    expect(signer.sign(id)).not.toBe(sentBefore);
  });

  it('works with the current version alone when the secret was never rotated (no AWSPREVIOUS)', async () => {
    // Prepare
    const arn = configureArn();
    stagesFactory(arn, { AWSCURRENT: NEW });
    const id = newInvitationId();

    // Act
    const signer = await linkSigner();

    // Assess
    expect(signer.verify(signer.sign(id))).toBe(id);
    expect(signer.verify(createLinkSigner(OLD).sign(id))).toBeUndefined();
    const stagesRead = secretsManager.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.VersionStage);
    expect(stagesRead.sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
  });

  it('refuses a link signed with a value older than the previous one', async () => {
    // Prepare: rotated twice, so OTHER is neither current nor previous
    stagesFactory(configureArn(), { AWSCURRENT: NEW, AWSPREVIOUS: OLD });
    const id = newInvitationId();

    // Act
    const signer = await linkSigner();

    // Assess
    expect(signer.verify(createLinkSigner(OTHER).sign(id))).toBeUndefined();
  });

  it('fails loudly when reading AWSCURRENT fails, instead of signing with nothing', async () => {
    // Prepare
    const arn = configureArn();
    secretsManager.on(GetSecretValueCommand, { SecretId: arn }).rejects(new Error('AccessDeniedException'));

    // Act / Assess
    await expect(linkSigner()).rejects.toThrow('AccessDeniedException');
  });
});

describe('the link signer locally', () => {
  it('verifies links signed with LINK_SECRET_PREVIOUS and signs with LINK_SECRET, without calling Secrets Manager', async () => {
    // Prepare
    configure({ LINK_SECRET: NEW, LINK_SECRET_PREVIOUS: OLD });
    const id = newInvitationId();
    const sentBefore = createLinkSigner(OLD).sign(id);

    // Act
    const signer = await linkSigner();

    // Assess
    expect(signer.verify(sentBefore)).toBe(id);
    expect(signer.sign(id)).toBe(createLinkSigner(NEW).sign(id));
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('rejects a LINK_SECRET_PREVIOUS too short to be a key', () => {
    // Act / Assess
    expect(() => configure({ LINK_SECRET: NEW, LINK_SECRET_PREVIOUS: 'short' })).toThrow('LINK_SECRET_PREVIOUS');
  });
});
