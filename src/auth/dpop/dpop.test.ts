import { base64url, EmbeddedJWK, jwtVerify } from 'jose';
import type { DPoPState, UserManager } from 'oidc-client-ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dpopSenderFor } from '../credential/dpop-send.ts';
import { isDpopBound } from '../credential/is-dpop-bound.ts';
import { SessionEndedError } from '../credential/session-ended-error.ts';
import { createDpopProof } from './create-dpop-proof.ts';
import { type DpopStore, ProviderDpopStore } from './dpop-key-store.ts';

const api = 'https://api.example';
const newKeys = () =>
  crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
const sha256 = async (text: string) =>
  base64url.encode(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))),
  );

function memoryStore(): DpopStore & { data: Map<string, DPoPState> } {
  const data = new Map<string, DPoPState>();
  return {
    data,
    set: async (k, v) => void data.set(k, v),
    get: async (k) => data.get(k) as DPoPState,
    remove: async (k) => {
      const v = data.get(k) as DPoPState;
      data.delete(k);
      return v;
    },
    getAllKeys: async () => [...data.keys()],
  };
}

describe('createDpopProof', () => {
  it('signs a proof the embedded public key verifies, htu without query or fragment', async () => {
    const keys = await newKeys();
    const proof = await createDpopProof({
      keys,
      method: 'get',
      url: `${api}/contacts?q=ada#top`,
      accessToken: 'at-1',
      nonce: 'n-1',
    });
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
    expect(protectedHeader.alg).toBe('ES256');
    expect(Object.keys(protectedHeader.jwk ?? {}).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(payload).toMatchObject({ htm: 'GET', htu: `${api}/contacts`, nonce: 'n-1' });
    expect(payload.ath).toBe(await sha256('at-1'));
    expect(typeof payload.jti).toBe('string');
    expect(Math.abs((payload.iat as number) - Date.now() / 1000)).toBeLessThan(5);
  });
});

describe('ProviderDpopStore', () => {
  it("keeps one key per provider and ignores oidc-client-ts's remove on a tab's cleanup", async () => {
    const inner = memoryStore();
    const a = new ProviderDpopStore('https://a.example', inner);
    const b = new ProviderDpopStore('https://b.example', inner);
    const state = { keys: await newKeys() } as DPoPState;
    await a.set('spa', state);
    expect(await b.getAllKeys()).toEqual([]);
    expect(await a.getAllKeys()).toEqual(['spa']);
    await a.remove('spa');
    expect(await a.get('spa')).toBe(state);
    await a.deleteKey('spa');
    expect(await a.get('spa')).toBeUndefined();
  });
});

describe('dpopSenderFor', () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  async function managerWith(tokenType: string, withKey = true) {
    const store = new ProviderDpopStore('https://idp.example', memoryStore());
    if (withKey) await store.set('spa', { keys: await newKeys() } as DPoPState);
    return {
      settings: { client_id: 'spa', dpop: { store } },
      getUser: async () => ({ token_type: tokenType }),
    } as unknown as UserManager;
  }
  const sent = (call: number) => new Headers(fetchMock.mock.calls[call]?.[1]?.headers);
  const proofNonce = async (call: number) =>
    (await jwtVerify(sent(call).get('DPoP') ?? '', EmbeddedJWK)).payload.nonce;

  it('is off for a provider without DPoP', () => {
    expect(dpopSenderFor({ settings: { client_id: 'spa' } } as UserManager)).toBeUndefined();
  });

  it('sends DPoP scheme + proof, answers use_dpop_nonce once, remembers nonces from successes', async () => {
    fetchMock
      .mockResolvedValueOnce(
        new Response('{}', {
          status: 401,
          headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'n-1' },
        }),
      )
      .mockResolvedValueOnce(new Response('[]', { headers: { 'DPoP-Nonce': 'n-2' } }))
      .mockResolvedValueOnce(new Response('[]'));
    const send = dpopSenderFor(await managerWith('DPoP'));
    const first = await send?.(`${api}/contacts`, {}, 'at-1');
    expect(first?.status).toBe(200);
    expect(sent(0).get('Authorization')).toBe('DPoP at-1');
    expect(await proofNonce(0)).toBeUndefined();
    expect(await proofNonce(1)).toBe('n-1');
    await send?.(`${api}/contacts`, {}, 'at-1');
    expect(await proofNonce(2)).toBe('n-2');
    expect(fetchMock.mock.calls[2]?.[1]?.credentials).toBe('omit');
  });

  it('retries a use_dpop_nonce challenge only once', async () => {
    let n = 0;
    fetchMock.mockImplementation(
      async () =>
        new Response('{}', {
          status: 401,
          headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': `n-${++n}` },
        }),
    );
    const answer = await dpopSenderFor(await managerWith('DPoP'))?.(`${api}/contacts`, {}, 'at');
    expect(answer?.status).toBe(401);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('sends a Bearer token as Bearer when the provider did not bind it', async () => {
    fetchMock.mockResolvedValue(new Response('[]'));
    await dpopSenderFor(await managerWith('Bearer'))?.(`${api}/contacts`, {}, 'at-1');
    expect(sent(0).get('Authorization')).toBe('Bearer at-1');
    expect(sent(0).get('DPoP')).toBeNull();
  });

  it('a cleared key store ends the session cleanly, sending nothing', async () => {
    const send = dpopSenderFor(await managerWith('DPoP', false));
    await expect(send?.(`${api}/contacts`, {}, 'at-1')).rejects.toBeInstanceOf(SessionEndedError);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

it('isDpopBound follows the token type', () => {
  expect(isDpopBound({ token_type: 'DPoP' })).toBe(true);
  expect(isDpopBound({ token_type: 'Bearer' })).toBe(false);
  expect(isDpopBound(null)).toBe(false);
});
