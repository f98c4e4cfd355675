import { IDBFactory } from 'fake-indexeddb';
import { base64url, EmbeddedJWK, jwtVerify } from 'jose';
import { type DPoPState, UserManager } from 'oidc-client-ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { credentialOf, isDpopBound } from '../credential/credential.ts';
import { createDpopProof } from './create-dpop-proof.ts';
import { type DpopStore, ProviderDpopStore } from './dpop-key-store.ts';
import { dpopKeysOf, dpopSettingsFor } from './dpop-settings.ts';

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

describe('dpopKeysOf', () => {
  afterEach(() => vi.unstubAllGlobals());
  const manager = (dpop: boolean) =>
    new UserManager({
      authority: 'https://idp.example',
      client_id: 'spa',
      redirect_uri: 'https://app.example/callback',
      dpop: dpopSettingsFor({ issuer: 'https://idp.example', dpop } as never),
    });

  it('is off for a provider without DPoP', () => {
    expect(dpopKeysOf(manager(false))).toBeUndefined();
  });

  it("reads the provider's key pair, and nothing once the store was cleared", async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    const um = manager(true);
    const store = um.settings.dpop?.store as ProviderDpopStore;
    const keys = await newKeys();
    await store.set('spa', { keys } as DPoPState);
    const read = await dpopKeysOf(um)?.();
    const jwk = (pair?: CryptoKeyPair) =>
      pair ? crypto.subtle.exportKey('jwk', pair.publicKey) : undefined;
    expect(await jwk(read)).toEqual(await jwk(keys));
    await store.deleteKey('spa');
    expect(await dpopKeysOf(um)?.()).toBeUndefined();
  });
});

it('isDpopBound and credentialOf follow the token type', () => {
  expect(isDpopBound({ token_type: 'DPoP' })).toBe(true);
  expect(isDpopBound({ token_type: 'Bearer' })).toBe(false);
  expect(isDpopBound(null)).toBe(false);
  expect(credentialOf({ access_token: 'at', token_type: 'dpop' })).toEqual({
    token: 'at',
    scheme: 'DPoP',
  });
  expect(credentialOf({ access_token: 'at', token_type: 'Bearer' })).toEqual({
    token: 'at',
    scheme: 'Bearer',
  });
});
