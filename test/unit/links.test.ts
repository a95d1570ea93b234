import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLinkSigner } from '../../surveys/links.ts';
import { newInvitationId } from '../../surveys/use-cases/trigger-survey.ts';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Characters a token must never contain: base64 (not url) ones, padding, separators, spaces, non-ASCII. */
const FOREIGN = ['+', '/', '=', '.', ' ', '%', '\n', 'é', '\u0000'];

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------

const secretFactory = (seed = 'a') => `${seed}-link-secret-`.padEnd(48, seed);

function signerFactory(secret = secretFactory()) {
  return createLinkSigner(secret);
}

/** A token as the send step issues it: for a fresh 128-bit invitation id. */
function issuedTokenFactory(signer = signerFactory()) {
  const id = newInvitationId();
  return { id, token: signer.sign(id) };
}

const withCharAt = (s: string, i: number, c: string) => `${s.slice(0, i)}${c}${s.slice(i + 1)}`;

const base64urlString = (length: number) => fc.string({ unit: fc.constantFrom(...BASE64URL.split('')), minLength: length, maxLength: length });

// ---------------------------------------------------------------------------------------------

describe('round trip', () => {
  describe.each([
    { name: 'a fresh random id', id: newInvitationId() },
    { name: 'another fresh random id', id: newInvitationId() },
    { name: 'an id of all "A"', id: 'A'.repeat(22) },
    { name: 'an id of dashes and underscores', id: '-_'.repeat(11) },
  ])('for $name', ({ id }) => {
    it('Should verify the token it signed and give back the invitation id', () => {
      // Prepare
      const signer = signerFactory();

      // Act
      const token = signer.sign(id);
      const verified = signer.verify(token);

      // Assess
      expect(verified).toBe(id);
    });
  });

  it('Should verify a token with a second signer built from the same secret (another Lambda instance)', () => {
    // Prepare
    const { id, token } = issuedTokenFactory(signerFactory());

    // Act
    const verified = signerFactory().verify(token);

    // Assess
    expect(verified).toBe(id);
  });

  it('Should verify every well-formed invitation id it signs', () => {
    // Prepare
    const signer = signerFactory();

    fc.assert(
      fc.property(base64urlString(22), (id) => {
        // Act
        const verified = signer.verify(signer.sign(id));

        // Assess
        return verified === id;
      }),
    );
  });
});

describe('what a token contains', () => {
  it('Should be exactly the invitation id and a 128-bit MAC, nothing else', () => {
    // Prepare
    const signer = signerFactory();
    const id = newInvitationId();

    // Act
    const token = signer.sign(id);

    // Assess
    const parts = token.split('.');
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(id);
    expect(parts[1]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(parts[1]!, 'base64url')).toHaveLength(16);
    expect(token).toHaveLength(45);
  });

  it('Should give 128 random bits of invitation id, different every time', () => {
    // Prepare
    const count = 1000;

    // Act
    const ids = Array.from({ length: count }, () => newInvitationId());

    // Assess
    expect(new Set(ids).size).toBe(count);
    for (const id of ids) expect(Buffer.from(id, 'base64url')).toHaveLength(16);
  });

  describe.each([
    { name: 'an e-mail address', id: 'ala@example.com' },
    { name: 'a phone number', id: '+48600100200' },
    { name: 'a customer id and an order', id: 'c-1#o-9#nps-post-purchase' },
    { name: 'a dotted name of 22 characters', id: 'Ala.Kowalska.Warszawa1' },
  ])('for $name put where the id belongs', ({ id }) => {
    it('Should not verify: a working link can only carry a random id', () => {
      // Prepare
      const signer = signerFactory();

      // Act
      const verified = signer.verify(signer.sign(id));

      // Assess
      expect(verified).toBeUndefined();
    });
  });
});

