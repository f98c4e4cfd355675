import type { UserManager } from 'oidc-client-ts';

export type AuthorizedFetch = (url: string, init?: RequestInit) => Promise<Response>;

export class SessionEndedError extends Error {
  readonly code = 'session_ended';
  constructor(message = 'Your session has ended. Sign in again to continue.') {
    super(message);
    this.name = 'SessionEndedError';
  }
}

/**
 * A fetch that attaches the access token, only for the configured API origin, renewing
 * first when the token has expired and once more (with one retry) on `invalid_token`.
 */
export function createAuthorizedFetch(
  userManager: UserManager,
  apiBaseUrl: string,
): AuthorizedFetch {
  const apiOrigin = new URL(apiBaseUrl).origin;

  async function renew(): Promise<string> {
    try {
      const user = await userManager.signinSilent();
      if (user?.access_token) return user.access_token;
    } catch {
      // Fall through: the caller only needs to know the session cannot go on.
    }
    throw new SessionEndedError();
  }

  async function currentToken(): Promise<string> {
    const user = await userManager.getUser();
    if (!user) throw new SessionEndedError('You are not signed in.');
    if (user.expired) return renew();
    return user.access_token;
  }

  return async (url, init = {}) => {
    // IMPORTANT: the token must never leave for another origin.
    if (new URL(url).origin !== apiOrigin) {
      throw new Error(`refusing to send the access token to ${new URL(url).origin}`);
    }
    const send = (token: string) => {
      const headers = new Headers(init.headers);
      headers.set('Authorization', `Bearer ${token}`);
      return fetch(url, { ...init, headers, credentials: 'omit' });
    };
    const response = await send(await currentToken());
    if (
      response.status !== 401 ||
      !/error="invalid_token"/.test(response.headers.get('WWW-Authenticate') ?? '')
    ) {
      return response;
    }
    return send(await renew());
  };
}
