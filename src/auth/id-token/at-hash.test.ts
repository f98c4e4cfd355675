// at_hash against Node's own hashing (an independent implementation): the left half of the
// digest, base64url without padding, with the hash the ID token's alg names.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accessTokenHash } from './at-hash.ts';

const expected = (token: string, hash: 'sha256' | 'sha384' | 'sha512') => {
  const digest = createHash(hash).update(token).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
};

/** Tokens whose at_hash, in plain base64, would hold '+', '/' and '=' padding. */
function tokensNeedingUrlSafety(hash: 'sha256' | 'sha512'): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < 2; i += 1) {
    const digest = createHash(hash).update(`token-${i}`).digest();
    const plain = digest.subarray(0, digest.length / 2).toString('base64');
    const need = found.length === 0 ? '+' : '/';
    if (plain.includes(need)) found.push(`token-${i}`);
  }
  return found;
}

describe('accessTokenHash', () => {
  it.each([
    ['RS256', 'sha256'],
    ['PS256', 'sha256'],
    ['ES256', 'sha256'],
    ['ES384', 'sha384'],
    ['RS512', 'sha512'],
    ['EdDSA', 'sha512'],
  ] as const)('%s hashes with %s', async (alg, hash) => {
    const token = 'the-access-token';
    expect(await accessTokenHash(token, alg)).toBe(expected(token, hash));
  });

  it.each(['sha256', 'sha512'] as const)('is base64url without padding (%s)', async (hash) => {
    for (const token of tokensNeedingUrlSafety(hash)) {
      const value = await accessTokenHash(token, hash === 'sha256' ? 'RS256' : 'RS512');
      expect(value).toBe(expected(token, hash));
      expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });

  it('refuses an alg it has no hash for', async () => {
    await expect(accessTokenHash('t', 'HS256')).rejects.toThrow('no at_hash hash for alg HS256');
  });
});
