/**
 * The link signer, with the link-signing secret from the one secrets resolver (a value locally, Secrets
 * Manager on AWS). New links are signed with the current value; links signed with the value before the
 * last rotation (AWSPREVIOUS, or LINK_SECRET_PREVIOUS locally) still verify (docs/operations.md).
 */
import { createLinkSigner } from '#surveys/links.ts';
import type { LinkSigner } from '#surveys/ports.ts';
import { env } from '#functions/shared/env.ts';
import { resolveSecretVersions } from '#functions/adapters/secrets/secrets.ts';

let signer: { key: string; signer: LinkSigner } | undefined;

export async function linkSigner(): Promise<LinkSigner> {
  const { current, previous } = await resolveSecretVersions(env().secrets.link);
  const key = `${current}\n${previous ?? ''}`;
  if (signer?.key !== key) signer = { key, signer: createLinkSigner(current, previous ? [previous] : []) };
  return signer.signer;
}
