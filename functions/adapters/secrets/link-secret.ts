/** The link-signing secret: from the environment locally, from Secrets Manager on AWS (read once per container). */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createLinkSigner } from '#surveys/links.ts';
import type { LinkSigner } from '#surveys/ports.ts';
import { env } from '../../shared/env.ts';

let signer: Promise<LinkSigner> | undefined;

export function linkSigner(): Promise<LinkSigner> {
  signer ??= (async () => {
    const { linkSecret, linkSecretArn } = env();
    if (linkSecret) return createLinkSigner(linkSecret);
    if (!linkSecretArn) throw new Error('Set LINK_SECRET (local) or LINK_SECRET_ARN (AWS) to sign survey links');
    const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: linkSecretArn }));
    return createLinkSigner(out.SecretString ?? '');
  })();
  signer.catch(() => (signer = undefined)); // a failed fetch is retried on the next invocation
  return signer;
}
