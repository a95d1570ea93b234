/**
 * Survey link tokens: `<invitationId>.<mac>`. The invitation id is 128 random bits; the MAC is
 * HMAC-SHA256(secret, id) truncated to 128 bits. A forged or altered token fails verification before
 * any database read, tokens carry no personal data, and ids cannot be enumerated.
 *
 * Rotation without breaking links already sent: new links are signed with the current secret, and a
 * token signed with a previous one (Secrets Manager's AWSPREVIOUS version) still verifies, for as long
 * as that secret is kept as previous (docs/operations.md "Rotating the link secret").
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LinkSigner } from './ports.ts';

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const MAC_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function createLinkSigner(secret: string, previousSecrets: readonly string[] = []): LinkSigner {
  for (const s of [secret, ...previousSecrets]) if (s.length < 32) throw new Error('the link secret must be at least 32 characters');
  const macWith = (key: string, id: string) => createHmac('sha256', key).update(`ankieta-link-v1:${id}`).digest().subarray(0, 16);
  const mac = (id: string) => macWith(secret, id);
  const accepted = [secret, ...previousSecrets.filter((p) => p !== secret)];
  return {
    sign(invitationId) {
      return `${invitationId}.${mac(invitationId).toString('base64url')}`;
    },
    verify(token) {
      if (typeof token !== 'string' || token.length !== 45) return undefined;
      const [id, given] = token.split('.');
      if (!id || !given || !ID_PATTERN.test(id) || !MAC_PATTERN.test(given)) return undefined;
      // Compare the text, not decoded bytes: the last base64url character carries 4 unused bits, so
      // decoding would accept 16 spellings of one MAC.
      const actual = Buffer.from(given);
      const matches = (key: string) => {
        const expected = Buffer.from(macWith(key, id).toString('base64url'));
        return actual.length === expected.length && timingSafeEqual(actual, expected);
      };
      return accepted.some(matches) ? id : undefined;
    },
  };
}
