import type { AuthorizeRequest } from '../auth/credential/authorization-headers.ts';
import type { Credential } from '../auth/credential/credential.ts';
import { SessionEndedError } from '../auth/credential/session-ended-error.ts';
import { isWithinApiBase } from '../lib/api-base.ts';

export type AuthorizedFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Where credentials come from: the session keeper (session-keeper.ts). */
export interface CredentialSource {
  /** A credential valid for a while yet (renewed first if about to expire), or null: session over. */
  credential(): Promise<Credential | null>;
  /** After the API refused `rejected`: one renewal (unless another tab just did one). */
  credentialAfterRejection(rejected: Credential): Promise<Credential | null>;
}

/**
 * A fetch that attaches a valid credential, only for the configured API, and on
 * `invalid_token` renews once and retries once, never more. A DPoP nonce challenge gets its
 * own single retry with the API's new nonce (RFC 9449 §9).
 */
export function createAuthorizedFetch(
  source: CredentialSource,
  apiBaseUrl: string,
  authorize: AuthorizeRequest,
): AuthorizedFetch {
  return async (url, init = {}) => {
    // IMPORTANT: the token must never leave for anything but the configured API.
    if (!isWithinApiBase(url, apiBaseUrl)) {
      throw new Error(`refusing to send the access token outside ${apiBaseUrl}`);
    }
    const method = (init.method ?? 'GET').toUpperCase();
    const send = async (credential: Credential) => {
      for (let attempt = 1; ; attempt += 1) {
        const authorization = await authorize(credential, { url, method });
        const headers = new Headers(init.headers);
        for (const [name, value] of Object.entries(authorization.headers)) headers.set(name, value);
        const response = await fetch(url, { ...init, headers, credentials: 'omit' });
        const askedForNewNonce = authorization.askedForNewNonce(response);
        if (attempt > 1 || !askedForNewNonce) return response;
      }
    };
    const credential = await source.credential();
    if (credential === null) throw new SessionEndedError();
    const response = await send(credential);
    if (
      response.status !== 401 ||
      !/error="invalid_token"/.test(response.headers.get('WWW-Authenticate') ?? '')
    ) {
      return response;
    }
    const renewed = await source.credentialAfterRejection(credential);
    if (renewed === null) throw new SessionEndedError();
    return send(renewed);
  };
}
