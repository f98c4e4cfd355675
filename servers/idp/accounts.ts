// The seeded people of servers/demo-data.ts as OpenID accounts: password check, claims,
// and what each may ever be granted for the contacts API.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Account } from 'oidc-provider';
import { type ContactsScope, type DemoUser, demoUsers } from '../demo-data.ts';
import { API_SCOPE_NAMES, type ContactsScopeNames, named } from './contacts-scopes.ts';

export const CONTACTS_SCOPES: readonly ContactsScope[] = ['contacts:read', 'contacts:write'];

const KEY_LENGTH = 32;

// Hashed once at start, so login compares scrypt hashes in constant time, never plain text.
const credentials = new Map(
  demoUsers.map((user) => {
    const salt = randomBytes(16);
    return [user.username, { user, salt, hash: scryptSync(user.password, salt, KEY_LENGTH) }];
  }),
);
// Unknown usernames cost the same scrypt run, so timing does not tell which names exist.
const decoy = { user: undefined, salt: randomBytes(16), hash: randomBytes(KEY_LENGTH) };

export type Authentication =
  | { ok: true; user: DemoUser }
  | { ok: false; reason: 'wrong-credentials' | 'disabled' };

/**
 * Checks a password. A disabled account is reported only after its password matched, so the
 * message tells nothing to someone who does not know the password.
 */
export async function authenticate(username: string, password: string): Promise<Authentication> {
  const { user, salt, hash } = credentials.get(username) ?? decoy;
  const candidate = await new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, (error, key) => (error ? reject(error) : resolve(key)));
  });
  if (!user || !timingSafeEqual(candidate, hash)) return { ok: false, reason: 'wrong-credentials' };
  if (user.disabled) return { ok: false, reason: 'disabled' };
  return { ok: true, user };
}

export function findUser(sub: string | undefined): DemoUser | undefined {
  return demoUsers.find((user) => user.sub === sub);
}

export function findUserByName(username: string): DemoUser | undefined {
  return demoUsers.find((user) => user.username === username);
}

export function findAccount(
  _ctx: unknown,
  sub: string,
  names: ContactsScopeNames = API_SCOPE_NAMES,
): Account | undefined {
  const user = findUser(sub);
  // A disabled account has no account: its sessions and refresh tokens stop working too.
  if (!user || user.disabled) return undefined;
  return {
    accountId: user.sub,
    // All claims; oidc-provider keeps only those the granted scopes map to.
    claims: () => ({
      sub: user.sub,
      name: user.name,
      given_name: user.givenName,
      family_name: user.familyName,
      entitlements: named(names, user.entitlements),
      ...(user.email === null ? {} : { email: user.email, email_verified: true }),
    }),
  };
}

/**
 * The contacts scopes an account may be granted: its entitlements, whatever the app asks.
 * Before anyone has signed in (`sub` undefined) every contacts scope is still possible.
 */
export function grantableScopes(
  sub: string | undefined,
  names: ContactsScopeNames = API_SCOPE_NAMES,
): readonly string[] {
  if (sub === undefined) return named(names, CONTACTS_SCOPES);
  return named(names, findUser(sub)?.entitlements ?? []);
}
