// Test-only: real keys and real signed tokens (no mocks of jose), shared by the test files.
import { randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JWTPayload,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';

export const ISSUER = 'http://localhost:4000';
export const AUDIENCE = 'http://localhost:4001';
export const CLIENT_ID = 'contacts-spa';

export interface TestKeys {
  /** Trusted: published in the JWKS. */
  rsa: { privateKey: CryptoKey; publicKey: CryptoKey; kid: string };
  es: { privateKey: CryptoKey; publicKey: CryptoKey; kid: string };
  /** Not in the JWKS. */
  rogue: { privateKey: CryptoKey; publicKey: CryptoKey; kid: string };
  jwks: { keys: Record<string, unknown>[] };
  getKey: JWTVerifyGetKey;
}

export async function createTestKeys(): Promise<TestKeys> {
  const rsa = { ...(await generateKeyPair('RS256', { extractable: true })), kid: 'rsa-1' };
  const es = { ...(await generateKeyPair('ES256', { extractable: true })), kid: 'es-1' };
  const rogue = { ...(await generateKeyPair('RS256', { extractable: true })), kid: 'rogue-1' };
  const jwks = {
    keys: await Promise.all(
      [rsa, es].map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, use: 'sig' })),
    ),
  };
  return { rsa, es, rogue, jwks, getKey: createLocalJWKSet(jwks) };
}

export interface MintOptions {
  claims?: Record<string, unknown>;
  /** Claims to remove from the defaults. */
  omit?: string[];
  header?: Record<string, unknown>;
  key?: { privateKey: CryptoKey; kid: string };
  alg?: string;
}

/** A valid RFC 9068 access token for `sub`, unless options say otherwise. */
export async function mintAccessToken(
  keys: TestKeys,
  sub: string,
  options: MintOptions = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    iss: ISSUER,
    sub,
    aud: AUDIENCE,
    client_id: CLIENT_ID,
    scope: 'contacts:read',
    jti: randomUUID(),
    iat: now,
    exp: now + 300,
    ...options.claims,
  };
  for (const claim of options.omit ?? []) delete payload[claim];
  const key = options.key ?? keys.rsa;
  const alg = options.alg ?? (key === keys.es ? 'ES256' : 'RS256');
  return new SignJWT(payload)
    .setProtectedHeader({ alg, typ: 'at+jwt', kid: key.kid, ...options.header })
    .sign(key.privateKey);
}

export function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString(
    'base64url',
  );
}
