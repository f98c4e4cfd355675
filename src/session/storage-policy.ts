// What persists where, and why (README "Where the session lives" says the same):
// - access token, ID token, profile: in each tab's memory (auth/provider/tab-user-store.ts).
//   Handed to new tabs over BroadcastChannel; a reload of the only tab signs in again
//   silently.
// - refresh token: in memory, and persisted (IndexedDB marker) ONLY when it is DPoP-bound:
//   a stolen bound token is useless without the non-extractable key, a bearer one is not.
// - session marker (IndexedDB): generation counter and active flag, no secrets.
// - drafts (sessionStorage): unsaved form input, keyed by issuer + subject (drafts.ts).
// Sign-out clears all of it, in every tab.
import type { User } from 'oidc-client-ts';
import { isDpopBound } from '../auth/credential/credential.ts';

/** THE switch: a refresh token may outlive the tab only when it is sender-constrained. */
export function mayPersistRefreshToken(user: Pick<User, 'token_type' | 'refresh_token'>): boolean {
  return Boolean(user.refresh_token) && isDpopBound(user);
}

/** What a DPoP-bound session keeps across reloads: no access token. */
export function persistableSession(user: User): string | undefined {
  if (!mayPersistRefreshToken(user)) return undefined;
  return JSON.stringify({
    refresh_token: user.refresh_token,
    id_token: user.id_token,
    token_type: user.token_type,
    scope: user.scope,
    profile: user.profile,
  });
}
