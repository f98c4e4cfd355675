import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import type { MetadataService } from 'oidc-client-ts';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProviderTrust } from './provider-trust.ts';

const issuer = 'https://idp.example';
const jwksUri = 'https://idp.example/jwks';
let signingKey: CryptoKey;
let jwks: { keys: Record<string, unknown>[] };

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] };
});

const fetchSpy = vi.fn<typeof fetch>();
const keysAnswer = () =>
  new Response(JSON.stringify(jwks), { headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  fetchSpy.mockReset();
  fetchSpy.mockImplementation(async () => keysAnswer());
  vi.stubGlobal('fetch', fetchSpy);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function trust(metadata: Record<string, unknown> = { issuer, jwks_uri: jwksUri }) {
  const metadataService = { getMetadata: vi.fn(async () => metadata) };
  return createProviderTrust(metadataService as unknown as MetadataService, issuer);
}

const token = (kid = 'k1') =>
  new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'ES256', kid }).sign(signingKey);

const keysRequests = () => fetchSpy.mock.calls.filter(([url]) => String(url) === jwksUri);

describe('provider trust: the signing keys', () => {
  it('prefetch sends the JWKS request at once, before the validator code is needed', () => {
    const provider = trust();
    provider.prefetch();
    // metadata() is one await away; the request leaves on the next turn.
    return vi.waitFor(() => expect(keysRequests()).toHaveLength(1));
  });

  it('verifies with the prefetched keys: one request in all', async () => {
    const provider = trust();
    provider.prefetch();
    await vi.waitFor(() => expect(keysRequests()).toHaveLength(1));
    await expect(jwtVerify(await token(), await provider.keys())).resolves.toBeTruthy();
    expect(keysRequests()).toHaveLength(1);
  });

  it('asks for the keys as jose would: no redirect followed, JSON accepted', async () => {
    trust().prefetch();
    await vi.waitFor(() => expect(keysRequests()).toHaveLength(1));
    const init = fetchSpy.mock.calls[0]?.[1];
    expect(init?.redirect).toBe('manual');
    expect(new Headers(init?.headers).get('accept')).toContain('application/json');
  });

  it('without a prefetch, fetches the keys when first needed', async () => {
    const provider = trust();
    await expect(jwtVerify(await token(), await provider.keys())).resolves.toBeTruthy();
    expect(keysRequests()).toHaveLength(1);
  });

  it('a failed early request is not the verdict: the check fetches the keys again', async () => {
    fetchSpy.mockRejectedValueOnce(new TypeError('offline'));
    const provider = trust();
    provider.prefetch();
    await vi.waitFor(() => expect(keysRequests()).toHaveLength(1));
    await expect(jwtVerify(await token(), await provider.keys())).resolves.toBeTruthy();
    expect(keysRequests()).toHaveLength(2);
  });

  it('keys that cannot be fetched at all fail the check', async () => {
    fetchSpy.mockImplementation(async () => {
      throw new TypeError('offline');
    });
    const provider = trust();
    provider.prefetch();
    await expect(jwtVerify(await token(), await provider.keys())).rejects.toThrow('offline');
  });

  it('an unknown kid fetches the keys again at once, even seconds after the last read (rotation)', async () => {
    const provider = trust();
    provider.prefetch();
    await vi.waitFor(() => expect(keysRequests()).toHaveLength(1));
    const getKey = await provider.keys();
    await expect(jwtVerify(await token(), getKey)).resolves.toBeTruthy();
    // The provider starts signing with k2 right after that read: the next read has it.
    const before = jwks;
    jwks = { keys: [...jwks.keys, { ...jwks.keys[0], kid: 'k2' }] };
    try {
      await expect(jwtVerify(await token('k2'), getKey)).resolves.toBeTruthy();
      expect(keysRequests()).toHaveLength(2);
    } finally {
      jwks = before;
    }
  });

  it('a kid still unknown after that one read is refused, and the keys are not fetched in a loop', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let served = 0;
    // A key set that changes at every read, never with the token's kid.
    fetchSpy.mockImplementation(async () => {
      served += 1;
      return new Response(JSON.stringify({ keys: [{ ...jwks.keys[0], kid: `k-${served}` }] }));
    });
    const provider = trust();
    const getKey = await provider.keys();
    await expect(jwtVerify(await token('k9'), getKey)).rejects.toThrow();
    expect(keysRequests()).toHaveLength(2); // the first read, and one more for the unknown kid
    for (let i = 0; i < 5; i++) {
      await expect(jwtVerify(await token('k9'), getKey)).rejects.toThrow();
    }
    expect(keysRequests()).toHaveLength(2); // within 2 s: no more reads
    vi.advanceTimersByTime(2_001);
    await expect(jwtVerify(await token('k9'), getKey)).rejects.toThrow();
    expect(keysRequests().length).toBeLessThanOrEqual(4); // at most two reads per 2 s
  });

  it('does not prefetch when discovery names no jwks_uri, and says so when keys are needed', async () => {
    const provider = trust({ issuer });
    provider.prefetch();
    await expect(provider.keys()).rejects.toThrow('discovery has no jwks_uri');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('does not prefetch keys of a provider whose discovery names another issuer', async () => {
    const provider = trust({ issuer: 'https://evil.example', jwks_uri: jwksUri });
    provider.prefetch();
    await expect(provider.keys()).rejects.toThrow('not "https://idp.example"');
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('provider trust: keys that could not be loaded', () => {
  const unreachable = () => {
    throw new TypeError('Failed to fetch');
  };

  it('are asked for again: a key set that loads on the third try verifies', async () => {
    fetchSpy.mockImplementationOnce(async () => unreachable());
    fetchSpy.mockImplementationOnce(async () => unreachable());
    const provider = trust();
    await expect(jwtVerify(await token(), await provider.keys())).resolves.toBeTruthy();
    expect(keysRequests()).toHaveLength(3);
  });

  it('three times in a row: the token is refused', async () => {
    fetchSpy.mockImplementation(async () => unreachable());
    const provider = trust();
    await expect(jwtVerify(await token(), await provider.keys())).rejects.toThrow(TypeError);
    expect(keysRequests()).toHaveLength(3);
  });

  it('a key set that loads but lacks the kid is asked for once more, not three times', async () => {
    const provider = trust();
    await expect(jwtVerify(await token('k9'), await provider.keys())).rejects.toThrow();
    expect(keysRequests()).toHaveLength(2);
  });
});
