// Remembers verified access tokens until they expire, so a client's burst of requests pays
// for one signature check instead of one each (the benchmark's largest cost). Only
// successes are kept. Entries are keyed by the token's SHA-256, so the cache never holds
// a usable token (RFC 9700 §4.9). Trade-off: a key removed from the issuer's JWKS keeps
// its already-verified tokens valid here until they expire (minutes).
import { hash } from 'node:crypto';
import type { AccessToken, AccessTokenVerifier } from './verify-access-token.ts';

export interface TokenCacheOptions {
  /** Bound on memory: the oldest entry goes first. Default 10,000 (~2 MB). */
  maxEntries?: number;
  /** Same leeway as the verifier, in seconds. */
  clockTolerance?: number;
  now?: () => number;
}

export function withTokenCache(
  verify: AccessTokenVerifier,
  { maxEntries = 10_000, clockTolerance = 30, now = Date.now }: TokenCacheOptions = {},
): AccessTokenVerifier {
  const cache = new Map<string, AccessToken>();
  const usable = (token: AccessToken) => {
    const seconds = now() / 1000;
    return (
      seconds < token.expiresAt + clockTolerance &&
      (token.notBefore === undefined || seconds >= token.notBefore - clockTolerance)
    );
  };
  return async (token) => {
    // One-shot: no Hash object per request. base64url: the same value is DPoP's `ath`.
    const digest = hash('sha256', token, 'base64url');
    const hit = cache.get(digest);
    if (hit && usable(hit)) return hit;
    if (hit) cache.delete(digest);
    const verified = { ...(await verify(token)), tokenSha256: digest };
    // Not yet valid (nbf in the leeway) tokens are served but not remembered.
    if (usable(verified)) {
      if (cache.size >= maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(digest, verified);
    }
    return verified;
  };
}
