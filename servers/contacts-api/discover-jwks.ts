// Keys come only from the `jwks_uri` the issuer publishes in its discovery document. The
// document is fetched on first need (the IdP may start after the API) and then kept; a
// failure is remembered only briefly, so a late IdP is picked up without hammering it.
import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { KeysUnavailableError } from './verify-access-token.ts';

export interface DiscoveryOptions {
  /** How long a failed discovery is reused before trying again. */
  retryAfterMs?: number;
  timeoutMs?: number;
  /**
   * Least time between two JWKS fetches for an unknown `kid`; default 2 s (jose's is 30 s).
   * Short enough that a key rotation right after a fetch does not refuse the new tokens
   * for half a minute, long enough that made-up kids cost at most one fetch per 2 s.
   */
  cooldownMs?: number;
}

/** The key lookup, plus `loaded()` for the readiness probe. */
export type DiscoveredJwks = JWTVerifyGetKey & {
  /**
   * Resolves once the issuer's discovery document and a JWKS have been fetched (fetching
   * them now if needed); rejects with why not. GET /ready asks it.
   */
  loaded(): Promise<void>;
};

export function createDiscoveredJwks(
  issuer: string,
  options: DiscoveryOptions = {},
): DiscoveredJwks {
  const { retryAfterMs = 2_000, timeoutMs = 5_000, cooldownMs = 2_000 } = options;
  let current: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  let retryAt = Number.POSITIVE_INFINITY; // finite only while `current` is a failed attempt

  const load = () => {
    retryAt = Number.POSITIVE_INFINITY;
    const attempt = discoverJwksUri(issuer, timeoutMs).then((uri) =>
      // On an unknown kid jose refetches once, at most every `cooldownMs` (so a flood of
      // made-up kids costs one fetch per cooldown), and keeps the set for 10 minutes.
      createRemoteJWKSet(uri, { timeoutDuration: timeoutMs, cooldownDuration: cooldownMs }),
    );
    attempt.catch(() => {
      if (current === attempt) retryAt = Date.now() + retryAfterMs;
    });
    return attempt;
  };

  const keySet = () => {
    if (!current || Date.now() >= retryAt) current = load();
    return current;
  };

  const getKey: JWTVerifyGetKey = async (header, token) => {
    const keys = await keySet();
    try {
      return await keys(header, token);
    } catch (error) {
      // A kid seen during the cooldown (a rotation just after the last fetch) waits for the
      // cooldown to end and gets its one refetch, instead of a 401 for a valid token.
      if (!(error instanceof errors.JWKSNoMatchingKey) || !keys.coolingDown) throw error;
      await new Promise((resolve) => setTimeout(resolve, cooldownMs));
      // Still no usable key after the refetch: the token is refused as before (never a 5xx).
      return keys(header, token).catch(() => {
        throw error;
      });
    }
  };
  return Object.assign(getKey, {
    async loaded() {
      const set = await keySet();
      // jose fetches the JWKS on the first key lookup; a probe must not wait for a token.
      if (set.jwks() === undefined) await set.reload();
    },
  });
}

async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<URL> {
  // OpenID Connect Discovery 1.0 §4: strip one trailing slash before appending the path.
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new KeysUnavailableError(`discovery at ${url} failed`, { cause });
  }
  if (response.status !== 200) {
    throw new KeysUnavailableError(`discovery at ${url} answered HTTP ${response.status}`);
  }
  const metadata: unknown = await response.json().catch(() => undefined);
  const { issuer: claimed, jwks_uri: jwksUri } = (metadata ?? {}) as Record<string, unknown>;
  // IMPORTANT: OIDC Discovery §4.3: metadata for another issuer must not be used.
  if (claimed !== issuer) {
    throw new KeysUnavailableError(`discovery at ${url} names another issuer`);
  }
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) {
    throw new KeysUnavailableError(`discovery at ${url} has no valid jwks_uri`);
  }
  const parsed = new URL(jwksUri);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new KeysUnavailableError(`discovery at ${url} has no valid jwks_uri`);
  }
  return parsed;
}
