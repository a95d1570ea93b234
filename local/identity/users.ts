/**
 * The local identity provider's demo users: one per role, with the claims a Cognito user pool puts in
 * its ID token (`name`, `email`, `cognito:groups`, optional `custom:team`), so the handlers read them
 * the same way on both hosts (functions/shared/principal.ts). Demo only: passwords are generated once
 * per data directory (kept there, git-ignored, mode 600) or per run without one, and printed at start.
 */
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DemoUser {
  /** The login name and the `sub` claim. */
  username: string;
  name: string;
  email: string;
  groups: readonly string[];
  team?: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'vera', name: 'Vera Viewer', email: 'vera.viewer@example.test', groups: ['viewer'] },
  { username: 'lena', name: 'Lena Lead', email: 'lena.lead@example.test', groups: ['lead'] },
  { username: 'bartek', name: 'Bartek Billing', email: 'bartek.billing@example.test', groups: ['lead'], team: 'billing' },
  { username: 'adam', name: 'Adam Admin', email: 'adam.admin@example.test', groups: ['admin'] },
];

/** The claims of a user, by scope, as the ID token carries them. */
export function claimsOf(user: DemoUser, scopes: ReadonlySet<string>): Record<string, unknown> {
  return {
    sub: user.username,
    ...(scopes.has('profile') ? { name: user.name, 'cognito:username': user.username, 'cognito:groups': [...user.groups] } : {}),
    ...(scopes.has('profile') && user.team ? { 'custom:team': user.team } : {}),
    ...(scopes.has('email') ? { email: user.email, email_verified: true } : {}),
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export class DemoDirectory {
  readonly passwords: ReadonlyMap<string, string>;

  /** Passwords from `<dir>/passwords.json` when it exists, else new ones (written there when a dir is given). */
  constructor(dir?: string) {
    const file = dir ? join(dir, 'passwords.json') : undefined;
    const kept = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
    const passwords = Object.fromEntries(DEMO_USERS.map((u) => [u.username, kept[u.username] ?? `demo-${randomBytes(6).toString('base64url')}`]));
    if (dir && file) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, JSON.stringify(passwords, null, 2), { mode: 0o600 });
    }
    this.passwords = new Map(Object.entries(passwords));
  }

  find(usernameOrEmail: string): DemoUser | undefined {
    const wanted = usernameOrEmail.trim().toLowerCase();
    return DEMO_USERS.find((u) => u.username === wanted || u.email === wanted);
  }

  /** The user when the password is theirs (compared in constant time), else undefined. */
  check(usernameOrEmail: string, password: string): DemoUser | undefined {
    const user = this.find(usernameOrEmail);
    const expected = user ? this.passwords.get(user.username) : undefined;
    return user && expected && timingSafeEqual(digest(password), digest(expected)) ? user : undefined;
  }
}
