// Test-only: real DPoP keys and proofs (RFC 9449 §4.2) signed with jose, as a client would.
// Shared by the API and IdP tests, the e2e "stolen token" replays and the benchmark.
import { createHash, randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JWK,
  SignJWT,
} from 'jose';

export interface DpopKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** The JWK SHA-256 thumbprint a bound token carries as `cnf.jkt`. */
  jkt: string;
  alg: string;
}

export async function createDpopKey(alg = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk), alg };
}

export interface ProofOptions {
  htm?: string;
  htu: string;
  /** The access token the proof goes with (sets `ath`). */
  token?: string;
  claims?: Record<string, unknown>;
  omit?: string[];
  header?: Record<string, unknown>;
  /** Sign with this key while embedding `key`'s public JWK (a forged proof). */
  signWith?: CryptoKey;
}

export const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

export async function createProof(key: DpopKey, options: ProofOptions): Promise<string> {
  const payload: Record<string, unknown> = {
    jti: randomUUID(),
    htm: options.htm ?? 'GET',
    htu: options.htu,
    iat: Math.floor(Date.now() / 1000),
    ...(options.token === undefined ? {} : { ath: ath(options.token) }),
    ...options.claims,
  };
  for (const claim of options.omit ?? []) delete payload[claim];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk, ...options.header })
    .sign(options.signWith ?? key.privateKey);
}
