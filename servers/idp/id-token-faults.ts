// Turns a real ID token into a bad one of a chosen kind: claims or header altered, then
// re-signed with the real key (so only the altered part is wrong) or not signed properly,
// as the kind requires. Every kind is something a relying party must reject.
import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import {
  base64url,
  type CompactJWSHeaderParameters,
  CompactSign,
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { IdTokenFault } from './fault-kinds.ts';

export const OTHER_ISSUER = 'https://wrong-issuer.example';
export const OTHER_AUDIENCE = 'https://untrusted-audience.example';
export const OTHER_CLIENT = 'some-other-client';
export const WRONG_NONCE = 'not-the-nonce-you-sent';
const TEN_MINUTES = 600;
const WEEK = 7 * 24 * 3600;

type Header = CompactJWSHeaderParameters;
const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

/** Claim changes per kind; `undefined` deletes the claim. Kinds absent here alter the header or signature. */
function alterClaims(kind: IdTokenFault, claims: JWTPayload, now: number): JWTPayload | null {
  const aud = claims.aud;
  const first = Array.isArray(aud) ? aud[0] : aud;
  const ttl = (claims.exp ?? now) - (claims.iat ?? now);
  switch (kind) {
    case 'wrong-iss':
      return { iss: OTHER_ISSUER };
    case 'wrong-aud':
      return { aud: OTHER_CLIENT, azp: undefined };
    case 'extra-untrusted-aud':
      return { aud: [first ?? '', OTHER_AUDIENCE], azp: undefined };
    case 'wrong-azp':
      return { aud: [first ?? '', OTHER_CLIENT], azp: OTHER_CLIENT };
    case 'expired':
      return { iat: now - TEN_MINUTES - ttl, exp: now - TEN_MINUTES };
    case 'iat-future':
      return { iat: now + TEN_MINUTES, exp: now + TEN_MINUTES + ttl };
    case 'iat-week-old':
      return { iat: now - WEEK };
    case 'missing-exp':
      return { exp: undefined };
    case 'missing-iat':
      return { iat: undefined };
    case 'missing-nonce':
      return { nonce: undefined };
    case 'wrong-nonce':
      return { nonce: WRONG_NONCE };
    case 'missing-sub':
      return { sub: undefined };
    case 'different-sub':
      return { sub: randomUUID() };
    default:
      return null;
  }
}

async function sign(header: Header, claims: JWTPayload, key: JWK): Promise<string> {
  const privateKey = await importJWK(key, header.alg);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header)
    .sign(privateKey);
}

/**
 * @param idToken the ID token the IdP just issued
 * @param signingKeys the IdP's private JWKs (to re-sign with the key that signed it)
 */
export async function breakIdToken(
  idToken: string,
  kind: IdTokenFault,
  signingKeys: readonly JWK[],
): Promise<string> {
  const decoded = decodeProtectedHeader(idToken);
  const header = { ...decoded, alg: decoded.alg ?? 'RS256' } as Header;
  const claims = decodeJwt(idToken);
  const realKey = signingKeys.find((key) => key.kid === header.kid);
  if (!realKey) throw new Error(`no private key for kid ${header.kid}`);
  const now = Math.floor(Date.now() / 1000);

  const changes = alterClaims(kind, claims, now);
  if (changes) {
    const altered: JWTPayload = { ...claims, ...changes };
    for (const [name, value] of Object.entries(changes))
      if (value === undefined) delete altered[name];
    return sign(header, altered, realKey);
  }
  switch (kind) {
    case 'bad-signature': {
      const [h, p, s = ''] = idToken.split('.');
      const signature = base64url.decode(s);
      signature[0] = (signature[0] ?? 0) ^ 0xff;
      return `${h}.${p}.${base64url.encode(signature)}`;
    }
    case 'alg-none':
      return `${encode({ ...header, alg: 'none', kid: undefined })}.${encode(claims)}.`;
    case 'hs256-public-key': {
      // The classic confusion attack: the public key, as PEM, used as an HMAC secret.
      const pem = createPublicKey({
        key: realKey as import('node:crypto').JsonWebKey,
        format: 'jwk',
      })
        .export({ type: 'spki', format: 'pem' })
        .toString();
      const input = `${encode({ ...header, alg: 'HS256' })}.${encode(claims)}`;
      return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    }
    case 'unknown-kid': {
      const { privateKey } = await generateKeyPair(header.alg, { extractable: true });
      const kid = `unknown-${randomUUID()}`;
      return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ ...header, kid })
        .sign(privateKey);
    }
    case 'missing-kid': {
      const { kid: _kid, ...rest } = header;
      return sign(rest as Header, claims, realKey);
    }
    default:
      throw new Error(`unknown ID token fault ${kind}`);
  }
}
