// Editing needs the provider's write scope (`contacts:write` unless its config names it
// otherwise: providers[].contactsScopes), which the app does not ask for at sign-in (least
// privilege). This follows one request for it through the provider and back: granted,
// declined (denied or unticked: the app stays read-only and says so), or impossible
// (the account's `entitlements` claim lacks it: the app says so and stops offering), or cut
// short (the user left before the answer came back: the app says so and offers to retry).
import type { User } from 'oidc-client-ts';
import { safeReturnTo } from './return-to.ts';
import { rememberGrantedExtraScopes, requestMoreScopes, type SignInState } from './sign-in.ts';

export type WriteAccess = 'granted' | 'available' | 'declined' | 'interrupted' | 'not_entitled';

const pendingKey = 'oidc-contacts.write-request';
const declinedPrefix = 'oidc-contacts.write-declined:';
const declinedKey = (owner: string) => `${declinedPrefix}${owner}`;

export function writeAccessOf(
  user: User,
  owner: string,
  scopes: readonly string[],
  writeScope: string,
): WriteAccess {
  if (scopes.includes(writeScope)) return 'granted';
  // RFC 9068's `entitlements` claim, when the provider sends it: what the account may ever get.
  const entitlements = user.profile.entitlements;
  if (Array.isArray(entitlements) && !entitlements.includes(writeScope)) return 'not_entitled';
  if (sessionStorage.getItem(declinedKey(owner))) return 'declined';
  // Asked, and no answer came back (the user left the provider or the code exchange).
  return readPending()?.owner === owner ? 'interrupted' : 'available';
}

/** Leaves for the provider; the callback's answer settles it (settleWriteRequestAnswer). */
export function requestWriteAccess(
  userManager: Parameters<typeof requestMoreScopes>[0],
  owner: string,
  returnTo: string,
  writeScope: string,
): Promise<void> {
  sessionStorage.setItem(pendingKey, JSON.stringify({ owner, returnTo }));
  return requestMoreScopes(userManager, [writeScope], returnTo);
}

/**
 * What the signed-in user's token allows, as every page sees it: a grant is remembered so
 * that signing in again in this tab asks for it too (see sign-in.ts), and ends any refusal.
 */
export function noteWriteScope(owner: string, granted: boolean, writeScope: string): void {
  rememberGrantedExtraScopes(granted ? [writeScope] : []);
  if (!granted) return;
  sessionStorage.removeItem(declinedKey(owner));
  if (readPending()?.owner === owner) sessionStorage.removeItem(pendingKey);
}

/**
 * A sign-in callback completed. If it answers a request for editing (its state says what was
 * asked), the request is settled: granted, or refused (unticked) and remembered as such for
 * this tab's session. Only a completed answer settles it: a page opened without one leaves
 * the request 'interrupted'.
 */
export function settleWriteRequestAnswer(user: User, owner: string, writeScope: string): void {
  const asked = (user.state as SignInState | undefined)?.extraScopes;
  if (!Array.isArray(asked) || !asked.includes(writeScope)) return;
  const pending = readPending();
  sessionStorage.removeItem(pendingKey);
  const granted = (user.scope ?? '').split(' ').includes(writeScope);
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
