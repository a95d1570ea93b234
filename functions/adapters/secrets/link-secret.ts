/** The link signer, with the link-signing secret from the one secrets resolver (a value locally, Secrets Manager on AWS). */
import { createLinkSigner } from '#surveys/links.ts';
import type { LinkSigner } from '#surveys/ports.ts';
import { env } from '#functions/shared/env.ts';
import { resolveSecret } from '#functions/adapters/secrets/secrets.ts';

let signer: { secret: string; signer: LinkSigner } | undefined;

export async function linkSigner(): Promise<LinkSigner> {
  const secret = await resolveSecret(env().secrets.link);
  if (signer?.secret !== secret) signer = { secret, signer: createLinkSigner(secret) };
  return signer.signer;
}
