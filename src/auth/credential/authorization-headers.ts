// Turns a credential into the headers of one API request: RFC 6750 `Bearer`, or RFC 9449
// `DPoP` with a fresh proof signed by this browser's key and the API's latest `DPoP-Nonce`
// (remembered from errors *and* successes, which oidc-client-ts ignores).
import { createDpopProof } from '../dpop/create-dpop-proof.ts';
import type { DpopKeys } from '../dpop/dpop-settings.ts';
import type { Credential } from './credential.ts';
import { SessionEndedError } from './session-ended-error.ts';

export interface ApiRequest {
  url: string;
  method: string;
}

export interface Authorization {
  headers: Record<string, string>;
  /**
   * Reads the answer: remembers the API's new nonce, and says whether it was a
   * `use_dpop_nonce` challenge that one more try, with that new nonce, can answer.
   */
  askedForNewNonce(response: Response): boolean;
}

export type AuthorizeRequest = (
  credential: Credential,
  request: ApiRequest,
) => Promise<Authorization>;

/** `dpopKeys`: where a DPoP credential's key is; absent for a provider without DPoP. */
export function requestAuthorizer(dpopKeys?: DpopKeys): AuthorizeRequest {
  // Per API origin, in this tab's memory: nonces are not secrets, just short-lived.
  const nonces = new Map<string, string>();
  return async (credential, { url, method }): Promise<Authorization> => {
    if (credential.scheme === 'Bearer') {
      return {
        headers: { Authorization: `Bearer ${credential.token}` },
        askedForNewNonce: () => false,
      };
    }
    const keys = await dpopKeys?.().catch(() => undefined);
    // A cleared key store (site data wiped): the tokens are useless now; sign in again.
    if (!keys) throw new SessionEndedError('This browser no longer holds your sign-in key.');
    const origin = new URL(url).origin;
    const nonce = nonces.get(origin);
    const proof = await createDpopProof({
      keys,
      method,
      url,
      accessToken: credential.token,
      nonce,
    });
    return {
      headers: { Authorization: `DPoP ${credential.token}`, DPoP: proof },
      askedForNewNonce: (response) => {
        const next = response.headers.get('DPoP-Nonce');
        if (next) nonces.set(origin, next);
        const challenge = response.headers.get('WWW-Authenticate') ?? '';
        return (
          response.status === 401 &&
          /error="use_dpop_nonce"/.test(challenge) &&
          next !== null &&
          next !== nonce
        );
      },
    };
  };
}
