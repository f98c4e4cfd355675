// A DPoP proof (RFC 9449 §4.2) for one request to the API, signed with WebCrypto by the
// non-extractable key. Unlike oidc-client-ts's `dpopProof`, `htu` has no query or fragment
// (RFC 9449 §4.2), and a server nonce is passed in by the caller.

export interface DpopProofInput {
  keys: CryptoKeyPair;
  method: string;
  url: string;
  /** The access token the request carries: its hash goes in `ath`. */
  accessToken: string;
  nonce?: string;
  /** Seconds since the epoch; default the device clock. */
  now?: () => number;
}

const encoder = new TextEncoder();
const publicJwks = new WeakMap<CryptoKey, Promise<JsonWebKey>>();

export async function createDpopProof(input: DpopProofInput): Promise<string> {
  const target = new URL(input.url);
  const htu = `${target.origin}${target.pathname}`;
  const payload = {
    jti: crypto.randomUUID(),
    htm: input.method.toUpperCase(),
    htu,
    iat: Math.floor(input.now ? input.now() : Date.now() / 1000),
    ath: base64url(await crypto.subtle.digest('SHA-256', encoder.encode(input.accessToken))),
    ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
  };
  const header = { alg: 'ES256', typ: 'dpop+jwt', jwk: await publicJwkOf(input.keys.publicKey) };
  const signingInput = `${base64url(json(header))}.${base64url(json(payload))}`;
  // WebCrypto's ECDSA signature is r‖s, exactly the JWS form (RFC 7518 §3.4).
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    input.keys.privateKey,
    encoder.encode(signingInput),
  );
  return `${signingInput}.${base64url(signature)}`;
}

/** The public half only (crv, kty, x, y): never anything that could be private. */
function publicJwkOf(publicKey: CryptoKey): Promise<JsonWebKey> {
  let jwk = publicJwks.get(publicKey);
  if (!jwk) {
    jwk = crypto.subtle
      .exportKey('jwk', publicKey)
      .then(({ crv, kty, x, y }) => ({ crv, kty, x, y }));
    publicJwks.set(publicKey, jwk);
  }
  return jwk;
}

function json(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
