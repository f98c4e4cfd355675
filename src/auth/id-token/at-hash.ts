// OpenID Connect Core 3.1.3.6 / 3.2.2.9: at_hash is the base64url of the left half of the
// hash of the access token, with the hash that the ID token's alg uses.

const hashOf: Record<string, AlgorithmIdentifier> = {
  RS256: 'SHA-256',
  PS256: 'SHA-256',
  ES256: 'SHA-256',
  RS384: 'SHA-384',
  PS384: 'SHA-384',
  ES384: 'SHA-384',
  RS512: 'SHA-512',
  PS512: 'SHA-512',
  ES512: 'SHA-512',
  // EdDSA with Ed25519 hashes with SHA-512 (OpenID Connect Core errata set 2).
  EdDSA: 'SHA-512',
  Ed25519: 'SHA-512',
};

export async function accessTokenHash(accessToken: string, alg: string): Promise<string> {
  const hash = hashOf[alg];
  if (!hash) throw new Error(`no at_hash hash for alg ${alg}`);
  const digest = new Uint8Array(
    await crypto.subtle.digest(hash, new TextEncoder().encode(accessToken)),
  );
  const left = digest.slice(0, digest.length / 2);
  return (
    btoa(String.fromCharCode(...left))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      // Stryker disable next-line Regex: '=' appears in base64 only as the final padding
      .replace(/=+$/, '')
  );
}
