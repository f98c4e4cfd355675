// The seeded people of servers/demo-data.ts as OpenID accounts: password check, claims,
// and what each may ever be granted for the contacts API.
import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Account } from 'oidc-provider';
import { type ContactsScope, type DemoUser, demoUsers } from '../demo-data.ts';
import { API_SCOPE_NAMES, type ContactsScopeNames, named } from './contacts-scopes.ts';

export const CONTACTS_SCOPES: readonly ContactsScope[] = ['contacts:read', 'contacts:write'];

const KEY_LENGTH = 32;

interface Credential {
  user: DemoUser;
  salt: Buffer;
  hash: Buffer;
}

function credentialOf(user: DemoUser): Credential {
  const salt = randomBytes(16);
  return { user, salt, hash: scryptSync(user.password, salt, KEY_LENGTH) };
}

// Hashed once at start, so login compares scrypt hashes in constant time, never plain text.
const credentials = new Map(demoUsers.map((user) => [user.username, credentialOf(user)]));
/** Accounts made at run time by the test controls (test mode only): one per test's need. */
const addedUsers: DemoUser[] = [];
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
  return demoUsers.find((user) => user.sub === sub) ?? addedUsers.find((user) => user.sub === sub);
}

export function findUserByName(username: string): DemoUser | undefined {
  return (
    demoUsers.find((user) => user.username === username) ??
    addedUsers.find((user) => user.username === username)
  );
}

export interface NewAccount {
  username: string;
  password: string;
  name: string;
  entitlements: readonly ContactsScope[];
}

export type EnsuredAccount =
  | { ok: true; user: DemoUser; created: boolean }
  | { ok: false; reason: 'seeded' | 'different-password' };

/**
 * Test mode: makes an account unless it exists, with a subject derived from the username, so
 * the same name is the same person (and owns the same contacts) after an IdP restart. A
 * seeded username is never taken over; an added one is returned as it is, its entitlements
 * and name updated, only with its own password.
 */
export function ensureAccount(account: NewAccount): EnsuredAccount {
  if (demoUsers.some((user) => user.username === account.username)) {
    return { ok: false, reason: 'seeded' };
  }
  const existing = addedUsers.find((user) => user.username === account.username);
  if (existing && existing.password !== account.password) {
    return { ok: false, reason: 'different-password' };
  }
  const [givenName = account.name, ...family] = account.name.split(' ');
  const user: DemoUser = {
    sub: subjectOf(account.username),
    username: account.username,
    password: account.password,
    name: account.name,
    givenName,
    familyName: family.join(' '),
    email: `${account.username}@example.test`,
    entitlements: [...account.entitlements],
    purpose: 'made by a test through the test controls',
  };
  const credential = credentials.get(user.username);
  if (existing && credential) {
    addedUsers.splice(addedUsers.indexOf(existing), 1, user);
    credential.user = user;
  } else {
    credentials.set(user.username, credentialOf(user));
    addedUsers.push(user);
  }
  return { ok: true, user, created: !existing };
}

/** A UUID-shaped subject, stable for a username (SHA-256 of it). */
function subjectOf(username: string): string {
  const hex = createHash('sha256').update(`test-account:${username}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
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
