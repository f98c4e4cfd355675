// What this app trusts about one provider: its discovery document (whose issuer must be
// exactly the configured one) and its signing keys, fetched once and shared.
import type { createRemoteJWKSet, JWTVerifyGetKey } from 'jose';
import type { MetadataService, OidcMetadata } from 'oidc-client-ts';
import { SUPPORTED_ALGS } from '../id-token/id-token-algs.ts';
import { IdTokenError } from '../id-token/id-token-error.ts';
import { loadIdTokenValidator } from '../id-token/load-id-token-validator.ts';
import { rememberMetadata } from './metadata-cache.ts';

/** The discovery fields this app reads beyond oidc-client-ts's own type. */
export type ProviderMetadata = Partial<OidcMetadata> & {
  id_token_signing_alg_values_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
};

export interface ProviderTrust {
  /** Discovery, refused unless its issuer is exactly the configured one. */
  metadata(): Promise<ProviderMetadata>;
  /** The provider's JWKS; an unknown kid reads it again at once (at most once per 2 s). */
  keys(): Promise<JWTVerifyGetKey>;
  /** ID token algs: what the provider advertises and this app supports. */
  algorithms(): Promise<string[]>;
  /** Starts loading discovery and keys, so they are ready when the token arrives. */
  prefetch(): void;
}

export function createProviderTrust(
  metadataService: MetadataService,
  issuer: string,
): ProviderTrust {
  let remoteKeys: ReturnType<typeof createRemoteJWKSet> | undefined;
  const earlyKeys = oneEarlyResponse();
  let getKey: JWTVerifyGetKey | undefined;

  async function metadata() {
    let document: ProviderMetadata;
    try {
      document = await metadataService.getMetadata();
    } catch {
      throw new IdTokenError('discovery', `the provider's discovery document could not be loaded`);
    }
    if (document.issuer !== issuer) {
      throw new IdTokenError(
        'discovery',
        `discovery names issuer "${String(document.issuer).slice(0, 100)}", not "${issuer}"`,
      );
    }
    rememberMetadata(issuer, document);
    return document;
  }

  async function keys(): Promise<JWTVerifyGetKey> {
    if (!getKey) {
      const { jwks_uri } = await metadata();
      if (!jwks_uri) throw new IdTokenError('discovery', 'discovery has no jwks_uri');
      const { createRemoteJWKSet, customFetch } = await loadIdTokenValidator();
      remoteKeys ??= createRemoteJWKSet(new URL(jwks_uri), {
        // An unknown kid (a rotation) reads the keys again; see readingAgainForAnUnknownKid.
        cooldownDuration: KEYS_COOLDOWN_MS,
        cacheMaxAge: 10 * 60_000,
        // The first load takes the response already on its way (see prefetch).
        [customFetch]: (url: string, init: RequestInit) => earlyKeys.take(url) ?? fetch(url, init),
      });
      getKey ??= askingAgainWhenUnreachable(readingAgainForAnUnknownKid(remoteKeys));
    }
    return getKey;
  }

  async function algorithms() {
    // OpenID Connect Discovery: absent means RS256.
    const advertised = (await metadata()).id_token_signing_alg_values_supported ?? ['RS256'];
    return advertised.filter((alg) => (SUPPORTED_ALGS as readonly string[]).includes(alg));
  }

  return {
    metadata,
    keys,
    algorithms,
    prefetch() {
      metadata()
        .then(({ jwks_uri }) => {
          // The keys' request leaves now, without waiting for the validator's code.
          if (jwks_uri && !remoteKeys) earlyKeys.request(jwks_uri);
          return keys();
        })
        .then(() => (remoteKeys?.fresh ? undefined : remoteKeys?.reload()))
        // A failure here surfaces where the keys are needed, with the rule that failed.
        .catch(() => undefined);
    },
  };
}

/** jose's cooldown: between two reads of the keys, unless a kid is unknown (below). */
const KEYS_COOLDOWN_MS = 2_000;
const KEY_LOAD_ATTEMPTS = 3;

/**
 * A kid not in the keys held is read for again at once, even within jose's cooldown: a
 * provider may start signing with a new key right after the app read its keys (on the
 * callback page that read comes early). Once per check, and at most once per cooldown, so a
 * key set that keeps changing cannot make the app fetch in a loop.
 */
function readingAgainForAnUnknownKid(keys: ReturnType<typeof createRemoteJWKSet>): JWTVerifyGetKey {
  let lastForcedRead = Number.NEGATIVE_INFINITY;
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      const unknownKid = (error as { code?: unknown } | null)?.code === 'ERR_JWKS_NO_MATCHING_KEY';
      if (!unknownKid || Date.now() - lastForcedRead < KEYS_COOLDOWN_MS) throw error;
      lastForcedRead = Date.now();
      await keys.reload();
      return keys(header, token);
    }
  };
}

const KEY_RETRY_MS = 400;

/** jose's JWKS timeout, or fetch's TypeError (network down): worth asking again. */
const couldNotLoad = (error: unknown) =>
  error instanceof TypeError || (error as { code?: unknown } | null)?.code === 'ERR_JWKS_TIMEOUT';

/**
 * Keys that could not be loaded are asked for again, twice, before a token is refused for
 * it: a renewal's tokens are already issued and its refresh token rotated, so refusing them
 * over one slow JWKS response would end the session.
 */
function askingAgainWhenUnreachable(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await keys(header, token);
      } catch (error) {
        if (attempt >= KEY_LOAD_ATTEMPTS || !couldNotLoad(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, KEY_RETRY_MS * attempt));
      }
    }
  };
}

/**
 * A JWKS request sent before jose is loaded, handed to jose's first fetch of the same URL
 * (once: a response body is read once). The request is the one jose itself would send.
 */
function oneEarlyResponse() {
  let early: { url: string; response: Promise<Response> } | undefined;
  return {
    request(jwksUri: string) {
      const url = new URL(jwksUri).href; // as jose spells it
      const response = fetch(url, {
        redirect: 'manual',
        headers: { accept: 'application/json, application/jwk-set+json' },
        signal: AbortSignal.timeout(5_000),
      });
      response.catch(() => undefined); // jose's own fetch reports a failure
      early = { url, response };
    },
    take(url: string): Promise<Response> | undefined {
      const taken = early?.url === url ? early.response : undefined;
      early = undefined;
      return taken;
    },
  };
}
