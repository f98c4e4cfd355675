import type { UserManager } from 'oidc-client-ts';
import { dpopSenderFor } from '../auth/credential/dpop-send.ts';
import { SessionEndedError } from '../auth/credential/session-ended-error.ts';
import { isWithinApiBase } from '../lib/api-base.ts';

export type AuthorizedFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Where access tokens come from: the session layer (src/session/session-keeper.ts and its parts). */
export interface TokenProvider {
  /** A token valid for a while yet (renewed first if about to expire), or null: session over. */
  accessToken(): Promise<string | null>;
  /** After the API refused `rejected`: one renewal (unless another tab just did one). */
  tokenAfterRejection(rejected: string): Promise<string | null>;
}

/**
 * The seam for sender-constrained tokens (DPoP): given the token and the request, the
 * headers that authorize it. The default is RFC 6750 Bearer.
 */
export type AuthorizationHeaders = (
  token: string,
  request: { url: string; method: string },
) => Promise<Record<string, string>>;

const bearer: AuthorizationHeaders = async (token) => ({ Authorization: `Bearer ${token}` });

type ManagerWithSession = UserManager & { sessionTokens?: TokenProvider };

/** The session layer's tokens, or (without one, e.g. in unit tests) the manager's own. */
export function tokensOf(source: ManagerWithSession | TokenProvider): TokenProvider {
  if ('accessToken' in source) return source;
  if (source.sessionTokens) return source.sessionTokens;
  const renew = async () => (await source.signinSilent().catch(() => null))?.access_token ?? null;
  return {
    accessToken: async () => {
      const user = await source.getUser();
      if (!user) return null;
      return user.expired ? renew() : user.access_token;
    },
    tokenAfterRejection: renew,
  };
}

/**
 * A fetch that attaches a valid access token, only for the configured API origin, and on
 * `invalid_token` renews once and retries once, never more.
 */
export function createAuthorizedFetch(
  source: ManagerWithSession | TokenProvider,
  apiBaseUrl: string,
  authorize: AuthorizationHeaders = bearer,
): AuthorizedFetch {
  // DPoP proof (+ one nonce retry) when the manager's provider binds tokens; else `authorize`.
  const sendDpop = 'accessToken' in source ? undefined : dpopSenderFor(source);

  return async (url, init = {}) => {
    // IMPORTANT: the token must never leave for anything but the configured API.
    if (!isWithinApiBase(url, apiBaseUrl)) {
      throw new Error(`refusing to send the access token outside ${apiBaseUrl}`);
    }
    const tokens = tokensOf(source);
    const method = (init.method ?? 'GET').toUpperCase();
    const send = async (token: string) => {
      if (sendDpop) return sendDpop(url, init, token);
      const headers = new Headers(init.headers);
      for (const [name, value] of Object.entries(await authorize(token, { url, method }))) {
        headers.set(name, value);
      }
      return fetch(url, { ...init, headers, credentials: 'omit' });
    };
    const token = await tokens.accessToken();
    if (token === null) throw new SessionEndedError();
    const response = await send(token);
    if (
      response.status !== 401 ||
      !/error="invalid_token"/.test(response.headers.get('WWW-Authenticate') ?? '')
    ) {
      return response;
    }
    const renewed = await tokens.tokenAfterRejection(token);
    if (renewed === null) throw new SessionEndedError();
    return send(renewed);
  };
}
