// After an idle timeout, the next sign-in (in any tab of this browser) must make the user
// authenticate again at the provider: its session and the consent there outlive the app's
// own session, so a plain sign-in would come straight back without a password. A flag the
// tabs share (localStorage; no secret) says so until such a sign-in has come back.

/** How a provider is made to authenticate again (config `providers[].reauthentication`). */
export type Reauthentication = 'max_age=0' | 'prompt=login';

const key = 'oidc-contacts.reauthenticate';

export function requireReauthentication(storage: Storage = localStorage): void {
  try {
    storage.setItem(key, '1');
  } catch {
    // Storage refused: the idle timeout still ended the session and revoked its token.
  }
}

export function reauthenticationRequired(storage: Storage = localStorage): boolean {
  try {
    return storage.getItem(key) === '1';
  } catch {
    return false;
  }
}

/** A sign-in that authenticated the user again has come back and passed its checks. */
export function reauthenticated(storage: Storage = localStorage): void {
  try {
    storage.removeItem(key);
  } catch {
    // Nothing kept, nothing to clear.
  }
}

/** The authorization request's parameters for `how`, merged with a prompt it already has. */
export function reauthenticationParams(
  how: Reauthentication,
  prompt: string | undefined,
): { max_age: number } | { prompt: string } {
  if (how === 'max_age=0') return { max_age: 0 };
  return {
    prompt: [...new Set(['login', ...(prompt ?? '').split(' ').filter(Boolean)])].join(' '),
  };
}
