// The proof's embedded public key (RFC 9449 §4.2 `jwk`), checked like jose's EmbeddedJWK
// and imported once per key: a client signs every request with the same key, and importing
// it costs more than verifying a signature. Also its RFC 7638 thumbprint, computed
// synchronously so a proof for the wrong key is refused before any signature work.
import { createHash } from 'node:crypto';
import { type CryptoKey, errors, importJWK, type JWK, type JWTVerifyGetKey } from 'jose';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
// RFC 7638 §3.2: the required members of each key type, in lexicographic order.
const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};
/** Distinct keys kept imported; the oldest is dropped first. */
const MAX_KEYS = 1_000;

/** The RFC 7638 SHA-256 thumbprint, or undefined for a key that cannot have one here. */
export function jwkThumbprint(jwk: Record<string, unknown>): string | undefined {
  const members = typeof jwk.kty === 'string' ? THUMBPRINT_MEMBERS[jwk.kty] : undefined;
  if (!members) return undefined;
  const canonical: Record<string, unknown> = {};
  for (const member of members) {
    if (typeof jwk[member] !== 'string') return undefined;
    canonical[member] = jwk[member];
  }
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

export function hasPrivateMembers(jwk: Record<string, unknown>): boolean {
  return PRIVATE_MEMBERS.some((member) => member in jwk);
}

/** A jose key resolver for the embedded `jwk`, with an import cache keyed by thumbprint. */
export function createEmbeddedKeyResolver(): JWTVerifyGetKey {
  const imported = new Map<string, CryptoKey | Uint8Array>();
  return async ({ jwk, alg }) => {
    if (typeof jwk !== 'object' || jwk === null) {
      throw new errors.JWSInvalid('the proof carries no jwk');
    }
    const record = jwk as Record<string, unknown>;
    const thumbprint = jwkThumbprint(record);
    if (!thumbprint || hasPrivateMembers(record)) {
      throw new errors.JWSInvalid('the proof jwk is not a usable public key');
    }
    if (record.use !== undefined && record.use !== 'sig') {
      throw new errors.JWSInvalid('the proof jwk is not for signatures');
    }
    if (record.alg !== undefined && record.alg !== alg) {
      throw new errors.JWSInvalid('the proof jwk is for another alg');
    }
    const cacheKey = `${alg} ${thumbprint}`;
    let key = imported.get(cacheKey);
    if (key === undefined) {
      key = await importJWK(jwk as JWK, alg);
      if (imported.size >= MAX_KEYS) imported.delete(imported.keys().next().value as string);
      imported.set(cacheKey, key);
    }
    return key;
  };
}