describe('forged and altered tokens', () => {
  it('Should refuse a token signed with another secret', () => {
    // Prepare
    const { token } = issuedTokenFactory(signerFactory(secretFactory('z')));

    // Act
    const verified = signerFactory(secretFactory('a')).verify(token);

    // Assess
    expect(verified).toBeUndefined();
  });

  it('Should refuse a token moved onto another invitation id (the MAC of one id with another id)', () => {
    // Prepare
    const signer = signerFactory();
    const a = issuedTokenFactory(signer);
    const b = issuedTokenFactory(signer);

    // Act
    const verified = signer.verify(`${a.id}.${b.token.split('.')[1]}`);

    // Assess
    expect(verified).toBeUndefined();
  });

  it('Should refuse every token that differs from an issued one in one character of the id or the first 21 MAC characters', () => {
    // Prepare
    const signer = signerFactory();
    const { token } = issuedTokenFactory(signer);
    const accepted: string[] = [];

    // Act
    for (let i = 0; i < token.length - 1; i++) {
      for (const c of [...BASE64URL, ...FOREIGN]) {
        if (c === token[i]) continue;
        const altered = withCharAt(token, i, c);
        if (signer.verify(altered) !== undefined) accepted.push(altered);
      }
    }

    // Assess
    expect(accepted).toEqual([]);
  });

  // BUG (surveys/links.ts, verify): 16 bytes of MAC take 22 base64url characters = 132 bits, so the
  // last character carries 4 padding bits. `Buffer.from(given, 'base64url')` ignores them, so 15 other
  // values of the last character decode to the same MAC and the altered token verifies, contrary to
  // "A forged or altered token fails verification". The id is unchanged, so nothing new is reached,
  // but every invitation has 16 valid token strings. Comparing `given` with the canonical encoding
  // (`mac(id).toString('base64url')`) closes it.
  it('Should refuse every token that differs from an issued one in the last MAC character', () => {
    // Prepare
    const signer = signerFactory();
    const { token } = issuedTokenFactory(signer);
    const last = token.length - 1;

    // Act
    const accepted = [...BASE64URL, ...FOREIGN].filter((c) => c !== token[last] && signer.verify(withCharAt(token, last, c)) !== undefined);

    // Assess
    expect(accepted).toEqual([]);
  });

  describe.each([
    { name: 'the empty string', make: () => '' },
    { name: 'the id alone', make: (id: string) => id },
    { name: 'the id and a dot', make: (id: string) => `${id}.` },
    { name: 'the MAC alone', make: (_: string, mac: string) => mac },
    { name: 'the MAC with a leading dot', make: (_: string, mac: string) => `.${mac}` },
    { name: 'a token one character short', make: (id: string, mac: string) => `${id}.${mac.slice(0, -1)}` },
    { name: 'a token with one character added', make: (id: string, mac: string) => `${id}.${mac}A` },
    { name: 'a token with a trailing dot', make: (id: string, mac: string) => `${id}.${mac}.` },
    { name: 'a token with base64 padding', make: (id: string, mac: string) => `${id}.${mac}==` },
    { name: 'a token with a second dot instead of the last MAC character', make: (id: string, mac: string) => `${id}.${mac.slice(0, -1)}.` },
    { name: 'a token with a dot inside the id (45 characters)', make: (id: string, mac: string) => `${id.slice(0, 11)}.${id.slice(12)}.${mac}` },
    { name: 'a token with the parts swapped', make: (id: string, mac: string) => `${mac}.${id}` },
    { name: 'a token with surrounding spaces', make: (id: string, mac: string) => ` ${id}.${mac} ` },
    {
      name: 'the MAC in standard base64 (+ and /)',
      make: (id: string, mac: string) => `${id}.${mac.replace(/-/g, '+').replace(/_/g, '/').replace(/^./, '+')}`,
    },
    { name: 'the MAC in upper case', make: (id: string, mac: string) => `${id}.${mac.toUpperCase() === mac ? mac.toLowerCase() : mac.toUpperCase()}` },
    { name: 'a URL-encoded token', make: (id: string, mac: string) => `${id}%2E${mac}` },
  ])('for $name', ({ make }) => {
    it('Should not verify', () => {
      // Prepare
      const signer = signerFactory();
      const { id, token } = issuedTokenFactory(signer);
      const candidate = make(id, token.split('.')[1]!);

      // Act
      const verified = signer.verify(candidate);

      // Assess
      expect(candidate).not.toBe(token);
      expect(verified).toBeUndefined();
    });
  });

  it.each([
    { name: 'undefined', value: undefined },
    { name: 'null', value: null },
    { name: 'a number', value: 45 },
    { name: 'an array', value: ['a', 'b'] },
  ])('Should refuse $name from untyped input without throwing', ({ value }) => {
    // Prepare
    const signer = signerFactory();

    // Act
    const verify = () => signer.verify(value as unknown as string);

    // Assess
    expect(verify).not.toThrow();
    expect(verify()).toBeUndefined();
  });

  it('Should never verify, and never throw on, random strings', () => {
    // Prepare
    const signer = signerFactory();

    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme', minLength: 40, maxLength: 50 }), fc.string({ minLength: 45, maxLength: 45 })), (s) => {
        // Act
        const verified = signer.verify(s);

        // Assess
        return verified === undefined;
      }),
      { numRuns: 2000 },
    );
  });

  it('Should never verify well-shaped tokens with a random MAC (a guess)', () => {
    // Prepare
    const signer = signerFactory();

    fc.assert(
      fc.property(base64urlString(22), base64urlString(22), (id, mac) => {
        // Act
        const verified = signer.verify(`${id}.${mac}`);

        // Assess
        return verified === undefined;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the secret', () => {
  it.each([
    { name: 'an empty secret', secret: '' },
    { name: 'a 31-character secret', secret: 'x'.repeat(31) },
    { name: 'a short word', secret: 'changeme' },
  ])('Should refuse $name', ({ secret }) => {
    // Prepare
    const create = () => createLinkSigner(secret);

    // Act / Assess
    expect(create).toThrow(/at least 32 characters/);
  });

  it('Should accept a 32-character secret', () => {
    // Prepare
    const secret = 'x'.repeat(32);

    // Act
    const signer = createLinkSigner(secret);

    // Assess
    const id = newInvitationId();
    expect(signer.verify(signer.sign(id))).toBe(id);
  });
});

describe('rotating the secret', () => {
  it('Should keep verifying links signed with the previous secret while signing new ones with the current one', () => {
    // Prepare
    const invitationId = newInvitationId();
    const oldToken = signerFactory(secretFactory('o')).sign(invitationId);
    const rotated = createLinkSigner(secretFactory('n'), [secretFactory('o')]);

    // Act
    const verifiedOld = rotated.verify(oldToken);
    const newToken = rotated.sign(invitationId);

    // Assess
    expect(verifiedOld).toBe(invitationId);
    expect(newToken).not.toBe(oldToken);
    expect(newToken).toBe(signerFactory(secretFactory('n')).sign(invitationId));
  });

  it('Should refuse a link signed with a secret that is neither current nor previous', () => {
    // Prepare
    const token = signerFactory(secretFactory('x')).sign(newInvitationId());
    const rotated = createLinkSigner(secretFactory('n'), [secretFactory('o')]);

    // Act
    const verified = rotated.verify(token);

    // Assess
    expect(verified).toBeUndefined();
  });

  it('Should refuse a previous secret shorter than 32 characters', () => {
    // Act
    const act = () => createLinkSigner(secretFactory('n'), ['short']);

    // Assess
    expect(act).toThrow(/at least 32 characters/);
  });
});
