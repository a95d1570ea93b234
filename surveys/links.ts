/**
 * Survey link tokens: `<invitationId>.<mac>`. The invitation id is 128 random bits; the MAC is
 * HMAC-SHA256(secret, id) truncated to 128 bits. A forged or altered token fails verification before
 * any database read, tokens carry no personal data, and ids cannot be enumerated.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LinkSigner } from './ports.ts';

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const MAC_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function createLinkSigner(secret: string): LinkSigner {
  if (secret.length < 32) throw new Error('the link secret must be at least 32 characters');
  const mac = (id: string) => createHmac('sha256', secret).update(`ankieta-link-v1:${id}`).digest().subarray(0, 16);
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
      const expected = Buffer.from(mac(id).toString('base64url'));
      const actual = Buffer.from(given);
      return actual.length === expected.length && timingSafeEqual(actual, expected) ? id : undefined;
    },
  };
}
