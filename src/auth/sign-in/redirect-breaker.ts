// A circuit breaker for automatic sign-in redirects: when something keeps bouncing the
// user between the app and the provider, stop after a few round trips and explain.

const key = 'oidc-contacts.auto-sign-in';
const WINDOW_MS = 2 * 60_000;
const MAX_ATTEMPTS = 3;

export class RedirectLoopError extends Error {
  readonly code = 'too_many_attempts';
  constructor() {
    super('Signing in keeps failing, so the app stopped trying automatically.');
    this.name = 'RedirectLoopError';
  }
}

/** Records an automatic redirect; throws instead once too many happened in a short time. */
export function recordAutomaticSignIn(
  storage: Storage = sessionStorage,
  now: number = Date.now(),
): void {
  let attempts: number[] = [];
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    if (Array.isArray(parsed)) attempts = parsed.filter((t): t is number => typeof t === 'number');
  } catch {
    // A corrupt record counts as none.
  }
  attempts = attempts.filter((t) => now - t < WINDOW_MS);
  if (attempts.length >= MAX_ATTEMPTS) throw new RedirectLoopError();
  storage.setItem(key, JSON.stringify([...attempts, now]));
}

/** A sign-in that completed, or one the user asked for, resets the count. */
export function resetAutomaticSignIns(storage: Storage = sessionStorage): void {
  storage.removeItem(key);
}
