// Editing needs `contacts:write`, which the app does not ask for at sign-in (least
// privilege). This follows one request for it through the provider and back: granted,
// declined (denied or unticked: the app stays read-only and says so), or impossible
// (the account's `entitlements` claim lacks it: the app says so and stops offering).
import type { User } from 'oidc-client-ts';
import { safeReturnTo } from './return-to.ts';
import { rememberGrantedExtraScopes, requestMoreScopes } from './sign-in.ts';

export const WRITE_SCOPE = 'contacts:write';
export type WriteAccess = 'granted' | 'available' | 'declined' | 'not_entitled';

const pendingKey = 'oidc-contacts.write-request';
const declinedPrefix = 'oidc-contacts.write-declined:';
const declinedKey = (owner: string) => `${declinedPrefix}${owner}`;

export function writeAccessOf(user: User, owner: string, scopes: readonly string[]): WriteAccess {
  if (scopes.includes(WRITE_SCOPE)) return 'granted';
  // RFC 9068's `entitlements` claim, when the provider sends it: what the account may ever get.
  const entitlements = user.profile.entitlements;
  if (Array.isArray(entitlements) && !entitlements.includes(WRITE_SCOPE)) return 'not_entitled';
  return sessionStorage.getItem(declinedKey(owner)) ? 'declined' : 'available';
}

/** Leaves for the provider; the answer is read by `settleWriteRequest` on the way back. */
export function requestWriteAccess(
  userManager: Parameters<typeof requestMoreScopes>[0],
  owner: string,
  returnTo: string,
): Promise<void> {
  sessionStorage.setItem(pendingKey, JSON.stringify({ owner, returnTo }));
  return requestMoreScopes(userManager, [WRITE_SCOPE], returnTo);
}

/** After the provider answered with tokens: remembers a refusal for this tab's session. */
export function settleWriteRequest(owner: string, granted: boolean): void {
  const pending = readPending();
  if (pending?.owner === owner) sessionStorage.removeItem(pendingKey);
  // Kept so that signing in again in this tab asks for it too (see sign-in.ts).
  rememberGrantedExtraScopes(granted ? [WRITE_SCOPE] : []);
  if (granted) sessionStorage.removeItem(declinedKey(owner));
  else if (pending?.owner === owner) sessionStorage.setItem(declinedKey(owner), '1');
}

/**
 * The provider answered access_denied to a write request: the user is still signed in as
 * before, so the app goes back to where they were, read-only. Returns that path, or null
 * when no write request was under way (a real failed sign-in).
 */
export function declinedWriteRequest(): string | null {
  const pending = readPending();
  if (!pending) return null;
  sessionStorage.removeItem(pendingKey);
  sessionStorage.setItem(declinedKey(pending.owner), '1');
  return safeReturnTo(pending.returnTo);
}

function readPending(): { owner: string; returnTo: string } | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null') as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { owner, returnTo } = value as Record<string, unknown>;
    return typeof owner === 'string' && typeof returnTo === 'string' ? { owner, returnTo } : null;
  } catch {
    return null;
  }
}

/**
 * Sign-out, here or in another tab: this tab forgets every write request, refusal and grant,
 * so the next account to sign in here is not asked for editing on the previous one's behalf.
 */
export function forgetWriteAccess(storage: Storage = sessionStorage): void {
  for (const key of Object.keys(storage)) {
    if (key === pendingKey || key.startsWith(declinedPrefix)) storage.removeItem(key);
  }
  rememberGrantedExtraScopes([]);
}
